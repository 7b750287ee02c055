import { describe, expect, it } from 'vitest'
import { categoricalColumn, makeFrame, numericColumn, type Frame } from '../../data/frame.js'
import { ParamError } from '../../errors.js'
import { parseParams } from '../params.js'
import { syntheticFrame } from '../testing/conformance.js'
import { prepareTrainingData } from '../training-data.js'
import type { FitContext, Task } from '../types.js'
import { LinearModel } from '../../runtime/models/linear.js'
import { linearAliases, linearParams } from './params.js'
import { linearLearner, resolveAlpha } from './spec.js'

const REGRESSION: FitContext = { task: 'regression', nClasses: 1 }

async function fit(frame: Frame, y: Float64Array, raw: Record<string, unknown> = {}, ctx: FitContext = REGRESSION): Promise<LinearModel> {
  const model = await linearLearner.fit(prepareTrainingData(frame), y, parseParams(linearParams, linearAliases, raw), ctx)
  return model as LinearModel
}

describe('linear learner', () => {
  it('fits ridge on standardised features: a hand-computed three-row example', async () => {
    // x = (1, 2, 3): mean 2, std sqrt(2/3), z = (-s, 0, s) with s = sqrt(3/2); y = (1, 2, 6).
    // Szz = 3, Szy = 5 s, so w = 5 s / (3 + alpha) on z, b = mean(y) = 3.
    const frame = makeFrame([numericColumn('x', Float64Array.of(1, 2, 3))])
    const model = await fit(frame, Float64Array.of(1, 2, 6))
    const s = Math.sqrt(1.5)
    expect(model.predictor.coef[0]).toBeCloseTo((5 * s) / 4, 12)
    expect(model.predictor.intercept[0]).toBeCloseTo(3, 12)
    const pred = model.predict(makeFrame([numericColumn('x', Float64Array.of(3))]))
    expect(pred[0]).toBeCloseTo(3 + ((5 * s) / 4) * s, 12)
  })

  it('stores standardisation, one-hot categories and imputation in its state', async () => {
    const frame = makeFrame([
      numericColumn('x', Float64Array.of(1, 2, NaN, 5)),
      categoricalColumn('c', Int32Array.of(0, 2, 2, -1), ['a', 'b', 'c']),
    ])
    const model = await fit(frame, Float64Array.of(1, 2, 3, 4))
    const state = structuredClone(model.toState())
    const scale = Math.sqrt(((1 - 8 / 3) ** 2 + (2 - 8 / 3) ** 2 + (5 - 8 / 3) ** 2) / 3)
    expect(state.inputs[0]).toEqual({ name: 'x', type: 'numeric', mean: 8 / 3, scale })
    // 'b' never occurs in the training rows, so it gets no column.
    expect(state.inputs[1]).toEqual({ name: 'c', type: 'categorical', categories: ['a', 'c'] })
    expect(state.coef.length).toBe(3)
    const restored = LinearModel.fromState(state)
    const probe = makeFrame([
      numericColumn('x', Float64Array.of(NaN, 8 / 3, 4, 4, 4)),
      categoricalColumn('c', Int32Array.of(-1, -1, 0, 1, 2), ['a', 'b', 'c']),
    ])
    const pred = restored.predict(probe)
    expect(pred).toEqual(model.predict(probe))
    // A missing value predicts as the training mean; an unseen ('b') or missing category as all zeros.
    expect(pred[0]).toBe(pred[1])
    const { coef, intercept } = restored.predictor
    const z = (4 - 8 / 3) / scale
    expect(pred[3]).toBeCloseTo(intercept[0] + coef[0] * z, 12)
    expect(pred[2]).toBeCloseTo(intercept[0] + coef[0] * z + coef[1], 12)
    expect(pred[4]).toBeCloseTo(intercept[0] + coef[0] * z + coef[2], 12)
  })

  it('matches categories by name when the prediction frame has another dictionary', async () => {
    const { frame, y } = syntheticFrame(200, 'regression')
    const model = await fit(frame, y)
    const cat = frame.columns[3]
    if (cat.type !== 'categorical') throw new Error('expected a categorical column')
    // Same values, dictionary reversed: codes remapped.
    const reversed = categoricalColumn('cat', Int32Array.from(cat.codes, (c) => (c < 0 ? c : 3 - c)), ['d', 'c', 'b', 'a'])
    const other = makeFrame([...frame.columns.slice(0, 3), reversed])
    expect(model.predict(other)).toEqual(model.predict(frame))
  })

  it('predicts row-major values as it predicts frames', async () => {
    const { frame, y } = syntheticFrame(100, 'multiclass')
    const model = await fit(frame, y, {}, { task: 'multiclass', nClasses: 3 })
    const n = frame.nRows
    const cats = (model.predictor.inputs[3] as { categories: readonly string[] }).categories
    const x = new Float64Array(n * 4)
    for (let i = 0; i < n; i++) {
      for (let f = 0; f < 3; f++) {
        const c = frame.columns[f]
        x[i * 4 + f] = c.type === 'numeric' ? c.values[i] : NaN
      }
      const c = frame.columns[3]
      x[i * 4 + 3] = c.type === 'categorical' && c.codes[i] >= 0 ? cats.indexOf(c.categories[c.codes[i]]) : NaN
    }
    const a = model.predict(frame)
    const b = model.predictRows(x, n)
    a.forEach((v, i) => expect(b[i]).toBeCloseTo(v, 12))
  })

  it('maps C to alpha = 1 / C, and rejects both at once', () => {
    const base = parseParams(linearParams, linearAliases, {})
    expect(resolveAlpha(base)).toBe(1)
    expect(resolveAlpha({ ...base, C: 4 })).toBe(0.25)
    expect(resolveAlpha({ ...base, alpha: 3 })).toBe(3)
    expect(resolveAlpha({ ...base, penalty: 'none' })).toBe(0)
    expect(() => resolveAlpha({ ...base, alpha: 1, C: 1 })).toThrow(ParamError)
    expect(() => resolveAlpha({ ...base, penalty: 'none', C: 1 })).toThrow(ParamError)
  })

  it('gives the same classifier for C and for alpha = 1 / C, and stores alpha', async () => {
    const { frame, y } = syntheticFrame(200, 'binary')
    const ctx: FitContext = { task: 'binary', nClasses: 2 }
    const a = await fit(frame, y, { C: 0.5 }, ctx)
    const b = await fit(frame, y, { alpha: 2 }, ctx)
    expect(a.predict(frame)).toEqual(b.predict(frame))
    expect(a.toState().params.alpha).toBe(2)
    expect(a.toState().params.C).toBeUndefined()
  })

  it('shrinks harder with a larger alpha', async () => {
    const { frame, y } = syntheticFrame(200, 'regression')
    const norm = (m: LinearModel): number => m.predictor.coef.reduce((s, c) => s + c * c, 0)
    expect(norm(await fit(frame, y, { alpha: 100 }))).toBeLessThan(norm(await fit(frame, y, { alpha: 1 })))
  })

  it('reports how the classification solver finished', async () => {
    for (const task of ['binary', 'multiclass'] as Task[]) {
      const { frame, y } = syntheticFrame(200, task)
      const model = await fit(frame, y, { tol: 1e-8 }, { task, nClasses: task === 'binary' ? 2 : 3 })
      expect(model.fitInfo.solver).toBe('newton-cholesky')
      expect(model.fitInfo.converged).toBe(true)
      expect(model.fitInfo.gradNorm).toBeLessThan(1e-8)
    }
  })

  it('rejects targets that are not class ids, and class_weight for regression', async () => {
    const { frame } = syntheticFrame(4, 'binary')
    await expect(fit(frame, Float64Array.of(0, 1, 2, 1), {}, { task: 'binary', nClasses: 2 })).rejects.toThrow(/class id/)
    await expect(fit(frame, Float64Array.of(0, 1, NaN, 1))).rejects.toThrow(/NaN/)
    await expect(fit(frame, Float64Array.of(0, 1, 0, 1), { class_weight: 'balanced' })).rejects.toThrow(ParamError)
  })

  it('rejects a frame whose column changed type', async () => {
    const { frame, y } = syntheticFrame(50, 'regression')
    const model = await fit(frame, y)
    const changed = makeFrame([...frame.columns.slice(0, 3), numericColumn('cat', new Float64Array(50))])
    expect(() => model.predict(changed)).toThrow(/categorical/)
  })
})
