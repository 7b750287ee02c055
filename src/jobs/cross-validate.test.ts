import { describe, expect, it } from 'vitest'
import { makeFrame, numericColumn, type Frame } from '../data/frame.js'
import { DataError, ParamError } from '../errors.js'
import { Rng } from '../rng.js'
import { crossValidateGbdt, type FoldScore } from './cross-validate.js'

/** y = 3 x1 - 2 x2 + noise(sd 0.1); x3 is pure noise. */
function regressionFrame(n: number, seed: number): Frame {
  const rng = new Rng(seed)
  const x1 = new Float64Array(n)
  const x2 = new Float64Array(n)
  const x3 = new Float64Array(n)
  const y = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    x1[i] = rng.next()
    x2[i] = rng.next()
    x3[i] = rng.next()
    y[i] = 3 * x1[i] - 2 * x2[i] + 0.1 * rng.normal()
  }
  return makeFrame([numericColumn('x1', x1), numericColumn('x2', x2), numericColumn('x3', x3), numericColumn('y', y)])
}

/** Class 1 when x1 > 0.7 (about 30% of rows), so stratification has something to keep. */
function binaryFrame(n: number, seed: number): Frame {
  const rng = new Rng(seed)
  const x1 = new Float64Array(n)
  const x2 = new Float64Array(n)
  const label = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    x1[i] = rng.next()
    x2[i] = rng.next()
    label[i] = x1[i] > 0.7 ? 1 : 0
  }
  return makeFrame([numericColumn('x1', x1), numericColumn('x2', x2), numericColumn('label', label)])
}

const FAST = { num_round: 30, max_depth: 3, eta: 0.3, nthread: 1 }

