/**
 * The serving benchmark: `consort serve` against the seed-style Python peer (Flask + gunicorn,
 * peers/serve_peer) in the same run, on an ensemble of the peer's size (about 500 trees: an
 * XGBoost-style booster of 300 depth-2 trees and a second of 200 depth-3 trees, mean blend, on
 * the diabetes data). Each server runs in its own process; load comes from wrk (Debian's package)
 * when installed, else autocannon, at 8 connections:
 *
 * - single-row CSV: throughput and p50/p99 latency (target >= 20x the peer, p99 <= 2 ms);
 * - 100-row CSV: throughput (target >= 20x the peer);
 * - cold start, from process start to the first successful invocation (target <= 300 ms);
 * - resident memory of the serving process holding the model (target <= 100 MB);
 * - micro-batching on and off, to show whether it pays;
 * - one serving process against two (`--workers 2`, as the peer runs two gunicorn workers).
 *
 *   node --import tsx bench/serve.ts [--duration 10] [--no-peer] [--no-build] [--json]
 *
 * The server runs as `consort-serve` from the compiled `dist/` (built first unless `--no-build`),
 * as it would in a container. The peer runs when `/usr/bin/python3` imports flask, xgboost and sklearn and
 * `gunicorn` is on the PATH (`apt-get install python3-flask gunicorn python3-xgboost python3-sklearn wrk`).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { createServer } from 'node:net'
import { join } from 'node:path'
import autocannon from 'autocannon'
import { parseSpec } from '../src/jobs/spec/index.js'
import { trainEnsemble } from '../src/jobs/train.js'
import { REPO_ROOT } from './child.js'

const DATA = join(REPO_ROOT, 'bench', '.data', 'serve')
const PEER = join(REPO_ROOT, 'bench', 'peers', 'serve_peer')
const PYTHON = process.env.CONSORT_BENCH_PYTHON ?? '/usr/bin/python3'

interface Load {
  readonly rps: number
  readonly p50Ms: number
  readonly p99Ms: number
  readonly errors: number
}

interface ServerResult {
  readonly name: string
  readonly coldStartMs: number
  readonly rssMb: number
  readonly single: Load
  readonly hundred: Load
}

const args = process.argv.slice(2)
const duration = Number(args[args.indexOf('--duration') + 1]) || 10
const usePeer = !args.includes('--no-peer')
const json = args.includes('--json')
const log = (line: string) => console.error(line)
let wrk: boolean | undefined

mkdirSync(DATA, { recursive: true })
const model = await ensembleModel()
const { row, rows100 } = bodies()
const cli = compiledCli()

// Warm the client: the first request of a process pays for loading its HTTP stack.
await postOnce(1, Buffer.alloc(0))
const results: ServerResult[] = []
results.push(await measure('consort', (port) => spawn(process.execPath, [cli, '--model', model, '--port', String(port), '--log-level', 'warn'], { stdio: 'ignore' })))
results.push(await measure('consort, 2 workers', (port) => spawn(process.execPath, [cli, '--model', model, '--port', String(port), '--log-level', 'warn', '--workers', '2'], { stdio: 'ignore' })))
const batched = await measure('consort, micro-batching (64 rows, same turn)', (port) =>
  spawn(process.execPath, [cli, '--model', model, '--port', String(port), '--log-level', 'warn', '--batch-rows', '64', '--batch-wait-us', '0'], { stdio: 'ignore' }),
)
let peer: ServerResult | undefined
if (usePeer && peerAvailable()) {
  const dir = peerModel()
  peer = await measure('python peer (flask + gunicorn -w 2)', (port) =>
    spawn('gunicorn', ['-w', '2', '-b', `127.0.0.1:${port}`, 'app:app'], { cwd: dir, env: { ...process.env, OMP_NUM_THREADS: '1', PYTHONPATH: PEER }, stdio: 'ignore' }),
  )
  results.push(peer)
} else log('peer: not run (needs python3 with flask, xgboost and sklearn, and gunicorn)')
results.push(batched)

report(results, peer)

/** Trains (once, cached) the ~500-tree ensemble. */
async function ensembleModel(): Promise<string> {
  const file = join(DATA, 'model-serve', 'model.tar.gz')
  if (existsSync(file)) return file
  log('training the ~500-tree ensemble ...')
  const spec = parseSpec({
    name: 'serve',
    target: 'target',
    channels: { train: join(REPO_ROOT, 'data', 'diabetes.csv') },
    cv: { folds: 2, seed: 1 },
    members: {
      xgb: { learner: 'gbdt', params: { num_round: 300, max_depth: 2, eta: 0.03, subsample: 0.8 } },
      hgb: { learner: 'gbdt', params: { num_round: 200, max_depth: 3, eta: 0.05 } },
    },
    blend: { method: 'mean' },
  })
  if (spec.kind !== 'ensemble') throw new Error('expected an ensemble spec')
  return (await trainEnsemble(spec, { outDir: join(DATA, 'model-serve') })).artifact
}

