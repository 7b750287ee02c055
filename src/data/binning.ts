/**
 * Quantile binning: every feature value becomes a uint8 bin code, computed once per job and shared
 * by every learner and fold. Bin b of feature f holds values in [cut[b-1], cut[b]); the last code
 * of each feature (`nBins[f]`) is reserved for missing values. A split "bin <= b goes left" is
 * therefore exactly "x < cut[b] goes left", XGBoost's convention, so trees trained on bins predict
 * raw values with the same thresholds.
 */
import { Rng } from '../rng.js'
import { type Frame, numericView } from './frame.js'
import type { DataCounters } from './counters.js'

/** Most value bins a feature may have: 255 value codes plus one missing code fit in a byte. */
export const MAX_VALUE_BINS = 255
/** Rows sampled to find quantiles on large data (scikit-learn's choice). */
const QUANTILE_SAMPLE = 200_000

/** Cut points of every feature; plain data, serialisable. */
export interface BinMapper {
  readonly featureNames: readonly string[]
  /** cuts[f] ascending; feature f has cuts[f].length + 1 value bins. */
  readonly cuts: readonly Float64Array[]
}

/** The binned training matrix: row-major uint8 codes, shareable with workers. */
export interface BinnedFrame {
  readonly nRows: number
  readonly nFeatures: number
  /**
   * Bytes per row: nFeatures rounded up to a multiple of 4 (padding is zero), so a row moves as
   * whole 32-bit words.
   */
  readonly rowStride: number
  /** Row-major codes, `codes[row * rowStride + f]`, backed by a SharedArrayBuffer. */
  readonly codes: Uint8Array
  readonly mapper: BinMapper
  /** Value bins per feature; the missing code of feature f equals nBins[f]. */
  readonly nBins: Int32Array
}

/** Number of value bins of feature f (its missing code). */
export function valueBins(mapper: BinMapper, f: number): number {
  return mapper.cuts[f].length + 1
}

/**
 * Finds quantile cut points for each column of `frame` with at most `maxBin - 1` value bins
 * (one code is reserved for missing). Columns with few distinct values get one bin per value,
 * cut at midpoints.
 * @example const mapper = fitBins(frame, 256)
 */
export function fitBins(frame: Frame, maxBin = 256, seed = 0): BinMapper {
  const { sample, valueBinLimit } = quantilePlan(frame.nRows, maxBin, seed)
  const cuts = frame.columns.map((c) => featureCuts(numericView(c), sample, valueBinLimit))
  return { featureNames: frame.columns.map((c) => c.name), cuts }
}

/** The rows the quantiles are found on (all when null) and the value bins a feature may have. */
export function quantilePlan(nRows: number, maxBin: number, seed: number): { sample: Int32Array | null; valueBinLimit: number } {
  if (!(maxBin >= 2 && maxBin <= 256)) throw new RangeError(`max_bin must be in [2, 256], got ${maxBin}`)
  return { sample: nRows > QUANTILE_SAMPLE ? sampleRows(nRows, QUANTILE_SAMPLE, seed) : null, valueBinLimit: Math.min(maxBin - 1, MAX_VALUE_BINS) }
}

function sampleRows(n: number, k: number, seed: number): Int32Array {
  const rng = new Rng(seed ^ 0x5bd1e995)
  const idx = new Int32Array(k)
  // Reservoir-free sampling: stratified by stride with a random offset keeps it cheap and spread.
  const stride = n / k
  for (let i = 0; i < k; i++) idx[i] = Math.min(n - 1, Math.floor(i * stride + rng.next() * stride))
  return idx
}