describe('crossValidateGbdt', () => {
  it('scores every row once per repeat and summarises the folds', async () => {
    const frame = regressionFrame(200, 1)
    const seen: FoldScore[] = []
    const cv = await crossValidateGbdt(frame, 'y', FAST, { folds: 4, seed: 3, repeats: 2, onFold: (s) => seen.push(s) })
    expect(cv.task).toBe('regression')
    expect(cv.metrics).toEqual(['rmse'])
    expect(cv.folds.map((f) => [f.repeat, f.fold])).toEqual([
      [0, 0], [0, 1], [0, 2], [0, 3],
      [1, 0], [1, 1], [1, 2], [1, 3],
    ])
    expect(seen).toEqual(cv.folds)
    for (const f of cv.folds) {
      expect(f.nTrain + f.nTest).toBe(200)
      expect(f.nTest).toBe(50)
      expect(f.seconds).toBeGreaterThanOrEqual(0)
    }
    const values = cv.folds.map((f) => f.scores.rmse)
    const mean = values.reduce((a, b) => a + b, 0) / values.length
    const std = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length)
    expect(cv.mean.rmse).toBeCloseTo(mean, 12)
    expect(cv.std.rmse).toBeCloseTo(std, 12)
    // The signal's sd is about 1.04; a fitted model must do far better than predicting the mean.
    expect(cv.mean.rmse).toBeLessThan(0.4)
    expect(cv.params.num_round).toBe(30)
    expect(cv.params.objective).toBe('reg:squarederror')
    expect(cv.params.seed).toBe(3)
    const seeded = await crossValidateGbdt(frame, 'y', { ...FAST, random_state: 9 }, { folds: 4, seed: 3 })
    expect(seeded.params.seed).toBe(9)
  })

  it('is deterministic and its folds follow the seed', async () => {
    const frame = regressionFrame(120, 2)
    const a = await crossValidateGbdt(frame, 'y', { ...FAST, subsample: 0.8 }, { folds: 3, seed: 5 })
    const b = await crossValidateGbdt(frame, 'y', { ...FAST, subsample: 0.8 }, { folds: 3, seed: 5 })
    const c = await crossValidateGbdt(frame, 'y', { ...FAST, subsample: 0.8 }, { folds: 3, seed: 6 })
    const scores = (r: typeof a) => r.folds.map((f) => f.scores.rmse)
    expect(scores(a)).toEqual(scores(b))
    expect(scores(a)).not.toEqual(scores(c))
  })

  it('scores several metrics and the objective picks the default one', async () => {
    const frame = regressionFrame(100, 3)
    const cv = await crossValidateGbdt(frame, 'y', FAST, { folds: 2, metrics: ['rmse', 'mae', 'r2', 'rmse'] })
    expect(cv.metrics).toEqual(['rmse', 'mae', 'r2'])
    expect(Object.keys(cv.folds[0].scores)).toEqual(['rmse', 'mae', 'r2'])
    expect(cv.mean.r2).toBeGreaterThan(0.8)
    const absolute = await crossValidateGbdt(frame, 'y', { ...FAST, objective: 'reg:absoluteerror' }, { folds: 2 })
    expect(absolute.metrics).toEqual(['mae'])
    const named = await crossValidateGbdt(frame, 'y', { ...FAST, eval_metric: 'mae' }, { folds: 2 })
    expect(named.metrics).toEqual(['mae'])
  })

  it('stratifies classification folds and scores probabilities', async () => {
    const frame = binaryFrame(100, 4)
    const cv = await crossValidateGbdt(frame, 'label', { ...FAST, objective: 'binary:logistic' }, { folds: 5, metrics: ['auc', 'logloss'] })
    expect(cv.task).toBe('binary')
    expect(cv.mean.auc).toBeGreaterThan(0.95)
    // Stratified by default for classification: same folds as asking for it, not the plain k-fold ones.
    const stratified = await crossValidateGbdt(frame, 'label', { ...FAST, objective: 'binary:logistic' }, { folds: 5, metrics: ['auc', 'logloss'], stratified: true })
    const plain = await crossValidateGbdt(frame, 'label', { ...FAST, objective: 'binary:logistic' }, { folds: 5, metrics: ['auc', 'logloss'], stratified: false })
    const logloss = (r: typeof cv) => r.folds.map((f) => f.scores.logloss)
    expect(logloss(cv)).toEqual(logloss(stratified))
    expect(logloss(cv)).not.toEqual(logloss(plain))
    const defaults = await crossValidateGbdt(frame, 'label', { ...FAST, objective: 'binary:logistic' }, { folds: 2 })
    expect(defaults.metrics).toEqual(['logloss'])
  })

  it('refuses bad input with errors that say what and where', async () => {
    const frame = regressionFrame(30, 5)
    await expect(crossValidateGbdt(frame, 'yy', FAST)).rejects.toThrow(/no column 'yy'; did you mean 'y'\?/)
    await expect(crossValidateGbdt(frame, 'yy', FAST)).rejects.toBeInstanceOf(ParamError)
    await expect(crossValidateGbdt(frame, 'y', { ...FAST, max_dpeth: 2 })).rejects.toThrow(/did you mean 'max_depth'/)
    await expect(crossValidateGbdt(frame, 'y', FAST, { metrics: ['auc'] })).rejects.toThrow(/field 'metrics'.*'auc' does not score a regression/)
    await expect(crossValidateGbdt(frame, 'y', FAST, { metrics: ['rmes'] })).rejects.toThrow(/did you mean 'rmse'/)
    await expect(crossValidateGbdt(frame, 'y', FAST, { folds: 1 })).rejects.toThrow(/field 'folds'/)
    await expect(crossValidateGbdt(frame, 'y', FAST, { folds: 31 })).rejects.toThrow(/field 'folds'/)
    await expect(crossValidateGbdt(frame, 'y', FAST, { repeats: 0 })).rejects.toThrow(/field 'repeats'/)
    await expect(crossValidateGbdt(frame, 'y', FAST, { stratified: true })).rejects.toThrow(/field 'stratified'/)
    const onlyTarget = makeFrame([frame.columns[3]])
    await expect(crossValidateGbdt(onlyTarget, 'y', FAST)).rejects.toBeInstanceOf(DataError)
    const y = new Float64Array(30).fill(1)
    y[7] = NaN
    const missing = makeFrame([frame.columns[0], numericColumn('y', y)])
    await expect(crossValidateGbdt(missing, 'y', FAST)).rejects.toThrow(/field 'target'.*missing a value in row 8/)
  })

  it('stops when aborted', async () => {
    const controller = new AbortController()
    controller.abort(new Error('stop'))
    await expect(crossValidateGbdt(regressionFrame(30, 6), 'y', FAST, { signal: controller.signal })).rejects.toThrow('stop')
  })
})
