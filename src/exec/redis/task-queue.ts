/**
 * The coordinator's side of the queue: it submits tasks under ids of its own choosing and hears
 * their intermediate values and outcomes. A task id names one piece of work for good: submitted
 * again (by a coordinator that was killed and resumed), the task is not queued twice, and an
 * outcome that arrived meanwhile is taken as it is. Each outcome settles its task once, however
 * many times it is heard (an event, the poll that backs events up, a late duplicate).
 */
import { Job, Queue, QueueEvents } from 'bullmq'
import { Redis } from 'ioredis'
import { checkRedis, connectionOptions } from './connect.js'
import { cancelChannel, DEFAULT_ATTEMPTS, DEFAULT_QUEUE, type Outcome, type Progress } from './protocol.js'
import type { RedisAddress } from './redis-url.js'
import { RemoteTaskError } from './task-failure.js'

/** Options of {@link RedisTaskQueue.open}. */
export interface TaskQueueOptions {
  readonly queue?: string
  /** Runs of a task before it fails (after crashes, lost workers, transient errors). */
  readonly attempts?: number
  /** First wait before a retry, doubled at each retry. */
  readonly backoffMs?: number
  /** How often outcomes are polled for, in case an event was missed while Redis was away. */
  readonly pollMs?: number
  /** The option the address came from, named in errors. */
  readonly field?: string
}

/** What a submitted task can do while it runs. */
export interface SubmitOptions {
  /** Aborting it cancels the task (queued or running) and rejects with its reason. */
  readonly signal?: AbortSignal
  readonly onProgress?: (progress: Progress) => void
}

interface Pending {
  readonly settle: (outcome: { value: unknown } | { error: Error }) => void
  readonly onProgress?: (progress: Progress) => void
}

/**
 * Tasks submitted to workers through Redis.
 * @example
 * const queue = await RedisTaskQueue.open(parseRedisUrl('redis://cache:6379', '--executor'))
 * const value = await queue.submit('job-1.0', { params }, { onProgress: (p) => console.log(p) })
 * await queue.close()
 */
export class RedisTaskQueue<In, Out> {
  private readonly pending = new Map<string, Pending>()
  private readonly timer: NodeJS.Timeout

  private constructor(
    private readonly queue: Queue,
    private readonly events: QueueEvents,
    private readonly publisher: Redis,
    private readonly name: string,
    private readonly attempts: number,
    private readonly backoffMs: number,
    pollMs: number,
  ) {
    events.on('completed', ({ jobId }) => void this.check(jobId))
    events.on('failed', ({ jobId }) => void this.check(jobId))
    events.on('progress', ({ jobId, data }) => this.pending.get(jobId)?.onProgress?.(data as Progress))
    this.timer = setInterval(() => {
      for (const id of this.pending.keys()) void this.check(id)
    }, pollMs)
  }

  /**
   * Checks Redis (reachable, no eviction) and opens the queue.
   * @throws RedisUnusableError when Redis cannot be used, naming the address.
   */
  static async open<In, Out>(address: RedisAddress, options: TaskQueueOptions = {}): Promise<RedisTaskQueue<In, Out>> {
    await checkRedis(address, options.field ?? '--executor')
    const name = options.queue ?? DEFAULT_QUEUE
    const connection = connectionOptions(address)
    const queue = new Queue(name, { connection })
    const events = new QueueEvents(name, { connection })
    const publisher = new Redis(connection)
    // Reconnection is automatic; errors while Redis is away are not the caller's to handle.
    queue.on('error', () => undefined)
    events.on('error', () => undefined)
    publisher.on('error', () => undefined)
    await events.waitUntilReady()
    return new RedisTaskQueue(queue, events, publisher, name, options.attempts ?? DEFAULT_ATTEMPTS, options.backoffMs ?? 1000, options.pollMs ?? 1000)
  }

  /**
   * Runs `data` on a worker as task `id` (letters, digits, `-`, `_` and `.`), or takes the
   * outcome of task `id` if it ran already; resolves with the task's value.
   * @throws RemoteTaskError when the task failed for good or after its attempts.
   */
  async submit(id: string, data: In, options: SubmitOptions = {}): Promise<Out> {
    const { signal } = options
    signal?.throwIfAborted()
    const existing = await this.queue.getJob(id)
    if (existing && (await existing.getState()) === 'completed' && (existing.returnvalue as Outcome<Out> | null)?.ok === false) {
      const failure = (existing.returnvalue as Extract<Outcome<Out>, { ok: false }>).failure
      // A task cancelled by an earlier coordinator run is work still to do, not an outcome.
      if (failure.cancelled) await existing.remove()
    }
    const value = new Promise<Out>((resolve, reject) => {
      const onAbort = () => {
        this.pending.delete(id)
        void this.cancel(id)
        reject(signal!.reason)
      }
      signal?.addEventListener('abort', onAbort, { once: true })
      this.pending.set(id, {
        onProgress: options.onProgress,
        settle: (outcome) => {
          if (!this.pending.delete(id)) return
          signal?.removeEventListener('abort', onAbort)
          if ('error' in outcome) reject(outcome.error)
          else resolve(outcome.value as Out)
        },
      })
    })
    await this.queue.add('task', data, {
      jobId: id,
      attempts: this.attempts,
      backoff: { type: 'exponential', delay: this.backoffMs },
      removeOnComplete: { age: 7 * 24 * 3600 },
      removeOnFail: { age: 7 * 24 * 3600 },
    })
    void this.check(id)
    return value
  }

  /** Tasks waiting or running, as the queue counts them. */
  async counts(): Promise<Record<string, number>> {
    return this.queue.getJobCounts('waiting', 'active', 'delayed', 'completed', 'failed')
  }

  async close(): Promise<void> {
    clearInterval(this.timer)
    for (const pending of this.pending.values()) pending.settle({ error: new Error('the task queue was closed') })
    await Promise.allSettled([this.events.close(), this.queue.close()])
    this.publisher.disconnect()
  }

  /** Settles task `id` if it has ended. */
  private async check(id: string): Promise<void> {
    const pending = this.pending.get(id)
    if (!pending) return
    try {
      const job = await Job.fromId(this.queue, id)
      if (!job) return
      const state = await job.getState()
      if (state === 'completed') {
        const outcome = job.returnvalue as Outcome<Out>
        pending.settle(outcome.ok ? { value: outcome.value } : { error: RemoteTaskError.of(outcome.failure) })
      } else if (state === 'failed') {
        pending.settle({ error: new RemoteTaskError(`failed after ${job.attemptsMade} attempt(s): ${job.failedReason}`, { final: false }) })
      }
    } catch {
      // Redis away: the next event or poll checks again.
    }
  }

  /** Stops task `id`: removed if still queued, told to stop if running. */
  private async cancel(id: string): Promise<void> {
    try {
      await this.publisher.publish(cancelChannel(this.name), id)
      const job = await this.queue.getJob(id)
      if (job && ['waiting', 'delayed', 'prioritized'].includes(await job.getState())) await job.remove()
    } catch {
      // A task that cannot be reached now is cancelled by its worker's next message or ends on its own.
    }
  }
}
