/**
 * The conformance suite every strategy runs (built-in or registered by a user): the same seed and
 * history give the same proposals bit for bit; every proposal is a point of the space (in range,
 * integers integral, categoricals from their list, nothing else); no proposal repeats a Running
 * trial's point or another of the same ask, nor any tried point while untried ones remain; and,
 * for strategies that claim it, better results than random search. Needs vitest.
 *
 * @example
 * // in my-strategy.test.ts
 * strategyConformanceSuite('Sobol', { seeded: true })
 */
import { describe, expect, it } from 'vitest'
import { createStudy } from '../../study.js'
import { encode, inSpace, pointKey, createSpace } from '../../space.js'
import { BRANIN, type TestFunction } from '../../testing/functions.js'
import type { ParameterRange, Params, Strategy, TrialView } from '../../types.js'
import { getStrategy, type StrategyOptions } from '../index.js'

export interface StrategyConformanceOptions {
  /** Extra words for the suite's name. */
  readonly label?: string
  /** The strategy takes integer and categorical ranges only (Grid). */
  readonly discrete?: boolean
  /** The strategy's proposals depend on its seed (false for Grid). Default true. */
  readonly seeded?: boolean
  /**
   * How the strategy should beat Random search:
   * - 'function': a lower median (over seeds) of the best Branin value after 20 trials;
   * - 'budget': with its pruner, a lower median best on a multi-fidelity Branin for the same total
   *   resource (the steps all trials ran), as Hyperband should.
   */
  readonly beatsRandom?: 'function' | 'budget'
  /** Extra strategy options (e.g. Hyperband's rungs). */
  readonly options?: Partial<StrategyOptions>
}

/** A space with every kind of range and scaling. */
export const MIXED_RANGES: readonly ParameterRange[] = [
  { name: 'lr', type: 'continuous', min: 1e-4, max: 1, scaling: 'Logarithmic' },
  { name: 'frac', type: 'continuous', min: 0.1, max: 0.9, scaling: 'Linear' },
  { name: 'beta', type: 'continuous', min: 0.5, max: 0.999, scaling: 'ReverseLogarithmic' },
  { name: 'depth', type: 'integer', min: 1, max: 12, scaling: 'Linear' },
  { name: 'rounds', type: 'integer', min: 10, max: 2000, scaling: 'Auto' },
  { name: 'kind', type: 'categorical', values: [1, '1', true, 'gbtree'] },
]

/** Integer and categorical ranges only. */
export const DISCRETE_RANGES: readonly ParameterRange[] = [
  { name: 'depth', type: 'integer', min: 1, max: 4, scaling: 'Linear' },
  { name: 'leaves', type: 'integer', min: 2, max: 64, scaling: 'Logarithmic' },
  { name: 'kind', type: 'categorical', values: [1, '1', true, 'gbtree'] },
]

/** Six points: two integers by three categories. */
const TINY_RANGES: readonly ParameterRange[] = [
  { name: 'a', type: 'integer', min: 0, max: 1, scaling: 'Linear' },
  { name: 'b', type: 'categorical', values: ['x', 'y', 'z'] },
]

function make(name: string, ranges: readonly ParameterRange[], seed: number, o: StrategyConformanceOptions, maxJobs = 40): Strategy {
  return getStrategy(name, { ranges, direction: 'minimize', seed, maxJobs, ...o.options })
}

/** A deterministic objective over any space: distance of the cube coordinates from 0.3. */
function objectiveOf(ranges: readonly ParameterRange[]): (p: Params) => number {
  const space = createSpace(ranges)
  return (p) => encode(space, p).reduce((s, u) => s + (u - 0.3) ** 2, 0)
}

/**
 * A study-like run: asks of 1, 2 and 3 points in turn, trials finishing out of order, one in seven
 * Failed and one in five Stopped with a report, up to `total` trials. Returns every ask's answer.
 * @example simulate(getStrategy('Random', options), MIXED_RANGES, 24) // [[p0], [p1, p2], [p3, p4, p5], ...]
 */
