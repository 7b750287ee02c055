import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { DataError } from '../errors.js'
import { auc, logloss } from './binary.js'

const f = (...v: number[]): Float64Array => Float64Array.from(v)

describe('logloss', () => {
  it('matches hand-computed values', () => {
    // y = [1, 0, 1, 0], p = [0.9, 0.2, 0.6, 0.7]: per row -ln 0.9, -ln 0.8, -ln 0.6, -ln 0.3
    // = 0.10536 + 0.22314 + 0.51083 + 1.20397 = 2.04330; / 4 = 0.51083
    const y = f(1, 0, 1, 0)
    const p = f(0.9, 0.2, 0.6, 0.7)
    expect(logloss(y, p)).toBeCloseTo(-(Math.log(0.9) + Math.log(0.8) + Math.log(0.6) + Math.log(0.3)) / 4, 15)
    // weights [1, 2, 3, 4]: (0.10536 + 2 * 0.22314 + 3 * 0.51083 + 4 * 1.20397) / 10 = 0.69000
    const weighted = -(Math.log(0.9) + 2 * Math.log(0.8) + 3 * Math.log(0.6) + 4 * Math.log(0.3)) / 10
    expect(logloss(y, p, f(1, 2, 3, 4))).toBeCloseTo(weighted, 15)
  })

  it('clips probabilities to [eps, 1 - eps] (float64 epsilon, scikit-learn >= 1.2): certain and wrong costs about 36, not infinity', () => {
    expect(logloss(f(1), f(0))).toBeCloseTo(-Math.log(Number.EPSILON), 10) // 36.0437
    expect(logloss(f(0), f(1))).toBeCloseTo(-Math.log(Number.EPSILON), 10) // 1 - eps is exact in float64
    expect(logloss(f(1, 0), f(1, 0))).toBeLessThan(1e-15)
  })

  it('refuses labels other than 0 and 1, which would give a negative loss', () => {
    expect(() => logloss(f(2), f(0.9))).toThrow(/logloss: class id of row 0 is 2; expected 0 or 1/)
    expect(() => logloss(f(0, -1), f(0.1, 0.9))).toThrow(DataError)
    expect(() => logloss(f(0, 0.5), f(0.1, 0.9))).toThrow(/row 1 is 0.5/)
  })

  it('is defined for a single class (unlike AUC)', () => {
    expect(logloss(f(1, 1), f(0.5, 0.5))).toBeCloseTo(Math.LN2, 15)
  })
})

/** AUC by brute force over all (positive, negative) pairs, a tie counting one half. */
function naiveAuc(y: ArrayLike<number>, s: ArrayLike<number>, w?: ArrayLike<number>): number {
  let num = 0
  let den = 0
  for (let i = 0; i < y.length; i++) {
    if (y[i] !== 1) continue
    for (let j = 0; j < y.length; j++) {
      if (y[j] !== 0) continue
      const pair = (w ? w[i] : 1) * (w ? w[j] : 1)
      num += pair * (s[i] > s[j] ? 1 : s[i] === s[j] ? 0.5 : 0)
      den += pair
    }
  }
  return num / den
}

