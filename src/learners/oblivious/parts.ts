/**
 * The tasks the threads of a fit share, and the shared control block they take them by: one part
 * of a level's numeric histogram pass, or one block of rows of a tree's bootstrap weights. The
 * same code runs on the training thread and in worker threads.
 */
import { exponential } from '../../math/exponential.js'
import { Rng } from '../../rng.js'
import type { TrainingKernels } from '../kernel-choice.js'
import { applyNumericSplit } from './grower.js'
import { accumulateRows1, accumulateRowsK } from './histogram.js'
import { levelKernels } from './level-kernels.js'
import { computeDerivatives, type Loss } from './losses.js'
import type { PendingSplit } from './grower.js'
import type { NumericBlock } from './numeric.js'

/** Rows per part: parts depend on the row count only, never on the thread count. */
export const PART_ROWS = 131072
/** Rows per random stream of the bootstrap weights: fixed, so weights never depend on the thread count. */
export const WEIGHT_ROWS = 65536
/** Histogram doubles a task of a pass's sum adds up. */
export const SUM_CHUNK = 16384

/**
 * A pass: the data, derivatives and node ids and one output buffer per part, all in the block's
 * shared memory; the kernels to run them with.
 */
export interface PartJob {
  readonly kind: 'histogram'
  readonly kernels: TrainingKernels
  readonly block: NumericBlock
  readonly K: number
  readonly n: number
  readonly parts: number
  readonly g: Float64Array
  readonly h: Float64Array
  readonly node: Int32Array
  readonly build: Uint8Array
  readonly nodeSize: number
  readonly outs: readonly Float64Array[]
  /**
   * The previous level's numeric split, applied to node ids in the pass: [feature (-1: none),
   * border, level]. Shared memory, written before each pass, so a job posted once stays current.
   */
  readonly split: Int32Array
  /**
   * [0]: 0 while the parts accumulate, 1 while parts 1.. are added into part 0 (`outs[0]`) a
   * chunk of doubles a task, each double in part order. Shared memory, like `split`.
   */
  readonly phase: Int32Array
}

/** A fit's derivatives and bootstrap weights, in its shared memory (output-major: `g[k * n + i]`). */
export interface Derivatives {
  readonly g: Float64Array
  readonly h: Float64Array
  readonly weight: Float64Array
  /** g and h times the row's weight: what the tree is grown on. */
  readonly wg: Float64Array
  readonly wh: Float64Array
}

/**
 * A tree's bootstrap: each row's weight (Bayesian, (-log u)^temperature; 1 when the temperature is
 * 0) and its weighted derivatives, a block of {@link WEIGHT_ROWS} rows a task.
 */
export interface WeightsJob extends Derivatives {
  readonly kind: 'weights'
  readonly n: number
  readonly K: number
  /** [seed, temperature] of this tree; shared memory, written before each pass. */
  readonly args: Float64Array
  /** Each block's sum of squared (unweighted) gradients, for the scale of the split-score noise. */
  readonly squares: Float64Array
}

/** The root mean square of the gradients the last {@link weighRows} pass read, from its blocks' sums in order. */
export function gradientRms(job: WeightsJob): number {
  let s = 0
  for (let b = 0; b < job.squares.length; b++) s += job.squares[b]
  return Math.sqrt(s / Math.max(1, job.n * job.K))
}

/** A tree's margin update: each row's leaf value (`values[leafOf[i] * K + k]`) added to its margins, a block of rows a task. */
export interface MarginsJob {
  readonly kind: 'margins'
  readonly n: number
  readonly K: number
  /** Row-major n x K. */
  readonly margin: Float64Array
  readonly leafOf: Int32Array
  /** The tree's leaf values, leaf-major; shared memory, written before each pass. */
  readonly values: Float64Array
}

/** A round's derivatives of the loss at the margins, a block of rows a task. */
export interface DerivativesJob {
  readonly kind: 'derivatives'
  readonly n: number
  readonly loss: Loss
  readonly margin: Float64Array
  readonly y: Float64Array
  readonly g: Float64Array
  readonly h: Float64Array
}

