import { describe, expect, it } from 'vitest'
import { makeFrame, numericColumn, takeRows } from '../../data/frame.js'
import { Rng } from '../../rng.js'
import { syntheticFrame } from '../testing/conformance.js'
import { parseParams } from '../params.js'
import { parseLearnerParams } from '../registry.js'
import { prepareTrainingData } from '../training-data.js'
import type { TrainingData } from '../types.js'
import { growForest } from './grow-forest.js'
import { ForestGrower, type ForestData, type GrownForestTree, type TreeConfig } from './grower.js'
import { ForestModel } from '../../runtime/models/forest.js'
import { leafOfBinnedRow } from './model.js'
import { extraTreesParams, forestAliases, randomForestParams } from './params.js'
import { extraTreesLearner, randomForestLearner } from './spec.js'

function forestData(data: TrainingData, y: Float64Array): ForestData {
  const b = data.binned
  return { codes: b.codes, stride: b.rowStride, nFeatures: b.nFeatures, nBins: b.nBins, y, rows: null }
}

const baseConfig: TreeConfig = {
  nClasses: 0,
  criterion: 'squared_error',
  maxDepth: Infinity,
  minSamplesSplit: 2,
  minSamplesLeaf: 1,
  maxFeatures: 1,
  extra: false,
  bootstrap: false,
  draws: 0,
  randomState: 0,
}

function depthOf(tree: GrownForestTree): number {
  const depth = new Int32Array(tree.left.length)
  let max = 0
  for (let n = 0; n < tree.left.length; n++) {
    const l = tree.left[n]
    if (l < 0) continue
    depth[l] = depth[l + 1] = depth[n] + 1
    max = Math.max(max, depth[l])
  }
  return max
}

/** Rows reaching each node (internal nodes included). */
function rowsPerNode(tree: GrownForestTree, d: ForestData, n: number): Int32Array {
  const counts = new Int32Array(tree.left.length)
  for (let r = 0; r < n; r++) {
    let node = 0
    counts[0]++
    while (tree.left[node] >= 0) {
      const f = tree.feature[node]
      const c = d.codes[r * d.stride + f]
      node = (c === d.nBins[f] ? tree.defaultLeft[node] === 1 : c <= tree.bin[node]) ? tree.left[node] : tree.left[node] + 1
      counts[node]++
    }
  }
  return counts
}

function regressionSet(n: number, seed: number): { data: TrainingData; y: Float64Array } {
  const rng = new Rng(seed)
  const cols = [0, 1, 2, 3].map(() => new Float64Array(n))
  const y = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    for (const c of cols) c[i] = rng.normal()
    y[i] = Math.sin(2 * cols[0][i]) + cols[1][i] * cols[2][i] + 0.3 * rng.normal()
  }
  return { data: prepareTrainingData(makeFrame(cols.map((c, j) => numericColumn(`x${j}`, c)))), y }
}

describe('ForestGrower', () => {
  it('splits a step function at the step, with the mean in each leaf', () => {
    const data = prepareTrainingData(makeFrame([numericColumn('x', new Float64Array([1, 2, 3, 4, 5, 6]))]))
    const y = new Float64Array([1, 1, 1, 5, 5, 5])
    const tree = new ForestGrower(forestData(data, y), baseConfig).grow(0)
    expect(tree.left.length).toBe(3)
    expect(data.binned.mapper.cuts[0][tree.bin[0]]).toBe(3.5)
    expect(Array.from(tree.value.subarray(1, 3))).toEqual([1, 5])
  })

  it('makes a pure node a leaf (regression and classification)', () => {
    const data = prepareTrainingData(makeFrame([numericColumn('x', Float64Array.from({ length: 50 }, (_, i) => i))]))
    const reg = new ForestGrower(forestData(data, new Float64Array(50).fill(2.5)), baseConfig).grow(0)
    expect(reg.left.length).toBe(1)
    expect(reg.value[0]).toBe(2.5)
    const cls = new ForestGrower(forestData(data, new Float64Array(50).fill(1)), { ...baseConfig, nClasses: 2, criterion: 'gini' }).grow(0)
    expect(cls.left.length).toBe(1)
    expect(Array.from(cls.value)).toEqual([0, 1])
  })

  it('respects min_samples_leaf, min_samples_split and max_depth', () => {
    const { data, y } = regressionSet(600, 3)
    const d = forestData(data, y)
    for (const [key, config] of [
      ['leaf', { ...baseConfig, maxFeatures: 4, minSamplesLeaf: 7 }],
      ['split', { ...baseConfig, maxFeatures: 4, minSamplesSplit: 30 }],
      ['depth', { ...baseConfig, maxFeatures: 4, maxDepth: 4 }],
    ] as const) {
      const tree = new ForestGrower(d, config).grow(1)
      const counts = rowsPerNode(tree, d, 600)
      for (let n = 0; n < tree.left.length; n++) {
        if (key === 'leaf' && tree.left[n] < 0) expect(counts[n]).toBeGreaterThanOrEqual(7)
        if (key === 'split' && tree.left[n] >= 0) expect(counts[n]).toBeGreaterThanOrEqual(30)
      }
      if (key === 'depth') expect(depthOf(tree)).toBe(4)
      else expect(depthOf(tree)).toBeGreaterThan(4)
    }
  })

  it('grows classification trees whose leaves hold class frequencies', () => {
    const { frame, y } = syntheticFrame(400, 'multiclass')
    const data = prepareTrainingData(frame)
    const tree = new ForestGrower(forestData(data, y), { ...baseConfig, nClasses: 3, criterion: 'entropy', maxFeatures: 2, bootstrap: true, draws: 400 }).grow(0)
    for (let n = 0; n < tree.left.length; n++) {
      if (tree.left[n] >= 0) continue
      const s = tree.value[3 * n] + tree.value[3 * n + 1] + tree.value[3 * n + 2]
      expect(s).toBeCloseTo(1, 12)
    }
  })

  it('gives the same trees on one thread and on two', async () => {
    const { data, y } = regressionSet(3000, 5)
    const d = forestData(data, y)
    const config = { ...baseConfig, maxFeatures: 2, bootstrap: true, draws: 3000, randomState: 11 }
    const one = await growForest(d, config, 6, 1)
    const two = await growForest(d, config, 6, 2, { minParallelWork: 0, callerGrows: false })
    expect(two).toEqual(one)
    expect(depthOf(leafTreeCheck(one[0], d))).toBeGreaterThan(3)
  })
})

