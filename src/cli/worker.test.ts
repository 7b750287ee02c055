// consort worker and consort tune --executor as a user runs them: a real redis-server, real worker
// processes, and the faults of the issue (a worker killed mid-trial, a trial that kills its worker
// every time, Redis restarted mid-study, Redis unusable at start).
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { freePort, startRedis, type TestRedis } from '../exec/redis/testing/redis-server.js'
import { consort, lines, ROOT } from './testing/run.js'

const dir = mkdtempSync(join(tmpdir(), 'consort-worker-e2e-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** Worker processes of a test, stopped after it. */
const workers: ChildProcess[] = []
const servers: TestRedis[] = []
afterEach(async () => {
  for (const w of workers.splice(0)) if (w.exitCode === null && w.signalCode === null) w.kill('SIGKILL')
  for (const s of servers.splice(0)) await s.stop()
})

/** A `consort worker` process, resolved once it takes trials; its stderr is kept on `log`. */
async function startWorker(url: string, shared: string, extra: readonly string[] = []): Promise<ChildProcess & { log: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'worker', '--redis', url, '--shared-dir', shared, '--workers', '1', '--lock-seconds', '2', ...extra], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'pipe'],
  }) as ChildProcess & { log: string }
  child.log = ''
  workers.push(child)
  await new Promise<void>((resolve, reject) => {
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      child.log += chunk
      if (child.log.includes('worker ready')) resolve()
    })
    child.on('exit', () => reject(new Error(`worker exited before it was ready: ${child.log}`)))
  })
  return child
}

/** A script-mode tuning spec of short trials; `poison` makes a trial with x below it kill its worker. */
function scriptSpec(name: string, options: { maxJobs: number; parallel: number; ms: number; poison?: number }): string {
  const folder = join(dir, name)
  rmSync(folder, { recursive: true, force: true })
  mkdirSync(folder, { recursive: true })
  writeFileSync(
    join(folder, 'trial.mjs'),
    [
      "const a = process.argv.slice(2); const x = Number(a[a.indexOf('--x') + 1])",
      `if (x < ${options.poison ?? -1}) process.kill(process.ppid, 'SIGKILL')`,
      `setTimeout(() => console.log('objective:' + (x - 0.4) ** 2 + ';'), ${options.ms})`,
      '',
    ].join('\n'),
  )
  writeFileSync(join(folder, 'data.csv'), 'a,b\n1,2\n')
  const spec = join(folder, 'tuning.json')
  writeFileSync(
    spec,
    JSON.stringify({
      name,
      estimator: { entry_point: 'trial.mjs', channels: { train: 'data.csv' }, metric_definitions: [{ Name: 'objective', Regex: 'objective:([-0-9.e]+);' }] },
      objective: { metric: 'objective', type: 'Minimize' },
      ranges: { x: { type: 'continuous', min: 0, max: 1 } },
      strategy: 'Random',
      random_seed: 3,
      max_jobs: options.maxJobs,
      max_parallel_jobs: options.parallel,
    }),
  )
  return spec
}

