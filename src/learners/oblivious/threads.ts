/**
 * The numeric histogram pass of a level, cut into parts whose number depends only on the row
 * count: each part is accumulated from zero into its own buffer and the parts are added in order,
 * so any number of threads gives bit-identical histograms. With more than one thread, worker
 * threads take parts by lanes, each its own run of rows first (the data, gradients, node ids and
 * part buffers live in the fit's shared WebAssembly memory).
 */
import { availableParallelism } from 'node:os'
import { Batches, type BatchPools } from '../../exec/batch-pool.js'
import { programModule } from '../../exec/batch-program.js'
import type { SharedMemory } from '../../exec/shared-memory.js'
import { trainingKernels } from '../kernel-choice.js'
import { applyNumericSplit, type NumericAccumulate, type NumericPass, type PendingSplit } from './grower.js'
import type { NumericBlock } from './numeric.js'
import { type Derivatives, gradientRms, PART_ROWS, type PartJob, PartPhase, type PoolJob, runTask, setPendingSplit, taskCount, WEIGHT_ROWS, type WeightsJob } from './parts.js'

const PARTS_PROGRAM = programModule(import.meta.url, './parts-program')

/**
 * Makes the threaded work of a fit over `block` (K outputs): its buffers, `derivatives` among them,
 * live in the fit's memory `mem`.
 */
export type PassFactory = (block: NumericBlock, K: number, mem: SharedMemory, derivatives: Derivatives) => NumericPass

/**
 * A factory of histogram passes for `threadCount` threads (0: all cores). A pass holds its worker
 * threads until closed.
 * @example trainOblivious(data, y, params, { nClasses: 1, accumulate: threadedAccumulate(2) })
 */
export function threadedAccumulate(threadCount: number, pools?: BatchPools): PassFactory {
  const threads = threadCount > 0 ? threadCount : availableParallelism()
  return (block, K, mem, derivatives) => {
    const n = block.codes.length / block.stride
    const parts = partCount(n)
    const batches = new Batches(PARTS_PROGRAM, parts > 1 ? threads : 1, pools)
    // The job the workers hold, so a pass over the same buffers is not posted again.
    let posted: PoolJob | null = null
    const run = (job: PoolJob) => {
      if (batches.shared && (posted === null || !sameJob(posted, job))) {
        batches.setup(job.kind === 'histogram' ? { ...job, block: { ...job.block, thresholds: [] } } : job)
        posted = job
      }
      const count = taskCount(job)
      batches.run(count, (t) => runTask(job, t), laneEnds(count, batches.lanes))
    }
    const weights: WeightsJob = { kind: 'weights', n, K, ...derivatives, args: mem.alloc(Float64Array, 2), squares: mem.alloc(Float64Array, Math.ceil(n / WEIGHT_ROWS)) }
    const kernels = trainingKernels()
    const split = mem.alloc(Int32Array, 3)
    const phase = mem.alloc(Int32Array, 1)
    let extra: Float64Array[] = []
    let last: PartJob | null = null
    const accumulate: NumericAccumulate = (g, h, node, build, nodeSize, hist, pending) => {
      setPendingSplit(split, pending)
      const size = hist.length
      if (extra.length < parts - 1 || (extra[0] && extra[0].length < size)) {
        extra = Array.from({ length: parts - 1 }, () => mem.alloc(Float64Array, size))
      }
      const job: PartJob = { kind: 'histogram', kernels, block, K, n, parts, g, h, node, build, nodeSize, outs: [hist, ...extra], split, phase }
      last = job
      phase[0] = PartPhase.Accumulate
      run(job)
      if (parts > 1) {
        phase[0] = PartPhase.Sum
        run(job)
      }
    }
    const applyPending = (node: Int32Array, pending: PendingSplit) => {
      if (last === null || last.node !== node) {
        applyNumericSplit(block.codes, block.stride, node, pending, 0, n)
        return
      }
      setPendingSplit(split, pending)
      phase[0] = PartPhase.Split
      run(last)
    }
    return {
      accumulate,
      weigh: (seed, temperature) => {
        weights.args[0] = seed
        weights.args[1] = temperature
        run(weights)
        return gradientRms(weights)
      },

      applyPending,
      rows: (job) => run(job),
      close: () => batches.close(),
    }
  }
}

/**
 * Every kind of task covers rows (or histogram chunks) in order, so lane l takes the l-th run of
 * tasks: each thread works on about the same rows in every pass and finds them in its own cache.
 */
function laneEnds(count: number, lanes: number): number[] | undefined {
  if (lanes === 1) return undefined
  return Array.from({ length: lanes }, (_, l) => Math.floor((count * (l + 1)) / lanes))
}

/**
 * Histogram parts of a pass over `n` rows: about one per PART_ROWS rows, rounded up to a power of
 * two so that two or four threads share them evenly (seven parts on 1M rows left one thread a
 * part behind at every level).
 */
export function partCount(n: number): number {
  const wanted = Math.floor(n / PART_ROWS)
  let parts = 1
  while (parts < wanted) parts *= 2
  return parts
}

function sameJob(a: PoolJob, b: PoolJob): boolean {
  if (a.kind !== 'histogram' || b.kind !== 'histogram') return a === b
  return a.kernels === b.kernels && a.split === b.split && a.block === b.block && a.g === b.g && a.h === b.h && a.node === b.node && a.build === b.build && a.nodeSize === b.nodeSize &&
    a.outs.length === b.outs.length && a.outs.every((o, i) => o === b.outs[i])
}
