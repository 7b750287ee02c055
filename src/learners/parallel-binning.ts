/**
 * Binning on several threads: the quantile cuts one feature a task, then the codes one block of
 * rows a task. Every task runs the single-threaded functions of binning.ts on its own part, so the
 * result is the same as `binFrame(frame, fitBins(frame, maxBin, seed))`, byte for byte.
 */
import { isMainThread } from 'node:worker_threads'
import { Batches, type BatchPools } from '../exec/batch-pool.js'
import { programModule } from '../exec/batch-program.js'
import { type BinMapper, type BinnedFrame, binFrame, emptyBinnedFrame, fitBins, quantilePlan } from '../data/binning.js'
import { BLOCK_ROWS, type BinningSetup, runBinningTask } from './binning-program.js'
import type { DataCounters } from '../data/counters.js'
import { type Frame, numericView } from '../data/frame.js'
import { sharedCopy } from '../data/share.js'

const BINNING_PROGRAM = programModule(import.meta.url, './binning-program')

export interface ParallelBinningOptions {
  /** Threads including the caller's; 1 bins on the caller alone. */
  readonly threads: number
  /** Where worker threads are borrowed from (default: the process's). */
  readonly pools?: BatchPools
  readonly counters?: DataCounters
}

/**
 * `binFrame(frame, fitBins(frame, maxBin, seed))` on `threads` threads. Small frames, and calls
 * from a worker thread (a fit on a job's pool, which has one thread), bin on the caller alone.
 * @example const binned = binFrameParallel(frame, 256, 0, { threads: 2 })
 */
export function binFrameParallel(frame: Frame, maxBin: number, seed: number, options: ParallelBinningOptions): BinnedFrame {
  const threads = isMainThread && frame.nRows >= 2 * BLOCK_ROWS ? options.threads : 1
  if (threads <= 1) return binFrame(frame, fitBins(frame, maxBin, seed), options.counters)
  const { sample, valueBinLimit } = quantilePlan(frame.nRows, maxBin, seed)
  const columns = frame.columns.map((c) => sharedCopy(numericView(c)))
  const batches = new Batches(BINNING_PROGRAM, threads, options.pools)
  try {
    const cutsSetup: BinningSetup = { type: 'cuts', columns, sample, valueBinLimit }
    const cuts = run(batches, cutsSetup, columns.length) as Float64Array[]
    const mapper: BinMapper = { featureNames: frame.columns.map((c) => c.name), cuts }
    const binned = emptyBinnedFrame(frame, mapper, options.counters)
    run(batches, { type: 'codes', columns, cuts, codes: binned.codes, stride: binned.rowStride }, Math.ceil(frame.nRows / BLOCK_ROWS))
    return binned
  } finally {
    batches.close()
  }
}

/** Runs `count` tasks of `setup`; the replies by task, the caller's own included. */
function run(batches: Batches, setup: BinningSetup, count: number): unknown[] {
  batches.setup(setup)
  const own: unknown[] = []
  const replies = batches.run(count, (t) => {
    own[t] = runBinningTask(setup, t)?.value
  })
  return Array.from({ length: count }, (_, t) => (own[t] !== undefined ? own[t] : replies[t]))
}
