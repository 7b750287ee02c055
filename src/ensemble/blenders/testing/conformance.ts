/**
 * The conformance suite every blender runs (built-in or registered by a user): determinism, exact
 * state round-trips through structuredClone, output shape and probability validity for every
 * claimed task, no worse than the worst member on the OOF rows, a one-member blend that returns
 * the member, and ConsortErrors for bad input. Needs vitest.
 *
 * @example
 * // in my-blender.test.ts
 * blenderConformanceSuite('weighted', { options: { method: 'caruana' }, identity: true })
 */
import { describe, expect, it } from 'vitest'
import { type Frame, makeFrame, numericColumn } from '../../../data/frame.js'
import { ConsortError } from '../../../errors.js'
import { defaultMetric } from '../../../metrics/registry.js'
import { Rng } from '../../../rng.js'
import type { Task } from '../../../task.js'
import { blenderFromState, getBlender, getBlenderSpec } from '../index.js'
import type { BlendContext } from '../types.js'

export interface BlenderConformanceOptions {
  /** Blender options (validated by the registry). */
  readonly options?: Readonly<Record<string, unknown>>
  /** Extra words for the suite's name, to tell apart runs of one kind with different options. */
  readonly label?: string
  /** Check that the blend's OOF metric is no worse than the worst member's. */
  readonly notWorseThanWorst?: boolean
  /** Tasks (or true: every claimed task) on which a blend of one member returns that member. */
  readonly identity?: boolean | readonly Task[]
}

/** Members' OOF predictions of a synthetic problem, with targets and the two raw features. */
export interface SyntheticBlendProblem {
  readonly oof: Float64Array[]
  readonly y: Float64Array
  readonly features: Frame
  readonly ctx: BlendContext
}

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z))

/**
 * Three members of decreasing quality (noise 0.3, 1 and 2 on the true score, the second biased)
 * on a problem with two features; multiclass uses three classes.
 */
export function syntheticBlendProblem(task: Task, n = 200, seed = 1): SyntheticBlendProblem {
  const rng = new Rng(seed)
  const k = task === 'multiclass' ? 3 : task === 'binary' ? 2 : 1
  const width = task === 'multiclass' ? 3 : 1
  const x0 = new Float64Array(n)
  const x1 = new Float64Array(n)
  const y = new Float64Array(n)
  const noise = [0.3, 1, 2]
  const bias = [0, 0.5, 0]
  const oof = noise.map(() => new Float64Array(n * width))
  const scores = new Float64Array(width)
  for (let i = 0; i < n; i++) {
    x0[i] = rng.normal()
    x1[i] = rng.normal()
    if (task === 'regression') {
      y[i] = 2 * x0[i] - x1[i] + 0.2 * rng.normal()
      for (let m = 0; m < 3; m++) oof[m][i] = y[i] + bias[m] + noise[m] * rng.normal()
    } else if (task === 'binary') {
      const z = 2 * x0[i] - x1[i]
      y[i] = rng.next() < sigmoid(z) ? 1 : 0
      for (let m = 0; m < 3; m++) oof[m][i] = sigmoid(z + bias[m] + noise[m] * rng.normal())
    } else {
      for (let c = 0; c < 3; c++) scores[c] = (c - 1) * 2 * x0[i] + (c === 1 ? x1[i] : 0)
      y[i] = argmaxOf(Array.from(scores, (s) => s + 0.5 * rng.normal()))
      for (let m = 0; m < 3; m++) softmaxInto(Array.from(scores, (s, c) => s + (c === 0 ? bias[m] : 0) + noise[m] * rng.normal()), oof[m], i * 3)
    }
  }
  const features = makeFrame([numericColumn('x0', x0), numericColumn('x1', x1)])
  return { oof, y, features, ctx: { task, nClasses: k, features, seed: 5 } }
}

function argmaxOf(v: readonly number[]): number {
  let best = 0
  for (let c = 1; c < v.length; c++) if (v[c] > v[best]) best = c
  return best
}

function softmaxInto(z: readonly number[], out: Float64Array, offset: number): void {
  const max = Math.max(...z)
  let s = 0
  for (let c = 0; c < z.length; c++) s += Math.exp(z[c] - max)
  for (let c = 0; c < z.length; c++) out[offset + c] = Math.exp(z[c] - max) / s
}

