import { describe, expect, it } from 'vitest'
import { ParamError } from '../../errors.js'
import { trialView } from '../testing/trials.js'
import type { TrialView } from '../types.js'
import { ashaPruner, ashaRungs, ashaSettings } from './asha.js'
import { hyperbandPruner } from './hyperband.js'

const minimize = { direction: 'minimize' } as const

/** Trials 0..5 each reporting one value at step 1, in order; each asks the pruner as it reports. */
function firstRung(values: number[], options = {}): boolean[] {
  const pruner = ashaPruner({ minResource: 1, maxResource: 27, reductionFactor: 3, ...options })
  const history: TrialView[] = []
  return values.map((v, i) => {
    const t = trialView(i, 'Running', [[1, v]])
    history.push(t)
    return pruner.shouldStop(t, history, minimize)
  })
}

describe('ashaRungs', () => {
  it('places rungs at minResource times powers of eta below maxResource', () => {
    expect(ashaRungs(ashaSettings({ minResource: 1, maxResource: 81 }), 1000)).toEqual([1, 3, 9, 27])
    expect(ashaRungs(ashaSettings({ minResource: 10, maxResource: 100, reductionFactor: 2 }), 50)).toEqual([10, 20, 40])
    expect(ashaRungs(ashaSettings({ minResource: 2 }), 60)).toEqual([2, 6, 18, 54])
  })

  it('checks its settings', () => {
    expect(() => ashaSettings({ minResource: 0 })).toThrow(ParamError)
    expect(() => ashaSettings({ minResource: 5, maxResource: 5 })).toThrow(ParamError)
    expect(() => ashaSettings({ reductionFactor: 1 })).toThrow(ParamError)
  })
})

describe('ashaPruner', () => {
  it('keeps only the best 1/eta of the trials at a rung (the best one while fewer than eta reached it)', () => {
    // At rung 1: [0.5] keep 1; [0.4, 0.5] keep 1; 0.6 is third of 3: stop; 0.3 best; 0.45 fourth of
    // 5 (keep 1): stop; 0.2 best of 6 (keep 2).
    expect(firstRung([0.5, 0.4, 0.6, 0.3, 0.45, 0.2])).toEqual([false, false, true, false, true, false])
  })

  it('decides at the report that reaches a rung, not between rungs or before minResource', () => {
    const pruner = ashaPruner({ minResource: 2, maxResource: 18, reductionFactor: 3 })
    const history = [trialView(0, 'Completed', [[1, 0.1], [2, 0.1], [6, 0.1]])]
    const early = trialView(1, 'Running', [[1, 9]])
    expect(pruner.shouldStop(early, [...history, early], minimize)).toBe(false) // step 1 < minResource 2
    const atRung = trialView(1, 'Running', [[1, 9], [2, 9]])
    expect(pruner.shouldStop(atRung, [...history, atRung], minimize)).toBe(true)
    const after = trialView(1, 'Running', [[1, 9], [2, 9], [3, 9]])
    expect(pruner.shouldStop(after, [...history, after], minimize)).toBe(false) // rung 2 was decided at step 2
    const skipped = trialView(1, 'Running', [[1, 9], [4, 9]]) // reaches rung 2 at step 4
    expect(pruner.shouldStop(skipped, [...history, skipped], minimize)).toBe(true)
    const done = trialView(1, 'Running', [[18, 9]]) // at maxResource: finishing anyway
    expect(pruner.shouldStop(done, [trialView(0, 'Completed', [[18, 0.1]]), done], minimize)).toBe(false)
  })

  it('honours the direction and stops a trial that reports NaN at a rung', () => {
    const pruner = ashaPruner({ minResource: 1, reductionFactor: 2 })
    const history = [trialView(0, 'Completed', [[1, 0.9]])]
    const t = trialView(1, 'Running', [[1, 0.5]])
    expect(pruner.shouldStop(t, [...history, t], minimize)).toBe(false)
    expect(pruner.shouldStop(t, [...history, t], { direction: 'maximize' })).toBe(true)
    const bad = trialView(1, 'Running', [[1, NaN]])
    expect(pruner.shouldStop(bad, [bad], minimize)).toBe(true)
  })
})

describe('hyperbandPruner', () => {
  it('is ASHA with one bracket', () => {
    const pruner = hyperbandPruner({ minResource: 1, maxResource: 27 })
    const history: TrialView[] = []
    const stops = [0.5, 0.4, 0.6, 0.3, 0.45, 0.2].map((v, i) => {
      const t = trialView(i, 'Running', [[1, v]])
      history.push(t)
      return pruner.shouldStop(t, history, minimize)
    })
    expect(stops).toEqual(firstRung([0.5, 0.4, 0.6, 0.3, 0.45, 0.2]))
  })

  it('compares trials only within their bracket, whose first rung is minResource times eta^b', () => {
    const pruner = hyperbandPruner({ minResource: 1, maxResource: 27, brackets: 2 })
    const history = [trialView(0, 'Completed', [[1, 0.1], [3, 0.1]]), trialView(1, 'Completed', [[1, 0.1], [3, 0.1]])]
    const even = trialView(2, 'Running', [[1, 0.5]]) // bracket 0 (rung at 1): trial 0 is better
    expect(pruner.shouldStop(even, [...history, even], minimize)).toBe(true)
    const odd = trialView(3, 'Running', [[1, 0.5]]) // bracket 1: first rung at 3
    expect(pruner.shouldStop(odd, [...history, odd], minimize)).toBe(false)
    const oddAt3 = trialView(3, 'Running', [[1, 0.5], [3, 0.5]])
    expect(pruner.shouldStop(oddAt3, [...history, oddAt3], minimize)).toBe(true)
    expect(() => hyperbandPruner({ minResource: 1, maxResource: 27, brackets: 4 })).toThrow(ParamError)
  })
})
