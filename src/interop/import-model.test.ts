import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { DataError } from '../errors.js'
import { detectFormat, importModel } from './import-model.js'

const FIXTURES = join(import.meta.dirname, 'xgboost', 'fixtures')
const bytes = (s: string) => new TextEncoder().encode(s)

describe('importModel', () => {
  it('recognises XGBoost JSON by its content, whatever the name', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'import-model-'))
    const renamed = join(dir, 'model.bin')
    await writeFile(renamed, bytes('\ufeff\n  ' + (await import('node:fs')).readFileSync(join(FIXTURES, 'binary.model.json'), 'utf8')))
    const model = await importModel(renamed)
    expect([model.kind, model.task, model.nOutputs]).toEqual(['gbdt', 'binary', 1])
  })

  it('imports an ONNX model by its content', async () => {
    const model = await importModel(join(import.meta.dirname, 'onnx', 'fixtures', 'gbr-diabetes.onnx'))
    expect([model.task, model.nOutputs]).toEqual(['regression', 1])
    expect(model.featureNames).toHaveLength(10)
  })

  it('passes feature names to a model that has none', async () => {
    const names = ['age', 'sex', 'bmi', 'bp', 's1', 's2', 's3', 's4', 's5', 's6']
    const model = await importModel(join(FIXTURES, 'poisson.model.json'), { featureNames: names })
    expect(model.featureNames).toEqual(names)
  })

  it('tells the formats apart', () => {
    expect(detectFormat(bytes('{"learner": {}}'))).toBe('xgboost-json')
    expect(detectFormat(new Uint8Array([0x7b, 0x4c, 0, 0]))).toBe('xgboost-ubjson')
    expect(detectFormat(new Uint8Array([0x08, 0x07, 0x12]))).toBe('onnx')
    expect(detectFormat(bytes('hello'))).toBe('unknown')
  })

  it('refuses a missing file, an unknown format and UBJSON, naming the file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'import-model-'))
    await expect(importModel(join(dir, 'absent.json'))).rejects.toMatchObject({ code: 'not_found' })
    const text = join(dir, 'notes.txt')
    await writeFile(text, 'hello')
    await expect(importModel(text)).rejects.toThrow(DataError)
    await expect(importModel(text)).rejects.toThrow(/notes\.txt: not a model format that imports/)
    const ubj = join(dir, 'm.ubj')
    await writeFile(ubj, new Uint8Array([0x7b, 0x4c, 0, 0, 0, 0, 0, 0, 0, 1]))
    await expect(importModel(ubj)).rejects.toThrow(/UBJSON/)
  })
})
