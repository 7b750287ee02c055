/** fastExp against Math.exp: a few ulp everywhere, and the edges (underflow, overflow, NaN) alike. */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { fastExp } from './fast-exp.js'

/** Distance in units in the last place between two positive doubles. */
function ulps(a: number, b: number): number {
  const view = new BigInt64Array(new Float64Array([a, b]).buffer)
  const d = view[0] - view[1]
  return Number(d < 0n ? -d : d)
}

describe('fastExp', () => {
  it('is within 4 ulp of Math.exp over the whole range', () => {
    fc.assert(
      fc.property(fc.double({ min: -745, max: 709.78, noNaN: true }), (x) => {
        expect(ulps(fastExp(x), Math.exp(x))).toBeLessThanOrEqual(4)
      }),
      { numRuns: 20000 },
    )
  })

  it('is exact where Math.exp is, and keeps the edges', () => {
    expect(fastExp(0)).toBe(1)
    expect(fastExp(1)).toBe(Math.E)
    expect(fastExp(-0)).toBe(1)
    expect(fastExp(1e-300)).toBe(1)
    expect(fastExp(-Infinity)).toBe(0)
    expect(fastExp(-1e9)).toBe(0)
    expect(fastExp(Infinity)).toBe(Infinity)
    expect(fastExp(710)).toBe(Infinity)
    expect(fastExp(NaN)).toBeNaN()
    // Subnormal results and the largest finite ones.
    for (const x of [-708.5, -720, -740, -745, 709.7, 709.78]) expect(ulps(fastExp(x), Math.exp(x))).toBeLessThanOrEqual(4)
  })
})
