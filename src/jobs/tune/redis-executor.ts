/**
 * Trials on many machines: the tuning job's {@link Executor} on a BullMQ queue in Redis, beside
 * the local one. The tuning process stays the coordinator (study, strategy, store, early
 * stopping); `consort worker` processes run the trials. A trial's queue id is its tuning job and
 * number, so a resumed coordinator finds the trials that finished while it was away instead of
 * queueing them again, and a late duplicate outcome settles nothing twice.
 */
import { RedisTaskQueue } from '../../exec/redis/task-queue.js'
import type { RedisAddress } from '../../exec/redis/redis-url.js'
import type { SharedStore } from '../../store/shared/shared-store.js'
import type { Executor, TrialControl, TrialResult, TrialTask } from './executor.js'
import { receiveOutputs, stageInputs, type RemoteTrial, type RemoteTrialResult, type StagedInput } from './remote-trial.js'

/** Options of {@link RedisExecutor.open}. */
export interface RedisExecutorOptions {
  /** The store the coordinator and the workers share (data out, artifacts and cached members back). */
  readonly store: SharedStore
  readonly queue?: string
  /** Runs of a trial (after crashes, lost workers, transient errors) before it fails. */
  readonly attempts?: number
  /** The option the address came from, named in errors. */
  readonly field?: string
}

/**
 * Runs trials on `consort worker` processes.
 * @example
 * const executor = await RedisExecutor.open(parseRedisUrl('redis://cache:6379', '--executor'), { store: new DirStore('/mnt/consort') })
 * const result = await tune('tuning.yaml', { executor })
 * await executor.close()
 */
export class RedisExecutor implements Executor {
  /** No limit of its own: the tuning job's max_parallel_jobs decides how many trials are queued. */
  readonly capacity = Number.MAX_SAFE_INTEGER
  private readonly staged = new Map<string, Promise<StagedInput[]>>()

  private constructor(
    private readonly queue: RedisTaskQueue<RemoteTrial, RemoteTrialResult>,
    private readonly store: SharedStore,
  ) {}

  /**
   * Checks Redis (reachable, `maxmemory-policy noeviction`) and opens the queue.
   * @throws RedisUnusableError naming the address and what is wrong.
   */
  static async open(address: RedisAddress, options: RedisExecutorOptions): Promise<RedisExecutor> {
    const queue = await RedisTaskQueue.open<RemoteTrial, RemoteTrialResult>(address, { queue: options.queue, attempts: options.attempts, field: options.field ?? '--executor' })
    return new RedisExecutor(queue, options.store)
  }

  async run(task: TrialTask, control: TrialControl): Promise<TrialResult> {
    const inputs = await this.inputsOf(task)
    const sent = await this.queue.submit(taskId(task), { task, inputs }, { signal: control.signal, onProgress: (p) => control.report(p.step, p.value) })
    return receiveOutputs(this.store, sent, task.outDir)
  }

  async close(): Promise<void> {
    await this.queue.close()
  }

  /** The trial's inputs in the shared store, staged once per training spec. */
  private inputsOf(task: TrialTask): Promise<StagedInput[]> {
    const key = JSON.stringify([task.training, task.trainingBaseDir])
    let found = this.staged.get(key)
    if (found === undefined) {
      found = stageInputs(this.store, task)
      found.catch(() => this.staged.delete(key))
      this.staged.set(key, found)
    }
    return found
  }
}

/** The queue id of a trial: its tuning job and number, in the characters a queue id may hold. */
function taskId(task: TrialTask): string {
  return `${task.tuningJob}.${task.number}`.replace(/[^A-Za-z0-9._-]/g, '_')
}
