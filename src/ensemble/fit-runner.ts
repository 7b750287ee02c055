/**
 * Where an ensemble's fits run: one after another in this thread (each learner using the
 * threads it is given), or side by side, single-threaded, on this thread and worker threads. Both give the same
 * models: every learner is deterministic for a seed whatever its thread count.
 */
import type { BatchPools } from '../exec/batch-pool.js'
import { takeRows } from '../data/frame.js'
import { FitPool } from './fit-pool.js'
import { isBuiltInLearner, modelFromState } from '../learners/index.js'
import { binningOf, type PreparedTrainingData } from '../learners/training-data.js'
import type { LearnerSpec, Model, Task, TrainingData } from '../learners/types.js'
import { abortReason } from '../exec/abort-point.js'

/** One fit of a member: the rows it trains on and the rows it predicts. */
export interface FitJob {
  readonly learner: LearnerSpec
  readonly params: Readonly<Record<string, unknown>>
  /** Rows to train on; all rows when absent. */
  readonly rows?: Int32Array
  /** Rows to predict with the fitted model. */
  readonly predictRows?: Int32Array
  /** Rows the learner stops early on (a fold's held-out rows), when its params ask for early stopping. */
  readonly evalRows?: Int32Array
  /** Whether the fitted model is needed afterwards (it stays in the worker otherwise). */
  readonly keepModel: boolean
  /** Cancels this fit alone: a queued fit never starts, a running one is given up. */
  readonly signal?: AbortSignal
}

export interface FitOutcome {
  readonly model: Model | null
  readonly predictions: Float64Array | null
  readonly nOutputs: number
  readonly seconds: number
  /** Rounds the model kept when it stopped early on `evalRows` (its best iteration + 1). */
  readonly rounds: number | null
}

export interface FitRunner {
  /** Fits that make progress at the same time. */
  readonly concurrency: number
  /** Queues a fit; fits start in the order they were queued. */
  run(job: FitJob, onProgress?: (step: number, total: number) => void): Promise<FitOutcome>
  close(): Promise<void>
}

/** What every fit of a job shares. */
export interface RunnerContext {
  readonly task: Task
  readonly nClasses: number
  readonly seed?: number
  /** Threads each in-thread fit may use (0 or absent: all cores). */
  readonly threads?: number
  /** Worker threads the in-thread fits borrow; absent: the process's. */
  readonly pools?: BatchPools
  readonly signal?: AbortSignal
}

/**
 * A runner for `learners`: a pool of `workers` threads when more than one is asked for and every
 * learner is built in (workers cannot load learners registered at run time), else this thread.
 * @example
 * const runner = fitRunner(data, y, [getLearner('gbdt')], 2, { task: 'regression', nClasses: 1 })
 * const { predictions } = await runner.run({ learner, params, rows: fold.train, predictRows: fold.test, keepModel: false })
 * await runner.close()
 */
export function fitRunner(data: PreparedTrainingData, y: Float64Array, learners: readonly LearnerSpec[], workers: number, ctx: RunnerContext): FitRunner {
  return workers > 1 && learners.every(isBuiltInLearner) ? new PoolRunner(data, y, workers, ctx) : new ThreadRunner(data, y, ctx)
}

class ThreadRunner implements FitRunner {
  readonly concurrency = 1
  private tail: Promise<unknown> = Promise.resolve()
  /** Aborted by the job's signal or by close, which cancels the running fit and those queued. */
  private readonly stop = new AbortController()
  private readonly onAbort: () => void

  constructor(
    private readonly data: TrainingData,
    private readonly y: Float64Array,
    private readonly ctx: RunnerContext,
  ) {
    this.onAbort = () => this.stop.abort(ctx.signal?.reason)
    ctx.signal?.addEventListener('abort', this.onAbort, { once: true })
    if (ctx.signal?.aborted) this.onAbort()
  }

  run(job: FitJob, onProgress?: (step: number, total: number) => void): Promise<FitOutcome> {
    const result = this.tail.then(() => this.fit(job, onProgress))
    this.tail = result.catch(() => undefined)
    return result
  }

  async close(): Promise<void> {
    this.ctx.signal?.removeEventListener('abort', this.onAbort)
    this.stop.abort(new Error('the fit runner was closed'))
    await this.tail
  }

