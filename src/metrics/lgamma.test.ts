import { describe, expect, it } from 'vitest'
import { lgamma } from './lgamma.js'

describe('lgamma', () => {
  it('matches reference values (Python math.lgamma) to about 1e-14 relative', () => {
    const cases: [number, number][] = [
      [1, 0],
      [2, 0],
      [0.5, 0.5723649429247004], // ln sqrt(pi)
      [3.7, 1.4280723266653883],
      [11, 15.104412573075514], // ln 10! = ln 3628800
      [101, 363.73937555556347],
      [171.5, 709.1431630309282],
      [170, 701.437263808737], // from the whole-number table
      [172, 711.71472580229], // past the table: Lanczos
      [1e6 + 1, 12815518.384658169],
      [0.1, 2.2527126517342055],
      [1e-5, 11.512919692895824],
      [-0.5, 1.265512123484645], // ln |Gamma(-0.5)| = ln (2 sqrt(pi))
      [-2.5, -0.05624371649767457],
    ]
    for (const [x, expected] of cases) {
      expect(Math.abs(lgamma(x) - expected)).toBeLessThanOrEqual(1e-14 * Math.max(1, Math.abs(expected)))
    }
  })

  it('is exactly 0 at 1 and 2, and agrees with ln n! for whole numbers', () => {
    expect(lgamma(1)).toBe(0)
    expect(lgamma(2)).toBe(0)
    let logFactorial = 0
    for (let n = 1; n <= 200; n++) {
      logFactorial += Math.log(n)
      expect(Math.abs(lgamma(n + 1) - logFactorial)).toBeLessThanOrEqual(1e-13 * logFactorial)
    }
  })

  it('is infinite at the poles and NaN for NaN', () => {
    expect(lgamma(0)).toBe(Infinity)
    expect(lgamma(-3)).toBe(Infinity)
    expect(lgamma(Infinity)).toBe(Infinity)
    expect(lgamma(NaN)).toBeNaN()
  })
})
