/**
 * A worker process of a tuning job that outgrew one machine: a {@link LocalExecutor} fed from the
 * queue. It keeps what makes trials cheap in one process: each data set (by content key) is read
 * and binned once, one pool of fit threads serves every trial, and the member cache, shared with
 * every other worker through the shared store, spares the members another trial trained.
 */
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ConsortError } from '../../errors.js'
import { QueueWorker } from '../../exec/redis/queue-worker.js'
import type { RedisAddress } from '../../exec/redis/redis-url.js'
import type { SharedStore } from '../../store/shared/shared-store.js'
import { ScriptFailedError } from '../script/failure.js'
import { failureKind } from './failure-kind.js'
import { LocalExecutor } from './local-executor.js'
import { localTask, type RemoteTrial, type RemoteTrialResult, sendOutputs } from './remote-trial.js'

/** Options of {@link startTrialWorker}. */
export interface TrialWorkerOptions {
  readonly store: SharedStore
  /** Trials at once. */
  readonly concurrency: number
  /** Fits side by side on worker threads, for all trials together; default one per core. */
  readonly workers?: number
  /** Seconds a trial's lock lasts unrenewed: a killed worker's trial runs elsewhere after about this long. */
  readonly lockSeconds?: number
  readonly queue?: string
  /** One line per trial started and ended, for the worker's log. */
  readonly log?: (line: string) => void
}

/** A running worker. */
export interface TrialWorker {
  /** Stops taking trials; running ones finish first, or with `force` are left to run elsewhere. */
  close(force?: boolean): Promise<void>
}

/**
 * Starts taking trials from the queue at `address`.
 * @throws RedisUnusableError when Redis is unreachable or evicts keys.
 * @example
 * const worker = await startTrialWorker(parseRedisUrl(url, '--redis'), { store: new DirStore('/mnt/consort'), concurrency: 1 })
 * process.once('SIGTERM', () => void worker.close())
 */
export async function startTrialWorker(address: RedisAddress, options: TrialWorkerOptions): Promise<TrialWorker> {
  const { store } = options
  const executor = new LocalExecutor({ capacity: options.concurrency, workers: options.workers, memberStore: store })
  const scratch = await mkdtemp(join(tmpdir(), 'consort-worker-'))
  const log = options.log ?? (() => undefined)
  const run = async (remote: RemoteTrial, context: { signal: AbortSignal; report: (p: { step: number; value: number }) => void; id: string }): Promise<RemoteTrialResult> => {
    const outDir = join(scratch, `${context.id}-${randomBytes(3).toString('hex')}`)
    try {
      const task = await localTask(store, remote, outDir)
      const result = await executor.run(task, { signal: context.signal, report: (step, value) => context.report({ step, value }) })
      return await sendOutputs(store, result, outDir, `results/${context.id}-${randomBytes(4).toString('hex')}`)
    } finally {
      await rm(outDir, { recursive: true, force: true })
    }
  }
  let worker: QueueWorker<RemoteTrial, RemoteTrialResult>
  try {
    worker = await QueueWorker.start(address, run, {
      queue: options.queue,
      concurrency: options.concurrency,
      lockMs: (options.lockSeconds ?? 30) * 1000,
      field: '--redis',
      // Bad input and a script's own error fail the same way anywhere: no retry.
      finalFailure: (err) =>
        err instanceof ConsortError || (err instanceof ScriptFailedError && err.exitCode !== null) ? { name: (err as Error).name, message: (err as Error).message, detail: failureKind(err) } : undefined,
      onTask: (e) => log(`trial ${e.id} ${e.state}${e.message ? `: ${e.message}` : ''}`),
    })
  } catch (err) {
    await executor.close()
    await rm(scratch, { recursive: true, force: true })
    throw err
  }
  return {
    async close(force = false) {
      await worker.close(force)
      await executor.close()
      await rm(scratch, { recursive: true, force: true })
    },
  }
}
