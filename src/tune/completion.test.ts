import { describe, expect, it } from 'vitest'
import { ParamError } from '../errors.js'
import { checkCompletion, completionCheck, trialsWithoutImprovement } from './completion.js'
import { completed, trialView } from './testing/trials.js'

describe('checkCompletion', () => {
  it("refuses what SageMaker refuses", () => {
    expect(() => checkCompletion({ noImprovementJobs: 2 })).toThrow(ParamError)
    expect(() => checkCompletion({ noImprovementJobs: 3.5 })).toThrow(ParamError)
    expect(() => checkCompletion({ targetValue: NaN })).toThrow(ParamError)
    expect(() => checkCompletion({ targetValue: 0.5, noImprovementJobs: 3, onConvergence: true })).not.toThrow()
    try {
      checkCompletion({ noImprovementJobs: 1 })
    } catch (e) {
      expect((e as ParamError).location.field).toBe('completion.no_improvement_jobs')
    }
  })
})

describe('completionCheck', () => {
  it('stops when the best reaches the target, in either direction', () => {
    const h = completed([0.5, 0.3, 0.2])
    expect(completionCheck(h, { direction: 'minimize', targetValue: 0.2 })).toMatch(/^target_value reached: best 0.2 <= 0.2/)
    expect(completionCheck(h, { direction: 'minimize', targetValue: 0.1 })).toBeNull()
    expect(completionCheck(h, { direction: 'maximize', targetValue: 0.5 })).toMatch(/>= 0.5/)
    expect(completionCheck(h, { direction: 'maximize', targetValue: 0.6 })).toBeNull()
  })

  it('counts trials without a 1% improvement', () => {
    expect(trialsWithoutImprovement([10, 9, 8.95, 8.99, 9.5], 1)).toBe(3)
    expect(trialsWithoutImprovement([10, 9, 8.9], 1)).toBe(0) // 8.9 is 1.1% better than 9
    expect(trialsWithoutImprovement([1, 1.02, 1.0101], -1)).toBe(1) // maximising: 1.02 is 2% better, 1.0101 not better
    expect(trialsWithoutImprovement([0, -0.001], 1)).toBe(0) // any gain on a best of 0
    const h = completed([10, 9, 8.95, 8.99, 9.5])
    expect(completionCheck(h, { direction: 'minimize', noImprovementJobs: 3 })).toMatch(/^no_improvement_jobs: 3 trials/)
    expect(completionCheck(h, { direction: 'minimize', noImprovementJobs: 4 })).toBeNull()
  })

  it('ignores Running and Failed trials, counts Stopped ones, and reads trials in number order', () => {
    const h = [
      trialView(3, 'Completed', [], 9.5),
      trialView(0, 'Completed', [], 10),
      trialView(1, 'Failed', [], undefined),
      trialView(2, 'Stopped', [[1, 9.99]]),
      trialView(4, 'Running', [[1, 1]]),
      trialView(5, 'Completed', [], 9.48),
    ]
    // In number order: 10, 9.99 (0.1%), 9.5 (4.9%: resets), 9.48 (0.2%): one trial without improvement.
    expect(completionCheck(h, { direction: 'minimize', noImprovementJobs: 3 })).toBeNull()
    expect(completionCheck([...h, trialView(6, 'Completed', [], 9.7), trialView(7, 'Stopped', [[1, 12]])], { direction: 'minimize', noImprovementJobs: 3 })).not.toBeNull()
    expect(completionCheck([trialView(0, 'Running', [[1, 0]])], { direction: 'minimize', targetValue: 1 })).toBeNull()
  })

  it('detects convergence once the best stops moving on the scale of the values seen', () => {
    const improving = Array.from({ length: 20 }, (_, i) => 10 - i * 0.5) // best keeps moving
    expect(completionCheck(completed(improving), { direction: 'minimize', onConvergence: true })).toBeNull()
    const flat = [...Array.from({ length: 10 }, (_, i) => 10 - i), ...Array.from({ length: 10 }, (_, i) => 1.5 + (i % 3))] // best 1 since trial 9
    expect(completionCheck(completed(flat), { direction: 'minimize', onConvergence: true })).toMatch(/^on_convergence/)
    expect(completionCheck(completed(flat.slice(0, 19)), { direction: 'minimize', onConvergence: true })).toBeNull() // too few trials
    const tiny = [...flat, 1 - 0.005] // moves by 0.005 of a range of 9: 0.06%, still converged
    expect(completionCheck(completed(tiny), { direction: 'minimize', onConvergence: true })).toMatch(/^on_convergence/)
    const real = [...flat, 0.9] // 1.1% of the range: not converged
    expect(completionCheck(completed(real), { direction: 'minimize', onConvergence: true })).toBeNull()
    expect(completionCheck(completed(flat), { direction: 'minimize', onConvergence: false })).toBeNull()
  })
})
