import { describe, expect, it } from 'vitest'
import { DataError } from '../errors.js'
import { mae, mape, r2, rmse } from './regression.js'

const f = (...v: number[]): Float64Array => Float64Array.from(v)

// Shared example: y = [3, -0.5, 2, 7], pred = [2.5, 0, 2, 8]
// errors y - pred = [0.5, -0.5, 0, -1], squares [0.25, 0.25, 0, 1] (sum 1.5), |errors| sum 2
const y = f(3, -0.5, 2, 7)
const pred = f(2.5, 0, 2, 8)
// weights [1, 2, 1, 0.5], sum 4.5
const w = f(1, 2, 1, 0.5)

describe('rmse', () => {
  it('matches hand-computed values', () => {
    expect(rmse(y, pred)).toBeCloseTo(Math.sqrt(1.5 / 4), 15) // sqrt(0.375) = 0.61237...
    // weighted squares: 0.25 + 2 * 0.25 + 0 + 0.5 * 1 = 1.25; 1.25 / 4.5
    expect(rmse(y, pred, w)).toBeCloseTo(Math.sqrt(1.25 / 4.5), 15)
    expect(rmse(f(1, 2), f(1, 2))).toBe(0)
  })

  it('accepts any array-like (Float32Array predictions)', () => {
    expect(rmse(y, Float32Array.from(pred))).toBeCloseTo(Math.sqrt(0.375), 7)
  })

  it('propagates NaN predictions', () => {
    expect(rmse(f(1, 2), f(1, NaN))).toBeNaN()
  })

  it('throws a DataError on mismatched lengths, no rows and zero total weight', () => {
    expect(() => rmse(f(1, 2), f(1))).toThrow(DataError)
    expect(() => rmse(f(1, 2), f(1, 2), f(1))).toThrow(/1 weights for 2 rows/)
    expect(() => rmse(f(), f())).toThrow(/no rows/)
    expect(() => rmse(f(1, 2), f(1, 2), f(0, 0))).toThrow(/weights sum to 0/)
  })
})

describe('mae', () => {
  it('matches hand-computed values', () => {
    expect(mae(y, pred)).toBe(2 / 4)
    // weighted: 0.5 + 2 * 0.5 + 0 + 0.5 * 1 = 2; 2 / 4.5
    expect(mae(y, pred, w)).toBeCloseTo(2 / 4.5, 15)
  })
})

describe('r2', () => {
  it('matches hand-computed values', () => {
    // mean y = 11.5 / 4 = 2.875; deviations [0.125, -3.375, -0.875, 4.125]
    // SS_tot = 0.015625 + 11.390625 + 0.765625 + 17.015625 = 29.1875; SS_res = 1.5
    expect(r2(y, pred)).toBeCloseTo(1 - 1.5 / 29.1875, 14) // 0.94860...
    // weighted mean = (3 - 1 + 2 + 3.5) / 4.5 = 5/3; deviations [4/3, -13/6, 1/3, 16/3]
    // SS_tot = 16/9 + 2 * 169/36 + 1/9 + 0.5 * 256/9 = 25.5; SS_res = 1.25
    expect(r2(y, pred, w)).toBeCloseTo(1 - 1.25 / 25.5, 14) // 0.95098...
  })

  it('is 1 for a perfect fit and 0 for predicting the mean', () => {
    expect(r2(y, y)).toBe(1)
    expect(r2(y, f(2.875, 2.875, 2.875, 2.875))).toBe(0)
  })

  it('handles a constant target like scikit-learn: 1 if exact, else 0', () => {
    expect(r2(f(2, 2, 2), f(2, 2, 2))).toBe(1)
    expect(r2(f(2, 2, 2), f(2, 2, 3))).toBe(0)
  })

  it('is NaN for a single row (undefined, as in scikit-learn)', () => {
    expect(r2(f(1), f(1))).toBeNaN()
  })
})

describe('mape', () => {
  it('matches hand-computed values (a fraction, not a percentage)', () => {
    // |errors| / |y| = [0.5/3, 0.5/0.5, 0/2, 1/7] = [0.16667, 1, 0, 0.142857]; mean 0.327381
    expect(mape(y, pred)).toBeCloseTo((0.5 / 3 + 1 + 0 + 1 / 7) / 4, 15)
    // weighted: (0.5/3 + 2 * 1 + 0 + 0.5 / 7) / 4.5 = 0.497354
    expect(mape(y, pred, w)).toBeCloseTo((0.5 / 3 + 2 + 0.5 / 7) / 4.5, 15)
  })

  it('divides by machine epsilon for a zero target, like scikit-learn', () => {
    // (1 / 2.220446e-16 + 0) / 2 = 2251799813685248
    expect(mape(f(0, 1), f(1, 1))).toBe(1 / Number.EPSILON / 2)
  })
})
