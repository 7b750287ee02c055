/**
 * One part of a level's numeric histogram pass, and the shared control block of the threads that
 * run parts: the same code runs on the training thread and in worker threads.
 */
import type { TrainingKernels } from '../kernel-choice.js'
import { applyNumericSplit } from './grower.js'
import { accumulateRows1, accumulateRowsK } from './histogram.js'
import { levelKernels } from './level-kernels.js'
import type { PendingSplit } from './grower.js'
import type { NumericBlock } from './numeric.js'

/** Rows per part: parts depend on the row count only, never on the thread count. */
export const PART_ROWS = 131072

export { BatchControl as Ctl } from '../../exec/batch-control.js'

/**
 * A pass: the data, derivatives and node ids and one output buffer per part, all in the block's
 * shared memory; the kernels to run them with.
 */
export interface PartJob {
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
