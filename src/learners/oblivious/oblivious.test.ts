import { describe, expect, it } from 'vitest'
import { categoricalColumn, makeFrame, numericColumn } from '../../data/frame.js'
import { Rng } from '../../rng.js'
import { addTrees, FeatureKind, type ObliviousEnsemble, predictObliviousMargins, treeOffsets } from '../../runtime/oblivious.js'
import { decodeOblivious, encodeOblivious } from '../../runtime/oblivious-codec.js'
import { parseParams } from '../params.js'
import { setTrainingKernels, trainingKernels } from '../kernel-choice.js'
import { prepareTrainingData } from '../training-data.js'
import { combine, orderedCtr } from './ctr.js'
import { ObliviousModel } from '../../runtime/models/oblivious.js'
import { keptCuts, nextDown } from './numeric.js'
import { levelScores, newtonLeaves } from './score.js'
import { obliviousAliases, obliviousParams } from './params.js'
import { obliviousLearner } from './spec.js'

const P = (raw: Readonly<Record<string, unknown>>) => parseParams(obliviousParams, obliviousAliases, raw)

describe('split score', () => {
  it('sums G^2 / (H + lambda) of both sides over every node of the level', () => {
    // Two nodes, three codes, one output: (g, h) per code.
    const hist = Float64Array.of(1, 1, -2, 1, 3, 2, /* node 1 */ -1, 1, 0, 1, 4, 1)
    const scores = new Float64Array(2)
    levelScores(hist, 0, 2, 6, 3, 1, 1, scores)
    const t = (G: number, H: number) => (G * G) / (H + 1)
    expect(scores[0]).toBeCloseTo(t(1, 1) + t(1, 3) + t(-1, 1) + t(4, 2), 12)
    expect(scores[1]).toBeCloseTo(t(-1, 2) + t(3, 2) + t(-1, 2) + t(4, 1), 12)
  })

  it('gives Newton leaf values -lr G / (H + lambda)', () => {
    expect(Array.from(newtonLeaves(Float64Array.of(-6, 4), Float64Array.of(3, 1), 3, 0.5))).toEqual([0.5, -0.5])
  })
})

describe('ordered target statistics', () => {
  it('uses only earlier rows of the permutation, with the prior', () => {
    const codes = Int32Array.of(0, 1, 0, 0, 1)
    const y = Float64Array.of(1, 0, 3, 5, 2)
    const comb = combine([{ input: 0, codes, nCategories: 2, nPresent: 2 }], [0], null)
    const perm = Int32Array.of(3, 1, 0, 4, 2)
    const out = new Float64Array(5)
    orderedCtr(comb.ids, comb.nIds, y, 2, perm, out)
    // Row 3 first: no earlier rows -> prior / 1. Row 1: first of its category -> 2.
    expect(out[3]).toBe(2)
    expect(out[1]).toBe(2)
    // Row 0 (category 0) sees row 3 (y 5): (5 + 2) / 2.
    expect(out[0]).toBe(3.5)
    // Row 4 (category 1) sees row 1 (y 0): (0 + 2) / 2.
    expect(out[4]).toBe(1)
    // Row 2 (category 0) sees rows 3 and 0: (5 + 1 + 2) / 3.
    expect(out[2]).toBeCloseTo(8 / 3, 15)
  })
})

describe('numeric borders', () => {
  it('turns "bin >= b" into "x > threshold" and thins cuts evenly', () => {
    expect(1.5 > nextDown(1.5)).toBe(true)
    expect(nextDown(1.5) > nextDown(1.5)).toBe(false)
    expect(nextDown(0) < 0).toBe(true)
    expect(Array.from(keptCuts(10, 3))).toEqual([2, 5, 7])
    expect(Array.from(keptCuts(3, 254))).toEqual([0, 1, 2])
  })
})

