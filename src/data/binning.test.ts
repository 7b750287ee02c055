/**
 * Quantile binning: cut placement, the bin budget, missing values, and the invariant the trees rely
 * on: a split "code <= b" is exactly "x < cuts[b]".
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { type BinMapper, binFrame, fitBins, MAX_VALUE_BINS, valueBins } from './binning.js'
import { categoricalColumn, makeFrame, numericColumn } from './frame.js'

const frameOf = (...columns: number[][]) => makeFrame(columns.map((v, i) => numericColumn(`x${i}`, Float64Array.from(v))))
const codesOf = (values: number[], mapper?: BinMapper, maxBin?: number): number[] => {
  const frame = frameOf(values)
  const binned = binFrame(frame, mapper ?? fitBins(frame, maxBin))
  return Array.from({ length: binned.nRows }, (_, r) => binned.codes[r * binned.rowStride])
}

/** The first (value, cut index) pair breaking "code(v) <= b iff v < cuts[b]", or ''. */
function thresholdProblem(values: Float64Array, codes: ArrayLike<number>, cuts: Float64Array): string {
  for (let i = 0; i < values.length; i++) {
    const v = values[i]
    if (v !== v) {
      if (codes[i] !== cuts.length + 1) return `NaN at row ${i} has code ${codes[i]}, not the missing code ${cuts.length + 1}`
      continue
    }
    for (let b = 0; b < cuts.length; b++) {
      if (codes[i] <= b !== v < cuts[b]) return `value ${v} has code ${codes[i]} but cuts[${b}] = ${cuts[b]}`
    }
    if (codes[i] > cuts.length) return `value ${v} has code ${codes[i]} beyond the value bins`
  }
  return ''
}

const finite = fc.double({ min: -1e300, max: 1e300, noNaN: true })
const withMissing = fc.oneof({ weight: 4, arbitrary: finite }, { weight: 1, arbitrary: fc.constant(NaN) })

describe('fitBins', () => {
  it('cuts few distinct values at their midpoints, one bin per value', () => {
    const mapper = fitBins(frameOf([3, 1, 2, 1, 3, 10]), 256)
    expect(Array.from(mapper.cuts[0])).toEqual([1.5, 2.5, 6.5])
    expect(valueBins(mapper, 0)).toBe(4)
    expect(codesOf([3, 1, 2, 1, 3, 10])).toEqual([2, 0, 1, 0, 2, 3])
  })

  it('puts each cut strictly above the lower value and at most at the upper one', () => {
    fc.assert(
      fc.property(fc.uniqueArray(finite, { minLength: 2, maxLength: 60, comparator: 'SameValueZero' }), (values) => {
        const sorted = Float64Array.from(values).sort()
        const cuts = fitBins(frameOf(values)).cuts[0]
        expect(cuts.length).toBe(sorted.length - 1)
        for (let i = 0; i < cuts.length; i++) {
          const mid = sorted[i] + (sorted[i + 1] - sorted[i]) / 2
          expect(cuts[i] > sorted[i] && cuts[i] <= sorted[i + 1], `${sorted[i]} < ${cuts[i]} <= ${sorted[i + 1]}`).toBe(true)
          // The midpoint itself, unless it rounds onto the lower value.
          if (mid > sorted[i]) expect(cuts[i]).toBe(mid)
        }
      }),
    )
  })

  it('separates adjacent doubles', () => {
    const a = 1
    const b = 1 + 2 ** -52
    expect(Array.from(fitBins(frameOf([b, a])).cuts[0])).toEqual([b])
    expect(codesOf([a, b])).toEqual([0, 1])
  })

  // The midpoint a + (b - a) / 2 overflows when b - a exceeds the largest double: the cut becomes
  // Infinity and the two values share a bin.
  it('separates distinct values whose difference overflows', () => {
    const cuts = fitBins(frameOf([-1e308, 1e308])).cuts[0]
    expect(cuts.length).toBe(1)
    expect(cuts[0] > -1e308 && cuts[0] <= 1e308, `cut ${cuts[0]}`).toBe(true)
    expect(codesOf([-1e308, 1e308])).toEqual([0, 1])
  })

  it('keeps infinite values apart from finite ones', () => {
    expect(codesOf([-Infinity, 0, Infinity])).toEqual([0, 1, 2])
  })

  it('has at most max_bin - 1 value bins, with strictly ascending cuts', () => {
    fc.assert(
      fc.property(fc.array(finite, { minLength: 1, maxLength: 400 }), fc.integer({ min: 2, max: 256 }), (values, maxBin) => {
        const cuts = fitBins(frameOf(values), maxBin).cuts[0]
        expect(cuts.length + 1).toBeLessThanOrEqual(Math.min(maxBin - 1, MAX_VALUE_BINS))
        for (let i = 1; i < cuts.length; i++) expect(cuts[i] > cuts[i - 1]).toBe(true)
      }),
    )
  })

  it('gives distinct values distinct codes while they fit the bin budget', () => {
    fc.assert(
      fc.property(fc.uniqueArray(finite, { minLength: 1, maxLength: 40, comparator: 'SameValueZero' }), fc.integer({ min: 2, max: 256 }), (values, maxBin) => {
        fc.pre(values.length <= maxBin - 1)
        const codes = codesOf(values, undefined, maxBin)
        expect(new Set(codes).size).toBe(values.length)
      }),
    )
  })

  it('spreads many distinct values over roughly equal-count bins', () => {
    const values = Array.from({ length: 1000 }, (_, i) => Math.sin(i * 12.9898) * 43758.5453)
    const codes = codesOf(values, undefined, 11)
    const counts = new Array<number>(10).fill(0)
    for (const c of codes) counts[c]++
    expect(Math.max(...codes)).toBe(9)
    for (const c of counts) expect(c).toBeGreaterThanOrEqual(80)
    for (const c of counts) expect(c).toBeLessThanOrEqual(120)
  })

  it('gives a constant column one value bin, and so does an all-missing one', () => {
    const frame = frameOf([5, 5, NaN, 5], [NaN, NaN, NaN, NaN], [0, -0, 0, -0])
    const mapper = fitBins(frame)
    expect(mapper.cuts.map((c) => c.length)).toEqual([0, 0, 0])
    const binned = binFrame(frame, mapper)
    expect(Array.from(binned.nBins)).toEqual([1, 1, 1])
    // Row-major, 4 bytes a row (the last is padding): (5, NaN, 0), (5, NaN, -0), (NaN, NaN, 0), (5, NaN, -0).
    expect(Array.from(binned.codes)).toEqual([0, 1, 0, 0, 0, 1, 0, 0, 1, 1, 0, 0, 0, 1, 0, 0])
  })

  it('refuses max_bin outside [2, 256]', () => {
    const frame = frameOf([1, 2])
    expect(() => fitBins(frame, 1)).toThrow(RangeError)
    expect(() => fitBins(frame, 257)).toThrow(RangeError)
    expect(() => fitBins(frame, NaN)).toThrow(RangeError)
    // max_bin 2: one value bin plus the missing code.
    expect(fitBins(frame, 2).cuts[0].length).toBe(0)
  })

  it('is deterministic, including the row sample it takes on large data', () => {
    const n = 210_000
    const a = new Float64Array(n)
    for (let i = 0; i < n; i++) a[i] = Math.sin(i * 0.7) * 1000 + i * 1e-3
    const frame = makeFrame([numericColumn('a', a)])
    const first = fitBins(frame, 64, 3)
    const second = fitBins(frame, 64, 3)
    expect(first.cuts[0].length).toBe(62)
    expect(first.cuts[0]).toEqual(second.cuts[0])
    expect(Array.from(binFrame(frame, first).codes)).toEqual(Array.from(binFrame(frame, second).codes))
    const small = frameOf([4, 1, NaN, 9, 9, 2])
    expect(fitBins(small)).toEqual(fitBins(small))
  })
})

