/**
 * Growing one oblivious tree: level by level, every candidate (feature, border) is scored over
 * all nodes of the level at once, the best (plus CatBoost's random-strength noise) becomes the
 * level's split, and each row's node id gains one bit. Numeric histograms come from one pass per
 * level over the smaller child of each node pair, the sibling by subtraction from the parent.
 */
import type { SharedMemory } from '../../exec/shared-memory.js'
import type { Rng } from '../../rng.js'
import { accumulateColumn } from './histogram.js'
import type { NumericBlock } from './numeric.js'
import type { RowsJob } from './parts.js'
import { levelScores } from './score.js'

/** A categorical candidate of a level: a column of codes for every training row. */
export interface ColumnCandidate {
  readonly codes: Uint8Array
  readonly nCodes: number
  /** The split "code > b" is "model feature > thresholds[b]" at prediction time. */
  readonly thresholds: Float64Array
  /** The caller's identifier of the candidate. */
  readonly ref: number
}

/** The split of one level: numeric feature index, or a column candidate; rows with code > border go right. */
export interface TreeSplit {
  readonly numeric: number
  readonly column: ColumnCandidate | null
  readonly border: number
  readonly threshold: number
}

/** A numeric split of the previous level not yet applied to the rows' node ids. */
export interface PendingSplit {
  /** Index in the numeric block. */
  readonly feature: number
  readonly border: number
  readonly level: number
}

/**
 * Fills level histograms of numeric features for the nodes with build[q] = 1 (zeroed by the
 * caller), first applying `pending` to the rows' node ids in the same pass.
 */
export type NumericAccumulate = (g: Float64Array, h: Float64Array, node: Int32Array, build: Uint8Array, nodeSize: number, hist: Float64Array, pending: PendingSplit | null) => void

/** The threaded work of one fit (histogram passes, bootstrap weights), and the release of what it holds (worker threads). */
export interface NumericPass {
  readonly accumulate: NumericAccumulate
  /**
   * Draws the tree's bootstrap weights from `seed` (temperature 0: all 1) and weighs the
   * derivatives; returns the root mean square of the unweighted gradients.
   */
  weigh(seed: number, temperature: number): number
  /** Applies a tree's last split, when numeric, to the node ids the histogram passes read. */
  applyPending(node: Int32Array, pending: PendingSplit): void
  /** Runs a job over blocks of rows (derivatives, leaf sums, the margins' update). */
  rows(job: RowsJob): void
  /** Called once, when the fit ends however it ends. */
  close(): void
}

export interface GrowInputs {
  readonly numeric: NumericBlock
  readonly accumulate: NumericAccumulate
  /** Applies the last level's numeric split (default: on the calling thread). */
  readonly applyPending?: (node: Int32Array, pending: PendingSplit) => void
  /** Gradient and hessian per output and row, output-major, already weighted. */
  readonly g: Float64Array
  readonly h: Float64Array
  readonly n: number
  readonly K: number
  readonly depth: number
  readonly lambda: number
  /** Categorical candidates of a level, given the splits chosen so far. */
  readonly columnsFor: (level: number, splits: readonly TreeSplit[]) => readonly ColumnCandidate[]
  readonly rng: Rng
  /** Standard deviation of the noise added to every score (0: none). */
  readonly noiseSd: number
  /** Share of candidates scored at each level. */
  readonly rsm: number
}

/** Histogram buffers and per-row node ids reused across trees. */
export class GrowScratch {
  readonly node: Int32Array
  readonly hist: [Float64Array, Float64Array]
  /** Weight (hessian sum) of each node of the next level: the smaller child's histogram is built. */
  readonly weights: Float64Array
  readonly build: Uint8Array

  /** The buffers the histogram pass reads or writes live in `mem`, the fit's shared memory. */
  constructor(n: number, numeric: NumericBlock, K: number, depth: number, mem: SharedMemory) {
    this.node = mem.alloc(Int32Array, Math.max(1, n))
    const size = histogramSize(numeric, K, depth)
    this.hist = [mem.alloc(Float64Array, size), mem.alloc(Float64Array, size)]
    this.weights = new Float64Array(1 << depth)
    this.build = mem.alloc(Uint8Array, 1 << depth)
  }
}

/** Doubles in the histograms of a level of a tree of `depth` (the widest level the pass builds). */
export function histogramSize(numeric: NumericBlock, K: number, depth: number): number {
  return Math.max(1, (1 << Math.max(0, depth - 1)) * numeric.totalCodes * 2 * K)
}

/**
 * Grows one tree; on return `scratch.node[i]` is the leaf of row i.
 * @example const splits = growObliviousTree(inputs, scratch)
 */
