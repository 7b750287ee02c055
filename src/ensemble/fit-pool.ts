/**
 * Fits on worker threads: a task pool whose workers each hold the job's data (shared memory, sent
 * once) and run queued fits one at a time, single threaded. Parallelism across fits suits a
 * cross-validation job: members x folds are independent, none waits on another, and a fit on one
 * thread wastes nothing on synchronisation.
 */
import { sharedCopy, shareFrame } from '../data/share.js'
import { programModule } from '../exec/batch-program.js'
import { TaskPool } from '../exec/task-pool.js'
import type { PreparedTrainingData } from '../learners/training-data.js'
import type { FitReply, FitRequest, FitSetup } from './fit-tasks.js'

const FIT_PROGRAM = programModule(import.meta.url, './fit-program')

export class FitPool {
  private readonly tasks: TaskPool<FitRequest, FitReply>

  /**
   * Starts `workers` threads and sends each the job's data and targets (moved to shared memory
   * first when they are not there yet). Binnings follow, each binned once in this thread (counted
   * as the job's) and sent to a worker before its first fit that reads it.
   * @example
   * const pool = new FitPool(2, data, y)
   * const reply = await pool.fit({ kind: 'gbdt', params, task: 'regression', nClasses: 1, rows, predictRows, keepModel: false })
   * await pool.close()
   */
  constructor(
    workers: number,
    private readonly data: PreparedTrainingData,
    y: Float64Array,
  ) {
    this.tasks = new TaskPool(workers, FIT_PROGRAM)
    this.tasks.setup({ type: 'data', frame: shareFrame(data.frame), y: sharedCopy(y) } satisfies FitSetup)
  }

  get size(): number {
    return this.tasks.size
  }

  /** Queues a fit; it runs on the first free worker, in the order fits were queued. */
  fit(request: FitRequest, onProgress?: (step: number, total: number) => void): Promise<FitReply> {
    const { maxBin } = request
    const needs =
      maxBin === null ? [] : [{ key: `binning:${maxBin}`, message: () => ({ type: 'binning', maxBin, binned: this.data.binnedAt(maxBin) }) satisfies FitSetup }]
    return this.tasks.run(request, { onProgress, needs })
  }

  /** Stops every worker; fits still queued or running are rejected with `reason`. */
  close(reason: Error = new Error('the fit pool was closed')): Promise<void> {
    return this.tasks.close(reason)
  }
}