export function simulate(strategy: Strategy, ranges: readonly ParameterRange[], total: number): Params[][] {
  const f = objectiveOf(ranges)
  const history: TrialView[] = []
  const answers: Params[][] = []
  for (let round = 0; history.length < total; round++) {
    const points = strategy.ask(history, Math.min(1 + (round % 3), total - history.length))
    answers.push(points)
    if (points.length === 0) break
    for (const params of points) history.push({ number: history.length, params, state: 'Running', intermediate: [] })
    // Finish all but the newest Running trial, newest first.
    const running = history.filter((t) => t.state === 'Running').slice(0, -1).reverse()
    for (const t of running) {
      const v = f(t.params)
      const done: TrialView =
        t.number % 7 === 3
          ? { ...t, state: 'Failed' }
          : t.number % 5 === 4
            ? { ...t, state: 'Stopped', value: v + 1, intermediate: [[1, v + 1]] }
            : { ...t, state: 'Completed', value: v, intermediate: [[1, v + 1], [2, v]] }
      history[t.number] = done
    }
  }
  return answers
}

function bestOfRun(name: string, fn: TestFunction, seed: number, trials: number, o: StrategyConformanceOptions): number {
  const study = createStudy({ ranges: fn.ranges, direction: 'minimize', strategy: make(name, fn.ranges, seed, o, trials), seed, maxJobs: trials, pruner: null })
  while (study.stopReason() === null) {
    const t = study.ask()
    study.tell(t, fn.evaluate(t.params))
  }
  return study.best!.value!
}

/** Branin as a learning curve over 27 steps: far above its final value early, converging to it. */
const STEPS = 27
function curve(p: Params, step: number): number {
  const wobble = 1 + 0.3 * Math.sin(5 * (p.x1 as number) + (p.x2 as number))
  return BRANIN.evaluate(p) + 30 * wobble * (1 / step - 1 / STEPS)
}

/** The best final value a strategy (with its own pruner, or none) reaches for `budget` steps in all. */
function bestForBudget(strategy: Strategy, seed: number, budget: number): number {
  const study = createStudy({ ranges: BRANIN.ranges, direction: 'minimize', strategy, seed, maxJobs: 10_000 })
  let spent = 0
  while (spent < budget && study.stopReason() === null) {
    const t = study.ask()
    let stopped = false
    for (let step = 1; step <= STEPS && spent < budget; step++) {
      t.report(step, curve(t.params, step))
      spent++
      if (step < STEPS && t.shouldStop()) {
        stopped = true
        break
      }
    }
    if (stopped || t.intermediate.length < STEPS) study.tell(t, { state: 'Stopped' })
    else study.tell(t, BRANIN.evaluate(t.params))
  }
  const completed = study.trials.filter((t) => t.state === 'Completed')
  return completed.length > 0 ? Math.min(...completed.map((t) => t.value!)) : Infinity
}

function medianOf(values: number[]): number {
  const s = [...values].sort((a, b) => a - b)
  return s.length % 2 === 1 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}

/**
 * Registers the conformance tests of the strategy `name` with vitest.
 * @example strategyConformanceSuite('Bayesian', { beatsRandom: 'function' })
 */