  private async fit(job: FitJob, onProgress?: (step: number, total: number) => void): Promise<FitOutcome> {
    const signal = job.signal ? AbortSignal.any([this.stop.signal, job.signal]) : this.stop.signal
    if (signal.aborted) throw abortReason(signal)
    const t0 = performance.now()
    const model = await job.learner.fit(this.data, this.y, job.params, {
      task: this.ctx.task,
      nClasses: this.ctx.nClasses,
      rows: job.rows,
      evalSet: job.evalRows ? { data: this.data, y: this.y, rows: job.evalRows } : undefined,
      seed: this.ctx.seed,
      threads: this.ctx.threads,
      pools: this.ctx.pools,
      signal,
      onProgress,
    })
    const predictions = job.predictRows ? model.predict(takeRows(this.data.frame, job.predictRows)) : null
    return { model: job.keepModel ? model : null, predictions, nOutputs: model.nOutputs, seconds: (performance.now() - t0) / 1000, rounds: roundsOf(job, model) }
  }
}

interface Queued {
  readonly job: FitJob
  readonly onProgress?: (step: number, total: number) => void
  readonly resolve: (outcome: FitOutcome) => void
  readonly reject: (err: unknown) => void
}

/**
 * `workers` fits side by side: `workers - 1` worker threads and this thread, each taking the next
 * queued fit when it is free. This thread is one of the workers because it is idle otherwise and
 * its code is warm; its fits pass abort points, so messages and signals still arrive meanwhile.
 */
class PoolRunner implements FitRunner {
  private readonly pool: FitPool
  private readonly local: ThreadRunner
  private readonly queue: Queued[] = []
  private poolBusy = 0
  private localBusy = false
  private readonly onAbort: () => void

  constructor(
    data: PreparedTrainingData,
    y: Float64Array,
    readonly concurrency: number,
    private readonly ctx: RunnerContext,
  ) {
    this.pool = new FitPool(concurrency - 1, data, y)
    this.local = new ThreadRunner(data, y, { ...ctx, threads: 1 })
    this.onAbort = () => void this.pool.close(abortReason(ctx.signal!))
    ctx.signal?.addEventListener('abort', this.onAbort, { once: true })
    if (ctx.signal?.aborted) this.onAbort()
  }

  run(job: FitJob, onProgress?: (step: number, total: number) => void): Promise<FitOutcome> {
    return new Promise((resolve, reject) => {
      this.queue.push({ job, onProgress, resolve, reject })
      this.dispatch()
    })
  }

  async close(): Promise<void> {
    this.ctx.signal?.removeEventListener('abort', this.onAbort)
    await Promise.all([this.pool.close(), this.local.close()])
  }

  /** Hands queued fits to free workers, the worker threads first (this thread would block them). */
  private dispatch(): void {
    this.dropCancelled()
    while (this.queue.length > 0 && this.poolBusy < this.pool.size) {
      const next = this.queue.shift()!
      this.poolBusy++
      this.settle(next, this.onPool(next), () => this.poolBusy--)
      this.dropCancelled()
    }
    if (this.queue.length > 0 && !this.localBusy) {
      const next = this.queue.shift()!
      this.localBusy = true
      this.settle(next, this.local.run(next.job, next.onProgress), () => (this.localBusy = false))
    }
  }

  /** Queued fits whose own signal fired are rejected without running. */
  private dropCancelled(): void {
    for (let i = 0; i < this.queue.length; i++) {
      const signal = this.queue[i].job.signal
      if (signal?.aborted) {
        this.queue[i].reject(abortReason(signal))
        this.queue.splice(i--, 1)
      }
    }
  }

  private settle(queued: Queued, outcome: Promise<FitOutcome>, free: () => void): void {
    outcome.then(queued.resolve, queued.reject).finally(() => {
      free()
      this.dispatch()
    })
  }

  private async onPool({ job, onProgress }: Queued): Promise<FitOutcome> {
    // A fit running in a worker cannot be interrupted; a cancelled one is given up (and ignored).
    const reply = await this.pool.fit(
      {
        kind: job.learner.kind,
        params: job.params,
        task: this.ctx.task,
        nClasses: this.ctx.nClasses,
        seed: this.ctx.seed,
        rows: job.rows,
        predictRows: job.predictRows,
        evalRows: job.evalRows,
        keepModel: job.keepModel,
        maxBin: binningOf(job.learner, job.params),
      },
      onProgress,
    )
    if (job.signal?.aborted) throw abortReason(job.signal)
    return { model: reply.state ? modelFromState(reply.state) : null, predictions: reply.predictions, nOutputs: reply.nOutputs, seconds: reply.seconds, rounds: reply.rounds }
  }
}

/** Rounds kept by a model that stopped early on its eval rows; null when it did not stop early. */
function roundsOf(job: FitJob, model: Model): number | null {
  const early = job.learner.earlyStopping
  return job.evalRows && early?.enabled(job.params) ? early.rounds(model) : null
}
