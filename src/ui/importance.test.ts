import { describe, expect, it } from 'vitest'
import { featureImportance } from './importance.js'

describe('featureImportance', () => {
  it('shares a gbdt member’s total gain, largest first, leaving out unused features', () => {
    const imp = featureImportance({ kind: 'gbdt', featureNames: ['a', 'b', 'c'], splitCount: [1, 3, 0], totalGain: [1, 3, 0] })
    expect(imp).toEqual({ measure: 'total_gain', values: [{ feature: 'b', share: 0.75 }, { feature: 'a', share: 0.25 }] })
  })

  it('sums a linear member’s absolute coefficients over one-hot columns and outputs', () => {
    // Two outputs over the columns [x, color=red, color=blue]: coef is output-major.
    const inputs = [
      { name: 'x', type: 'numeric', mean: 0, scale: 1 },
      { name: 'color', type: 'categorical', categories: ['red', 'blue'] },
    ]
    const imp = featureImportance({ kind: 'linear', inputs, coef: Float64Array.of(1, -2, 1, -1, 0, 3) })
    // x: |1| + |-1| = 2; color: |-2| + |1| + |0| + |3| = 6.
    expect(imp).toEqual({ measure: 'abs_coefficient', values: [{ feature: 'color', share: 0.75 }, { feature: 'x', share: 0.25 }] })
  })

  it('averages a bag’s models, and has none for a kind without a measure', () => {
    const gbdt = (gains: number[]) => ({ kind: 'gbdt', featureNames: ['a', 'b'], splitCount: [1, 1], totalGain: gains })
    const imp = featureImportance({ kind: 'bag', models: [gbdt([1, 0]), gbdt([1, 1])] })
    expect(imp!.measure).toBe('mean_of_bag')
    expect(imp!.values.map((v) => [v.feature, v.share])).toEqual([
      ['a', 0.75],
      ['b', 0.25],
    ])
    expect(featureImportance({ kind: 'mystery' })).toBeNull()
  })
})