/**
 * A tree's leaf sums: block b of rows adds its rows' weighted derivatives by leaf into its own
 * slot of `sums` (gradient sums then hessian sums, `nLeaves[0] * K` each), which the caller adds
 * up in block order.
 */
export interface LeavesJob {
  readonly kind: 'leaves'
  readonly n: number
  readonly K: number
  readonly leafOf: Int32Array
  readonly g: Float64Array
  readonly h: Float64Array
  readonly weight: Float64Array
  /** [0]: the tree's leaves; shared memory, written before each pass. */
  readonly nLeaves: Int32Array
  /** Block b's slot starts at b x `slot`: 2 x (most leaves) x K doubles. */
  readonly sums: Float64Array
  readonly slot: number
}

/** The jobs run a block of rows a task. */
export type RowsJob = MarginsJob | DerivativesJob | LeavesJob

export type PoolJob = PartJob | WeightsJob | RowsJob

/** The phases of a {@link PartJob}. */
export const enum PartPhase {
  Accumulate = 0,
  Sum = 1,
  /** Only the pending split is applied to the node ids (after a tree's last level). */
  Split = 2,
}

/** Tasks in a job. */
export function taskCount(job: PoolJob): number {
  if (job.kind !== 'histogram') return Math.ceil(job.n / WEIGHT_ROWS)
  return job.phase[0] === PartPhase.Sum ? Math.ceil(job.outs[0].length / SUM_CHUNK) : job.parts
}

/** Runs task `t` of `job`. */
export function runTask(job: PoolJob, t: number): void {
  switch (job.kind) {
    case 'weights':
      return weighRows(job, t)
    case 'margins':
      return addLeafValues(job, t)
    case 'derivatives': {
      const start = t * WEIGHT_ROWS
      return computeDerivatives(job.loss, job.margin, job.y, job.g, job.h, start, Math.min(job.n, start + WEIGHT_ROWS))
    }
    case 'leaves':
      return sumLeaves(job, t)
    case 'histogram':
      if (job.phase[0] === PartPhase.Sum) return sumParts(job, t)
      if (job.phase[0] === PartPhase.Split) return splitPart(job, t)
      return accumulatePart(job, t)
  }
}

/** Block b's leaf sums into its slot. */
export function sumLeaves(job: LeavesJob, b: number): void {
  const { n, K, leafOf, g, h, weight, sums } = job
  const width = job.nLeaves[0] * K
  const slot = b * job.slot
  const G = sums.subarray(slot, slot + width)
  const H = sums.subarray(slot + width, slot + 2 * width)
  G.fill(0)
  H.fill(0)
  const start = b * WEIGHT_ROWS
  const end = Math.min(n, start + WEIGHT_ROWS)
  for (let k = 0; k < K; k++) {
    for (let i = start, o = k * n + start; i < end; i++, o++) {
      const leaf = leafOf[i] * K + k
      G[leaf] += g[o] * weight[i]
      H[leaf] += h[o] * weight[i]
    }
  }
}

/** The pending split applied to the node ids of part p's rows. */
function splitPart(job: PartJob, p: number): void {
  const [feature, border, level] = job.split
  const start = Math.floor((job.n * p) / job.parts)
  const end = Math.floor((job.n * (p + 1)) / job.parts)
  if (feature >= 0) applyNumericSplit(job.block.codes, job.block.stride, job.node, { feature, border, level }, start, end)
}

/** Adds the leaf values of block `b` of rows to their margins. */
export function addLeafValues(job: MarginsJob, b: number): void {
  const { K, margin, leafOf, values } = job
  const start = b * WEIGHT_ROWS
  const end = Math.min(job.n, start + WEIGHT_ROWS)
  if (K === 1) {
    for (let i = start; i < end; i++) margin[i] += values[leafOf[i]]
    return
  }
  for (let i = start; i < end; i++) {
    const o = leafOf[i] * K
    for (let k = 0; k < K; k++) margin[i * K + k] += values[o + k]
  }
}

