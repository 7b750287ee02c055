/**
 * The histogram kernel: per-bin sums of gradient and hessian over one node's rows, the hot loop of
 * training. A node's codes and gradient pairs are kept in node order (partitions move them with
 * the rows), so the loop streams through memory instead of gathering scattered rows; the feature
 * loop is unrolled by four for independent accumulators.
 */

/**
 * Adds positions [start, end) into `hist` (interleaved grad, hess; feature f's bins start at
 * `offsets[f]`). Position i has codes at `codes[i * stride ..]`, gradient at gh[2i] and hessian
 * at gh[2i + 1].
 */
export function accumulateHistogram(
  codes: Uint8Array,
  stride: number,
  nFeatures: number,
  offsets: Int32Array,
  gh: Float32Array,
  start: number,
  end: number,
  hist: Float64Array,
): void {
  const f4 = nFeatures & ~3
  for (let i = start; i < end; i++) {
    const p = i * stride
    const gi = gh[2 * i]
    const hi = gh[2 * i + 1]
    let f = 0
    for (; f < f4; f += 4) {
      const k0 = (offsets[f] + codes[p + f]) << 1
      const k1 = (offsets[f + 1] + codes[p + f + 1]) << 1
      const k2 = (offsets[f + 2] + codes[p + f + 2]) << 1
      const k3 = (offsets[f + 3] + codes[p + f + 3]) << 1
      hist[k0] += gi
      hist[k0 + 1] += hi
      hist[k1] += gi
      hist[k1 + 1] += hi
      hist[k2] += gi
      hist[k2 + 1] += hi
      hist[k3] += gi
      hist[k3 + 1] += hi
    }
    for (; f < nFeatures; f++) {
      const k = (offsets[f] + codes[p + f]) << 1
      hist[k] += gi
      hist[k + 1] += hi
    }
  }
}

/**
 * The integer kernel of quantised training: adds positions [start, end) into `hist` (int32 pairs
 * of gradient and hessian sums, interleaved as in {@link accumulateHistogram}), position i's
 * integer gradient at q[2i] and hessian at q[2i + 1]. Integer sums are exact in any order.
 */
export function accumulateQuantisedHistogram(
  codes: Uint8Array,
  stride: number,
  nFeatures: number,
  offsets: Int32Array,
  q: Int8Array,
  start: number,
  end: number,
  hist: Int32Array,
): void {
  const f4 = nFeatures & ~3
  for (let i = start; i < end; i++) {
    const p = i * stride
    const gi = q[2 * i]
    const hi = q[2 * i + 1]
    let f = 0
    for (; f < f4; f += 4) {
      const k0 = (offsets[f] + codes[p + f]) << 1
      const k1 = (offsets[f + 1] + codes[p + f + 1]) << 1
      const k2 = (offsets[f + 2] + codes[p + f + 2]) << 1
      const k3 = (offsets[f + 3] + codes[p + f + 3]) << 1
      hist[k0] += gi
      hist[k0 + 1] += hi
      hist[k1] += gi
      hist[k1 + 1] += hi
      hist[k2] += gi
      hist[k2 + 1] += hi
      hist[k3] += gi
      hist[k3 + 1] += hi
    }
    for (; f < nFeatures; f++) {
      const k = (offsets[f] + codes[p + f]) << 1
      hist[k] += gi
      hist[k + 1] += hi
    }
  }
}

/** `out = parent - child`, elementwise: the sibling's histogram without visiting its rows. */
export function subtractHistogram(parent: Float64Array, child: Float64Array, out: Float64Array): void {
  for (let i = 0; i < out.length; i++) out[i] = parent[i] - child[i]
}

/** Feature offsets into a histogram: feature f owns bins offsets[f] .. offsets[f] + nBins[f]. */
export function histogramOffsets(nBins: Int32Array): { offsets: Int32Array; totalBins: number } {
  const offsets = new Int32Array(nBins.length)
  let total = 0
  for (let f = 0; f < nBins.length; f++) {
    offsets[f] = total
    total += nBins[f] + 1 // value bins plus the missing bin
  }
  return { offsets, totalBins: total }
}
