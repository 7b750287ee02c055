/**
 * The conformance suite every learner runs (built-in or registered by a user), in the spirit of
 * scikit-learn's check_estimator: determinism, untouched params, exact state round-trips, missing
 * values, degenerate shapes, every claimed task, and clear errors for bad input.
 *
 * Published as `consort/testing` (it needs vitest, an optional peer dependency), so a learner a
 * user registers runs the same checks as the built-in ones.
 *
 * @example
 * // in my-learner.test.ts
 * import { learnerConformanceSuite } from 'consort/testing'
 * learnerConformanceSuite(myLearner, { params: { n_estimators: 5 } })
 */
import { describe, expect, it } from 'vitest'
import { ConsortError } from '../../errors.js'
import { type Column, type Frame, makeFrame, numericColumn, categoricalColumn } from '../../data/frame.js'
import { Rng } from '../../rng.js'
import type { Task } from '../../task.js'
import { parseLearnerParams } from '../registry.js'
import { prepareTrainingData } from '../training-data.js'
import type { FitContext, LearnerSpec, Model } from '../types.js'

export interface ConformanceOptions {
  /** Small, fast parameters for the checks (few trees, few iterations). */
  readonly params?: Readonly<Record<string, unknown>>
  /** Name of a parameter that sets the random seed, when the learner has one. */
  readonly seedParam?: string
  /** Extra params under which the seed matters (row or feature sampling, say). */
  readonly randomParams?: Readonly<Record<string, unknown>>
}

/** A small synthetic problem: numeric features with some missing values, one categorical. */
export function syntheticFrame(n: number, task: Task, seed = 1, nClasses = 3): { frame: Frame; y: Float64Array } {
  const rng = new Rng(seed)
  const x0 = new Float64Array(n)
  const x1 = new Float64Array(n)
  const x2 = new Float64Array(n)
  const cat = new Int32Array(n)
  const y = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    x0[i] = rng.normal()
    x1[i] = rng.normal()
    x2[i] = rng.next() < 0.1 ? NaN : rng.normal()
    cat[i] = rng.int(4)
    const score = 1.5 * x0[i] - x1[i] + (cat[i] === 2 ? 1 : 0) + 0.3 * rng.normal()
    y[i] = task === 'regression' ? score : task === 'binary' ? (score > 0 ? 1 : 0) : Math.min(nClasses - 1, Math.max(0, Math.floor(score + nClasses / 2)))
  }
  const columns: Column[] = [numericColumn('x0', x0), numericColumn('x1', x1), numericColumn('x2', x2), categoricalColumn('cat', cat, ['a', 'b', 'c', 'd'])]
  return { frame: makeFrame(columns), y }
}

function ctxFor(task: Task, y: Float64Array, extra: Partial<FitContext> = {}): FitContext {
  const nClasses = task === 'regression' ? 1 : task === 'binary' ? 2 : Math.max(...y) + 1
  return { task, nClasses, seed: 7, threads: 1, ...extra }
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object') {
    for (const v of Object.values(o)) deepFreeze(v)
    Object.freeze(o)
  }
  return o
}

async function fit(spec: LearnerSpec, frame: Frame, y: Float64Array, task: Task, raw: Readonly<Record<string, unknown>>, extra: Partial<FitContext> = {}): Promise<Model> {
  const params = parseLearnerParams(spec, raw)
  return spec.fit(prepareTrainingData(frame), y, params, ctxFor(task, y, extra))
}

