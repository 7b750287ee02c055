/**
 * The worker's side of the queue: it takes tasks, runs each with a handler, and sends back the
 * value, or a final failure, or throws for the queue to retry with backoff. A worker killed
 * mid-task stops renewing its lock; another worker then finds the task stalled and runs it again,
 * up to a bounded number of times, so a task that kills its worker every time fails and the rest
 * go on. Closing lets running tasks finish first.
 */
import { type Job, Worker } from 'bullmq'
import { Redis } from 'ioredis'
import { checkRedis, connectionOptions } from './connect.js'
import { cancelChannel, DEFAULT_ATTEMPTS, DEFAULT_QUEUE, type FinalFailure, type Outcome, type Progress } from './protocol.js'
import type { RedisAddress } from './redis-url.js'

/** What a handler gets besides the task's data. */
export interface TaskContext {
  /** Aborted when the coordinator cancels the task. */
  readonly signal: AbortSignal
  /** Sends an intermediate value to the coordinator. */
  report(progress: Progress): void
  /** The task's id. */
  readonly id: string
}

/** Runs one task; returns its value or throws. */
export type TaskHandler<In, Out> = (data: In, context: TaskContext) => Promise<Out>

/** Options of {@link QueueWorker.start}. */
export interface QueueWorkerOptions {
  readonly queue?: string
  /** Tasks at once. */
  readonly concurrency?: number
  /** How long a task's lock lasts without renewal: a killed worker's task runs again after about this long. */
  readonly lockMs?: number
  /** Runs of a task that killed its worker, before it fails. */
  readonly attempts?: number
  /**
   * A failure that running again would not change, as the coordinator should hear it; undefined
   * for a failure worth retrying.
   */
  readonly finalFailure?: (err: unknown) => Omit<FinalFailure, 'cancelled'> | undefined
  /** The option the address came from, named in errors. */
  readonly field?: string
  /** Hears a task start and end (for the worker's log). */
  readonly onTask?: (event: { readonly id: string; readonly state: 'started' | 'completed' | 'failed' | 'cancelled' | 'retry'; readonly message?: string }) => void
}

/**
 * A worker process's queue consumer.
 * @example
 * const worker = await QueueWorker.start(address, async (data, { report }) => run(data, report), { concurrency: 2 })
 * process.on('SIGTERM', () => void worker.close())
 */
export class QueueWorker<In, Out> {
  private readonly running = new Map<string, AbortController>()

  private constructor(
    private readonly worker: Worker,
    private readonly subscriber: Redis,
  ) {}

  /**
   * Checks Redis (reachable, no eviction), then starts taking tasks.
   * @throws RedisUnusableError when Redis cannot be used, naming the address.
   */
  static async start<In, Out>(address: RedisAddress, handler: TaskHandler<In, Out>, options: QueueWorkerOptions = {}): Promise<QueueWorker<In, Out>> {
    await checkRedis(address, options.field ?? '--redis')
    const name = options.queue ?? DEFAULT_QUEUE
    const connection = connectionOptions(address)
    const lockMs = options.lockMs ?? 30_000
    const subscriber = new Redis(connection)
    subscriber.on('error', () => undefined)
    // The processor and the cancel listener need the instance, which needs the BullMQ worker.
    const box: { self?: QueueWorker<In, Out> } = {}
    const worker = new Worker(name, (job: Job) => box.self!.process(job, handler, options), {
      connection,
      concurrency: options.concurrency ?? 1,
      lockDuration: lockMs,
      stalledInterval: Math.max(1000, Math.floor(lockMs / 2)),
      maxStalledCount: (options.attempts ?? DEFAULT_ATTEMPTS) - 1,
      autorun: false,
    })
    worker.on('error', () => undefined)
    worker.on('failed', (job, err) => {
      if (job) options.onTask?.({ id: job.id!, state: job.finishedOn ? 'failed' : 'retry', message: err.message })
    })
    const self = new QueueWorker<In, Out>(worker, subscriber)
    box.self = self
    await subscriber.subscribe(cancelChannel(name))
    subscriber.on('message', (_channel: string, id: string) => self.running.get(id)?.abort(new Error('cancelled by the coordinator')))
    void worker.run()
    await worker.waitUntilReady()
    return self
  }

  /** Tasks running now. */
  get active(): number {
    return this.running.size
  }

  /**
   * Stops taking tasks; with `force` false (the default) running tasks finish and send their
   * outcome first; with `force` they are left to be found stalled and run elsewhere.
   */
  async close(force = false): Promise<void> {
    await this.worker.close(force)
    this.subscriber.disconnect()
  }

  private async process(job: Job, handler: TaskHandler<In, Out>, options: QueueWorkerOptions): Promise<Outcome<Out>> {
    const id = job.id!
    const controller = new AbortController()
    this.running.set(id, controller)
    options.onTask?.({ id, state: 'started' })
    try {
      const value = await handler(job.data as In, {
        id,
        signal: controller.signal,
        report: (progress) => void job.updateProgress(progress as unknown as object).catch(() => undefined),
      })
      options.onTask?.({ id, state: 'completed' })
      return { ok: true, value }
    } catch (err) {
      if (controller.signal.aborted) {
        options.onTask?.({ id, state: 'cancelled' })
        return { ok: false, failure: { name: 'Cancelled', message: 'cancelled by the coordinator', cancelled: true } }
      }
      const final = options.finalFailure?.(err)
      if (final) {
        options.onTask?.({ id, state: 'failed', message: final.message })
        return { ok: false, failure: { ...final, cancelled: false } }
      }
      throw err
    } finally {
      this.running.delete(id)
    }
  }
}