/** One row and 100 rows of the diabetes features, as CSV without a header (as the peer's bodies). */
function bodies(): { row: string; rows100: string } {
  const lines = readFileSync(join(REPO_ROOT, 'data', 'diabetes.csv'), 'utf8').trim().split('\n').slice(1)
  const features = lines.map((l) => l.split(',').slice(0, 10).join(','))
  const row = join(DATA, 'row.csv')
  const rows100 = join(DATA, 'rows100.csv')
  writeFileSync(row, features[0] + '\n')
  writeFileSync(rows100, features.slice(0, 100).join('\n') + '\n')
  return { row, rows100 }
}

/** The compiled `consort-serve` entry (what a serving container runs), built first unless `--no-build`. */
function compiledCli(): string {
  if (!args.includes('--no-build') || !existsSync(join(REPO_ROOT, 'dist', 'server', 'app.js'))) {
    log('building dist/ ...')
    execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: REPO_ROOT, stdio: 'inherit' })
  }
  return join(REPO_ROOT, 'dist', 'cli', 'serve-main.js')
}

function peerAvailable(): boolean {
  try {
    execFileSync(PYTHON, ['-c', 'import flask, xgboost, sklearn'], { stdio: 'ignore' })
    execFileSync('gunicorn', ['--version'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

/** The peer's model/ (train.py, run once in bench/.data/serve/peer). */
function peerModel(): string {
  const dir = join(DATA, 'peer')
  mkdirSync(dir, { recursive: true })
  if (!existsSync(join(dir, 'model', 'xgboost-model'))) {
    log('training the peer model ...')
    copyFileSync(join(PEER, 'train.py'), join(dir, 'train.py'))
    execFileSync(PYTHON, ['train.py'], { cwd: dir, stdio: 'ignore', env: { ...process.env, OMP_NUM_THREADS: '1' } })
  }
  return dir
}

async function measure(name: string, start: (port: number) => ChildProcess): Promise<ServerResult> {
  log(`${name}: cold starts ...`)
  const colds: number[] = []
  for (let i = 0; i < 3; i++) {
    const port = await freePort()
    const t0 = performance.now()
    const child = start(port)
    await firstSuccess(port)
    colds.push(performance.now() - t0)
    await stop(child)
  }
  const port = await freePort()
  const child = start(port)
  try {
    await firstSuccess(port)
    log(`${name}: single-row CSV, 8 connections, ${duration} s ...`)
    await load(port, row, 2)
    const single = await load(port, row, duration)
    log(`${name}: 100-row CSV ...`)
    const hundred = await load(port, rows100, duration)
    const rssMb = rssOf(child.pid!)
    return { name, coldStartMs: median(colds), rssMb, single, hundred }
  } finally {
    await stop(child)
  }
}

/** Polls POST /invocations (plain node:http, already warm) until it answers 200. */
async function firstSuccess(port: number): Promise<void> {
  const body = readFileSync(row)
  for (let i = 0; i < 6000; i++) {
    if ((await postOnce(port, body)) === 200) return
    await new Promise((r) => setTimeout(r, 2))
  }
  throw new Error(`no successful invocation on port ${port} after 12 s`)
}

function postOnce(port: number, body: Buffer): Promise<number> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/invocations', headers: { 'content-type': 'text/csv', 'content-length': body.length } }, (res) => {
      res.resume()
      res.on('end', () => resolve(res.statusCode ?? 0))
    })
    req.on('error', () => resolve(0))
    req.end(body)
  })
}

