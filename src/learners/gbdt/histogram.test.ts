/**
 * The histogram kernel against a naive per-bin sum, on random codes, rows and gradients, and the
 * subtraction trick (parent minus one child equals the other child built directly).
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { rowStrideOf } from '../../data/binning.js'
import { accumulateHistogram, histogramOffsets } from './histogram.js'

interface Case {
  nFeatures: number
  nBins: Int32Array
  nRows: number
  /** Row-major codes, each in 0..nBins[f] (nBins[f] is the missing code). */
  codes: Uint8Array
  /** The node's rows, in node order (a subset of 0..nRows-1, any order). */
  rows: Int32Array
  /** gh[2i], gh[2i+1]: gradient and hessian of rows[i] (float32, as the kernel keeps them). */
  gh: Float32Array
}

/** A random histogram problem; `integral` keeps the gradients small integers so sums are exact. */
function arbCase(integral: boolean): fc.Arbitrary<Case> {
  return fc
    .record({
      nBins: fc.array(fc.integer({ min: 1, max: 255 }), { minLength: 1, maxLength: 11 }),
      nRows: fc.integer({ min: 1, max: 120 }),
    })
    .chain(({ nBins, nRows }) => {
      const nFeatures = nBins.length
      const value = integral ? fc.integer({ min: -50, max: 50 }) : fc.double({ min: -10, max: 10, noNaN: true })
      const hessian = integral ? fc.integer({ min: 0, max: 20 }) : fc.double({ min: 0, max: 10, noNaN: true })
      return fc.record({
        codes: fc.array(fc.nat(), { minLength: nRows * nFeatures, maxLength: nRows * nFeatures }),
        rows: fc.shuffledSubarray(
          Array.from({ length: nRows }, (_, i) => i),
          { minLength: 0, maxLength: nRows },
        ),
        values: fc.array(fc.tuple(value, hessian), { minLength: nRows, maxLength: nRows }),
        nBins: fc.constant(nBins),
      })
    })
    .map(({ codes, rows, values, nBins }) => {
      const nFeatures = nBins.length
      const nRows = codes.length / nFeatures
      return {
        nFeatures,
        nBins: Int32Array.from(nBins),
        nRows,
        // Codes spread over 0..nBins[f], the missing code included.
        codes: Uint8Array.from(codes, (c, i) => c % (nBins[i % nFeatures] + 1)),
        rows: Int32Array.from(rows),
        gh: Float32Array.from(values.slice(0, rows.length).flat()),
      }
    })
}

/** The histogram by its definition: for each row of the range, each feature, add to the row's bin. */
function naiveHistogram(c: Case, start: number, end: number): Float64Array {
  const { offsets, totalBins } = histogramOffsets(c.nBins)
  const hist = new Float64Array(2 * totalBins)
  for (let i = start; i < end; i++) {
    const row = c.rows[i]
    for (let f = 0; f < c.nFeatures; f++) {
      const bin = offsets[f] + c.codes[row * c.nFeatures + f]
      hist[2 * bin] += c.gh[2 * i]
      hist[2 * bin + 1] += c.gh[2 * i + 1]
    }
  }
  return hist
}

/** The kernel on the node's codes laid out in node order with padded rows, as partitions keep them. */
function kernel(c: Case, start: number, end: number, into?: Float64Array): Float64Array {
  const { offsets, totalBins } = histogramOffsets(c.nBins)
  const hist = into ?? new Float64Array(2 * totalBins)
  const stride = rowStrideOf(c.nFeatures)
  const ordered = new Uint8Array(c.rows.length * stride)
  c.rows.forEach((row, i) => ordered.set(c.codes.subarray(row * c.nFeatures, (row + 1) * c.nFeatures), i * stride))
  accumulateHistogram(ordered, stride, c.nFeatures, offsets, c.gh, start, end, hist)
  return hist
}

/**
 * The first index where two float64 arrays differ bit for bit (Object.is: -0 differs from +0), or
 * -1. A plain loop: a deep `toEqual` on thousands of elements per property run is slow.
 */
function firstDifference(a: Float64Array, b: Float64Array): number {
  if (a.length !== b.length) return Math.min(a.length, b.length)
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return i
  return -1
}

describe('histogramOffsets', () => {
  it('gives each feature its value bins plus a missing bin, back to back', () => {
    const { offsets, totalBins } = histogramOffsets(Int32Array.of(3, 1, 255))
    expect(Array.from(offsets)).toEqual([0, 4, 6])
    expect(totalBins).toBe(4 + 2 + 256)
    expect(histogramOffsets(new Int32Array(0)).totalBins).toBe(0)
  })
})

