/**
 * End to end: one ensemble holding a member of each kind — a trained gbdt, an XGBoost import, an
 * ONNX tree ensemble and an ONNX linear model (both converted), and a generic ONNX graph run by
 * onnxruntime — trained from one spec, served by `consort serve`, and compared with
 * `consort predict` and with each source's own predictions.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { readFrame } from '../data/read.js'
import { importXgboostText } from '../interop/xgboost/import-xgboost.js'
import { loadBundle } from '../store/artifact/index.js'
import { consort, lines, ROOT } from './testing/run.js'
import { DIABETES_FEATURES, startServe } from './testing/serving.js'

const dir = mkdtempSync(join(tmpdir(), 'consort-cli-every-kind-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const ONNX = join(ROOT, 'src/interop/onnx/fixtures')
const XGB = join(ROOT, 'src/interop/xgboost/fixtures/regression.model.json')

interface OnnxExpected {
  features: string[]
  rows: number[][]
  expected: number[][]
}

describe('one served ensemble with a member of each kind', () => {
  it('serves what consort predict writes, each member as its source predicts', async () => {
    for (const name of ['gbr-diabetes', 'linear-diabetes', 'mlp-diabetes']) copyFileSync(join(ONNX, `${name}.onnx`), join(dir, `${name}.onnx`))
    copyFileSync(XGB, join(dir, 'xgb.json'))
    const features = `[${DIABETES_FEATURES.join(', ')}]`
    const spec = join(dir, 'every-kind.yaml')
    writeFileSync(
      spec,
      `name: every-kind
target: target
channels: { train: ${join(ROOT, 'data/diabetes.csv')} }
cv: { folds: 2 }
members:
  gb: { learner: gbdt, params: { num_round: 10, max_depth: 3 } }
  xgb: { learner: import, path: xgb.json }
  trees: { learner: import, path: gbr-diabetes.onnx, features: ${features} }
  lin: { learner: import, path: linear-diabetes.onnx, features: ${features} }
  mlp: { learner: import, path: mlp-diabetes.onnx, features: ${features} }
blend: { method: mean }
`,
    )
    const run = await consort(['train', spec, '--out', join(dir, 'out'), '--json'])
    expect(run.code, run.stderr).toBe(0)
    const { artifact, metrics } = JSON.parse(lines(run.stdout).at(-1)!) as { artifact: string; metrics: Record<string, number> }
    expect(Object.keys(metrics).sort()).toEqual(['cv:rmse', 'cv:rmse:gb', 'train:rmse:lin', 'train:rmse:mlp', 'train:rmse:trees', 'train:rmse:xgb'])
    const bundle = await loadBundle(artifact)
    expect(bundle.members.map((m) => [m.name, m.state.kind])).toEqual([
      ['gb', 'gbdt'],
      ['xgb', 'gbdt'],
      ['trees', 'imported_trees'],
      ['lin', 'linear'],
      ['mlp', 'onnx'],
    ])

    // Rows the ONNX fixtures were predicted on: the first rows of the diabetes data.
    const load = (name: string) => JSON.parse(readFileSync(join(ONNX, `${name}.expected.json`), 'utf8')) as OnnxExpected
    const sources = { trees: load('gbr-diabetes'), lin: load('linear-diabetes'), mlp: load('mlp-diabetes') }
    const rows = sources.trees.rows
    const input = join(dir, 'rows.csv')
    writeFileSync(input, [DIABETES_FEATURES.join(','), ...rows.map((r) => r.join(','))].join('\n') + '\n')
    const output = join(dir, 'pred.csv')
    const predicted = await consort(['predict', '--model', artifact, '--input', input, '--output', output])
    expect(predicted.code, predicted.stderr).toBe(0)
    const fromPredict = lines(readFileSync(output, 'utf8')).slice(1).map(Number)

    const server = await startServe(['--model', artifact])
    try {
      const res = await fetch(`${server.url}/invocations?members=true`, {
        method: 'POST',
        headers: { 'content-type': 'text/csv', accept: 'application/json' },
        body: rows.map((r) => r.join(',')).join('\n') + '\n',
      })
      expect(res.status).toBe(200)
      const served = (await res.json()) as { predictions: number[]; members: Record<string, number[]> }
      expect(served.predictions).toHaveLength(rows.length)
      served.predictions.forEach((p, i) => expect(p).toBeCloseTo(fromPredict[i], 9))
      // The blend is the mean of the five members, each as its own source predicts it.
      served.predictions.forEach((p, i) => expect(p).toBeCloseTo(Object.values(served.members).reduce((s, m) => s + m[i], 0) / 5, 9))
      const xgb = importXgboostText(readFileSync(XGB, 'utf8'), { file: XGB }).predict(await readFrame(input))
      served.members.xgb.forEach((v, i) => expect(v).toBeCloseTo(xgb[i], 9))
      for (const [name, source] of Object.entries(sources)) {
        served.members[name].forEach((v, i) => expect(Math.abs(v - source.expected[i][0]) / Math.max(1, Math.abs(source.expected[i][0]))).toBeLessThan(1e-5))
      }
    } finally {
      server.child.kill('SIGTERM')
      await server.exited
    }
  }, 120_000)
})