/** The cuts of one feature's values, found on the `sample` rows (all when null). */
export function featureCuts(values: Float64Array, sample: Int32Array | null, maxValueBins: number): Float64Array {
  const m = sample ? sample.length : values.length
  const buf = new Float64Array(m)
  let k = 0
  for (let i = 0; i < m; i++) {
    const v = sample ? values[sample[i]] : values[i]
    if (v === v) buf[k++] = v
  }
  const sorted = buf.subarray(0, k).sort()
  let nDistinct = k > 0 ? 1 : 0
  for (let i = 1; i < k; i++) if (sorted[i] !== sorted[i - 1]) nDistinct++
  if (nDistinct <= 1) return new Float64Array(0)
  const cuts = new Float64Array(Math.min(nDistinct, maxValueBins) - 1)
  let c = 0
  if (nDistinct <= maxValueBins) {
    // One bin per distinct value, cut at the midpoints.
    for (let i = 1; i < k; i++) if (sorted[i] !== sorted[i - 1]) cuts[c++] = midpoint(sorted[i - 1], sorted[i])
    return cuts
  }
  // Weighted quantiles over runs of equal values: a cut after the run where the running count
  // crosses each of the maxValueBins - 1 quantile levels.
  let nextLevel = 1
  for (let i = 0; i < k && nextLevel < maxValueBins; ) {
    let j = i + 1
    while (j < k && sorted[j] === sorted[i]) j++
    if (j < k && j >= (nextLevel * k) / maxValueBins) {
      cuts[c++] = midpoint(sorted[i], sorted[j])
      while (nextLevel < maxValueBins && j >= (nextLevel * k) / maxValueBins) nextLevel++
    }
    i = j
  }
  return cuts.slice(0, c)
}

function midpoint(a: number, b: number): number {
  // b - a overflows to Infinity for values near the ends of the double range; halve first then.
  const half = (b - a) / 2
  const m = Number.isFinite(half) ? a + half : a / 2 + b / 2
  // Guard against rounding onto b for adjacent doubles: the cut must satisfy a < cut <= b.
  return m > a ? m : b
}

/**
 * Maps every value of `frame` to its bin code with `mapper` (columns matched by position; the
 * frame must have the mapper's features in the same order); `counters`, the binning job's, counts it.
 * @example const binned = binFrame(frame, fitBins(frame))
 */
export function binFrame(frame: Frame, mapper: BinMapper, counters?: DataCounters): BinnedFrame {
  const binned = emptyBinnedFrame(frame, mapper, counters)
  const columns = frame.columns.map(numericView)
  binRows(columns, binned.mapper.cuts, binned.codes, binned.rowStride, 0, frame.nRows)
  return binned
}

/** The binned frame of `frame` under `mapper`, its codes not yet written (zeros); counted in `counters`. */
export function emptyBinnedFrame(frame: Frame, mapper: BinMapper, counters?: DataCounters): BinnedFrame {
  const nRows = frame.nRows
  const nFeatures = mapper.cuts.length
  if (frame.columns.length !== nFeatures) {
    throw new RangeError(`frame has ${frame.columns.length} columns, the bin mapper ${nFeatures}`)
  }
  if (counters) counters.binnings++
  const rowStride = rowStrideOf(nFeatures)
  const codes = new Uint8Array(new SharedArrayBuffer(Math.max(4, nRows * rowStride)), 0, nRows * rowStride)
  const nBins = Int32Array.from(mapper.cuts, (cuts) => cuts.length + 1)
  return { nRows, nFeatures, rowStride, codes, mapper, nBins }
}

/** Writes the codes of rows [start, end) of every feature (`columns[f]` by `cuts[f]`). */
export function binRows(columns: readonly Float64Array[], cuts: readonly Float64Array[], codes: Uint8Array, stride: number, start: number, end: number): void {
  for (let f = 0; f < columns.length; f++) binColumn(columns[f], cuts[f], codes, f, stride, start, end)
}

/** Bytes per binned row for `nFeatures` features: whole 32-bit words. */
export function rowStrideOf(nFeatures: number): number {
  return Math.max(4, (nFeatures + 3) & ~3)
}

/**
 * Writes the codes of one column into the row-major matrix: a branch-free binary search per
 * value over the cuts padded with NaN to a power of two (NaN <= v is false, so padding never
 * counts), because a branchy search mispredicts at every level.
 */
function binColumn(values: Float64Array, cuts: Float64Array, out: Uint8Array, f: number, stride: number, start: number, end: number): void {
  const nCuts = cuts.length
  const missing = nCuts + 1
  let size = 1
  while (size < nCuts + 1) size <<= 1
  const padded = new Float64Array(size).fill(NaN)
  padded.set(cuts)
  for (let i = start, p = start * stride + f; i < end; i++, p += stride) {
    const v = values[i]
    // Number of cuts <= v, by binary lifting over the size - 1 first slots (the last slot is
    // always padding, since size > nCuts).
    let lo = 0
    for (let step = size >> 1; step > 0; step >>= 1) lo += step * +(padded[lo + step - 1] <= v)
    out[p] = v === v ? lo : missing
  }
}
