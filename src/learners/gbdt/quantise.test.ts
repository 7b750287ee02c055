/**
 * Quantised gradients: the discretisation (bounds, unbiased stochastic rounding, exact constant
 * hessians, determinism by key) and the quantised kernels, JavaScript against WebAssembly.
 */
import { describe, expect, it } from 'vitest'
import { SharedMemory } from '../../exec/shared-memory.js'
import { Rng } from '../../rng.js'
import { instantiateGrowingKernels } from './growing-kernels.js'
import { accumulateQuantisedHistogram, histogramOffsets } from './histogram.js'
import { scatterQuantised } from './partition.js'
import { gatherQuantisedPairs, gradientQuantisation, gradientRange, maxQuantBinsFor, partSeed, QuantFlags, quantisation, treeKey } from './quantise.js'

/** Gradients: mostly normal, a few large outliers; hessians in (0, 0.25] (logistic-like). */
function gradients(n: number, seed: number): { grad: Float64Array; hess: Float64Array } {
  const rng = new Rng(seed)
  const grad = Float64Array.from({ length: n }, (_, i) => (i % 97 === 0 ? 40 * rng.normal() : rng.normal()))
  const hess = Float64Array.from({ length: n }, () => 0.25 * (1 - rng.next()))
  return { grad, hess }
}

const identity = (n: number) => Int32Array.from({ length: n }, (_, i) => i)

/** Discretises all n rows in one part (positions 0..n); returns the integer pairs. */
function discretise(grad: Float64Array, hess: Float64Array, bins: number, stochastic: boolean, key = 7) {
  const n = grad.length
  const q = gradientQuantisation(grad, hess, 0, n, bins, stochastic, key)
  const pairs = new Int8Array(2 * n)
  gatherQuantisedPairs(identity(n), grad, hess, 0, n, new Int32Array(n), pairs, q.gInv, q.hInv, q.key, q.flags)
  return { q, pairs }
}

