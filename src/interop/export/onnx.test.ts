import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import ort from 'onnxruntime-node'
import { afterAll, describe, expect, it } from 'vitest'
import { DataError } from '../../errors.js'
import { DATA_DIR } from '../../jobs/testing/models.js'
import { parseSpec } from '../../jobs/spec/index.js'
import { trainEnsemble } from '../../jobs/train.js'
import { MeanBlend } from '../../runtime/blend/mean.js'
import { registerModelKind } from '../../runtime/models/registry.js'
import type { ObliviousModel } from '../../runtime/models/oblivious.js'
import type { Model } from '../../runtime/models/types.js'
import { FeatureKind } from '../../runtime/oblivious.js'
import { EnsemblePredictor } from '../../runtime/predictor.js'
import { decodeModel, encodeModel } from '../onnx/proto.js'
import { onnxInput } from './input.js'
import { exportOnnx, INPUT_NAME, OUTPUT_NAME } from './onnx.js'

const dir = mkdtempSync(join(tmpdir(), 'consort-export-onnx-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/**
 * Diabetes with `sex` as text, a four-level `colour` (target statistics in oblivious), a numeric
 * `grade` the oblivious member reads as categories, and missing cells in numeric and categorical
 * columns, every 7th and 11th row.
 */
function writeRegressionCsv(): string {
  const lines = readFileSync(join(DATA_DIR, 'diabetes.csv'), 'utf8').trim().split('\n')
  const header = lines[0].split(',')
  const sex = header.indexOf('sex')
  const bmi = header.indexOf('bmi')
  const target = header.indexOf('target')
  const colours = ['red', 'green', 'blue', 'amber']
  const out = [[...header, 'colour', 'grade'].join(',')]
  lines.slice(1).forEach((line, i) => {
    const cells = line.split(',')
    cells[sex] = cells[sex] === '1.0' ? 'F' : 'M'
    cells[target] = String(Number(cells[target]) + [0, 80, -80, 40][i % 4] + 10 * (i % 5) + (cells[sex] === 'F' ? 90 : 0))
    if (i % 7 === 3) cells[bmi] = ''
    if (i % 11 === 5) cells[sex] = ''
    out.push([...cells, i % 13 === 2 ? '' : colours[i % 4], String(i % 5)].join(','))
  })
  const path = join(dir, 'regression.csv')
  writeFileSync(path, out.join('\n') + '\n')
  return path
}

/** Breast cancer or iris with a missing cell in every 9th row. */
function withMissing(name: string): string {
  const lines = readFileSync(join(DATA_DIR, name), 'utf8').trim().split('\n')
  const out = lines.map((l, i) => (i > 0 && i % 9 === 4 ? l.replace(/^[^,]*/, '') : l))
  const path = join(dir, name)
  writeFileSync(path, out.join('\n') + '\n')
  return path
}

const regression = writeRegressionCsv()
const binary = withMissing('breast_cancer.csv')
const multiclass = withMissing('iris.csv')

async function train(name: string, data: string, members: Record<string, unknown>, blend: Record<string, unknown>, final: 'refit' | 'bag' = 'refit'): Promise<string> {
  const spec = parseSpec({ name, target: 'target', channels: { train: data }, types: data === regression ? { grade: 'numeric' } : {}, cv: { folds: 3, seed: 3 }, members, blend, final }, { baseDir: dir })
  if (spec.kind !== 'ensemble') throw new Error('expected an ensemble spec')
  return (await trainEnsemble(spec, { outDir: join(dir, name), threads: 1 })).artifact
}

/** Predictions of the exported graph in onnxruntime and of consort, on every row of `data` plus an unseen category. */
async function compare(model: string, data: string): Promise<{ got: Float64Array; want: Float64Array; predictor: EnsemblePredictor; bytes: Uint8Array }> {
  const predictor = await EnsemblePredictor.fromBytes(new Uint8Array(readFileSync(model)), { file: model })
  const bytes = encodeModel(exportOnnx(predictor, { file: model, version: '0.0.0-test' }))
  const lines = readFileSync(data, 'utf8').trim().split('\n')
  const header = lines[0].split(',')
  const rows = lines.slice(1).map((l) => l.split(','))
  if (header.includes('colour')) rows.push(rows[0].map((c, j) => (header[j] === 'colour' ? 'violet' : header[j] === 'sex' ? 'X' : c)))
  const frame = predictor.frameFromRows(rows, { names: header })
  const session = await ort.InferenceSession.create(bytes)
  const x = onnxInput(predictor, frame)
  const result = await session.run({ [INPUT_NAME]: new ort.Tensor('float64', x, [frame.nRows, predictor.featureNames.length]) })
  const out = result[OUTPUT_NAME]
  expect(out.type).toBe('float64')
  expect(out.dims).toEqual([frame.nRows, predictor.nOutputs])
  return { got: out.data as Float64Array, want: predictor.predict(frame), predictor, bytes }
}

function expectClose(got: Float64Array, want: Float64Array): void {
  expect(got.length).toBe(want.length)
  let worst = 0
  for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]) / Math.max(Math.abs(want[i]), 1e-9))
  expect(worst).toBeLessThan(1e-5)
}

const trees = { num_round: 12, max_depth: 3 }
const forest = { n_estimators: 8, max_depth: 4 }
const oblivious = { iterations: 12, depth: 3, one_hot_max_size: 2 }

