import { describe, expect, it } from 'vitest'
import { entropy, entropyProxy, gini, giniProxy, impurityDecrease, squaredErrorProxy, variance } from './impurity.js'

describe('impurity by hand', () => {
  it('gini of a tiny class histogram', () => {
    expect(gini([2, 2])).toBeCloseTo(0.5, 12)
    expect(gini([3, 1])).toBeCloseTo(1 - (0.75 ** 2 + 0.25 ** 2), 12) // 0.375
    expect(gini([4, 0])).toBe(0)
  })

  it('entropy in bits', () => {
    expect(entropy([1, 1])).toBeCloseTo(1, 12)
    expect(entropy([3, 1])).toBeCloseTo(-(0.75 * Math.log2(0.75) + 0.25 * Math.log2(0.25)), 12) // 0.8113
    expect(entropy([1, 1, 1, 1])).toBeCloseTo(2, 12)
    expect(entropy([5, 0])).toBe(0)
  })

  it('variance from weight, sum and sum of squares', () => {
    // Values 1, 2, 3, 6: mean 3, squared deviations 4 + 1 + 0 + 9 = 14.
    expect(variance(4, 12, 1 + 4 + 9 + 36)).toBeCloseTo(14 / 4, 12)
  })

  it('gini decrease of a split of [3, 3] into [3, 1] | [0, 2]', () => {
    const dec = impurityDecrease(6, gini([3, 3]), 4, gini([3, 1]), 2, gini([0, 2]))
    expect(dec).toBeCloseTo(6 * 0.5 - 4 * 0.375 - 0, 12) // 1.5
    // The proxy differs from the decrease by the node's constant sum c^2 / w = 18 / 6.
    const proxy = giniProxy(new Float64Array([3, 1]), new Float64Array([0, 2]), 2)
    expect(proxy - 18 / 6).toBeCloseTo(dec, 12)
  })

  it('entropy decrease matches its proxy up to the node constant', () => {
    const dec = impurityDecrease(6, entropy([3, 3]), 4, entropy([3, 1]), 2, entropy([0, 2]))
    expect(dec).toBeCloseTo(6 - 4 * 0.8112781244591328, 12)
    const proxy = entropyProxy(new Float64Array([3, 1]), new Float64Array([0, 2]), 2)
    // proxy = -ln2 * (children's weighted entropy in bits); node term: 6 * 1 bit.
    expect(6 + proxy / Math.LN2).toBeCloseTo(dec, 12)
  })

  it('variance reduction of splitting 1, 2 | 3, 6', () => {
    const all = 4 * variance(4, 12, 50)
    const dec = all - 2 * variance(2, 3, 5) - 2 * variance(2, 9, 45)
    expect(dec).toBeCloseTo(14 - 0.5 - 4.5, 12) // 9
    expect(squaredErrorProxy(2, 3, 2, 9) - (12 * 12) / 4).toBeCloseTo(dec, 12)
  })
})