describe('discretisation', () => {
  it('keeps gradients in [-ceil(B/2), ceil(B/2)] and hessians in [0, B], the extremes reached', () => {
    const { grad, hess } = gradients(20_000, 1)
    for (const bins of [2, 3, 4, 16, 127]) {
      for (const stochastic of [true, false]) {
        const { pairs } = discretise(grad, hess, bins, stochastic)
        let gMin = Infinity
        let gMax = -Infinity
        let hMin = Infinity
        let hMax = -Infinity
        for (let i = 0; i < grad.length; i++) {
          gMin = Math.min(gMin, pairs[2 * i])
          gMax = Math.max(gMax, pairs[2 * i])
          hMin = Math.min(hMin, pairs[2 * i + 1])
          hMax = Math.max(hMax, pairs[2 * i + 1])
        }
        const half = Math.ceil(bins / 2)
        expect(gMin, `B=${bins}`).toBeGreaterThanOrEqual(-half)
        expect(gMax, `B=${bins}`).toBeLessThanOrEqual(half)
        expect(hMin).toBeGreaterThanOrEqual(0)
        expect(hMax).toBeLessThanOrEqual(bins)
        // The largest |g| and h map to the ends of the scale.
        expect(Math.max(-gMin, gMax)).toBeGreaterThanOrEqual(Math.floor(bins / 2))
        expect(hMax).toBe(bins)
      }
    }
  })

  it('scales back: max |g| is B/2 gradient units and max h is B hessian units', () => {
    const { grad, hess } = gradients(5000, 2)
    const { q } = discretise(grad, hess, 4, true)
    const maxG = Math.max(...Array.from(grad, Math.abs))
    const maxH = Math.max(...hess)
    expect(q.gScale * 2).toBeCloseTo(maxG, 12)
    expect(q.hScale * 4).toBeCloseTo(maxH, 12)
    expect(q.flags).toBe(QuantFlags.Stochastic)
  })

  it('rounds stochastically without bias: the mean of many rounded copies is the value', () => {
    // Rows of a few fixed values, with one row holding the scale's maximum.
    const values = [0.1, -0.37, 0.5, 0.83, -0.999]
    const copies = 40_000
    const n = values.length * copies + 1
    const grad = new Float64Array(n)
    const hess = new Float64Array(n)
    for (let i = 0; i < n - 1; i++) {
      grad[i] = values[i % values.length]
      hess[i] = 0.2 * Math.abs(values[i % values.length])
    }
    grad[n - 1] = 1
    hess[n - 1] = 0.2
    const { q, pairs } = discretise(grad, hess, 4, true)
    values.forEach((v, j) => {
      let g = 0
      let h = 0
      for (let i = j; i < n - 1; i += values.length) {
        g += pairs[2 * i]
        h += pairs[2 * i + 1]
      }
      // One level is 0.5 of gradient and 0.05 of hessian; the standard error of a mean of 40 000
      // Bernoulli draws is below 0.0025 levels.
      expect((g / copies) * q.gScale, `g ${v}`).toBeCloseTo(v, 2)
      expect((h / copies) * q.hScale, `h ${v}`).toBeCloseTo(0.2 * Math.abs(v), 3)
    })
  })

  it('rounds to the nearest level without stochastic rounding', () => {
    const grad = Float64Array.of(1, 0.2, 0.3, -0.2, -0.3, -1, 0.74, 0.76)
    const hess = Float64Array.of(0.5, 0.1, 0.2, 0.3, 0.4, 0.5, 0.06, 0.07)
    const { pairs } = discretise(grad, hess, 4, false)
    // Gradients x 2, hessians x 8, each rounded to the nearest integer (halves up).
    expect(Array.from(pairs.filter((_, i) => i % 2 === 0))).toEqual([2, 0, 1, 0, -1, -2, 1, 2])
    expect(Array.from(pairs.filter((_, i) => i % 2 === 1))).toEqual([4, 1, 2, 2, 3, 4, 0, 1])
  })

  it('keeps a constant hessian exact: every row 1, the scale the hessian', () => {
    const { grad } = gradients(3000, 3)
    const hess = new Float64Array(grad.length).fill(1)
    for (const stochastic of [true, false]) {
      const { q, pairs } = discretise(grad, hess, 4, stochastic)
      expect(q.flags & QuantFlags.ConstantHessian).toBe(QuantFlags.ConstantHessian)
      expect(q.hScale).toBe(1)
      expect(pairs.filter((_, i) => i % 2 === 1).every((h) => h === 1)).toBe(true)
    }
  })

  it('gives zero integers and zero scales to all-zero gradients and hessians', () => {
    const zeros = new Float64Array(100)
    const { q, pairs } = discretise(zeros, zeros, 4, true)
    expect([q.gScale, q.hScale, q.gInv, q.hInv]).toEqual([0, 0, 0, 0])
    expect(pairs.every((v) => v === 0)).toBe(false) // constant hessian 0: integer 1, scale 0
    expect(pairs.filter((_, i) => i % 2 === 0).every((v) => v === 0)).toBe(true)
  })

  it('is deterministic by key: the same key gives the same integers, another key others', () => {
    const { grad, hess } = gradients(5000, 4)
    const a = discretise(grad, hess, 8, true, treeKey(42, 3, 0)).pairs
    const b = discretise(grad, hess, 8, true, treeKey(42, 3, 0)).pairs
    const c = discretise(grad, hess, 8, true, treeKey(42, 4, 0)).pairs
    const d = discretise(grad, hess, 8, true, treeKey(43, 3, 0)).pairs
    const e = discretise(grad, hess, 8, true, treeKey(42, 3, 1)).pairs
    expect(Buffer.from(a.buffer).equals(Buffer.from(b.buffer))).toBe(true)
    for (const other of [c, d, e]) expect(Buffer.from(a.buffer).equals(Buffer.from(other.buffer))).toBe(false)
  })

  it('gives each part of the rows its own stream, fixed by the part start alone', () => {
    const { grad, hess } = gradients(1000, 5)
    const q = gradientQuantisation(grad, hess, 0, 1000, 4, true, 99)
    const whole = new Int8Array(2000)
    gatherQuantisedPairs(identity(1000), grad, hess, 0, 1000, new Int32Array(1000), whole, q.gInv, q.hInv, q.key, q.flags)
    // The part from 600 on, discretised alone, is the same whatever ran before it.
    const part = new Int8Array(2000)
    gatherQuantisedPairs(identity(1000), grad, hess, 600, 1000, new Int32Array(1000), part, q.gInv, q.hInv, q.key, q.flags)
    const again = new Int8Array(2000)
    gatherQuantisedPairs(identity(1000), grad, hess, 0, 600, new Int32Array(1000), again, q.gInv, q.hInv, q.key, q.flags)
    gatherQuantisedPairs(identity(1000), grad, hess, 600, 1000, new Int32Array(1000), again, q.gInv, q.hInv, q.key, q.flags)
    expect(Array.from(again.subarray(1200))).toEqual(Array.from(part.subarray(1200)))
    expect(Array.from(again)).toEqual(Array.from(whole.subarray(0, 1200)).concat(Array.from(part.subarray(1200))))
    expect(partSeed(q.key, 0)).not.toBe(partSeed(q.key, 600))
  })

  it('bounds the levels by the rows so that integer sums fit 32 bits', () => {
    expect(maxQuantBinsFor(1_000_000)).toBe(2147)
    expect(maxQuantBinsFor(20_000_000)).toBe(107)
    expect(maxQuantBinsFor(16_909_320)).toBe(127)
  })

  it('ranges gradients in parts the same as in one pass', () => {
    const { grad, hess } = gradients(1001, 6)
    const whole = new Float64Array(3)
    gradientRange(grad, hess, 0, 1001, whole, 0)
    const parts = new Float64Array(6)
    gradientRange(grad, hess, 0, 400, parts, 0)
    gradientRange(grad, hess, 400, 1001, parts, 3)
    expect([Math.max(parts[0], parts[3]), Math.max(parts[1], parts[4]), Math.min(parts[2], parts[5])]).toEqual(Array.from(whole))
    const q = quantisation(whole[0], whole[1], whole[2], 4, true, 1)
    expect(q.gScale).toBe(whole[0] / 2)
  })
})

