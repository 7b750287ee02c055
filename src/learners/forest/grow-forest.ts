/**
 * Grows every tree of a forest on the calling thread and, when the work pays for waking them, on
 * a batch pool's worker threads too. Threads take tree indices from a shared counter; each tree
 * depends only on (random_state, index), so any thread count gives the same forest.
 */
import { availableParallelism } from 'node:os'
import { AbortPoint } from '../../exec/abort-point.js'
import { Batches, type BatchPools } from '../../exec/batch-pool.js'
import { programModule } from '../../exec/batch-program.js'
import type { ForestSetup } from './forest-program.js'
import { ForestGrower, type ForestData, type GrownForestTree, type TreeConfig } from './grower.js'

const FOREST_PROGRAM = programModule(import.meta.url, './forest-program')

/** Row x tree x feature visits below which sending the data to worker threads costs more than it saves. */
const PARALLEL_WORK = 4e6

/**
 * Threads to use for `n_jobs`: a count; -1 or 0 for all cores; absent for `fallback` (the job's
 * budget) when that is positive, else all cores.
 * @example resolveJobs(undefined, 2) // 2
 */
export function resolveJobs(nJobs: number | undefined, fallback: number | undefined): number {
  if (nJobs !== undefined) return nJobs > 0 ? nJobs : availableParallelism()
  return fallback !== undefined && fallback > 0 ? fallback : availableParallelism()
}

export interface GrowOptions {
  readonly signal?: AbortSignal
  /** Row x tree x feature visits from which worker threads are used (default 4e6). */
  readonly minParallelWork?: number
  /** Whether the calling thread grows trees too (default true; false leaves them all to the workers). */
  readonly callerGrows?: boolean
  /** Worker threads to borrow; absent: the process's. */
  readonly pools?: BatchPools
}

/**
 * Grows `nTrees` trees with up to `threads` threads; returns them in index order.
 * @example const trees = await growForest(data, config, 100, 2)
 */
export async function growForest(data: ForestData, config: TreeConfig, nTrees: number, threads: number, options: GrowOptions = {}): Promise<GrownForestTree[]> {
  const { signal, minParallelWork = PARALLEL_WORK, callerGrows = true } = options
  const nRows = data.rows ? data.rows.length : Math.floor(data.codes.length / data.stride)
  const parallel = nTrees >= 2 && nRows * nTrees * data.nFeatures >= minParallelWork
  const batches = new Batches(FOREST_PROGRAM, parallel ? Math.min(threads, nTrees) : 1, options.pools)
  try {
    batches.setup({ data, config } satisfies ForestSetup)
    const trees = new Array<GrownForestTree>(nTrees)
    batches.begin(nTrees)
    const grower = new ForestGrower(data, config)
    const abortPoint = new AbortPoint(signal)
    try {
      for (let t = callerGrows || !batches.shared ? batches.take() : nTrees; t < nTrees; t = batches.take()) {
        await abortPoint.pass()
        trees[t] = grower.grow(t)
      }
    } catch (err) {
      // Stop the workers taking more trees; wait for the ones they grow, then report the abort.
      batches.cancel()
      try {
        batches.end()
      } catch {
        // The abort is the error to report.
      }
      throw err
    }
    batches.end().forEach((tree, t) => (trees[t] = tree as GrownForestTree))
    return trees
  } finally {
    batches.close()
  }
}