describe('accumulateHistogram', () => {
  it('equals the naive per-bin sum, bit for bit, for any feature count (unrolled by 4 or not)', () => {
    fc.assert(
      fc.property(arbCase(false), fc.nat(), fc.nat(), (c, a, b) => {
        const n = c.rows.length
        const start = n === 0 ? 0 : a % (n + 1)
        const end = start + (n === 0 ? 0 : b % (n - start + 1))
        // Same rows in the same order per bin, so even float sums agree exactly.
        expect(firstDifference(kernel(c, start, end), naiveHistogram(c, start, end))).toBe(-1)
      }),
    )
  })

  it('covers every remainder of nFeatures mod 4 explicitly', () => {
    for (const nFeatures of [1, 2, 3, 4, 5, 6, 7, 8, 9]) {
      const nRows = 37
      const nBins = Int32Array.from({ length: nFeatures }, (_, f) => 2 + ((f * 7) % 11))
      const codes = Uint8Array.from({ length: nRows * nFeatures }, (_, i) => (i * 31 + 7) % (nBins[i % nFeatures] + 1))
      const rows = Int32Array.from({ length: nRows }, (_, i) => (i * 17) % nRows)
      const gh = Float32Array.from({ length: 2 * nRows }, (_, i) => (i % 2 === 0 ? Math.sin(i) : 1 + Math.cos(i) ** 2))
      const c: Case = { nFeatures, nBins, nRows, codes, rows, gh }
      expect(firstDifference(kernel(c, 0, nRows), naiveHistogram(c, 0, nRows))).toBe(-1)
      // Every row lands in exactly one bin of every feature.
      const { offsets } = histogramOffsets(nBins)
      const hist = kernel(c, 0, nRows)
      let totalHess = 0
      for (let i = 0; i < nRows; i++) totalHess += gh[2 * i + 1]
      for (let f = 0; f < nFeatures; f++) {
        let h = 0
        for (let b = 0; b <= nBins[f]; b++) h += hist[2 * (offsets[f] + b) + 1]
        expect(h).toBeCloseTo(totalHess, 10)
      }
    }
  })

  it('adds to what the histogram already holds', () => {
    fc.assert(
      fc.property(arbCase(true), (c) => {
        const n = c.rows.length
        const mid = n >> 1
        const twoSteps = kernel(c, mid, n, kernel(c, 0, mid))
        expect(firstDifference(twoSteps, naiveHistogram(c, 0, n))).toBe(-1)
      }),
    )
  })

  it('builds nothing for an empty range', () => {
    fc.assert(
      fc.property(arbCase(false), (c) => {
        expect(kernel(c, 0, 0).every((v) => v === 0)).toBe(true)
      }),
      { numRuns: 20 },
    )
  })
})

describe('histogram subtraction', () => {
  it('parent minus one child equals the other child built directly (exact on integral gradients)', () => {
    fc.assert(
      fc.property(arbCase(true), fc.nat(), (c, a) => {
        const n = c.rows.length
        const mid = n === 0 ? 0 : a % (n + 1)
        const parent = kernel(c, 0, n)
        const left = kernel(c, 0, mid)
        const right = kernel(c, mid, n)
        // Integers: every partial sum is exact, so the subtraction is too (up to the sign of zero).
        const zeroSign = (a: Float64Array) => a.map((v) => v + 0)
        expect(firstDifference(zeroSign(parent.map((v, k) => v - left[k])), zeroSign(right))).toBe(-1)
        expect(firstDifference(zeroSign(parent.map((v, k) => v - right[k])), zeroSign(left))).toBe(-1)
      }),
    )
  })

  it('agrees to rounding on real-valued gradients', () => {
    fc.assert(
      fc.property(arbCase(false), fc.nat(), (c, a) => {
        const n = c.rows.length
        const mid = n === 0 ? 0 : a % (n + 1)
        const parent = kernel(c, 0, n)
        const left = kernel(c, 0, mid)
        const right = kernel(c, mid, n)
        // Each bin sums at most n terms of magnitude <= 10.
        const tol = 1e-12 * 10 * Math.max(1, n)
        let worst = 0
        for (let k = 0; k < parent.length; k++) worst = Math.max(worst, Math.abs(parent[k] - left[k] - right[k]))
        expect(worst).toBeLessThanOrEqual(tol)
      }),
    )
  })
})
