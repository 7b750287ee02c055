import { describe, expect, it } from 'vitest'
import { argmaxRow, predictedLabels } from './labels.js'

const f = (...v: number[]): Float64Array => Float64Array.from(v)

describe('predictedLabels', () => {
  it('thresholds binary probabilities at 0.5 (exactly 0.5 is class 0)', () => {
    expect(Array.from(predictedLabels(f(0.7, 0.5, 0.2, 0.51), 4, 2))).toEqual([1, 0, 0, 1])
  })

  it('takes the row argmax of row-major multiclass probabilities, first on ties', () => {
    const pred = f(0.2, 0.5, 0.3, /**/ 0.4, 0.2, 0.4, /**/ 0.1, 0.1, 0.8)
    expect(Array.from(predictedLabels(pred, 3, 3))).toEqual([1, 0, 2])
  })

  it('treats two probabilities per row as a multiclass matrix', () => {
    expect(Array.from(predictedLabels(f(0.3, 0.7, 0.9, 0.1), 2, 2))).toEqual([1, 0])
  })
})

describe('argmaxRow', () => {
  it('reads k values from the offset and ignores NaN', () => {
    expect(argmaxRow(f(9, 0.1, NaN, 0.3), 1, 3)).toBe(2)
    expect(argmaxRow(f(NaN, NaN), 0, 2)).toBe(0)
  })
})