export function strategyConformanceSuite(name: string, options: StrategyConformanceOptions = {}): void {
  const ranges = options.discrete ? DISCRETE_RANGES : MIXED_RANGES
  const space = createSpace(ranges)
  const seeded = options.seeded ?? true

  describe(`strategy conformance: ${name}${options.label ? ` (${options.label})` : ''}`, () => {
    it('gives the same proposals for the same seed and history, bit for bit', () => {
      const a = simulate(make(name, ranges, 7, options), ranges, 24)
      const b = simulate(make(name, ranges, 7, options), ranges, 24)
      expect(b).toEqual(a)
      expect(a.flat().length).toBeGreaterThan(0)
      if (seeded) expect(simulate(make(name, ranges, 8, options), ranges, 24)).not.toEqual(a)
      // A pure function of the history: asking twice, or a fresh strategy, gives the same answer.
      const history: TrialView[] = a.flat().slice(0, 9).map((params, number) => ({ number, params, state: 'Completed', value: number % 4, intermediate: [] }))
      const s = make(name, ranges, 7, options)
      const first = s.ask(history, 3)
      expect(s.ask(history, 3)).toEqual(first)
      expect(make(name, ranges, 7, options).ask([...history].reverse(), 3)).toEqual(first)
    })

    it('proposes points of the space only: in range, integral integers, listed categoricals', () => {
      const names = ranges.map((r) => r.name).sort()
      for (const p of simulate(make(name, ranges, 3, options), ranges, 30).flat()) {
        expect(Object.keys(p).sort()).toEqual(names)
        expect(inSpace(space, p), JSON.stringify(p)).toBe(true)
        for (const r of ranges) {
          const v = p[r.name]
          if (r.type === 'categorical') expect(r.values.some((c) => Object.is(c, v))).toBe(true)
          else expect(typeof v === 'number' && (r.type === 'continuous' || Number.isInteger(v))).toBe(true)
        }
      }
    })

    it("never repeats a Running trial's point or another point of the same ask", () => {
      const s = make(name, ranges, 5, options)
      const first = s.ask([], 6)
      expect(new Set(first.map((p) => pointKey(space, p))).size).toBe(first.length)
      const history: TrialView[] = first.map((params, number) => ({ number, params, state: 'Running', intermediate: [] }))
      history.push({ number: history.length, params: first[0], state: 'Completed', value: 0.1, intermediate: [] })
      const second = s.ask(history, 6)
      const keys = [...first, ...second].map((p) => pointKey(space, p))
      expect(new Set(keys).size).toBe(keys.length)
    })

    it('never proposes a tried point while untried ones remain, and nothing once all are tried', () => {
      const tiny = createSpace(TINY_RANGES)
      const s = make(name, TINY_RANGES, 1, options, 6)
      const all = s.ask([], 6)
      expect(all).toHaveLength(6)
      expect(new Set(all.map((p) => pointKey(tiny, p))).size).toBe(6)
      const states = ['Running', 'Failed', 'Completed', 'Stopped', 'Running'] as const
      const history: TrialView[] = all.slice(0, 5).map((params, number) => ({ number, params, state: states[number], value: states[number] === 'Failed' || states[number] === 'Running' ? undefined : number, intermediate: [] }))
      const rest = s.ask(history, 3)
      expect(rest.map((p) => pointKey(tiny, p))).toEqual([pointKey(tiny, all[5])])
      expect(s.ask([...history, { number: 5, params: all[5], state: 'Failed', intermediate: [] }], 2)).toEqual([])
    })

    if (options.beatsRandom === 'function') {
      it('beats random search on Branin (median best of 5 seeds after 20 trials)', () => {
        const seeds = [0, 1, 2, 3, 4]
        const mine = medianOf(seeds.map((seed) => bestOfRun(name, BRANIN, seed, 20, options)))
        const random = medianOf(seeds.map((seed) => bestOfRun('Random', BRANIN, seed, 20, {})))
        expect(mine).toBeLessThan(random)
      })
    }

    if (options.beatsRandom === 'budget') {
      it('beats random search for the same compute on a multi-fidelity Branin (median best of 5 seeds)', () => {
        const seeds = [0, 1, 2, 3, 4]
        const budget = 12 * STEPS
        const hb = { hyperband: { minResource: 1, maxResource: STEPS, reductionFactor: 3 } }
        const mine = medianOf(seeds.map((seed) => bestForBudget(getStrategy(name, { ranges: BRANIN.ranges, direction: 'minimize', seed, maxJobs: 10_000, ...hb, ...options.options }), seed, budget)))
        const random = medianOf(seeds.map((seed) => bestForBudget(getStrategy('Random', { ranges: BRANIN.ranges, direction: 'minimize', seed, maxJobs: 10_000 }), seed, budget)))
        expect(mine).toBeLessThan(random)
      })
    }
  })
}
