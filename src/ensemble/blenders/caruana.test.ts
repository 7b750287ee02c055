import { describe, expect, it } from 'vitest'
import { getMetric } from '../../metrics/registry.js'
import { caruanaSelect } from './caruana.js'

describe('caruanaSelect', () => {
  const y = Float64Array.of(0, 1, 2, 3)

  it('picks the best member first', () => {
    // rmse: member 0 is off by 1 everywhere (rmse 1), member 1 off by 0.5 (rmse 0.5), member 2 off by 2.
    const oof = [Float64Array.of(1, 2, 3, 4), Float64Array.of(0.5, 1.5, 2.5, 3.5), Float64Array.of(2, 3, 4, 5)]
    const s = caruanaSelect(oof, y, 1, getMetric('rmse'), 1)
    expect(Array.from(s.counts)).toEqual([0, 1, 0])
    expect(s.trace[0]).toBeCloseTo(0.5, 12)
  })

  it('adds a member that cancels the first one\'s error and weights sum to 1', () => {
    // Member 0: +1 bias (rmse 1). Member 1: -1 bias (rmse 1). Tie at the first pick: lowest index, 0.
    // Second pick: adding 1 gives the average y exactly (rmse 0); adding 0 again keeps rmse 1.
    const oof = [Float64Array.of(1, 2, 3, 4), Float64Array.of(-1, 0, 1, 2)]
    const s = caruanaSelect(oof, y, 1, getMetric('rmse'), 2)
    expect(Array.from(s.counts)).toEqual([1, 1])
    expect(Array.from(s.weights)).toEqual([0.5, 0.5])
    expect(s.trace[1]).toBe(0)
  })

  it('follows the metric direction (auc is maximised)', () => {
    const yb = Float64Array.of(0, 0, 1, 1)
    // Member 1 ranks perfectly (auc 1); averaging in member 0 (auc 0) would lower the auc to 0.5.
    const oof = [Float64Array.of(0.9, 0.8, 0.1, 0.2), Float64Array.of(0.1, 0.2, 0.8, 0.9)]
    const s = caruanaSelect(oof, yb, 2, getMetric('auc'), 2)
    expect(Array.from(s.counts)).toEqual([0, 2])
    expect(s.trace[0]).toBe(1)
  })
})
