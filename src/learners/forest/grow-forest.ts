/**
 * Grows every tree of a forest on the calling thread and, when the work pays for their start-up,
 * on worker threads too. Threads take tree indices from a shared counter; each tree depends only
 * on (random_state, index), so any thread count gives the same forest.
 */
import { availableParallelism } from 'node:os'
import type { Worker } from 'node:worker_threads'
import { startWorker } from '../../exec/worker.js'
import { ForestGrower, type ForestData, type GrownForestTree, type TreeConfig } from './grower.js'
import { AbortPoint } from '../../exec/abort-point.js'

/** Row x tree x feature visits below which worker start-up (100-300 ms) costs more than it saves. */
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
}

/**
 * Grows `nTrees` trees with up to `threads` threads; returns them in index order.
 * @example const trees = await growForest(data, config, 100, 2)
 */
export async function growForest(data: ForestData, config: TreeConfig, nTrees: number, threads: number, options: GrowOptions = {}): Promise<GrownForestTree[]> {
  const { signal, minParallelWork = PARALLEL_WORK, callerGrows = true } = options
  const nRows = data.rows ? data.rows.length : Math.floor(data.codes.length / data.stride)
  const helpers = nTrees >= 2 && nRows * nTrees * data.nFeatures >= minParallelWork ? Math.min(threads, nTrees) - 1 : 0
  const counter = new Int32Array(new SharedArrayBuffer(4))
  const trees = new Array<GrownForestTree>(nTrees)
  const done = Array.from({ length: Math.max(0, helpers) }, () => runHelper(data, config, counter, nTrees, trees))
  if (!callerGrows && helpers > 0) {
    await Promise.all(done)
    return trees
  }
  const grower = new ForestGrower(data, config)
  const abortPoint = new AbortPoint(signal)
  for (let t = Atomics.add(counter, 0, 1); t < nTrees; t = Atomics.add(counter, 0, 1)) {
    try {
      await abortPoint.pass()
    } catch (err) {
      // Stop the helpers taking more work, then report the abort.
      Atomics.store(counter, 0, nTrees)
      await Promise.allSettled(done)
      throw err
    }
    trees[t] = grower.grow(t)
  }
  await Promise.all(done)
  return trees
}

function runHelper(data: ForestData, config: TreeConfig, counter: Int32Array, nTrees: number, out: GrownForestTree[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const worker: Worker = startWorker(import.meta.url, './forest-worker', { workerData: { data, config, counter, nTrees } })
    // The fit awaits this worker's trees, so it must keep the process alive until they arrive.
    worker.ref()
    let received = false
    worker.once('message', (msg: { ids: number[]; trees: GrownForestTree[] }) => {
      msg.ids.forEach((t, i) => (out[t] = msg.trees[i]))
      received = true
      resolve()
    })
    worker.once('error', reject)
    worker.once('exit', (code) => {
      if (!received) reject(new Error(`forest worker exited with code ${code} before sending its trees`))
    })
  })
}
