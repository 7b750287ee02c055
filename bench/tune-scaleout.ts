/**
 * What the queue costs: a tuning job of short trials (Random, 40 trials, 2 at a time, a small
 * two-member ensemble on diabetes) run through the local pool (2 fit threads) and through Redis
 * with two `consort worker` processes on this machine (1 fit thread each). Workers are started
 * and ready before the clock starts, as they would be in a cluster. The trials must be the same;
 * the target is a Redis wall time within 1.2x of the local one. Exits 1 when either fails.
 *
 * @example
 * // node --import tsx bench/tune-scaleout.ts [--trials 40]
 * // | executor | wall s | trials | best cv:rmse |
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { startRedis } from '../src/exec/redis/testing/redis-server.js'
import { parseRedisUrl } from '../src/exec/redis/redis-url.js'
import { RedisExecutor } from '../src/jobs/tune/redis-executor.js'
import { parseTuningSpec } from '../src/jobs/tune/spec.js'
import { tune, type TuneResult } from '../src/jobs/tune/tune-job.js'
import { DirStore } from '../src/store/shared/dir-store.js'
import { TrackingStore } from '../src/store/tracking/store.js'
import { markdownTable } from './table.js'

const TARGET = 1.2
const ROOT = fileURLToPath(new URL('../', import.meta.url))
const DATA = join(ROOT, 'data', 'diabetes.csv')

const { values } = parseArgs({ options: { trials: { type: 'string', default: '40' } } })
const trials = Number(values.trials)

function spec(baseDir: string) {
  return parseTuningSpec(
    {
      name: 'scaleout',
      estimator: {
        name: 'short',
        target: 'target',
        channels: { train: DATA },
        cv: { folds: 3, seed: 1 },
        metric: 'rmse',
        members: { xgb: { learner: 'gbdt', params: { num_round: 20 } }, cat: { learner: 'oblivious', params: { iterations: 20 } } },
      },
      objective: { metric: 'cv:rmse', type: 'Minimize' },
      ranges: { eta: { type: 'continuous', min: 0.05, max: 0.3 }, max_depth: { type: 'integer', min: 2, max: 5 } },
      strategy: 'Random',
      max_jobs: trials,
      max_parallel_jobs: 2,
      random_seed: 11,
    },
    { baseDir },
  )
}

async function timed(run: () => Promise<TuneResult>, tracking: string): Promise<{ seconds: number; result: TuneResult; values: (number | null)[] }> {
  const t0 = performance.now()
  const result = await run()
  const seconds = (performance.now() - t0) / 1000
  const store = TrackingStore.open(tracking)
  const values = store.listTrials(result.job).map((t) => t.value)
  store.close()
  return { seconds, result, values }
}

function startWorker(url: string, shared: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'worker', '--redis', url, '--shared-dir', shared, '--workers', '1'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] })
  return new Promise((resolve, reject) => {
    let log = ''
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      log += chunk
      if (log.includes('worker ready')) resolve(child)
    })
    child.on('exit', () => reject(new Error(`worker exited: ${log}`)))
  })
}

const dir = mkdtempSync(join(tmpdir(), 'consort-bench-scaleout-'))
const redis = await startRedis()
const workers: ChildProcess[] = []
try {
  const shared = join(dir, 'shared')
  const local = await timed(async () => tune(await spec(dir), { tracking: join(dir, 'local'), workers: 2 }), join(dir, 'local'))
  workers.push(...(await Promise.all([startWorker(redis.url, shared), startWorker(redis.url, shared)])))
  const executor = await RedisExecutor.open(parseRedisUrl(redis.url, '--executor'), { store: new DirStore(shared) })
  const remote = await timed(async () => tune(await spec(dir), { tracking: join(dir, 'redis'), executor }), join(dir, 'redis')).finally(() => executor.close())
  const row = (name: string, r: typeof local) => [name, r.seconds.toFixed(2), String(r.values.length), r.result.best?.objective.toFixed(6) ?? '-']
  console.log(markdownTable(['executor', 'wall s', 'trials', 'best cv:rmse'], [row('local pool (2 fit threads)', local), row('Redis, 2 worker processes', remote)]))
  const ratio = remote.seconds / local.seconds
  const same = JSON.stringify(local.values) === JSON.stringify(remote.values)
  console.log(`\nRedis / local wall time: ${ratio.toFixed(2)}x (target <= ${TARGET}x); same trials: ${same ? 'yes' : 'no'}`)
  if (!same || ratio > TARGET) process.exitCode = 1
} finally {
  for (const w of workers) w.kill('SIGTERM')
  await redis.stop()
  rmSync(dir, { recursive: true, force: true })
}
