/**
 * The tasks the threads of a fit share, and the shared control block they take them by: one part
 * of a level's numeric histogram pass, or one block of rows of a tree's bootstrap weights. The
 * same code runs on the training thread and in worker threads.
 */
import { Rng } from '../../rng.js'
import type { TrainingKernels } from '../kernel-choice.js'
import { applyNumericSplit } from './grower.js'
import { accumulateRows1, accumulateRowsK } from './histogram.js'
import { levelKernels } from './level-kernels.js'
import type { PendingSplit } from './grower.js'
import type { NumericBlock } from './numeric.js'

/** Rows per part: parts depend on the row count only, never on the thread count. */
export const PART_ROWS = 131072
/** Rows per random stream of the bootstrap weights: fixed, so weights never depend on the thread count. */
export const WEIGHT_ROWS = 65536

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
}

export type PoolJob = PartJob | WeightsJob

/** Tasks in a job. */
export function taskCount(job: PoolJob): number {
  return job.kind === 'weights' ? Math.ceil(job.n / WEIGHT_ROWS) : job.parts
}

/** Runs task `t` of `job`. */
export function runTask(job: PoolJob, t: number): void {
  if (job.kind === 'weights') weighRows(job, t)
  else accumulatePart(job, t)
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
      const w = -Math.log((rng.nextUint32() + 0.5) / 4294967296)
      weight[i] = temperature === 1 ? w : Math.pow(w, temperature)
    }
  } else weight.fill(1, start, end)
  for (let k = 0; k < K; k++) {
    for (let i = start, o = k * n + start; i < end; i++, o++) {
      wg[o] = g[o] * weight[i]
      wh[o] = h[o] * weight[i]
    }
  }
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
