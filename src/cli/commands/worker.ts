/**
 * `consort worker --redis redis://HOST:PORT [--concurrency N] [--shared-dir DIR]`: a worker of
 * tuning jobs that run with `consort tune --executor redis://HOST:PORT`. It takes trials from the
 * queue until stopped; many workers on many machines share the queue and the shared folder. It
 * logs one line per trial on stderr. SIGTERM (or Ctrl-C) lets running trials finish and send
 * their results, then exits 0; a second one leaves them to run on another worker.
 */
import type { Command } from 'commander'
import { parseRedisUrl } from '../../exec/redis/redis-url.js'
import { startTrialWorker } from '../../jobs/tune/trial-worker.js'
import { DirStore } from '../../store/shared/dir-store.js'
import type { CliIo, RegisterCommand } from '../context.js'
import { parsePositiveInteger } from '../options.js'

/** The shared folder when none is given: the tracking store's, as for a coordinator on this machine. */
export const DEFAULT_SHARED_DIR = '.consort/shared'

interface WorkerCliOptions {
  readonly redis: string
  readonly concurrency: number
  readonly sharedDir: string
  readonly workers?: number
  readonly lockSeconds: number
}

/**
 * Registers `consort worker`.
 * @example registerWorker(new Command('consort'), processIo())
 */
export const registerWorker: RegisterCommand = (program: Command, io: CliIo): Command =>
  program
    .command('worker')
    .description('run trials of tuning jobs started with `consort tune --executor redis://...` (many workers, many machines)')
    .requiredOption('--redis <url>', 'the Redis that carries the trials: redis://HOST:PORT')
    .option('--concurrency <n>', 'trials at once', parsePositiveInteger, 1)
    .option('--shared-dir <dir>', 'folder the coordinator and every worker share (NFS across machines)', DEFAULT_SHARED_DIR)
    .option('--workers <n>', 'fits side by side on worker threads, for all trials together (default: one per core)', parsePositiveInteger)
    .option('--lock-seconds <n>', "seconds before a killed worker's trial runs elsewhere", parsePositiveInteger, 30)
    .action(async (options: WorkerCliOptions) => runWorker(options, io))

async function runWorker(options: WorkerCliOptions, io: CliIo): Promise<void> {
  const address = parseRedisUrl(options.redis, '--redis')
  const store = new DirStore(options.sharedDir)
  const worker = await startTrialWorker(address, {
    store,
    concurrency: options.concurrency,
    workers: options.workers,
    lockSeconds: options.lockSeconds,
    log: (line) => io.stderr(`${line}\n`),
  })
  io.stderr(`worker ready: ${address.display}, ${options.concurrency} trial(s) at once, shared folder ${store.root}\n`)
  await new Promise<void>((resolve) => {
    let stopping = false
    const stop = (signal: NodeJS.Signals) => {
      // The first signal lets running trials finish; the second releases them to other workers.
      io.stderr(stopping ? `${signal}: releasing running trials\n` : `${signal}: finishing running trials, then exiting\n`)
      const force = stopping
      stopping = true
      void worker.close(force).then(resolve, resolve)
    }
    process.on('SIGTERM', stop)
    process.on('SIGINT', stop)
  })
  io.stderr('worker stopped\n')
}