describe('quantised kernels: WebAssembly against the JavaScript references', () => {
  const n = 5003
  const nBins = Int32Array.of(3, 255, 17, 1, 64, 9)
  const nFeatures = nBins.length
  const stride = 8
  const { offsets, totalBins } = histogramOffsets(nBins)
  const mem = new SharedMemory(1 << 20)
  const wasm = instantiateGrowingKernels(mem.memory)
  const rng = new Rng(8)
  const { grad, hess } = gradients(n, 9)
  const wGrad = mem.alloc(Float64Array, n)
  const wHess = mem.alloc(Float64Array, n)
  wGrad.set(grad)
  wHess.set(hess)
  // A sample of rows in random order.
  const m = 4000
  const sampled = mem.alloc(Int32Array, m)
  sampled.set(rng.shuffle(identity(n)).subarray(0, m))
  const codes = mem.alloc(Uint8Array, m * stride)
  for (let i = 0; i < m; i++) for (let f = 0; f < nFeatures; f++) codes[i * stride + f] = rng.int(nBins[f] + 1)
  const wOffsets = mem.alloc(Int32Array, nFeatures)
  wOffsets.set(offsets)

  it('gradient ranges agree', () => {
    const js = new Float64Array(3)
    const out = mem.alloc(Float64Array, 3)
    for (const [start, end] of [[0, n], [1, n], [17, 18], [5, 5]]) {
      gradientRange(grad, hess, start, end, js, 0)
      wasm.gradientRange(wGrad.byteOffset, wHess.byteOffset, start, end, out.byteOffset)
      expect(Array.from(out), `${start}..${end}`).toEqual(Array.from(js))
    }
  })

  for (const [bins, flags] of [[4, QuantFlags.Stochastic], [127, QuantFlags.Stochastic], [15, 0], [4, QuantFlags.Stochastic | QuantFlags.ConstantHessian]] as const) {
    it(`gather, histogram and scatter agree (B=${bins}, flags ${flags})`, () => {
      const q = quantisation(40, 0.25, 0, bins, (flags & QuantFlags.Stochastic) !== 0, treeKey(5, bins, flags))
      const jsRows = new Int32Array(m)
      const jsPairs = new Int8Array(2 * m)
      const wRows = mem.alloc(Int32Array, m)
      const wPairs = mem.alloc(Int8Array, 2 * m)
      // Two parts, as an executor would cut them.
      for (const [start, end] of [[0, 2100], [2100, m]]) {
        gatherQuantisedPairs(sampled, grad, hess, start, end, jsRows, jsPairs, q.gInv, q.hInv, q.key, flags)
        wasm.gatherQuantised(sampled.byteOffset, wGrad.byteOffset, wHess.byteOffset, start, end, wRows.byteOffset, wPairs.byteOffset, q.gInv, q.hInv, q.key, flags)
      }
      expect(Array.from(wRows)).toEqual(Array.from(jsRows))
      expect(Array.from(wPairs)).toEqual(Array.from(jsPairs))

      const jsHist = new Int32Array(2 * totalBins)
      const wHist = mem.alloc(Int32Array, 2 * totalBins)
      accumulateQuantisedHistogram(codes, stride, nFeatures, offsets, jsPairs, 13, m, jsHist)
      wasm.histogramQuantised(codes.byteOffset, stride, nFeatures, wOffsets.byteOffset, wPairs.byteOffset, 13, m, wHist.byteOffset)
      expect(Array.from(wHist)).toEqual(Array.from(jsHist))
      // By definition: each row adds its pair to one bin of each feature.
      const naive = new Int32Array(2 * totalBins)
      for (let i = 13; i < m; i++) {
        for (let f = 0; f < nFeatures; f++) {
          naive[2 * (offsets[f] + codes[i * stride + f])] += jsPairs[2 * i]
          naive[2 * (offsets[f] + codes[i * stride + f]) + 1] += jsPairs[2 * i + 1]
        }
      }
      expect(Array.from(jsHist)).toEqual(Array.from(naive))

      // Scatter on feature 1 at bin 100, missing values left.
      const words = stride / 4
      const feature = 1
      let left = 0
      for (let i = 0; i < m; i++) {
        const c = codes[i * stride + feature]
        if (c <= 100 || c === nBins[feature]) left++
      }
      const jsOut = { codes: new Int32Array(m * words), rows: new Int32Array(m), q: new Int16Array(m) }
      const wOut = { codes: mem.alloc(Int32Array, m * words), rows: mem.alloc(Int32Array, m), q: mem.alloc(Int16Array, m) }
      const codeWords = new Int32Array(codes.buffer, codes.byteOffset, m * words)
      const pairWords = new Int16Array(wPairs.buffer, wPairs.byteOffset, m)
      expect(scatterQuantised(codes, codeWords, words, wRows, pairWords, 0, m, feature, 100, nBins[feature], 1, jsOut.codes, jsOut.rows, jsOut.q)).toBe(left)
      expect(wasm.scatterQuantised(codes.byteOffset, words, wRows.byteOffset, wPairs.byteOffset, 0, m, feature, 100, nBins[feature], 1, wOut.codes.byteOffset, wOut.rows.byteOffset, wOut.q.byteOffset)).toBe(left)
      expect(Array.from(wOut.rows)).toEqual(Array.from(jsOut.rows))
      expect(Array.from(wOut.q)).toEqual(Array.from(jsOut.q))
      expect(Array.from(wOut.codes)).toEqual(Array.from(jsOut.codes))
      // Each row kept its pair.
      const pairOf = new Map<number, number>()
      for (let i = 0; i < m; i++) pairOf.set(wRows[i], pairWords[i])
      for (let i = 0; i < m; i++) expect(jsOut.q[i]).toBe(pairOf.get(jsOut.rows[i]))
    })
  }
})