function expectValid(out: Float64Array, task: Task, n: number): void {
  const width = task === 'multiclass' ? 3 : 1
  expect(out.length).toBe(n * width)
  for (const v of out) expect(Number.isFinite(v)).toBe(true)
  if (task === 'regression') return
  for (const v of out) {
    expect(v).toBeGreaterThanOrEqual(0)
    expect(v).toBeLessThanOrEqual(1)
  }
  if (task === 'multiclass') {
    for (let i = 0; i < n; i++) expect(out[i * 3] + out[i * 3 + 1] + out[i * 3 + 2]).toBeCloseTo(1, 9)
  }
}

/** Registers the conformance tests of the blender `kind` (with `options`) with vitest. */
export function blenderConformanceSuite(kind: string, options: BlenderConformanceOptions = {}): void {
  const spec = getBlenderSpec(kind)
  const raw = options.options ?? {}
  describe(`blender conformance: ${kind}${options.label ? ` (${options.label})` : ''}`, () => {
    for (const task of spec.tasks) {
      describe(task, () => {
        const problem = syntheticBlendProblem(task)
        const fresh = syntheticBlendProblem(task, 50, 2)
        const { oof, y, features, ctx } = problem

        it('blends into the members\' layout, with valid probabilities for classifiers', async () => {
          const model = await getBlender(kind, raw).fit(oof, y, ctx)
          expect(model.kind).toBe(kind)
          expect(model.nMembers).toBe(3)
          expectValid(model.blend(oof, features), task, y.length)
          expectValid(model.blend(fresh.oof, fresh.features), task, fresh.y.length)
        })

        it('is deterministic and leaves its inputs untouched', async () => {
          const before = oof.map((p) => p.slice())
          const a = await getBlender(kind, raw).fit(oof, y, ctx)
          const b = await getBlender(kind, raw).fit(oof, y, ctx)
          expect(b.toState()).toEqual(a.toState())
          expect(b.blend(fresh.oof, fresh.features)).toEqual(a.blend(fresh.oof, fresh.features))
          expect(oof).toEqual(before)
        })

        it('round-trips its state through structuredClone to identical blends', async () => {
          const model = await getBlender(kind, raw).fit(oof, y, ctx)
          const state = model.toState()
          const restored = blenderFromState(structuredClone(state))
          expect(restored.toState()).toEqual(state)
          expect(restored.blend(fresh.oof, fresh.features)).toEqual(model.blend(fresh.oof, fresh.features))
          expect(restored.blend(oof, features)).toEqual(model.blend(oof, features))
        })

        if (options.notWorseThanWorst) {
          it('is no worse than the worst member on the OOF rows', async () => {
            const metric = defaultMetric(task)
            const model = await getBlender(kind, raw).fit(oof, y, ctx)
            const scores = oof.map((p) => metric.compute(y, p, ctx.nClasses))
            const worst = metric.direction === 'minimize' ? Math.max(...scores) : Math.min(...scores)
            const blended = metric.compute(y, model.blend(oof, features), ctx.nClasses)
            if (metric.direction === 'minimize') expect(blended).toBeLessThanOrEqual(worst)
            else expect(blended).toBeGreaterThanOrEqual(worst)
          })
        }

        const identity = options.identity === true || (Array.isArray(options.identity) && options.identity.includes(task))
        if (identity) {
          it('returns the member when blending one member', async () => {
            const model = await getBlender(kind, raw).fit([oof[1]], y, ctx)
            const out = model.blend([fresh.oof[1]], fresh.features)
            for (let i = 0; i < out.length; i++) expect(out[i]).toBeCloseTo(fresh.oof[1][i], 12)
          })
        }

        it('rejects zero members and mismatched shapes with a ConsortError', async () => {
          const blender = getBlender(kind, raw)
          await expect(blender.fit([], y, ctx)).rejects.toThrow(ConsortError)
          await expect(blender.fit([oof[0], oof[1].subarray(1)], y, ctx)).rejects.toThrow(ConsortError)
          await expect(blender.fit(oof, y.subarray(1), ctx)).rejects.toThrow(ConsortError)
          const model = await blender.fit(oof, y, ctx)
          expect(() => model.blend(oof.slice(0, 2), features)).toThrow(ConsortError)
          expect(() => model.blend([]), 'no members').toThrow(ConsortError)
          expect(() => model.blend([oof[0], oof[1], oof[2].subarray(1)], features)).toThrow(ConsortError)
        })
      })
    }
  })
}