describe('auc', () => {
  it('matches hand-computed values', () => {
    // positives score 0.9, 0.6; negatives 0.2, 0.7: pairs won 0.9>0.2, 0.9>0.7, 0.6>0.2 -> 3 / 4
    expect(auc(f(1, 0, 1, 0), f(0.9, 0.2, 0.6, 0.7))).toBe(0.75)
  })

  it('counts ties as one half (average rank)', () => {
    // positives 0.5, 0.9, 0.3; negatives 0.1, 0.5, 0.3
    // 0.5: beats 0.1 and 0.3, ties 0.5 -> 2.5; 0.9 -> 3; 0.3: beats 0.1, ties 0.3 -> 1.5; 7 / 9
    const y = f(0, 0, 1, 1, 0, 1)
    const s = f(0.1, 0.5, 0.5, 0.9, 0.3, 0.3)
    expect(auc(y, s)).toBeCloseTo(7 / 9, 15)
    // weights [1, 2, 1, 3, 1, 2]: positive mass 6, negative 4
    // 0.5 (w 1): below 0.1 + 0.3 = 2, tie 0.5 (w 2) -> 1 + ... = 3; 0.9 (w 3): 3 * 4 = 12;
    // 0.3 (w 2): 2 * (1 + 0.5 * 1) = 3; (3 + 12 + 3) / 24 = 0.75
    expect(auc(y, s, f(1, 2, 1, 3, 1, 2))).toBe(0.75)
  })

  it('is 0.5 when every score is equal, 1 for a perfect ranking, 0 for a reversed one', () => {
    expect(auc(f(0, 1, 0, 1, 1), f(3, 3, 3, 3, 3))).toBe(0.5)
    expect(auc(f(0, 1, 0, 1, 1), f(3, 3, 3, 3, 3), f(1, 2, 3, 4, 5))).toBe(0.5)
    expect(auc(f(0, 0, 1, 1), f(1, 2, 3, 4))).toBe(1)
    expect(auc(f(0, 0, 1, 1), f(4, 3, 2, 1))).toBe(0)
  })

  it('equals the brute-force pair count, with and without weights', () => {
    const row = fc.record({
      y: fc.constantFrom(0, 1),
      s: fc.oneof(fc.integer({ min: -3, max: 3 }), fc.double({ min: -1e3, max: 1e3, noNaN: true })),
      w: fc.double({ min: 0.01, max: 10, noNaN: true }),
    })
    fc.assert(
      fc.property(fc.array(row, { minLength: 2, maxLength: 60 }), (rows) => {
        fc.pre(rows.some((r) => r.y === 1) && rows.some((r) => r.y === 0))
        const y = Float64Array.from(rows, (r) => r.y)
        const s = Float64Array.from(rows, (r) => r.s)
        const w = Float64Array.from(rows, (r) => r.w)
        expect(auc(y, s)).toBeCloseTo(naiveAuc(y, s), 12)
        expect(auc(y, s, w)).toBeCloseTo(naiveAuc(y, s, w), 10)
      }),
    )
  })

  it('handles infinite scores and -0 equal to 0', () => {
    expect(auc(f(0, 1, 0, 1), f(-Infinity, Infinity, 0, -0))).toBe(0.875) // (1 + 1 + 0.5 + 1) / 4
    expect(auc(f(0, 1, 0, 1), f(-Infinity, Infinity, 0, -0), f(1, 1, 1, 1))).toBe(0.875)
  })

  it('throws a DataError when y holds a single class (undefined, as in scikit-learn)', () => {
    expect(() => auc(f(1, 1, 1), f(0.1, 0.2, 0.3))).toThrow(DataError)
    expect(() => auc(f(0, 0), f(0.1, 0.2))).toThrow(/only class 0/)
    expect(() => auc(f(0, 1), f(0.1, 0.2), f(1, 0))).toThrow(/zero total weight/)
  })

  it('rejects labels other than 0 and 1 and gives NaN for a NaN score', () => {
    expect(() => auc(f(0, 2), f(0.1, 0.2))).toThrow(/row 1 is 2/)
    expect(auc(f(0, 1), f(0.1, NaN))).toBeNaN()
  })

  it('agrees between the unweighted and weighted algorithms on a million rows with many ties', () => {
    const n = 1_000_000
    const y = new Float64Array(n)
    const s = new Float64Array(n)
    for (let i = 0; i < n; i++) {
      y[i] = i % 3 === 0 ? 1 : 0
      s[i] = ((i * 2654435761) % 1000) / 1000 + (y[i] === 1 ? 0.2 : 0) // many ties
    }
    const value = auc(y, s)
    expect(value).toBeGreaterThan(0.5)
    expect(value).toBeLessThan(1)
    expect(auc(y, s, new Float64Array(n).fill(1))).toBeCloseTo(value, 12)
  })
})
