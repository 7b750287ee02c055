import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readFrame } from '../data/read.js'
import { LoadedEnsemble } from '../ensemble/loaded.js'
import { PredictionText } from '../ensemble/prediction-text.js'
import { DataError, ParamError } from '../errors.js'
import { trainTestModel, type TestModel } from './testing/models.js'
import { batchTransform, outputFormatOf } from './transform.js'

const dir = mkdtempSync(join(tmpdir(), 'consort-transform-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

let mixed: TestModel
let model: LoadedEnsemble
/** mixed.csv rewritten: columns shuffled, a quoted `note` column with line breaks, unseen colours, quoted numbers. */
let input: string
let nRows: number

beforeAll(async () => {
  mixed = await trainTestModel(dir, 'mixed')
  model = await LoadedEnsemble.load(mixed.model)
  input = writeInput('input.csv', () => null)
  nRows = (await readFrame(input)).nRows
})

/**
 * Writes the mixed data with the columns in another order and awkward but valid CSV; `edit` may
 * replace the bmi text of data row i (0-based).
 */
function writeInput(name: string, edit: (i: number) => string | null): string {
  const lines = readFileSync(mixed.data, 'utf8').trim().split('\n')
  const header = lines[0].split(',')
  const order = [header.length - 1, ...Array.from({ length: header.length - 1 }, (_, j) => header.length - 2 - j)]
  const bmi = header.indexOf('bmi')
  const out = ['note,' + order.map((j) => header[j]).join(',')]
  lines.slice(1).forEach((line, i) => {
    const cells = line.split(',')
    if (i % 11 === 3) cells[header.length - 1] = 'purple'
    if (i % 7 === 2) cells[bmi] = `"${cells[bmi]}"`
    cells[bmi] = edit(i) ?? cells[bmi]
    const note = i % 5 === 0 ? `"row ${i},\nsecond line ""quoted"""` : `n${i}`
    out.push(note + ',' + order.map((j) => cells[j]).join(','))
  })
  const path = join(dir, name)
  writeFileSync(path, out.join('\r\n') + '\r\n')
  return path
}

function leftovers(folder: string): string[] {
  return readdirSync(folder).filter((f) => f.endsWith('.tmp'))
}

describe('batchTransform', () => {
  it('writes CSV predictions equal to the model on the whole frame, whatever the chunk and read sizes', async () => {
    const whole = join(dir, 'whole.csv')
    const result = await batchTransform({ model: mixed.model, input, output: whole, chunkRows: 1_000_000 })
    expect(result).toMatchObject({ rows: nRows, output: whole })
    expect(result.seconds).toBeGreaterThan(0)
    const text = new PredictionText('regression', 1, 'csv')
    const expected = text.header() + text.rows(model.predict(await readFrame(input, { types: model.columnTypes })))
    expect(readFileSync(whole, 'utf8')).toBe(expected)

    const progress: number[] = []
    const small = join(dir, 'small.csv')
    await batchTransform({ model, input, output: small, chunkRows: 7, readBytes: 13, onProgress: (rows) => progress.push(rows) })
    expect(readFileSync(small, 'utf8')).toBe(expected)
    expect(progress.at(-1)).toBe(nRows)
    expect(progress.length).toBeGreaterThanOrEqual(Math.ceil(nRows / 7))
    expect(progress.every((rows, i) => i === 0 || rows - progress[i - 1] <= 7)).toBe(true)
  })

  it('writes JSON Lines by extension or by format, the same values as CSV', async () => {
    const csv = join(dir, 'same.csv')
    await batchTransform({ model, input, output: csv, chunkRows: 50 })
    const values = readFileSync(csv, 'utf8').trim().split('\n').slice(1).map(Number)
    for (const [output, format] of [[join(dir, 'p.jsonl'), undefined], [join(dir, 'p.txt'), 'jsonl']] as const) {
      await batchTransform({ model, input, output, format, chunkRows: 50 })
      const rows = readFileSync(output, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { prediction: number })
      expect(rows.map((r) => r.prediction)).toEqual(values)
    }
  })

  it('reads JSON Lines input and predicts the same as from CSV', async () => {
    const frame = await readFrame(mixed.data)
    const jsonl = join(dir, 'input.jsonl')
    const records: string[] = []
    for (let i = 0; i < frame.nRows; i++) {
      const record: Record<string, unknown> = {}
      for (const c of frame.columns) record[c.name] = c.type === 'numeric' ? c.values[i] : c.categories[c.codes[i]]
      records.push(JSON.stringify(record))
    }
    writeFileSync(jsonl, records.join('\n'))
    const out: string[] = []
    const result = await batchTransform({ model, input: jsonl, write: (t) => void out.push(t), chunkRows: 64 })
    expect(result).toMatchObject({ rows: frame.nRows, output: null })
    const text = new PredictionText('regression', 1, 'csv')
    expect(out.join('')).toBe(text.header() + text.rows(model.predict(frame)))
  })

  it('writes probability and label columns for a classifier', async () => {
    const binary = await trainTestModel(dir, 'binary')
    const out: string[] = []
    await batchTransform({ model: binary.model, input: binary.data, write: (t) => void out.push(t), format: 'jsonl' })
    const rows = out.join('').trim().split('\n').map((l) => JSON.parse(l) as { probability: number; label: number })
    expect(rows).toHaveLength(569)
    for (const r of rows) {
      expect(Object.keys(r)).toEqual(['probability', 'label'])
      expect(r.label).toBe(r.probability > 0.5 ? 1 : 0)
    }
  })

  it('reports bad input with the line of the whole file, and leaves no output and no temporary file', async () => {
    const bad = writeInput('bad.csv', (i) => (i === 300 ? 'abc' : null))
    const outDir = join(dir, 'out-bad')
    mkdirSync(outDir)
    const output = join(outDir, 'pred.csv')
    const err = await batchTransform({ model, input: bad, output, chunkRows: 7 }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(DataError)
    // The true line: line breaks before the bad field, quoted ones in the notes included (each fifth row's note spans two lines).
    const text = readFileSync(bad, 'utf8')
    const line = text.slice(0, text.indexOf(',abc,')).split('\n').length
    expect(line).toBe(1 + 301 + 61)
    const header = text.split('\r\n')[0].split(',')
    expect((err as DataError).location).toEqual({ file: bad, line, column: header.indexOf('bmi') + 1, field: 'bmi' })
    expect(readdirSync(outDir)).toEqual([])
  })

  it('keeps an existing output as it was when the transform fails or is aborted', async () => {
    const outDir = join(dir, 'out-keep')
    mkdirSync(outDir)
    const output = join(outDir, 'pred.csv')
    writeFileSync(output, 'old\n')
    const noBmi = join(dir, 'no-bmi.csv')
    writeFileSync(noBmi, 'age,sex\n1,F\n')
    const missing = await batchTransform({ model, input: noBmi, output }).catch((e: unknown) => e)
    expect(missing).toBeInstanceOf(DataError)
    expect((missing as DataError).message).toMatch(/no-bmi\.csv, field 'bmi': no column 'bmi'/)

    const controller = new AbortController()
    const stopped = await batchTransform({
      model,
      input,
      output,
      chunkRows: 10,
      signal: controller.signal,
      onProgress: (rows) => rows >= 100 && controller.abort(new Error('stop')),
    }).catch((e: unknown) => e)
    expect((stopped as Error).message).toBe('stop')
    expect(readFileSync(output, 'utf8')).toBe('old\n')
    expect(leftovers(outDir)).toEqual([])
  })

  it('refuses an unknown output extension, a folder as output and a bad chunk size', async () => {
    expect(() => outputFormatOf('pred.txt')).toThrow(ParamError)
    expect(outputFormatOf('P.NDJSON')).toBe('jsonl')
    await expect(batchTransform({ model, input, output: join(dir, 'pred.txt') })).rejects.toThrow(/cannot tell the output format/)
    await expect(batchTransform({ model, input, output: dir, format: 'csv' })).rejects.toThrow(/the output is a folder/)
    await expect(batchTransform({ model, input, output: join(dir, 'nope', 'p.csv') })).rejects.toThrow(/no such folder/)
    await expect(batchTransform({ model, input, chunkRows: 0, write: () => undefined })).rejects.toThrow(ParamError)
  })

  it('writes just the header for an input without rows', async () => {
    const empty = join(dir, 'empty.csv')
    writeFileSync(empty, model.featureNames.join(',') + '\n')
    const out: string[] = []
    expect((await batchTransform({ model, input: empty, write: (t) => void out.push(t) })).rows).toBe(0)
    expect(out.join('')).toBe('prediction\n')
  })
})