describe('binFrame', () => {
  it('codes NaN as the missing code nBins[f], per feature', () => {
    const frame = frameOf([1, NaN, 2], [NaN, 7, 8], [1, 2, 3])
    const binned = binFrame(frame, fitBins(frame))
    expect(Array.from(binned.nBins)).toEqual([2, 2, 3])
    expect(binned.rowStride).toBe(4)
    expect(binned.codes[1 * binned.rowStride + 0]).toBe(binned.nBins[0])
    expect(binned.codes[0 * binned.rowStride + 1]).toBe(binned.nBins[1])
    expect(binned.codes.buffer).toBeInstanceOf(SharedArrayBuffer)
  })

  it('is consistent with the thresholds: code(v) <= b iff v < cuts[b], on the fitted data and on new values', () => {
    fc.assert(
      fc.property(
        fc.array(withMissing, { minLength: 1, maxLength: 300 }),
        fc.array(fc.oneof(withMissing, fc.constantFrom(Infinity, -Infinity, -0)), { minLength: 1, maxLength: 50 }),
        fc.integer({ min: 2, max: 256 }),
        (train, probe, maxBin) => {
          const mapper = fitBins(frameOf(train), maxBin)
          const cuts = mapper.cuts[0]
          for (const values of [train, probe, Array.from(cuts)]) {
            const binned = binFrame(frameOf(values), mapper)
            const codes = Array.from({ length: binned.nRows }, (_, r) => binned.codes[r * binned.rowStride])
            expect(thresholdProblem(Float64Array.from(values), codes, cuts)).toBe('')
          }
        },
      ),
    )
  })

  it('bins categorical columns by code, with -1 as missing', () => {
    const frame = makeFrame([categoricalColumn('c', Int32Array.of(2, 0, -1, 1, 2), ['a', 'b', 'c'])])
    const mapper = fitBins(frame)
    expect(Array.from(mapper.cuts[0])).toEqual([0.5, 1.5])
    const binned = binFrame(frame, mapper)
    expect(Array.from({ length: 5 }, (_, r) => binned.codes[r * binned.rowStride])).toEqual([2, 0, 3, 1, 2])
  })

  it('refuses a frame whose column count differs from the mapper', () => {
    const mapper = fitBins(frameOf([1, 2], [3, 4]))
    expect(() => binFrame(frameOf([1, 2]), mapper)).toThrow(RangeError)
  })

  it('handles an empty frame', () => {
    const frame = frameOf([])
    const binned = binFrame(frame, fitBins(frame))
    expect([binned.nRows, binned.codes.length, binned.nBins[0]]).toEqual([0, 0, 1])
  })
})