/** Registers the conformance tests for `spec` with vitest. */
export function learnerConformanceSuite(spec: LearnerSpec, options: ConformanceOptions = {}): void {
  const params = options.params ?? {}
  describe(`learner conformance: ${spec.kind}`, () => {
    for (const task of spec.tasks) {
      describe(task, () => {
        const { frame, y } = syntheticFrame(300, task)

        it('predicts the right shape, and valid probabilities for classifiers', async () => {
          const model = await fit(spec, frame, y, task, params)
          expect(model.kind).toBe(spec.kind)
          expect(model.task).toBe(task)
          const k = task === 'regression' ? 1 : task === 'binary' ? 1 : Math.max(...y) + 1
          expect(model.nOutputs).toBe(k)
          const pred = model.predict(frame)
          expect(pred.length).toBe(frame.nRows * k)
          for (const v of pred) expect(Number.isFinite(v)).toBe(true)
          if (task !== 'regression') for (const v of pred) expect(v >= 0 && v <= 1).toBe(true)
          if (task === 'multiclass') {
            for (let r = 0; r < frame.nRows; r++) {
              let s = 0
              for (let j = 0; j < k; j++) s += pred[r * k + j]
              expect(s).toBeCloseTo(1, 9)
            }
          }
        })

        it('learns: beats predicting the mean or the majority', async () => {
          const model = await fit(spec, frame, y, task, params)
          const pred = model.predict(frame)
          expect(trainingLoss(task, y, pred, model.nOutputs)).toBeLessThan(baselineLoss(task, y))
        })

        it('is deterministic: same data, params and seed give the same state and predictions', async () => {
          const a = await fit(spec, frame, y, task, params)
          const b = await fit(spec, frame, y, task, params)
          expect(b.predict(frame)).toEqual(a.predict(frame))
          expect(JSON.stringify(stateBytes(b.toState()))).toBe(JSON.stringify(stateBytes(a.toState())))
        })

        it('round-trips its state exactly, through a structured clone', async () => {
          const model = await fit(spec, frame, y, task, params)
          const restored = spec.fromState(structuredClone(model.toState()))
          expect(restored.predict(frame)).toEqual(model.predict(frame))
        })

        it('never mutates the params it is given', async () => {
          const parsed = deepFreeze(parseLearnerParams(spec, params))
          const copy = structuredClone(parsed)
          await spec.fit(prepareTrainingData(frame), y, parsed, ctxFor(task, y))
          expect(parsed).toEqual(copy)
        })

        it('trains on a row subset without copying the data', async () => {
          const rows = Int32Array.from({ length: 200 }, (_, i) => i)
          const model = await fit(spec, frame, y, task, params, { rows })
          expect(model.predict(frame).length).toBe(frame.nRows * model.nOutputs)
        })

        it('matches feature columns by name, whatever their order in the frame', async () => {
          const model = await fit(spec, frame, y, task, params)
          const shuffled = makeFrame([...frame.columns].reverse())
          expect(model.predict(shuffled)).toEqual(model.predict(frame))
        })
      })
    }

    const task = spec.tasks[0]
    it('handles a constant column and an all-missing column', async () => {
      const { frame, y } = syntheticFrame(200, task)
      const n = frame.nRows
      const withOdd = makeFrame([...frame.columns, numericColumn('const', new Float64Array(n).fill(3)), numericColumn('none', new Float64Array(n).fill(NaN))])
      const model = await fit(spec, withOdd, y, task, params)
      for (const v of model.predict(withOdd)) expect(Number.isFinite(v)).toBe(true)
    })

    it('handles a single feature, and one row or rejects it with a clear error', async () => {
      const { frame, y } = syntheticFrame(100, task)
      const one = makeFrame([frame.columns[0]])
      const model = await fit(spec, one, y, task, params)
      expect(model.predict(one).length).toBe(100 * model.nOutputs)
      const single = makeFrame([numericColumn('x0', new Float64Array([0.5]))])
      const ySingle = new Float64Array([task === 'regression' ? 2 : 1])
      try {
        const m = await fit(spec, single, ySingle, task, params)
        for (const v of m.predict(single)) expect(Number.isFinite(v)).toBe(true)
      } catch (e) {
        expect(e).toBeInstanceOf(ConsortError)
      }
    })

    it('rejects a target of the wrong length with a clear error', async () => {
      const { frame, y } = syntheticFrame(100, task)
      await expect(fit(spec, frame, y.subarray(0, 50), task, params)).rejects.toBeInstanceOf(ConsortError)
    })

    it('rejects an unknown parameter, naming the closest valid one', () => {
      const known = Object.keys(spec.params.shape)[0]
      const typo = known.slice(0, -1) + (known.endsWith('x') ? 'y' : 'x')
      expect(() => parseLearnerParams(spec, { [typo]: 1 })).toThrow(new RegExp(`did you mean '${known}'`))
    })

    if (options.seedParam) {
      it('depends on its seed', async () => {
        const { frame, y } = syntheticFrame(300, task)
        const random = { ...params, ...options.randomParams }
        const a = await fit(spec, frame, y, task, { ...random, [options.seedParam!]: 1 })
        const b = await fit(spec, frame, y, task, { ...random, [options.seedParam!]: 2 })
        expect(b.predict(frame)).not.toEqual(a.predict(frame))
      })
    }
  })
}

/** State with typed arrays turned into plain arrays, for exact comparison. */
function stateBytes(state: unknown): unknown {
  if (ArrayBuffer.isView(state)) return Array.from(state as unknown as ArrayLike<number>)
  if (Array.isArray(state)) return state.map(stateBytes)
  if (state && typeof state === 'object') return Object.fromEntries(Object.entries(state).map(([k, v]) => [k, stateBytes(v)]))
  return state
}

function trainingLoss(task: Task, y: Float64Array, pred: Float64Array, k: number): number {
  let loss = 0
  for (let i = 0; i < y.length; i++) {
    if (task === 'regression') loss += (pred[i] - y[i]) ** 2
    else if (task === 'binary') loss -= Math.log(Math.max(1e-15, y[i] === 1 ? pred[i] : 1 - pred[i]))
    else loss -= Math.log(Math.max(1e-15, pred[i * k + y[i]]))
  }
  return loss / y.length
}

function baselineLoss(task: Task, y: Float64Array): number {
  const n = y.length
  if (task === 'regression') {
    const mean = y.reduce((a, b) => a + b, 0) / n
    return y.reduce((a, b) => a + (b - mean) ** 2, 0) / n
  }
  const counts = new Map<number, number>()
  for (const v of y) counts.set(v, (counts.get(v) ?? 0) + 1)
  let loss = 0
  for (const v of y) loss -= Math.log(counts.get(v)! / n)
  return loss / n
}