/** A hand-made ensemble: a numeric input, a categorical input (one-hot and a CTR table). */
function handMade(): ObliviousEnsemble {
  return {
    inputs: [{ name: 'x' }, { name: 'c', categories: ['a', 'b', 'c'] }],
    featureKind: Uint8Array.of(FeatureKind.Numeric, FeatureKind.OneHot, FeatureKind.Ctr),
    featureInput: Int32Array.of(0, 1, 0),
    featureArg: Int32Array.of(0, 2, 0),
    featurePrior: Float64Array.of(0, 0, 0.5),
    tableInputStart: Int32Array.of(0, 1),
    tableInputs: Int32Array.of(1),
    tableStart: Int32Array.of(0, 2),
    // keys: code + 1 -> 'a' = 1, 'b' = 2
    tableKeys: Float64Array.of(1, 2),
    tableCounts: Float64Array.of(3, 1),
    tableSums: Float64Array.of(3, 0),
    nStats: 1,
    nOutputs: 1,
    baseMargin: Float64Array.of(10),
    treeDepth: Int32Array.of(2, 1),
    splitFeature: Int32Array.of(0, 2, 1),
    splitThreshold: Float64Array.of(0, 0.6, 0.5),
    leafValues: Float64Array.of(1, 2, 3, 4, 100, 200),
  }
}

/** Walks the trees one row at a time with explicit conditions. */
function naive(m: ObliviousEnsemble, features: number[]): number {
  let out = m.baseMargin[0]
  let s = 0
  let l = 0
  for (const depth of m.treeDepth) {
    let leaf = 0
    for (let level = 0; level < depth; level++) {
      if (features[m.splitFeature[s + level]] > m.splitThreshold[s + level]) leaf += 2 ** level
    }
    out += m.leafValues[l + leaf]
    s += depth
    l += 2 ** depth
  }
  return out
}

describe('bit-index predictor', () => {
  it('matches a naive evaluator, with CTRs from the table and the prior for unseen categories', () => {
    const m = handMade()
    const x = Float64Array.of(-1, 2, NaN, 0.5, 3)
    // Row categories by string; 'z' was never seen, one is missing.
    const frame = makeFrame([numericColumn('x', x), categoricalColumn('c', Int32Array.of(0, 1, 2, 3, -1), ['a', 'b', 'c', 'z'])])
    const pred = predictObliviousMargins(m, frame)
    const ctr = [(3 + 0.5) / 4, (0 + 0.5) / 2, 0.5, 0.5, 0.5]
    const onehot = [0, 0, 1, 0, 0]
    for (let i = 0; i < 5; i++) expect(pred[i]).toBe(naive(m, [x[i], onehot[i], ctr[i]]))
  })

  it('matches a naive evaluator on random trees and rows', () => {
    const rng = new Rng(3)
    const nF = 5
    const nTrees = 20
    const depths = Int32Array.from({ length: nTrees }, () => 1 + rng.int(6))
    const nSplits = depths.reduce((a, b) => a + b, 0)
    const nLeaves = depths.reduce((a, d) => a + 2 ** d, 0)
    const m: ObliviousEnsemble = {
      ...handMade(),
      inputs: Array.from({ length: nF }, (_, f) => ({ name: `f${f}` })),
      featureKind: new Uint8Array(nF),
      featureInput: Int32Array.from({ length: nF }, (_, f) => f),
      featureArg: new Int32Array(nF),
      featurePrior: new Float64Array(nF),
      tableInputStart: Int32Array.of(0),
      tableInputs: new Int32Array(0),
      tableStart: Int32Array.of(0),
      tableKeys: new Float64Array(0),
      tableCounts: new Float64Array(0),
      tableSums: new Float64Array(0),
      treeDepth: depths,
      splitFeature: Int32Array.from({ length: nSplits }, () => rng.int(nF)),
      splitThreshold: Float64Array.from({ length: nSplits }, () => rng.normal()),
      leafValues: Float64Array.from({ length: nLeaves }, () => rng.normal()),
    }
    const n = 1000
    const cols = Array.from({ length: nF }, () => Float64Array.from({ length: n }, () => (rng.next() < 0.05 ? NaN : rng.normal())))
    const pred = predictObliviousMargins(m, makeFrame(cols.map((c, f) => numericColumn(`f${f}`, c))))
    for (let i = 0; i < n; i++) expect(pred[i]).toBeCloseTo(naive(m, cols.map((c) => c[i])), 12)
    // Tree ranges add up to the whole.
    const x = new Float64Array(nF * 4)
    for (let f = 0; f < nF; f++) for (let i = 0; i < 4; i++) x[f * 4 + i] = cols[f][i]
    const a = new Float64Array(4)
    const idx = new Int32Array(4)
    addTrees(m, treeOffsets(m), x, 4, 4, a, idx, 0, 7)
    addTrees(m, treeOffsets(m), x, 4, 4, a, idx, 7, nTrees)
    for (let i = 0; i < 4; i++) expect(a[i] + m.baseMargin[0]).toBeCloseTo(pred[i], 12)
  })
})

