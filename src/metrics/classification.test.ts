import { describe, expect, it } from 'vitest'
import { DataError } from '../errors.js'
import { accuracy, f1Macro } from './classification.js'

const f = (...v: number[]): Float64Array => Float64Array.from(v)

describe('accuracy', () => {
  it('matches hand-computed values', () => {
    // y = [0, 1, 2, 2], labels = [0, 2, 2, 2]: rows 0, 2, 3 right -> 3 / 4
    expect(accuracy(f(0, 1, 2, 2), f(0, 2, 2, 2))).toBe(0.75)
    // weights [1, 5, 1, 1]: right mass 3 of 8
    expect(accuracy(f(0, 1, 2, 2), f(0, 2, 2, 2), f(1, 5, 1, 1))).toBe(3 / 8)
  })
})

describe('f1Macro', () => {
  it('matches hand-computed values', () => {
    // class 0: TP 1, FP 0, FN 1 -> 2 / 3; class 1: TP 2, FP 1, FN 0 -> 4 / 5; mean 0.73333
    expect(f1Macro(f(0, 0, 1, 1), f(0, 1, 1, 1))).toBeCloseTo((2 / 3 + 4 / 5) / 2, 15)
    // y = [0, 1, 2, 2, 1], labels = [0, 2, 2, 2, 0]
    // class 0: TP 1, FP 1 (row 4), FN 0 -> 2/3; class 1: TP 0 -> 0; class 2: TP 2, FP 1 (row 1) -> 4/5
    const y = f(0, 1, 2, 2, 1)
    const labels = f(0, 2, 2, 2, 0)
    expect(f1Macro(y, labels)).toBeCloseTo((2 / 3 + 0 + 4 / 5) / 3, 15) // 0.48889
    // weights [1, 2, 1, 1, 3]: class 0: 2 / (2 + 3) = 0.4; class 1: 0; class 2: 4 / (4 + 2) = 2/3
    expect(f1Macro(y, labels, f(1, 2, 1, 1, 3))).toBeCloseTo((0.4 + 0 + 2 / 3) / 3, 15) // 0.35556
  })

  it('averages over the classes present in y or labels only, like scikit-learn', () => {
    // classes 0, 1, 3 appear (2 does not): F1 = 1, 0, 0 -> 1/3
    expect(f1Macro(f(0, 0, 1), f(0, 0, 3))).toBeCloseTo(1 / 3, 15)
  })

  it('is 1 for a perfect prediction', () => {
    expect(f1Macro(f(0, 1, 2), f(0, 1, 2))).toBe(1)
  })

  it('rejects class ids that are not non-negative integers', () => {
    expect(() => f1Macro(f(0, 1.5), f(0, 1))).toThrow(DataError)
    expect(() => f1Macro(f(0, 1), f(0, -1))).toThrow(/row 1 is -1/)
  })
})