async function load(port: number, bodyFile: string, seconds: number): Promise<Load> {
  const url = `http://127.0.0.1:${port}/invocations`
  if (hasWrk()) {
    const out = execFileSync('wrk', ['-t2', '-c8', `-d${seconds}s`, '--latency', '-s', join(PEER, 'post.lua'), url], { env: { ...process.env, BODY: bodyFile }, encoding: 'utf8' })
    const ms = (label: string) => {
      const m = out.match(new RegExp(`${label}\\s+([\\d.]+)(us|ms|s)`))
      if (!m) return NaN
      return Number(m[1]) * (m[2] === 'us' ? 0.001 : m[2] === 's' ? 1000 : 1)
    }
    const errors = Number(out.match(/Non-2xx or 3xx responses: (\d+)/)?.[1] ?? 0) + Number(out.match(/Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/)?.slice(1).reduce((a, b) => a + Number(b), 0) ?? 0)
    return { rps: Number(out.match(/Requests\/sec:\s+([\d.]+)/)![1]), p50Ms: ms('50%'), p99Ms: ms('99%'), errors }
  }
  const result = await autocannon({ url, method: 'POST', headers: { 'content-type': 'text/csv' }, body: readFileSync(bodyFile, 'utf8'), connections: 8, duration: seconds })
  return { rps: result.requests.average, p50Ms: result.latency.p50, p99Ms: result.latency.p99, errors: result.non2xx + result.errors }
}

function hasWrk(): boolean {
  if (wrk === undefined) {
    try {
      execFileSync('wrk', ['--version'], { stdio: 'ignore' })
      wrk = true
    } catch (err) {
      // wrk --version exits 1 after printing its version.
      wrk = (err as { status?: number }).status === 1
    }
  }
  return wrk
}

/** Resident memory of a process and its children (gunicorn's workers), in MB. */
function rssOf(pid: number): number {
  const pids = [pid]
  try {
    pids.push(
      ...execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' })
        .trim()
        .split('\n')
        .filter(Boolean)
        .map(Number),
    )
  } catch {
    // no children
  }
  let kb = 0
  for (const p of pids) {
    const m = readFileSync(`/proc/${p}/status`, 'utf8').match(/VmRSS:\s+(\d+) kB/)
    if (m) kb += Number(m[1])
  }
  return kb / 1024
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve()
    child.once('exit', () => resolve())
    child.kill('SIGTERM')
  })
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number }
      s.close(() => resolve(port))
    })
  })
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)]
}

function report(rows: readonly ServerResult[], peer: ServerResult | undefined): void {
  const f = (x: number, d = 0) => (Number.isFinite(x) ? x.toFixed(d) : '-')
  const ratio = (a: number, b: number | undefined) => (b === undefined ? '-' : `${(a / b).toFixed(1)}x`)
  const lines = [
    `| server | 1-row req/s | p50 ms | p99 ms | 100-row req/s | cold start ms | RSS MB |`,
    `|---|---|---|---|---|---|---|`,
    ...rows.map(
      (r) =>
        `| ${r.name} | ${f(r.single.rps)}${r === peer ? '' : ` (${ratio(r.single.rps, peer?.single.rps)})`} | ${f(r.single.p50Ms, 2)} | ${f(r.single.p99Ms, 2)} | ${f(r.hundred.rps)}${r === peer ? '' : ` (${ratio(r.hundred.rps, peer?.hundred.rps)})`} | ${f(r.coldStartMs)} | ${f(r.rssMb)} |`,
    ),
    '',
    `load: ${hasWrk() ? 'wrk -t2 -c8' : 'autocannon, 8 connections'}, ${duration} s per body; errors: ${rows.map((r) => `${r.name} ${r.single.errors + r.hundred.errors}`).join(', ')}`,
  ]
  console.log(json ? JSON.stringify({ duration, results: rows }) : lines.join('\n'))
}
