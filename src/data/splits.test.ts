import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ParamError } from '../errors.js'
import { type Fold, holdout, kFold, stratifiedKFold } from './splits.js'

/** Checks the invariants every k-fold split must satisfy over `nRows` rows. */
function expectPartition(folds: Fold[], nRows: number): void {
  expect(partitionProblem(folds, nRows)).toBe('')
}

/** The first broken invariant, or '' (plain loops: an `expect` per index is slow under fast-check). */
function partitionProblem(folds: Fold[], nRows: number): string {
  const seen = new Int32Array(nRows)
  for (const [f, { train, test }] of folds.entries()) {
    if (train.length + test.length !== nRows) return `fold ${f}: ${train.length} + ${test.length} != ${nRows}`
    if (!strictlyAscending(train) || !strictlyAscending(test)) return `fold ${f}: indices not sorted ascending`
    const inTest = new Uint8Array(nRows)
    for (const i of test) {
      if (!(i >= 0 && i < nRows)) return `fold ${f}: index ${i} out of range`
      inTest[i] = 1
      seen[i]++
    }
    // train is exactly the complement of test (sizes add up and no overlap)
    for (const i of train) if (inTest[i] === 1 || !(i >= 0 && i < nRows)) return `fold ${f}: train index ${i} bad`
  }
  // every row is in exactly one test fold
  for (let i = 0; i < nRows; i++) if (seen[i] !== 1) return `row ${i} is in ${seen[i]} test folds`
  return ''
}

function strictlyAscending(a: Int32Array): boolean {
  for (let i = 1; i < a.length; i++) if (!(a[i] > a[i - 1])) return false
  return true
}

function expectStrictlyAscending(a: Int32Array): void {
  expect(strictlyAscending(a)).toBe(true)
}

function sizes(folds: Fold[]): number[] {
  return folds.map((f) => f.test.length)
}

function sameFolds(a: Fold[], b: Fold[]): boolean {
  return a.length === b.length && a.every((f, i) => f.test.join() === b[i].test.join() && f.train.join() === b[i].train.join())
}

describe('kFold', () => {
  it('partitions the rows into folds whose sizes differ by at most one', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 300 }).chain((n) => fc.tuple(fc.constant(n), fc.integer({ min: 2, max: Math.min(n, 20) }))),
        fc.integer(),
        fc.boolean(),
        ([n, k], seed, shuffle) => {
          const folds = kFold(n, k, seed, shuffle)
          expect(folds).toHaveLength(k)
          expectPartition(folds, n)
          const s = sizes(folds)
          expect(Math.max(...s) - Math.min(...s)).toBeLessThanOrEqual(1)
          expect(Math.min(...s)).toBeGreaterThan(0)
        },
      ),
    )
  })

  it('gives the extra rows to the first folds, like scikit-learn', () => {
    expect(sizes(kFold(10, 3, 1))).toEqual([4, 3, 3])
    expect(sizes(kFold(11, 4, 1))).toEqual([3, 3, 3, 2])
  })

  it('without shuffle, test folds are consecutive blocks', () => {
    const folds = kFold(7, 3, 123, false)
    expect(folds.map((f) => Array.from(f.test))).toEqual([[0, 1, 2], [3, 4], [5, 6]])
    expect(Array.from(folds[1].train)).toEqual([0, 1, 2, 5, 6])
  })

  it('is deterministic from the seed and depends on it', () => {
    expect(sameFolds(kFold(100, 5, 42), kFold(100, 5, 42))).toBe(true)
    expect(sameFolds(kFold(100, 5, 42), kFold(100, 5, 43))).toBe(false)
  })

  it('rejects k < 2, k > nRows and non-integers with a ParamError', () => {
    expect(() => kFold(10, 1, 0)).toThrow(ParamError)
    expect(() => kFold(10, 11, 0)).toThrow(ParamError)
    expect(() => kFold(10, 2.5, 0)).toThrow(ParamError)
    expect(() => kFold(-1, 2, 0)).toThrow(ParamError)
    expect(() => kFold(10, 11, 0)).toThrow(/at least 11 rows/)
  })

  it('allows k = nRows (leave-one-out)', () => {
    const folds = kFold(5, 5, 9)
    expectPartition(folds, 5)
    expect(sizes(folds)).toEqual([1, 1, 1, 1, 1])
  })
})

