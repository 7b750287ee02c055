/**
 * Level histograms of an oblivious tree. All nodes of a level share the split, so one pass over
 * the rows, indexed by each row's node id, fills the histograms of every node the level needs
 * (`build[node]` = 1); the others come from the parent minus the sibling.
 *
 * Layout: node q's histogram starts at q * nodeSize; code c of feature j holds the gradient and
 * hessian sums of K outputs at (offsets[j] + c) * 2K + 2k, + 1.
 */

/**
 * Row-major numeric codes of rows [start, end), one output (the common case, kept monomorphic
 * and unrolled by four features for independent accumulators).
 */
export function accumulateRows1(
  codes: Uint8Array,
  stride: number,
  nF: number,
  offsets: Int32Array,
  g: Float64Array,
  h: Float64Array,
  node: Int32Array,
  build: Uint8Array,
  nodeSize: number,
  hist: Float64Array,
  start: number,
  end: number,
): void {
  const nF4 = nF & ~3
  for (let i = start; i < end; i++) {
    const q = node[i]
    if (build[q] === 0) continue
    const base = q * nodeSize
    const gi = g[i]
    const hi = h[i]
    const p = i * stride
    let j = 0
    for (; j < nF4; j += 4) {
      const b0 = base + 2 * (offsets[j] + codes[p + j])
      const b1 = base + 2 * (offsets[j + 1] + codes[p + j + 1])
      const b2 = base + 2 * (offsets[j + 2] + codes[p + j + 2])
      const b3 = base + 2 * (offsets[j + 3] + codes[p + j + 3])
      hist[b0] += gi
      hist[b0 + 1] += hi
      hist[b1] += gi
      hist[b1 + 1] += hi
      hist[b2] += gi
      hist[b2 + 1] += hi
      hist[b3] += gi
      hist[b3 + 1] += hi
    }
    for (; j < nF; j++) {
      const b = base + 2 * (offsets[j] + codes[p + j])
      hist[b] += gi
      hist[b + 1] += hi
    }
  }
}

/** As {@link accumulateRows1} for K outputs (g and h output-major, `g[k * n + i]`). */
export function accumulateRowsK(
  codes: Uint8Array,
  stride: number,
  nF: number,
  offsets: Int32Array,
  g: Float64Array,
  h: Float64Array,
  n: number,
  K: number,
  node: Int32Array,
  build: Uint8Array,
  nodeSize: number,
  hist: Float64Array,
  start: number,
  end: number,
): void {
  for (let i = start; i < end; i++) {
    const q = node[i]
    if (build[q] === 0) continue
    const base = q * nodeSize
    const p = i * stride
    for (let j = 0; j < nF; j++) {
      const b = base + 2 * K * (offsets[j] + codes[p + j])
      for (let k = 0; k < K; k++) {
        hist[b + 2 * k] += g[k * n + i]
        hist[b + 2 * k + 1] += h[k * n + i]
      }
    }
  }
}

/** One column of codes (a categorical candidate) for every node, into hist at `offset`. */
export function accumulateColumn(
  codes: Uint8Array,
  offset: number,
  g: Float64Array,
  h: Float64Array,
  n: number,
  K: number,
  node: Int32Array,
  nodeSize: number,
  hist: Float64Array,
): void {
  for (let i = 0; i < n; i++) {
    const b = node[i] * nodeSize + 2 * K * (offset + codes[i])
    for (let k = 0; k < K; k++) {
      hist[b + 2 * k] += g[k * n + i]
      hist[b + 2 * k + 1] += h[k * n + i]
    }
  }
}