describe('threads and kernels', () => {
  it('gives the same model with either kernels (WebAssembly, JavaScript) on 1, 2 and 3 threads', async () => {
    // 400 000 rows make three parts of the level pass; five features exercise the four-wide loop and its tail.
    const n = 400_000
    const rng = new Rng(9)
    const cols = Array.from({ length: 5 }, () => Float64Array.from({ length: n }, () => rng.normal()))
    for (let i = 0; i < n; i += 17) cols[3][i] = NaN
    const y = Float64Array.from({ length: n }, (_, i) => Math.sin(cols[0][i]) + cols[1][i] * cols[0][i] + (cols[3][i] > 0 ? 0.5 : 0))
    const data = prepareTrainingData(makeFrame(cols.map((c, j) => numericColumn(`x${j}`, c))))
    const params = P({ iterations: 3, depth: 4 })
    const before = trainingKernels()
    try {
      setTrainingKernels('js')
      const reference = ((await obliviousLearner.fit(data, y, params, { task: 'regression', nClasses: 1, seed: 1, threads: 1 })) as ObliviousModel).toState().ensemble
      for (const kernels of ['js', 'wasm'] as const) {
        setTrainingKernels(kernels)
        for (const threads of [1, 2, 3]) {
          const model = (await obliviousLearner.fit(data, y, params, { task: 'regression', nClasses: 1, seed: 1, threads })) as ObliviousModel
          // The states differ only in the thread count recorded with the params.
          expect(model.toState().ensemble, `${kernels} kernels, ${threads} threads`).toEqual(reference)
        }
      }
    } finally {
      setTrainingKernels(before)
    }
  }, 60_000)
})

describe('binary codec', () => {
  it('round-trips exactly', () => {
    const m = handMade()
    const back = decodeOblivious(encodeOblivious(m))
    expect(back).toEqual(m)
    expect(encodeOblivious(back)).toEqual(encodeOblivious(m))
  })

  it('rejects bad magic, versions, sizes and out-of-range indices', () => {
    const bytes = encodeOblivious(handMade())
    expect(() => decodeOblivious(bytes.subarray(0, 10))).toThrow(/magic/)
    const v = bytes.slice()
    v[4] = 9
    expect(() => decodeOblivious(v)).toThrow(/version/)
    expect(() => decodeOblivious(bytes.subarray(0, bytes.length - 1))).toThrow(/bytes/)
    expect(() => encodeOblivious({ ...handMade(), splitFeature: Int32Array.of(0, 7, 1) })).not.toThrow()
    expect(() => decodeOblivious(encodeOblivious({ ...handMade(), splitFeature: Int32Array.of(0, 7, 1) }))).toThrow(/feature 7/)
    expect(() => decodeOblivious(encodeOblivious({ ...handMade(), tableKeys: Float64Array.of(2, 1) }))).toThrow(/ascending/)
    expect(() => decodeOblivious(encodeOblivious({ ...handMade(), featureInput: Int32Array.of(1, 1, 0) }))).toThrow(/numeric input/)
  })
})