describe('stratifiedKFold', () => {
  const labelsArb = fc
    .array(fc.integer({ min: 0, max: 4 }), { minLength: 2, maxLength: 300 })
    .map((a) => Float64Array.from(a))

  it('partitions the rows, keeps fold sizes within one and each class count per fold within one', () => {
    fc.assert(
      fc.property(labelsArb, fc.integer({ min: 2, max: 10 }), fc.integer(), (y, kRaw, seed) => {
        const k = Math.min(kRaw, y.length)
        const folds = stratifiedKFold(y, k, seed)
        expectPartition(folds, y.length)
        const s = sizes(folds)
        expect(Math.min(...s)).toBeGreaterThan(0)
        expect(Math.max(...s) - Math.min(...s)).toBeLessThanOrEqual(1)
        for (let c = 0; c <= 4; c++) {
          const perFold = folds.map((f) => f.test.filter((i) => y[i] === c).length)
          expect(Math.max(...perFold) - Math.min(...perFold)).toBeLessThanOrEqual(1)
        }
      }),
    )
  })

  it("matches scikit-learn's allocation: class-sorted labels dealt round-robin to the folds", () => {
    fc.assert(
      fc.property(labelsArb, fc.integer({ min: 2, max: 10 }), fc.integer(), (y, kRaw, seed) => {
        const k = Math.min(kRaw, y.length)
        // Classes in order of first appearance, then labels sorted by that order and dealt out.
        const order: number[] = []
        for (const v of y) if (!order.includes(v)) order.push(v)
        const sorted = Array.from(y).sort((a, b) => order.indexOf(a) - order.indexOf(b))
        const expected = Array.from({ length: k }, () => new Map<number, number>())
        sorted.forEach((v, j) => expected[j % k].set(v, (expected[j % k].get(v) ?? 0) + 1))
        const folds = stratifiedKFold(y, k, seed)
        folds.forEach((f, fi) => {
          for (const c of order) {
            expect(f.test.filter((i) => y[i] === c).length).toBe(expected[fi].get(c) ?? 0)
          }
        })
      }),
    )
  })

  it('keeps the class share in every fold (hand example)', () => {
    // 90 rows of class 0, 10 of class 1, 5 folds: 18 + 2 per fold, so 10% positives everywhere.
    const y = new Float64Array(100)
    for (let i = 0; i < 10; i++) y[i * 10 + 3] = 1
    const folds = stratifiedKFold(y, 5, 3)
    for (const f of folds) {
      expect(f.test.length).toBe(20)
      expect(f.test.filter((i) => y[i] === 1).length).toBe(2)
    }
  })

  it('allows a class with fewer rows than folds; every fold stays non-empty', () => {
    const y = new Float64Array([0, 0, 0, 0, 0, 0, 1])
    const folds = stratifiedKFold(y, 3, 0)
    expectPartition(folds, 7)
    expect(folds.filter((f) => f.test.some((i) => y[i] === 1))).toHaveLength(1)
  })

  it('accepts any finite class ids, compared by value', () => {
    const y = new Float64Array([2.5, -1, 2.5, -1, 7, 7])
    const folds = stratifiedKFold(y, 2, 11)
    for (const f of folds) expect(Array.from(f.test, (i) => y[i]).sort()).toEqual([-1, 2.5, 7])
  })

  it('is deterministic from the seed', () => {
    const y = Float64Array.from({ length: 200 }, (_, i) => i % 3)
    expect(sameFolds(stratifiedKFold(y, 4, 5), stratifiedKFold(y, 4, 5))).toBe(true)
    expect(sameFolds(stratifiedKFold(y, 4, 5), stratifiedKFold(y, 4, 6))).toBe(false)
  })

  it('rejects bad k and non-finite labels with a ParamError', () => {
    expect(() => stratifiedKFold(new Float64Array([0, 1]), 3, 0)).toThrow(ParamError)
    expect(() => stratifiedKFold(new Float64Array([0, 1]), 1, 0)).toThrow(ParamError)
    expect(() => stratifiedKFold(new Float64Array([0, NaN, 1]), 2, 0)).toThrow(/row 1/)
  })
})

describe('holdout', () => {
  it('returns one fold with ceil(testFraction * nRows) test rows and the rest for training', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 500 }),
        fc.double({ min: 0.01, max: 0.5, noNaN: true }),
        fc.integer(),
        (n, frac, seed) => {
          const folds = holdout(n, frac, seed)
          expect(folds).toHaveLength(1)
          const [{ train, test }] = folds
          expect(test.length).toBe(Math.ceil(frac * n))
          expectStrictlyAscending(train)
          expectStrictlyAscending(test)
          const all = [...train, ...test].sort((a, b) => a - b)
          expect(all).toEqual(Array.from({ length: n }, (_, i) => i))
        },
      ),
    )
  })

  it('is deterministic from the seed', () => {
    expect(sameFolds(holdout(1000, 0.25, 8), holdout(1000, 0.25, 8))).toBe(true)
    expect(sameFolds(holdout(1000, 0.25, 8), holdout(1000, 0.25, 9))).toBe(false)
  })

  it('rejects fractions outside (0, 1) and splits that leave a side empty', () => {
    expect(() => holdout(10, 0, 0)).toThrow(ParamError)
    expect(() => holdout(10, 1, 0)).toThrow(ParamError)
    expect(() => holdout(10, NaN, 0)).toThrow(ParamError)
    expect(() => holdout(1, 0.5, 0)).toThrow(/no training rows/)
    expect(() => holdout(0, 0.5, 0)).toThrow(ParamError)
  })
})
