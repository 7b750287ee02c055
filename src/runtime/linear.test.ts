import { describe, expect, it } from 'vitest'
import { categoricalColumn, makeFrame, numericColumn } from '../data/frame.js'
import { encodedWidth, encodeFrame, linearMargins, linearMarginsRows, predictLinear, type LinearPredictor } from './linear.js'

const predictor: LinearPredictor = {
  inputs: [
    { name: 'x', type: 'numeric', mean: 2, scale: 4 },
    { name: 'c', type: 'categorical', categories: ['red', 'blue'] },
  ],
  nOutputs: 2,
  // Output 0: 1 * z + 10 [red] + 20 [blue]; output 1: -1 * z + 0 [red] + 5 [blue].
  coef: Float64Array.of(1, 10, 20, -1, 0, 5),
  intercept: Float64Array.of(0.5, -0.5),
  link: 'softmax',
}

// Rows: x = 6 blue; x missing, red; x = -2, unseen 'green'; x = 2, missing category.
const frame = makeFrame([
  categoricalColumn('c', Int32Array.of(0, 2, 1, -1), ['blue', 'green', 'red']),
  numericColumn('x', Float64Array.of(6, NaN, -2, 2)),
])

describe('linear runtime', () => {
  it('encodes standardised numeric values (mean for missing) and one-hot categories by name', () => {
    expect(encodedWidth(predictor.inputs)).toBe(3)
    const out = new Float64Array(12)
    encodeFrame(predictor.inputs, frame, undefined, out)
    expect(Array.from(out)).toEqual([1, 0, 1, 0, 1, 0, -1, 0, 0, 0, 0, 0])
    const some = new Float64Array(6)
    encodeFrame(predictor.inputs, frame, Int32Array.of(3, 0), some)
    expect(Array.from(some)).toEqual([0, 0, 0, 1, 0, 1])
  })

  it('computes margins from a frame and from row-major values alike', () => {
    const margins = linearMargins(predictor, frame)
    expect(Array.from(margins)).toEqual([21.5, 3.5, 10.5, -0.5, -0.5, 0.5, 0.5, -0.5])
    // Row-major: x, then the category as an index into the model's categories (NaN missing).
    const rows = linearMarginsRows(predictor, Float64Array.of(6, 1, NaN, 0, -2, 7, 2, NaN), 4)
    expect(Array.from(rows)).toEqual(Array.from(margins))
  })

  it('applies the link: softmax rows sum to one', () => {
    const p = predictLinear(predictor, frame)
    for (let r = 0; r < 4; r++) expect(p[2 * r] + p[2 * r + 1]).toBeCloseTo(1, 14)
    expect(p[0]).toBeCloseTo(1 / (1 + Math.exp(3.5 - 21.5)), 14)
  })

  it('names a missing column', () => {
    expect(() => linearMargins(predictor, makeFrame([numericColumn('x', Float64Array.of(1))]))).toThrow(/no column 'c'/)
  })
})