describe('the ONNX export in onnxruntime predicts what consort predicts (1e-5 relative)', () => {
  it('regression: gbdt, both forests, oblivious (one-hot, target statistics, numbers as categories), linear; mean blend', async () => {
    const model = await train('reg-mean', regression, {
      xgb: { learner: 'gbdt', params: trees },
      rf: { learner: 'random_forest', params: forest },
      et: { learner: 'extra_trees', params: forest },
      cat: { learner: 'oblivious', params: { ...oblivious, cat_features: ['grade'], one_hot_max_size: 3 } },
      lin: { learner: 'linear', params: {} },
    }, { method: 'mean' })
    const { got, want, predictor, bytes } = await compare(model, regression)
    expectClose(got, want)
    // The metadata a serving platform reads the input layout from.
    const meta = Object.fromEntries(decodeModel(bytes).metadataProps!.map((p) => [p.key, p.value]))
    expect(JSON.parse(meta.feature_names!)).toEqual(predictor.featureNames)
    expect(JSON.parse(meta.categories!)).toEqual({ sex: predictor.manifest.features.find((f) => f.name === 'sex')!.categories, colour: predictor.manifest.features.find((f) => f.name === 'colour')!.categories })
    expect([meta.consort_version, meta.task]).toEqual(['0.0.0-test', 'regression'])
    // The oblivious member really reads one-hot and target-statistic features, a numeric column as categories included.
    const cat = predictor.members[predictor.memberNames.indexOf('cat')] as ObliviousModel
    expect(new Set(cat.ensemble.featureKind)).toEqual(new Set([FeatureKind.Numeric, FeatureKind.OneHot, FeatureKind.Ctr]))
    expect(cat.ensemble.inputs.find((i) => i.name === 'grade')!.categories).toEqual(['0', '1', '2', '3', '4'])
  })

  it('regression: weighted blend and a stack with passthrough, bags of fold models', async () => {
    for (const [name, blend, final] of [
      ['reg-weighted', { method: 'weighted' }, 'refit'],
      ['reg-stack', { method: 'stack', passthrough: true }, 'bag'],
    ] as const) {
      const model = await train(name, regression, { xgb: { learner: 'gbdt', params: trees }, cat: { learner: 'oblivious', params: oblivious }, lin: { learner: 'linear', params: {} } }, blend, final)
      const { got, want, predictor } = await compare(model, regression)
      expect(predictor.blend.kind).toBe(blend.method)
      if (final === 'bag') expect(predictor.members.every((m) => m.kind === 'bag')).toBe(true)
      expectClose(got, want)
    }
  })

  it('binary: P(class 1) through mean, stack, soft and hard votes', async () => {
    const members = { xgb: { learner: 'gbdt', params: trees }, rf: { learner: 'random_forest', params: forest }, cat: { learner: 'oblivious', params: oblivious }, lin: { learner: 'linear', params: {} } }
    for (const blend of [{ method: 'stack' }, { method: 'vote', voting: 'soft' }, { method: 'vote', voting: 'hard' }]) {
      const model = await train(`bin-${blend.method}-${blend.voting ?? ''}`, binary, members, blend)
      const { got, want } = await compare(model, binary)
      expectClose(got, want)
    }
  })

  it('multiclass: class probabilities through weighted, stack and hard vote, bagged members', async () => {
    const members = { xgb: { learner: 'gbdt', params: trees }, et: { learner: 'extra_trees', params: forest }, cat: { learner: 'oblivious', params: oblivious }, lin: { learner: 'linear', params: {} } }
    for (const [blend, final] of [
      [{ method: 'weighted' }, 'bag'],
      [{ method: 'stack' }, 'refit'],
      [{ method: 'vote', voting: 'hard' }, 'refit'],
    ] as const) {
      const model = await train(`multi-${blend.method}-${final}`, multiclass, members, blend, final)
      const { got, want, predictor } = await compare(model, multiclass)
      expect(predictor.nOutputs).toBe(3)
      expectClose(got, want)
    }
  })

  it('refuses a member kind the graph cannot express, naming the member and its field', async () => {
    const model = await train('reg-one', regression, { xgb: { learner: 'gbdt', params: trees } }, { method: 'mean' })
    const base = await EnsemblePredictor.fromBytes(new Uint8Array(readFileSync(model)))
    const custom: Model = { kind: 'export-test-constant', task: 'regression', nOutputs: 1, featureNames: base.featureNames, predict: (f) => new Float64Array(f.nRows), toState: () => ({ kind: 'export-test-constant', version: 1 }) }
    registerModelKind('export-test-constant', () => custom)
    const predictor = new EnsemblePredictor({
      manifest: { ...base.manifest, members: [...base.manifest.members, { ...base.manifest.members[0], name: 'knn', kind: 'export-test-constant' }] },
      members: [{ name: 'xgb', state: base.members[0].toState() }, { name: 'knn', state: custom.toState() }],
      blenderState: new MeanBlend('regression', 2, 1).toState(),
    })
    const error = (() => {
      try {
        exportOnnx(predictor, { file: 'model.tar.gz', version: '0' })
      } catch (e) {
        return e
      }
    })() as DataError
    expect(error).toBeInstanceOf(DataError)
    expect(error.location).toEqual({ file: 'model.tar.gz', field: 'members.1' })
    expect(error.message).toMatch(/member 'knn' is a 'export-test-constant' model, which the ONNX export cannot express/)
  })
})
