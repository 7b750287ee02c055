import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import ort from 'onnxruntime-node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { onnxInput } from '../../interop/export/input.js'
import { DATA_DIR } from '../../jobs/testing/models.js'
import { EnsemblePredictor } from '../../runtime/predictor.js'
import { EXIT } from '../program.js'
import { consort, lines } from '../testing/run.js'

const dir = mkdtempSync(join(tmpdir(), 'consort-cli-export-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

let model: string
let data: string
let predicted: number[]

beforeAll(async () => {
  // Diabetes with `sex` as text and a few missing cells.
  const rows = readFileSync(join(DATA_DIR, 'diabetes.csv'), 'utf8').trim().split('\n')
  const sex = rows[0].split(',').indexOf('sex')
  data = join(dir, 'data.csv')
  writeFileSync(data, rows.map((l, i) => (i === 0 ? l : l.split(',').map((c, j) => (j === sex ? (c === '1.0' ? 'F' : 'M') : i % 10 === 3 && j === 0 ? '' : c)).join(','))).join('\n') + '\n')
  writeFileSync(
    join(dir, 'spec.yaml'),
    'name: export-test\ntarget: target\nchannels: { train: data.csv }\ncv: { folds: 3, seed: 1 }\nmembers:\n  xgb: { learner: gbdt, params: { num_round: 10, max_depth: 3 } }\n  cat: { learner: oblivious, params: { iterations: 10, depth: 3 } }\n  lin: { learner: linear }\nblend: { method: stack, passthrough: true }\n',
  )
  const train = await consort(['train', join(dir, 'spec.yaml'), '--out', join(dir, 'job'), '--json'])
  expect(train.code, train.stderr).toBe(EXIT.ok)
  model = JSON.parse(lines(train.stdout).at(-1)!).artifact as string
  const predict = await consort(['predict', '--model', model, '--input', data, '--output', join(dir, 'pred.csv')])
  expect(predict.code, predict.stderr).toBe(EXIT.ok)
  predicted = lines(readFileSync(join(dir, 'pred.csv'), 'utf8')).slice(1).map(Number)
}, 120_000)

describe('consort export', () => {
  it('writes one ONNX graph beside the model whose onnxruntime predictions are consort predict\'s', async () => {
    const run = await consort(['export', model, '--format', 'onnx', '--json'])
    expect(run.code, run.stderr).toBe(EXIT.ok)
    const result = JSON.parse(lines(run.stdout).at(-1)!) as { format: string; output: string; bytes: number }
    expect(result).toMatchObject({ format: 'onnx', output: model.replace(/\.tar\.gz$/, '.onnx') })
    expect(run.stderr).toMatch(/^exported .* -> .*model\.onnx \(onnx, \d+ bytes\)$/m)
    const predictor = await EnsemblePredictor.fromBytes(new Uint8Array(readFileSync(model)))
    const text = readFileSync(data, 'utf8').trim().split('\n')
    const frame = predictor.frameFromRows(text.slice(1).map((l) => l.split(',')), { names: text[0].split(',') })
    const session = await ort.InferenceSession.create(readFileSync(result.output))
    const out = await session.run({ X: new ort.Tensor('float64', onnxInput(predictor, frame), [frame.nRows, predictor.featureNames.length]) })
    const got = Array.from(out.prediction.data as Float64Array)
    expect(got).toHaveLength(predicted.length)
    // consort predict prints shortest round-trip numbers: the graph must agree to 1e-5 relative.
    got.forEach((v, i) => expect(Math.abs(v - predicted[i])).toBeLessThanOrEqual(1e-5 * Math.abs(predicted[i])))
  })

  it('writes one JSON file the runtime loads to the same predictions', async () => {
    const output = join(dir, 'edge', 'model.json')
    const run = await consort(['export', model, '--format', 'json', '--output', output])
    expect(run.code, run.stderr).toBe(EXIT.ok)
    const predictor = await EnsemblePredictor.fromJson(readFileSync(output, 'utf8'))
    const text = readFileSync(data, 'utf8').trim().split('\n')
    const pred = predictor.predict(predictor.frameFromRows(text.slice(1).map((l) => l.split(',')), { names: text[0].split(',') }))
    expect(Array.from(pred)).toEqual(predicted)
  })

  it('exits 2 naming the file on a missing or tampered model and on an unknown format, writing nothing', async () => {
    const missing = await consort(['export', join(dir, 'nope.tar.gz'), '--format', 'onnx'])
    expect(missing.code).toBe(EXIT.usage)
    expect(missing.stderr).toMatch(/consort export: error: .*nope\.tar\.gz/)
    const bytes = readFileSync(model)
    bytes[bytes.length - 30] ^= 0xff
    const tampered = join(dir, 'tampered.tar.gz')
    writeFileSync(tampered, bytes)
    const bad = await consort(['export', tampered, '--format', 'json'])
    expect(bad.code).toBe(EXIT.usage)
    expect(bad.stderr).toMatch(/tampered\.tar\.gz/)
    expect(existsSync(join(dir, 'tampered.json'))).toBe(false)
    const format = await consort(['export', model, '--format', 'pmml'])
    expect(format.code).toBe(EXIT.usage)
    expect(format.stderr).toMatch(/'pmml' is invalid/)
  })
})