describe('boosting', () => {
  const rng = new Rng(5)
  const n = 600
  const x0 = Float64Array.from({ length: n }, () => rng.normal())
  const x1 = Float64Array.from({ length: n }, () => rng.normal())
  const cat = Int32Array.from({ length: n }, () => rng.int(40))
  const effect = Float64Array.from({ length: 40 }, () => rng.normal())
  const y = Float64Array.from({ length: n }, (_, i) => x0[i] + 0.5 * x1[i] * x0[i] + effect[cat[i]] + 0.2 * rng.normal())
  const frame = makeFrame([numericColumn('x0', x0), numericColumn('x1', x1), categoricalColumn('c', cat, Array.from({ length: 40 }, (_, k) => `k${k}`))])
  const data = prepareTrainingData(frame)
  const ctx = { task: 'regression' as const, nClasses: 1, seed: 1, threads: 1, rows: Int32Array.from({ length: 400 }, (_, i) => i) }
  const testRmse = (pred: Float64Array) => Math.sqrt(pred.subarray(400).reduce((s, p, j) => s + (p - y[400 + j]) ** 2, 0) / 200)

  it('Ordered differs from Plain and is still accurate', async () => {
    const base = { iterations: 150, depth: 4, learning_rate: 0.1 }
    const plain = await obliviousLearner.fit(data, y, P(base), ctx)
    const ordered = await obliviousLearner.fit(data, y, P({ ...base, boosting_type: 'Ordered' }), ctx)
    const a = plain.predict(frame)
    const b = ordered.predict(frame)
    expect(b).not.toEqual(a)
    const sd = Math.sqrt(y.reduce((s, v) => s + v * v, 0) / n)
    expect(testRmse(a)).toBeLessThan(0.5 * sd)
    expect(testRmse(b)).toBeLessThan(0.5 * sd)
    expect(Math.abs(testRmse(b) - testRmse(a))).toBeLessThan(0.15 * sd)
  })

  it('stops early on the eval set and keeps the best iteration', async () => {
    const params = P({ iterations: 300, depth: 4, learning_rate: 0.5, od_type: 'Iter', od_wait: 10 })
    const evalRows = Int32Array.from({ length: 200 }, (_, i) => 400 + i)
    const model = (await obliviousLearner.fit(data, y, params, { ...ctx, evalSet: { data, y, rows: evalRows } })) as ObliviousModel
    expect(model.ensemble.treeDepth.length).toBe(model.bestIteration + 1)
    expect(model.bestIteration).toBeLessThan(290)
  })

  it('rejects bad targets with the row, and parameters by name', async () => {
    const bad = Float64Array.from(y)
    bad[3] = NaN
    await expect(obliviousLearner.fit(data, bad, P({ iterations: 2 }), ctx)).rejects.toThrow(/row 4/)
    const binary = Float64Array.from(y, (v) => (v > 0 ? 1 : 2))
    await expect(obliviousLearner.fit(data, binary, P({ iterations: 2 }), { ...ctx, task: 'binary', nClasses: 2 }))
      .rejects.toThrow(/Logloss needs targets 0 or 1/)
    expect(() => P({ depth: 0 })).toThrow(/params.depth/)
    expect(() => P({ boosting_type: 'Fast' })).toThrow(/boosting_type/)
    expect(P({ eta: 0.2, max_depth: 3, n_estimators: 5 })).toMatchObject({ learning_rate: 0.2, depth: 3, iterations: 5 })
    await expect(obliviousLearner.fit(data, y, P({ cat_features: ['nope'] }), ctx)).rejects.toThrow(/cat_features/)
  })

  it('treats numeric columns named in cat_features as categorical', async () => {
    const asNumber = makeFrame([numericColumn('x0', x0), numericColumn('c', Float64Array.from(cat))])
    const params = P({ iterations: 50, depth: 3, learning_rate: 0.2, cat_features: ['c'] })
    const model = (await obliviousLearner.fit(prepareTrainingData(asNumber), y, params, ctx)) as ObliviousModel
    expect(model.ensemble.inputs[1].categories?.length).toBe(40)
    expect(model.ensemble.tableKeys.length).toBeGreaterThan(0)
    const restored = ObliviousModel.fromState(structuredClone(model.toState()))
    expect(restored.predict(asNumber)).toEqual(model.predict(asNumber))
  })
})