/** Adds parts 1.. into part 0 over doubles [t SUM_CHUNK, (t + 1) SUM_CHUNK) of the built nodes, in part order. */
export function sumParts(job: PartJob, t: number): void {
  const { outs, build, nodeSize } = job
  const hist = outs[0]
  const start = t * SUM_CHUNK
  const end = Math.min(hist.length, start + SUM_CHUNK)
  for (let q = Math.floor(start / nodeSize); q < build.length && q * nodeSize < end; q++) {
    if (build[q] !== 1) continue
    const a = Math.max(start, q * nodeSize)
    const b = Math.min(end, (q + 1) * nodeSize)
    for (let p = 1; p < outs.length; p++) {
      const out = outs[p]
      for (let j = a; j < b; j++) hist[j] += out[j]
    }
  }
}

/** Draws the weights of block `b` of rows from its own stream, and weighs their derivatives. */
export function weighRows(job: WeightsJob, b: number): void {
  const { n, K, g, h, weight, wg, wh } = job
  const [seed, temperature] = job.args
  const start = b * WEIGHT_ROWS
  const end = Math.min(n, start + WEIGHT_ROWS)
  if (temperature > 0) {
    const rng = new Rng(seed ^ Math.imul(b + 1, 0x9e3779b9))
    for (let i = start; i < end; i++) {
      // An Exp(1) draw, as -log(u) is, by the ziggurat (a table lookup, not a logarithm).
      const w = exponential(rng)
      weight[i] = temperature === 1 ? w : Math.pow(w, temperature)
    }
  } else weight.fill(1, start, end)
  let squares = 0
  for (let k = 0; k < K; k++) {
    for (let i = start, o = k * n + start; i < end; i++, o++) {
      squares += g[o] * g[o]
      wg[o] = g[o] * weight[i]
      wh[o] = h[o] * weight[i]
    }
  }
  job.squares[b] = squares
}

/** Writes `pending` where the parts of a pass read it. */
export function setPendingSplit(split: Int32Array, pending: PendingSplit | null): void {
  split[0] = pending ? pending.feature : -1
  split[1] = pending ? pending.border : 0
  split[2] = pending ? pending.level : 0
}

/** Accumulates part p of the job's rows into outs[p]. */
export function accumulatePart(job: PartJob, p: number): void {
  const { block, K, n, parts } = job
  const start = Math.floor((n * p) / parts)
  const end = Math.floor((n * (p + 1)) / parts)
  const [feature, border, level] = job.split
  if (p > 0) {
    // Part 0 is the caller's histogram, zeroed by the grower; the others start from zero here.
    const out = job.outs[p]
    for (let q = 0; q < job.build.length; q++) if (job.build[q] === 1) out.fill(0, q * job.nodeSize, (q + 1) * job.nodeSize)
  }
  if (K === 1 && job.kernels === 'wasm') {
    levelKernels(block.memory).accumulateRows1(block.codes.byteOffset, block.stride, block.nFeatures, block.offsets.byteOffset, job.g.byteOffset, job.h.byteOffset,
      job.node.byteOffset, job.build.byteOffset, job.nodeSize, job.outs[p].byteOffset, start, end, feature, border, level)
    return
  }
  if (feature >= 0) applyNumericSplit(block.codes, block.stride, job.node, { feature, border, level }, start, end)
  if (K === 1) {
    accumulateRows1(block.codes, block.stride, block.nFeatures, block.offsets, job.g, job.h, job.node, job.build, job.nodeSize, job.outs[p], start, end)
  } else {
    accumulateRowsK(block.codes, block.stride, block.nFeatures, block.offsets, job.g, job.h, n, K, job.node, job.build, job.nodeSize, job.outs[p], start, end)
  }
}