describe('consort worker and consort tune --executor', () => {
  it('gives the same trials and the same best result as the local pool, with two worker processes', async () => {
    const redis = await startRedis()
    servers.push(redis)
    const shared = join(dir, 'same')
    await Promise.all([startWorker(redis.url, shared), startWorker(redis.url, shared)])
    const set = ['--set', 'strategy=Random', '--set', 'max_jobs=4', '--set', 'max_parallel_jobs=2', '--json']
    const [local, remote] = await Promise.all([
      consort(['tune', 'examples/diabetes/tuning.yaml', ...set, '--workers', '1']),
      consort(['tune', 'examples/diabetes/tuning.yaml', ...set, '--executor', redis.url, '--shared-dir', shared]),
    ])
    expect(local.code, local.stderr).toBe(0)
    expect(remote.code, remote.stderr).toBe(0)
    const a = JSON.parse(lines(local.stdout).at(-1)!)
    const b = JSON.parse(lines(remote.stdout).at(-1)!)
    expect(b.counters).toMatchObject({ Completed: 4, Failed: 0 })
    expect(b.best.params).toEqual(a.best.params)
    expect(b.best.objective).toBe(a.best.objective)
    expect(b.best.trial).toBe(a.best.trial)
    const analytics = async (job: string) => lines((await consort(['tune', 'analytics', job, '--csv'])).stdout).map((l) => l.split(',').slice(0, 2).concat(l.split(',')[4]).join(','))
    expect(await analytics(b.job)).toEqual(await analytics(a.job))
    const described = await consort(['inspect', b.best.artifact])
    expect(described.code, described.stderr).toBe(0)
  })

  it('refuses a bad address, an unreachable Redis and an evicting Redis with exit 2, naming what and where', async () => {
    const bad = await consort(['tune', 'examples/diabetes/tuning.yaml', '--executor', 'localhost:6379'])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toMatch(/--executor.*'localhost:6379' is not a Redis address/)
    const port = await freePort()
    const unreachable = await consort(['worker', '--redis', `redis://127.0.0.1:${port}`])
    expect(unreachable.code).toBe(2)
    expect(unreachable.stderr).toMatch(new RegExp(`--redis.*cannot reach Redis at redis://127.0.0.1:${port}`))
    const evicting = await startRedis({ maxmemoryPolicy: 'allkeys-lru' })
    servers.push(evicting)
    const refused = await consort(['tune', 'examples/diabetes/tuning.yaml', '--executor', evicting.url])
    expect(refused.code).toBe(2)
    expect(refused.stderr).toMatch(/maxmemory-policy allkeys-lru; queued trials need noeviction/)
    expect(lines(refused.stderr)).toHaveLength(1)
  })

  it('re-runs the trial of a worker killed mid-trial elsewhere: exactly max_jobs completed, each once', async () => {
    const redis = await startRedis()
    servers.push(redis)
    const shared = join(dir, 'killed-shared')
    const [victim] = await Promise.all([startWorker(redis.url, shared), startWorker(redis.url, shared)])
    const tuning = consort(['tune', scriptSpec('killed', { maxJobs: 5, parallel: 2, ms: 1500 }), '--executor', redis.url, '--shared-dir', shared, '--json'])
    await waitFor(() => /trial \S+ started/.test(victim.log))
    victim.kill('SIGKILL')
    const run = await tuning
    expect(run.code, run.stderr).toBe(0)
    const result = JSON.parse(lines(run.stdout).at(-1)!)
    expect(result.counters).toMatchObject({ Completed: 5, Failed: 0, InProgress: 0 })
    const rows = lines((await consort(['tune', 'analytics', result.job, '--csv'])).stdout).slice(1)
    expect(rows).toHaveLength(5)
    expect(new Set(rows.map((r) => r.split(',')[1])).size).toBe(5)
  })

  it('fails a trial that kills its worker every time after its attempts, and completes the others', async () => {
    const redis = await startRedis()
    servers.push(redis)
    const shared = join(dir, 'poison-shared')
    // A supervisor, as systemd would be: every killed worker is started again.
    let supervising = true
    const supervise = async (): Promise<void> => {
      while (supervising) {
        const w = await startWorker(redis.url, shared)
        await new Promise((resolve) => w.once('exit', resolve))
      }
    }
    const loops = [supervise(), supervise()]
    const run = await consort(['tune', scriptSpec('poison', { maxJobs: 5, parallel: 2, ms: 200, poison: 0.2 }), '--executor', redis.url, '--shared-dir', shared, '--json'])
    supervising = false
    for (const w of workers) w.kill('SIGKILL')
    await Promise.allSettled(loops)
    expect(run.code, run.stderr).toBe(0)
    const result = JSON.parse(lines(run.stdout).at(-1)!)
    const rows = lines((await consort(['tune', 'analytics', result.job, '--csv'])).stdout).slice(1).map((r) => r.split(','))
    expect(rows).toHaveLength(5)
    const poisoned = rows.filter((r) => Number(r[0]) < 0.2)
    expect(poisoned.length).toBeGreaterThan(0)
    expect(rows.map((r) => r[2]).join(), run.stderr).toBe(rows.map((r) => (Number(r[0]) < 0.2 ? 'Failed' : 'Completed')).join())
    for (const r of rows) expect(r[2]).toBe(Number(r[0]) < 0.2 ? 'Failed' : 'Completed')
    expect(run.stderr).toMatch(/stalled more than allowable limit/)
  })

  it('completes a study across a Redis restart (append-only file on), counting every trial once', async () => {
    const redis = await startRedis({ appendOnly: true })
    servers.push(redis)
    const shared = join(dir, 'restart-shared')
    await Promise.all([startWorker(redis.url, shared), startWorker(redis.url, shared)])
    let stderr = ''
    const tuning = consort(['tune', scriptSpec('restart', { maxJobs: 6, parallel: 2, ms: 600 }), '--executor', redis.url, '--shared-dir', shared, '--json'], {}, (chunk) => (stderr += chunk))
    await waitFor(() => (stderr.match(/^trial \d+ Completed/gm) ?? []).length >= 2)
    await redis.restart({ downMs: 1000 })
    const run = await tuning
    expect(run.code, run.stderr).toBe(0)
    const result = JSON.parse(lines(run.stdout).at(-1)!)
    expect(result.counters).toMatchObject({ Completed: 6, Failed: 0, InProgress: 0 })
    expect((run.stderr.match(/^trial \d+ Completed/gm) ?? []).length).toBe(6)
  })

  it('resumes a killed coordinator with the results that arrived meanwhile, running no trial twice', async () => {
    const redis = await startRedis()
    servers.push(redis)
    const shared = join(dir, 'resume-shared')
    const pair = await Promise.all([startWorker(redis.url, shared), startWorker(redis.url, shared)])
    const spec = scriptSpec('resume', { maxJobs: 4, parallel: 2, ms: 1500 })
    const coordinator = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'tune', spec, '--executor', redis.url, '--shared-dir', shared], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] })
    let stderr = ''
    coordinator.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    const exited = new Promise((resolve) => coordinator.once('exit', resolve))
    await waitFor(() => pair.every((w) => /trial \S+ started/.test(w.log)))
    coordinator.kill('SIGKILL')
    await exited
    const job = /tuning job (\S+): up to/.exec(stderr)![1]
    // The two trials in flight finish on the workers while no coordinator listens.
    await waitFor(() => pair.every((w) => /trial \S+ completed/.test(w.log)))
    const resumed = await consort(['tune', '--resume', job, '--executor', redis.url, '--shared-dir', shared, '--json'])
    expect(resumed.code, resumed.stderr).toBe(0)
    expect(JSON.parse(lines(resumed.stdout).at(-1)!).counters).toMatchObject({ Completed: 4, Failed: 0, InProgress: 0 })
    const started = pair.flatMap((w) => w.log.match(/trial \S+ started/g) ?? [])
    expect(started).toHaveLength(4)
    expect(new Set(started).size).toBe(4)
  })

  it('stops a worker on SIGTERM after its running trial finished and was counted', async () => {
    const redis = await startRedis()
    servers.push(redis)
    const shared = join(dir, 'sigterm-shared')
    const worker = await startWorker(redis.url, shared)
    const tuning = consort(['tune', scriptSpec('sigterm', { maxJobs: 1, parallel: 1, ms: 1200 }), '--executor', redis.url, '--shared-dir', shared, '--json'])
    await waitFor(() => /trial \S+ started/.test(worker.log))
    worker.kill('SIGTERM')
    const code = await new Promise((resolve) => worker.once('exit', resolve))
    expect(code).toBe(0)
    expect(worker.log).toMatch(/trial \S+ completed[\s\S]*worker stopped/)
    const run = await tuning
    expect(JSON.parse(lines(run.stdout).at(-1)!).counters).toMatchObject({ Completed: 1 })
  })
})

function waitFor(test: () => boolean, timeoutMs = 30_000): Promise<void> {
  const started = Date.now()
  return new Promise((resolve, reject) => {
    const timer = setInterval(() => {
      if (test()) {
        clearInterval(timer)
        resolve()
      } else if (Date.now() - started > timeoutMs) {
        clearInterval(timer)
        reject(new Error('timed out waiting'))
      }
    }, 20)
  })
}
