import { describe, expect, it } from 'vitest'
import { DataError } from '../errors.js'
import { merror, mlogloss } from './multiclass.js'

const f = (...v: number[]): Float64Array => Float64Array.from(v)

// Three rows, three classes, row-major probabilities; true classes [0, 2, 0]
const pred = f(0.7, 0.2, 0.1, /**/ 0.25, 0.25, 0.5, /**/ 0.1, 0.8, 0.1)
const y = f(0, 2, 0)

describe('mlogloss', () => {
  it('matches hand-computed values', () => {
    // true-class probabilities 0.7, 0.5, 0.1: (0.35667 + 0.69315 + 2.30259) / 3 = 1.11747
    expect(mlogloss(y, pred, 3)).toBeCloseTo(-(Math.log(0.7) + Math.log(0.5) + Math.log(0.1)) / 3, 15)
    // weights [1, 1, 2]: (0.35667 + 0.69315 + 2 * 2.30259) / 4 = 1.41375
    expect(mlogloss(y, pred, 3, f(1, 1, 2))).toBeCloseTo(-(Math.log(0.7) + Math.log(0.5) + 2 * Math.log(0.1)) / 4, 15)
  })

  it('clips a zero probability at the float64 epsilon', () => {
    expect(mlogloss(f(1), f(1, 0, 0), 3)).toBeCloseTo(-Math.log(Number.EPSILON), 10)
  })

  it('checks the matrix shape and the class ids', () => {
    expect(() => mlogloss(y, pred, 2)).toThrow(/9 predictions for 3 rows x 2 classes = 6 expected/)
    expect(() => mlogloss(f(0, 3, 0), pred, 3)).toThrow(DataError)
    expect(() => mlogloss(f(0, 0.5, 0), pred, 3)).toThrow(/row 1 is 0.5/)
  })
})

describe('merror', () => {
  it('matches hand-computed values', () => {
    // argmax per row: 0, 2, 1; true 0, 2, 0 -> one wrong of three
    expect(merror(y, pred, 3)).toBeCloseTo(1 / 3, 15)
    // weights [1, 1, 2]: wrong mass 2 of 4
    expect(merror(y, pred, 3, f(1, 1, 2))).toBe(0.5)
  })

  it('takes the first class on ties (row [0.4, 0.4, 0.2] predicts class 0)', () => {
    expect(merror(f(0), f(0.4, 0.4, 0.2), 3)).toBe(0)
    expect(merror(f(1), f(0.4, 0.4, 0.2), 3)).toBe(1)
  })
})
