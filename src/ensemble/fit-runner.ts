/**
 * Where an ensemble's fits run: one after another in this thread (each learner using the
 * threads it is given), or side by side on a pool of single-threaded workers. Both give the same
 * models: every learner is deterministic for a seed whatever its thread count.
 */
import { takeRows } from '../data/frame.js'
import { FitPool } from '../exec/fit-pool.js'
import { isBuiltInLearner, modelFromState } from '../learners/index.js'
import type { LearnerSpec, Model, Task, TrainingData } from '../learners/types.js'

/** One fit of a member: the rows it trains on and the rows it predicts. */
export interface FitJob {
  readonly learner: LearnerSpec
  readonly params: Readonly<Record<string, unknown>>
  /** Rows to train on; all rows when absent. */
  readonly rows?: Int32Array
  /** Rows to predict with the fitted model. */
  readonly predictRows?: Int32Array
  /** Whether the fitted model is needed afterwards (it stays in the worker otherwise). */
  readonly keepModel: boolean
}

export interface FitOutcome {
  readonly model: Model | null
  readonly predictions: Float64Array | null
  readonly nOutputs: number
  readonly seconds: number
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
export function fitRunner(data: TrainingData, y: Float64Array, learners: readonly LearnerSpec[], workers: number, ctx: RunnerContext): FitRunner {
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
    const { signal } = this.stop
    if (signal.aborted) throw toError(signal.reason)
    const t0 = performance.now()
    const model = await job.learner.fit(this.data, this.y, job.params, {
      task: this.ctx.task,
      nClasses: this.ctx.nClasses,
      rows: job.rows,
      seed: this.ctx.seed,
      threads: this.ctx.threads,
      signal,
      onProgress,
    })
    const predictions = job.predictRows ? model.predict(takeRows(this.data.frame, job.predictRows)) : null
    return { model: job.keepModel ? model : null, predictions, nOutputs: model.nOutputs, seconds: (performance.now() - t0) / 1000 }
  }
}

class PoolRunner implements FitRunner {
  private readonly pool: FitPool
  private readonly onAbort: () => void

  constructor(
    data: TrainingData,
    y: Float64Array,
    workers: number,
    private readonly ctx: RunnerContext,
  ) {
    this.pool = new FitPool(workers, data, y)
    this.onAbort = () => void this.pool.close(toError(ctx.signal?.reason))
    ctx.signal?.addEventListener('abort', this.onAbort, { once: true })
    if (ctx.signal?.aborted) this.onAbort()
  }

  get concurrency(): number {
    return this.pool.size
  }

  async run(job: FitJob, onProgress?: (step: number, total: number) => void): Promise<FitOutcome> {
    const reply = await this.pool.fit(
      {
        kind: job.learner.kind,
        params: job.params,
        task: this.ctx.task,
        nClasses: this.ctx.nClasses,
        seed: this.ctx.seed,
        rows: job.rows,
        predictRows: job.predictRows,
        keepModel: job.keepModel,
      },
      onProgress,
    )
    return { model: reply.state ? modelFromState(reply.state) : null, predictions: reply.predictions, nOutputs: reply.nOutputs, seconds: reply.seconds }
  }

  async close(): Promise<void> {
    this.ctx.signal?.removeEventListener('abort', this.onAbort)
    await this.pool.close()
  }
}

function toError(reason: unknown): Error {
  return reason instanceof Error ? reason : new Error(reason === undefined ? 'aborted' : String(reason))
}
