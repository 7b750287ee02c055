/**
 * Numeric split candidates of the `oblivious` learner, taken from the job's binned data: each
 * training row's codes are copied into a row-major matrix where code 0 is missing (CatBoost's
 * nan_mode Min: missing sorts below every value) and code c > 0 is the value bin c - 1. The split
 * "code > b" is exactly "x > threshold[b]" on raw values, the form the predictor evaluates, and
 * NaN (never > anything) stays on the missing side.
 *
 * border_count: from 255 on, the job's cuts (up to 255 bins) are used as they are; below, the
 * job's cuts are thinned to border_count evenly spaced ones (the job's cuts are quantiles, so
 * the kept ones are quantiles too).
 */
import type { BinnedFrame } from '../../data/binning.js'
import { rowStrideOf } from '../../data/binning.js'
import type { SharedMemory } from '../../exec/shared-memory.js'

/** The numeric features of a fit as one row-major code matrix. */
export interface NumericBlock {
  /** Binned feature index of each numeric feature. */
  readonly source: Int32Array
  readonly nFeatures: number
  /** Bytes per row (a multiple of 4). */
  readonly stride: number
  /** `codes[i * stride + j]`: code of training row i for numeric feature j. */
  readonly codes: Uint8Array
  /** Codes per feature: 1 (missing) + value bins kept. */
  readonly nCodes: Int32Array
  /** Start of each feature's codes in a histogram. */
  readonly offsets: Int32Array
  readonly totalCodes: number
  /** thresholds[j][b]: the split "code > b" of feature j is "x > thresholds[j][b]". */
  readonly thresholds: readonly Float64Array[]
  /** The shared memory `codes` and `offsets` live in, with the fit's other pass buffers. */
  readonly memory: WebAssembly.Memory
}

/** The largest double below `x` (x finite): `v > nextDown(c)` is `v >= c`. */
export function nextDown(x: number): number {
  if (x === 0) return -Number.MIN_VALUE
  const buf = new DataView(new ArrayBuffer(8))
  buf.setFloat64(0, x)
  const bits = buf.getBigUint64(0)
  buf.setBigUint64(0, x > 0 ? bits - 1n : bits + 1n)
  return buf.getFloat64(0)
}

/**
 * Indices of the cuts kept for `borderCount` borders out of `nCuts`: all, or evenly spaced.
 * @example keptCuts(10, 3) // Int32Array [2, 5, 7]
 */
export function keptCuts(nCuts: number, borderCount: number): Int32Array {
  if (borderCount >= nCuts) return Int32Array.from({ length: nCuts }, (_, j) => j)
  return Int32Array.from({ length: borderCount }, (_, j) => Math.floor(((j + 1) * nCuts) / (borderCount + 1)))
}

/**
 * Copies the codes of `features` (binned feature indices) for training rows `ids` into a numeric
 * block in `mem`, remapped to missing-first codes and thinned to `borderCount` borders.
 * @example const block = numericBlock(binned, Int32Array.of(0, 1), rows, 254, new SharedMemory())
 */
export function numericBlock(binned: BinnedFrame, features: Int32Array, ids: Int32Array, borderCount: number, mem: SharedMemory): NumericBlock {
  const nF = features.length
  const n = ids.length
  const stride = rowStrideOf(nF)
  const codes = mem.alloc(Uint8Array, Math.max(4, n * stride))
  const nCodes = new Int32Array(nF)
  const offsets = mem.alloc(Int32Array, nF)
  const thresholds: Float64Array[] = []
  const luts: Uint8Array[] = []
  let total = 0
  for (let j = 0; j < nF; j++) {
    const f = features[j]
    const cuts = binned.mapper.cuts[f]
    const kept = keptCuts(cuts.length, Math.max(1, borderCount))
    // Border 0 separates missing from every value; border b > 0 is kept cut b - 1.
    const thr = new Float64Array(kept.length + 1)
    thr[0] = -Infinity
    for (let b = 0; b < kept.length; b++) thr[b + 1] = nextDown(cuts[kept[b]])
    thresholds.push(thr)
    // Value bin v holds cuts[v-1] <= x < cuts[v]: its new code is 1 + (kept cuts at or below x).
    const lut = new Uint8Array(binned.nBins[f] + 1)
    let passed = 0
    for (let v = 0; v < binned.nBins[f]; v++) {
      while (passed < kept.length && kept[passed] < v) passed++
      lut[v] = 1 + passed
    }
    lut[binned.nBins[f]] = 0
    luts.push(lut)
    nCodes[j] = kept.length + 2
    offsets[j] = total
    total += nCodes[j]
  }
  const src = binned.codes
  const srcStride = binned.rowStride
  for (let i = 0; i < n; i++) {
    const s = ids[i] * srcStride
    const d = i * stride
    for (let j = 0; j < nF; j++) codes[d + j] = luts[j][src[s + features[j]]]
  }
  return { source: features, nFeatures: nF, stride, codes, nCodes, offsets, totalCodes: total, thresholds, memory: mem.memory }
}
