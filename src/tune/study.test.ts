import { describe, expect, it } from 'vitest'
import { ParamError } from '../errors.js'
import { createStudy } from './study.js'
import type { ParameterRange, Pruner, TrialView } from './types.js'

const ranges: ParameterRange[] = [
  { name: 'x', type: 'continuous', min: -2, max: 2, scaling: 'Linear' },
  { name: 'k', type: 'integer', min: 1, max: 5, scaling: 'Linear' },
]
const f = (p: Record<string, unknown>): number => ((p.x as number) - 0.5) ** 2 + (p.k as number)

/** Stops a trial whose latest report exceeds 1. */
const aboveOne: Pruner = { name: 'above-one', shouldStop: (t) => t.intermediate[t.intermediate.length - 1][1] > 1 }

describe('createStudy', () => {
  it('asks, tells and keeps the best until maxJobs', () => {
    const study = createStudy({ ranges, direction: 'minimize', strategy: 'Random', seed: 3, maxJobs: 6 })
    while (study.stopReason() === null) {
      const trial = study.ask()
      study.tell(trial, f(trial.params))
    }
    expect(study.stopReason()).toBe('max_jobs (6) reached')
    expect(study.trials.map((t) => t.number)).toEqual([0, 1, 2, 3, 4, 5])
    expect(study.trials.every((t) => t.state === 'Completed')).toBe(true)
    expect(study.best!.value).toBe(Math.min(...study.trials.map((t) => t.value!)))
    expect(() => study.ask()).toThrow(/max_jobs/)
    expect(study.askMany(3)).toEqual([])
  })

  it('fails trials told a non-finite value or a failure, and refuses a second tell', () => {
    const study = createStudy({ ranges, direction: 'maximize', strategy: 'Random', maxJobs: 5 })
    const [a, b, c] = study.askMany(3)
    expect(study.tell(a, NaN).state).toBe('Failed')
    expect(study.trial(a.number)!.reason).toMatch(/not a finite number/)
    expect(study.tell(b, { state: 'Failed', reason: 'out of memory' })).toMatchObject({ state: 'Failed' })
    expect(study.tell(c, { state: 'Completed', value: 2 })).toMatchObject({ state: 'Completed', value: 2 })
    expect(() => study.tell(c, 3)).toThrow(/already ended/)
    const other = createStudy({ ranges, direction: 'maximize', strategy: 'Random', maxJobs: 5 }).ask()
    expect(() => study.tell(other, 1)).toThrow(/not a trial of this study/)
    expect(study.best!.number).toBe(c.number)
  })

  it('takes increasing reports while running and consults the pruner', () => {
    const study = createStudy({ ranges, direction: 'minimize', strategy: 'Random', maxJobs: 5, pruner: aboveOne })
    const trial = study.ask()
    expect(trial.shouldStop()).toBe(false) // no report yet
    trial.report(1, 0.5)
    expect(trial.shouldStop()).toBe(false)
    expect(() => trial.report(1, 0.4)).toThrow(ParamError)
    trial.report(2, 1.5)
    expect(trial.shouldStop()).toBe(true)
    expect(trial.pruned).toBe(true)
    const view = study.tell(trial, { state: 'Stopped' })
    expect(view).toMatchObject({ state: 'Stopped', value: 1.5, intermediate: [[1, 0.5], [2, 1.5]] })
    expect(() => trial.report(3, 0)).toThrow(/takes no more reports/)
    expect(trial.shouldStop()).toBe(true)
  })

  it("uses Hyperband's own pruner unless told otherwise", () => {
    const hb = createStudy({ ranges, direction: 'minimize', strategy: 'hyperband', maxJobs: 5, hyperband: { minResource: 1, maxResource: 9 } })
    expect(hb.pruner?.name).toBe('hyperband')
    expect(createStudy({ ranges, direction: 'minimize', strategy: 'Hyperband', maxJobs: 5, pruner: null }).pruner).toBeUndefined()
    expect(createStudy({ ranges, direction: 'minimize', strategy: 'Hyperband', maxJobs: 5, pruner: aboveOne }).pruner).toBe(aboveOne)
    expect(createStudy({ ranges, direction: 'minimize', maxJobs: 5 }).strategy.name).toBe('Bayesian')
  })

  it('stops on a completion criterion and on request', () => {
    const study = createStudy({ ranges, direction: 'minimize', strategy: 'Random', maxJobs: 50, completion: { targetValue: 1.5 } })
    while (study.stopReason() === null) {
      const t = study.ask()
      study.tell(t, f(t.params))
    }
    expect(study.stopReason()).toMatch(/^target_value reached/)
    expect(study.trials.length).toBeLessThan(50)
    const other = createStudy({ ranges, direction: 'minimize', strategy: 'Random', maxJobs: 50 })
    other.stop('interrupted')
    expect(other.stopReason()).toBe('interrupted')
    expect(() => createStudy({ ranges, direction: 'minimize', maxJobs: 5, completion: { noImprovementJobs: 1 } })).toThrow(ParamError)
  })

  it('says when a grid is exhausted', () => {
    const grid = createStudy({ ranges: [{ name: 'k', type: 'integer', min: 1, max: 3, scaling: 'Linear' }], direction: 'minimize', strategy: 'Grid', maxJobs: 10 })
    expect(grid.askMany(5).map((t) => t.params.k)).toEqual([1, 2, 3])
    expect(grid.stopReason()).toBe('the search space is exhausted')
  })

  it('resumes from earlier trials and proposes what an uninterrupted study would', () => {
    for (const strategy of ['Random', 'Bayesian']) {
      const whole = createStudy({ ranges, direction: 'minimize', strategy, seed: 11, maxJobs: 12 })
      for (let i = 0; i < 12; i++) {
        const t = whole.ask()
        whole.tell(t, f(t.params))
      }
      const prefix: TrialView[] = whole.trials.slice(0, 9)
      const resumed = createStudy({ ranges, direction: 'minimize', strategy, seed: 11, maxJobs: 12, trials: prefix })
      for (let i = 9; i < 12; i++) {
        const t = resumed.ask()
        expect(t.number).toBe(i)
        expect(t.params).toEqual(whole.trials[i].params)
        resumed.tell(t, f(t.params))
      }
      expect(resumed.stopReason()).toBe('max_jobs (12) reached')
    }
  })

  it('lets a resumed Running trial be reported on and told about, and checks resumed trials', () => {
    const running: TrialView = { number: 4, params: { x: 0, k: 2 }, state: 'Running', intermediate: [[1, 3]] }
    const study = createStudy({ ranges, direction: 'minimize', strategy: 'Random', maxJobs: 10, trials: [running] })
    const t = study.trial(4)!
    t.report(2, 2.5)
    expect(study.tell(4, 2.25)).toMatchObject({ state: 'Completed', value: 2.25, intermediate: [[1, 3], [2, 2.5]] })
    expect(study.ask().number).toBe(5)
    expect(() => createStudy({ ranges, direction: 'minimize', maxJobs: 10, trials: [running, running] })).toThrow(ParamError)
    expect(() => createStudy({ ranges, direction: 'minimize', maxJobs: 10, trials: [{ ...running, state: 'Done' as never }] })).toThrow(ParamError)
    expect(() => createStudy({ ranges, direction: 'minimize', maxJobs: 10, trials: [{ ...running, number: -1 }] })).toThrow(ParamError)
  })

  it('checks its options with ParamErrors naming the field', () => {
    const field = (fn: () => unknown): string | undefined => {
      try {
        fn()
      } catch (e) {
        return (e as ParamError).location?.field
      }
      return undefined
    }
    expect(field(() => createStudy({ ranges, direction: 'minimize', strategy: 'Bayesain', maxJobs: 5 }))).toBe('strategy')
    expect(field(() => createStudy({ ranges, direction: 'up' as never, maxJobs: 5 }))).toBe('direction')
    expect(field(() => createStudy({ ranges, direction: 'minimize', maxJobs: 0 }))).toBe('maxJobs')
    expect(field(() => createStudy({ ranges: [], direction: 'minimize', maxJobs: 5 }))).toBe('ranges')
    expect(field(() => createStudy({ ranges, direction: 'minimize', strategy: 'Grid', maxJobs: 5 }))).toBe('ranges.x')
    expect(field(() => createStudy({ ranges, direction: 'minimize', strategy: 'Random', maxJobs: 5, seed: 1.5 }))).toBe('seed')
  })
})