export function growObliviousTree(inp: GrowInputs, scratch: GrowScratch): TreeSplit[] {
  const { numeric, g, h, n, K, lambda, rng } = inp
  const { node, weights, build } = scratch
  node.fill(0, 0, n)
  weights[0] = n
  const nodeSize = numeric.totalCodes * 2 * K
  const splits: TreeSplit[] = []
  const scores = new Float64Array(256)
  // A numeric split is applied by the next level's histogram pass, which reads the same rows.
  let pending: PendingSplit | null = null
  for (let level = 0; level < inp.depth; level++) {
    const nNodes = 1 << level
    const cur = scratch.hist[level & 1]
    const prev = scratch.hist[(level & 1) ^ 1]
    const half = nNodes >> 1
    if (level === 0) build[0] = 1
    for (let p = 0; p < half; p++) {
      const small = weights[p | half] < weights[p] ? p | half : p
      build[small] = 1
      build[small ^ half] = 0
    }
    for (let q = 0; q < nNodes; q++) if (build[q] === 1) cur.fill(0, q * nodeSize, (q + 1) * nodeSize)
    if (numeric.nFeatures > 0) inp.accumulate(g, h, node, build, nodeSize, cur, pending)
    else if (pending) applyNumericSplit(numeric.codes, numeric.stride, node, pending, 0, n)
    pending = null
    for (let p = 0; p < half; p++) {
      const big = build[p] === 1 ? p | half : p
      const small = big ^ half
      const o = big * nodeSize
      const s = small * nodeSize
      const par = p * nodeSize
      for (let j = 0; j < nodeSize; j++) cur[o + j] = prev[par + j] - cur[s + j]
    }

    const columns = inp.columnsFor(level, splits)
    const colOffsets = new Int32Array(columns.length)
    let colTotal = 0
    columns.forEach((c, i) => {
      colOffsets[i] = colTotal
      colTotal += c.nCodes
    })
    const colNodeSize = colTotal * 2 * K
    const colHist = new Float64Array(nNodes * colNodeSize)
    columns.forEach((c, i) => accumulateColumn(c.codes, colOffsets[i], g, h, n, K, node, colNodeSize, colHist))

    const pick: { best: number; split: TreeSplit | null; hist: Float64Array; start: number; size: number; nCodes: number } = {
      best: -Infinity,
      split: null,
      hist: cur,
      start: 0,
      size: 0,
      nCodes: 0,
    }
    const consider = (hist: Float64Array, start: number, size: number, nCodes: number, thresholds: Float64Array, numericIndex: number, column: ColumnCandidate | null) => {
      if (nCodes < 2 || (inp.rsm < 1 && rng.next() >= inp.rsm)) return
      levelScores(hist, start, nNodes, size, nCodes, K, lambda, scores)
      for (let b = 0; b < nCodes - 1; b++) {
        const s = inp.noiseSd > 0 ? scores[b] + inp.noiseSd * rng.normal() : scores[b]
        if (s > pick.best) {
          pick.best = s
          pick.split = { numeric: numericIndex, column, border: b, threshold: thresholds[b] }
          pick.hist = hist
          pick.start = start
          pick.size = size
          pick.nCodes = nCodes
        }
      }
    }
    for (let j = 0; j < numeric.nFeatures; j++) {
      consider(cur, numeric.offsets[j] * 2 * K, nodeSize, numeric.nCodes[j], numeric.thresholds[j], j, null)
    }
    columns.forEach((c, i) => consider(colHist, colOffsets[i] * 2 * K, colNodeSize, c.nCodes, c.thresholds, -1, c))
    const split = pick.split
    if (split === null) break
    splits.push(split)
    if (split.column) applySplit(split, numeric, node, n, level)
    else pending = { feature: split.numeric, border: split.border, level }
    childWeights(pick.hist, pick.start, pick.size, pick.nCodes, K, split.border, nNodes, weights)
  }
  if (pending) {
    if (inp.applyPending) inp.applyPending(node, pending)
    else applyNumericSplit(numeric.codes, numeric.stride, node, pending, 0, n)
  }
  return splits
}

/**
 * Hessian weight of each child of the split, read off the level histogram of the split's feature:
 * child q (code <= border) and q | nNodes (code > border). It decides which child's histogram is
 * built and which is subtracted, without another pass over the rows.
 */
function childWeights(hist: Float64Array, start: number, size: number, nCodes: number, K: number, border: number, nNodes: number, out: Float64Array): void {
  for (let q = 0; q < nNodes; q++) {
    const base = q * size + start
    let left = 0
    let total = 0
    for (let c = 0; c < nCodes; c++) {
      let h = 0
      for (let k = 0; k < K; k++) h += hist[base + 2 * K * c + 2 * k + 1]
      total += h
      if (c <= border) left += h
    }
    out[q] = left
    out[q | nNodes] = total - left
  }
}

/** Sets bit `level` of each row's node id where the row's code exceeds the split's border. */
export function applySplit(split: TreeSplit, numeric: NumericBlock, node: Int32Array, n: number, level: number): void {
  const b = split.border
  if (split.column) {
    const codes = split.column.codes
    for (let i = 0; i < n; i++) node[i] |= (codes[i] > b ? 1 : 0) << level
  } else {
    applyNumericSplit(numeric.codes, numeric.stride, node, { feature: split.numeric, border: b, level }, 0, n)
  }
}

/** Sets bit `split.level` of the node id of rows [start, end) whose code of `split.feature` exceeds its border. */
export function applyNumericSplit(codes: Uint8Array, stride: number, node: Int32Array, split: PendingSplit, start: number, end: number): void {
  const { border, level } = split
  for (let i = start, p = start * stride + split.feature; i < end; i++, p += stride) node[i] |= (codes[p] > border ? 1 : 0) << level
}
