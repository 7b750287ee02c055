import { describe, expect, it } from 'vitest'
import { ParamError } from '../../errors.js'
import { trialView } from '../testing/trials.js'
import { wilcoxonPruner } from './wilcoxon.js'

const best = trialView(0, 'Completed', [[0, 1.0], [1, 1.1], [2, 0.9], [3, 1.0], [4, 1.0]], 1.0)
const worse = trialView(1, 'Completed', [[0, 2], [1, 2], [2, 2], [3, 2], [4, 2]], 2)
const minimize = { direction: 'minimize' } as const

describe('wilcoxonPruner', () => {
  const pruner = wilcoxonPruner()
  const running = (reports: [number, number][]) => trialView(2, 'Running', reports)

  it('stops a trial clearly worse than the best on the same folds', () => {
    // Differences 0.2, 0.2, 0.1, 0.05: all positive, so T+ is the largest sum and p = 1/16.
    const four = running([[0, 1.2], [1, 1.3], [2, 1.0], [3, 1.05]])
    expect(pruner.shouldStop(four, [best, worse, four], minimize)).toBe(true)
    // Three folds: p = 1/8, not below 0.1.
    const three = running([[0, 1.2], [1, 1.3], [2, 1.0]])
    expect(pruner.shouldStop(three, [best, worse, three], minimize)).toBe(false)
    expect(wilcoxonPruner({ pThreshold: 0.2 }).shouldStop(three, [best, three], minimize)).toBe(true)
  })

  it('keeps a trial that is not consistently worse, or better', () => {
    const mixed = running([[0, 1.2], [1, 1.0], [2, 1.2], [3, 0.95]])
    expect(pruner.shouldStop(mixed, [best, mixed], minimize)).toBe(false)
    const good = running([[0, 0.8], [1, 0.9], [2, 0.7], [3, 0.8]])
    expect(pruner.shouldStop(good, [best, good], minimize)).toBe(false)
    expect(pruner.shouldStop(good, [best, worse, good], { direction: 'maximize' })).toBe(true) // the best is now 'worse'
  })

  it('pairs only folds both trials have, and needs minSteps of them', () => {
    const partialBest = trialView(0, 'Completed', [[0, 1], [2, 1]], 1)
    const t = running([[0, 2], [1, 2], [2, 2], [3, 2]])
    expect(pruner.shouldStop(t, [partialBest, t], minimize)).toBe(false) // two common folds
    expect(wilcoxonPruner({ minSteps: 5 }).shouldStop(running([[0, 9], [1, 9], [2, 9], [3, 9]]), [best], minimize)).toBe(false)
  })

  it('compares with Completed trials only and checks its options', () => {
    const stopped = trialView(0, 'Stopped', [[0, 0], [1, 0], [2, 0], [3, 0]], 0)
    const t = running([[0, 1], [1, 1], [2, 1], [3, 1]])
    expect(pruner.shouldStop(t, [stopped, t], minimize)).toBe(false)
    expect(() => wilcoxonPruner({ pThreshold: 0 })).toThrow(ParamError)
    expect(() => wilcoxonPruner({ minSteps: 0 })).toThrow(ParamError)
  })
})
