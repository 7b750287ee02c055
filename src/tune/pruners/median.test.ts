import { describe, expect, it } from 'vitest'
import { ParamError } from '../../errors.js'
import { trialView } from '../testing/trials.js'
import { median, medianPruner, runningAverage } from './median.js'

const earlier = [
  trialView(0, 'Completed', [[1, 10], [2, 8], [3, 6]]), // running averages: 10, 9, 8
  trialView(1, 'Completed', [[1, 4], [2, 4], [3, 4]]), // 4, 4, 4
  trialView(2, 'Stopped', [[1, 12], [2, 2]]), // 12, 7 (never reached step 3)
]

describe('median and running averages', () => {
  it('computes hand-checked values', () => {
    expect(median([3, 1, 2, 10])).toBe(2.5)
    expect(median([5, 1, 3])).toBe(3)
    expect(runningAverage(earlier[0], 2)).toBe(9)
    expect(runningAverage(earlier[2], 2)).toBe(7)
    expect(runningAverage(earlier[2], 3)).toBeUndefined()
    expect(runningAverage(trialView(5, 'Running', [[1, 4], [4, 2]]), 2)).toBe(4) // reached step 2 at step 4
  })
})

describe('medianPruner', () => {
  const pruner = medianPruner({ minTrials: 3 })
  const at = (reports: [number, number][], number = 3) => trialView(number, 'Running', reports)

  it("stops a trial worse than the median of earlier trials' running averages at its step", () => {
    // Step 2: running averages 9, 4, 7, median 7.
    expect(pruner.shouldStop(at([[1, 5], [2, 7.5]]), earlier, { direction: 'minimize' })).toBe(true)
    expect(pruner.shouldStop(at([[1, 5], [2, 7]]), earlier, { direction: 'minimize' })).toBe(false) // equal is not worse
    expect(pruner.shouldStop(at([[1, 5], [2, 6.5]]), earlier, { direction: 'minimize' })).toBe(false)
    expect(pruner.shouldStop(at([[1, 5], [2, 6.5]]), earlier, { direction: 'maximize' })).toBe(true)
    // Step 3: trial 2 never got there; averages 8 and 4, median 6.
    expect(pruner.shouldStop(at([[3, 5]]), earlier, { direction: 'minimize' })).toBe(false)
    expect(pruner.shouldStop(at([[3, 6.1]]), earlier, { direction: 'minimize' })).toBe(true)
  })

  it('waits for minTrials finished trials and ignores later and failed ones', () => {
    expect(medianPruner({ minTrials: 4 }).shouldStop(at([[2, 100]]), earlier, { direction: 'minimize' })).toBe(false)
    const history = [...earlier, trialView(4, 'Completed', [[2, 0]]), trialView(5, 'Failed', [[2, 0]])]
    expect(pruner.shouldStop(at([[2, 6.5]]), history, { direction: 'minimize' })).toBe(false)
    const failedEarlier = [...earlier, trialView(3, 'Failed', [[2, 0]])]
    expect(pruner.shouldStop(at([[2, 6.5]], 4), failedEarlier, { direction: 'minimize' })).toBe(false)
  })

  it('never stops during warm-up steps, and checks its options', () => {
    expect(medianPruner({ minTrials: 3, warmupSteps: 3 }).shouldStop(at([[2, 100]]), earlier, { direction: 'minimize' })).toBe(false)
    expect(() => medianPruner({ minTrials: 0 })).toThrow(ParamError)
  })
})