/** A tree whose every training row reaches a leaf, for a sanity check of the routing. */
function leafTreeCheck(tree: GrownForestTree, d: ForestData): GrownForestTree {
  for (let r = 0; r < 10; r++) expect(tree.left[leafOfBinnedRow(tree, d.codes, d.stride, d.nBins, r)]).toBe(-1)
  return tree
}

describe('random_forest and extra_trees', () => {
  it('predicts the same with n_jobs 1 and 2', async () => {
    const { data, y } = regressionSet(2000, 9)
    const fit = (n_jobs: number) => randomForestLearner.fit(data, y, parseParams(randomForestParams, forestAliases, { n_estimators: 8, n_jobs }), { task: 'regression', nClasses: 1 })
    const [a, b] = await Promise.all([fit(1), fit(2)])
    expect(b.predict(data.frame)).toEqual(a.predict(data.frame))
  })

  it('extra trees differ from a random forest with the same seed', async () => {
    const { data, y } = regressionSet(500, 4)
    const ctx = { task: 'regression' as const, nClasses: 1 }
    const rf = await randomForestLearner.fit(data, y, parseParams(randomForestParams, forestAliases, { n_estimators: 10, random_state: 3, bootstrap: false }), ctx)
    const et = await extraTreesLearner.fit(data, y, parseParams(extraTreesParams, forestAliases, { n_estimators: 10, random_state: 3 }), ctx)
    expect(et.predict(data.frame)).not.toEqual(rf.predict(data.frame))
  })

  it('reports an out-of-bag score close to the held-out score', async () => {
    const { data, y } = regressionSet(3000, 8)
    const train = Int32Array.from({ length: 2000 }, (_, i) => i)
    const model = await randomForestLearner.fit(data, y, parseParams(randomForestParams, forestAliases, { n_estimators: 60, oob_score: true, max_features: 'sqrt' }), {
      task: 'regression',
      nClasses: 1,
      rows: train,
      threads: 1,
    })
    expect(model).toBeInstanceOf(ForestModel)
    const oob = (model as ForestModel).oobScore!
    const test = Int32Array.from({ length: 1000 }, (_, i) => 2000 + i)
    const pred = model.predict(takeRows(data.frame, test))
    let mean = 0
    for (const r of test) mean += y[r] / test.length
    let res = 0
    let tot = 0
    test.forEach((r, i) => {
      res += (y[r] - pred[i]) ** 2
      tot += (y[r] - mean) ** 2
    })
    const heldOut = 1 - res / tot
    expect(oob).toBeGreaterThan(0.5)
    expect(Math.abs(oob - heldOut)).toBeLessThan(0.05)
    expect((model as ForestModel).toState().oobScore).toBe(oob)
  })

  it('scores out-of-bag accuracy for classifiers', async () => {
    const { frame, y } = syntheticFrame(600, 'binary')
    const model = await randomForestLearner.fit(prepareTrainingData(frame), y, parseParams(randomForestParams, forestAliases, { n_estimators: 30, oob_score: true }), { task: 'binary', nClasses: 2 })
    const oob = (model as ForestModel).oobScore!
    expect(oob).toBeGreaterThan(0.8)
    expect(oob).toBeLessThanOrEqual(1)
  })

  it('rejects oob_score without bootstrap and a criterion of the wrong task', async () => {
    const { data, y } = regressionSet(50, 1)
    const ctx = { task: 'regression' as const, nClasses: 1 }
    await expect(extraTreesLearner.fit(data, y, parseParams(extraTreesParams, forestAliases, { oob_score: true }), ctx)).rejects.toThrow(/needs bootstrap/)
    await expect(randomForestLearner.fit(data, y, parseParams(randomForestParams, forestAliases, { criterion: 'gini' }), ctx)).rejects.toThrow(/does not fit a regression task/)
    expect(() => parseLearnerParams(randomForestLearner, { max_features: 2.5 })).toThrow(/whole number/)
  })
})
