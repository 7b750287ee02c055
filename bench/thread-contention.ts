/**
 * A machine effect, isolated: do random-access writes over a private Float64Array slow down when
 * another worker thread of the same process does the same at the same time, while two separate
 * processes doing it do not slow each other? Sequential writes and arrays that fit in a small
 * cache are the controls. Nothing is shared between the runs but the process: each run has its
 * own arrays, its own V8 isolate and, in the thread variants, its own worker thread.
 *
 * The kernel (bench/contention-worker.ts): `idx[i] = (i * 2654435761) % n`, then
 * `a[idx[i]] += 1` for every i, round(4e8 / n) times, timed after a warm-up pass that writes
 * every page. Variants for each array size: one worker thread alone; two worker threads of this
 * process at once (each timed; they start together on a shared flag); one child process alone,
 * pinned to each of the first two CPUs in turn (taskset); two child processes at once, pinned one
 * per CPU (started together on a line sent to both). The sequential kernel (`a[i] += 1`) at
 * 512 KB is the control. Every run reports the CPU it ran on and its run-queue wait
 * (/proc/thread-self), so a pair's slowdown can be set against each CPU's speed alone: on a VM
 * the two virtual CPUs need not be equally fast, and a pair always holds a run on each.
 *
 * Printed: the machine facts that bear on it (kernel, CPU, transparent huge pages, DAMON's state,
 * operations set and schemes, read from /sys when readable), the milliseconds per variant with
 * the slowdowns 2 threads / 1 thread and 2 processes / 1 process, and each side-by-side run
 * against the same CPU alone. About 30 s on 2 idle cores. `--repeats N` runs every variant N
 * times and shows the repeat with the lowest mean; `--json` adds one JSON line.
 *
 * @example
 * // node --import tsx bench/thread-contention.ts [--updates 400000000] [--repeats 1] [--json]
 * // | array  | writes | 1 thread ms | 2 threads ms (each) | 2 threads / 1 | 1 process ms | ...
 */
import { spawn, spawnSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { availableParallelism, cpus, loadavg, release } from 'node:os'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { startWorker } from '../src/exec/worker.js'
import { REPO_ROOT } from './child.js'
import type { KernelJob, KernelResult, KernelWorkerData, Pattern } from './contention-worker.js'
import { markdownTable } from './table.js'

const WORKER_FILE = fileURLToPath(new URL('./contention-worker.ts', import.meta.url))
const SIZES = [4096, 32768, 65536, 1048576] as const
const CONTROL: { readonly n: number; readonly pattern: Pattern } = { n: 65536, pattern: 'sequential' }

const VARIANTS = ['thread1', 'threads2', 'process1', 'processes2'] as const
type Variant = (typeof VARIANTS)[number]

/**
 * One array size and write pattern: for each variant, each repeat's runs. `thread1`: one run;
 * `threads2`, `processes2`: two side by side; `process1`: one alone per pinned CPU, one after
 * the other (one unpinned run when pinning is not possible).
 */
interface Case {
  readonly n: number
  readonly pattern: Pattern
  readonly runs: Record<Variant, KernelResult[][]>
}

/** Runs `count` worker threads of this process at once. */
async function inThreads(job: KernelJob, count: number): Promise<KernelResult[]> {
  const start = new SharedArrayBuffer(4)
  const flag = new Int32Array(start)
  const data: KernelWorkerData = { job, start }
  const workers = Array.from({ length: count }, () => startWorker(import.meta.url, './contention-worker', { workerData: data }))
  let ready = 0
  let go: () => void = () => {}
  const allReady = new Promise<void>((resolve) => (go = resolve))
  const results = workers.map(
    (worker) =>
      new Promise<KernelResult>((resolve, reject) => {
        worker.ref()
        worker.on('message', (m: { type: 'ready' } | { type: 'result'; result: KernelResult }) => {
          if (m.type === 'ready' && ++ready === count) go()
          if (m.type === 'result') resolve(m.result)
        })
        worker.on('error', reject)
        worker.on('exit', (code) => reject(new Error(`contention worker exited with code ${code} before its result`)))
      }),
  )
  await allReady
  Atomics.store(flag, 0, 1)
  Atomics.notify(flag, 0)
  try {
    return await Promise.all(results)
  } finally {
    await Promise.all(workers.map((w) => w.terminate()))
  }
}

/** Whether `taskset` can pin a child process to a CPU here. */
function canPin(): boolean {
  try {
    return spawnSync('taskset', ['-c', '0', process.execPath, '-e', '0'], { stdio: 'ignore' }).status === 0
  } catch {
    return false
  }
}

/** Runs `count` child processes at once, the i-th pinned to CPU `pin[i]` when given. */
async function inProcesses(job: KernelJob, count: number, pin?: readonly number[]): Promise<KernelResult[]> {
  const args = ['--import', 'tsx', WORKER_FILE, '--n', String(job.n), '--pattern', job.pattern, '--updates', String(job.updates)]
  const children = Array.from({ length: count }, (_, i) =>
    pin === undefined
      ? spawn(process.execPath, args, { cwd: REPO_ROOT, stdio: ['pipe', 'pipe', 'pipe'] })
      : spawn('taskset', ['-c', String(pin[i]), process.execPath, ...args], { cwd: REPO_ROOT, stdio: ['pipe', 'pipe', 'pipe'] }),
  )
  let ready = 0
  let go: () => void = () => {}
  const allReady = new Promise<void>((resolve) => (go = resolve))
  const results = children.map(
    (child) =>
      new Promise<KernelResult>((resolve, reject) => {
        let out = ''
        let err = ''
        let sawReady = false
        child.stderr.on('data', (b: Buffer) => (err += b.toString('utf8')))
        child.stdout.on('data', (b: Buffer) => {
          out += b.toString('utf8')
          if (!sawReady && out.startsWith('ready\n')) {
            sawReady = true
            if (++ready === count) go()
          }
        })
        child.on('error', reject)
        child.on('close', (code) => {
          const last = out.trimEnd().split('\n').pop() ?? ''
          if (code !== 0 || !last.startsWith('{')) reject(new Error(`contention child exited with code ${code}: ${err.trim().split('\n').slice(-5).join('\n')}`))
          else resolve(JSON.parse(last) as KernelResult)
        })
      }),
  )
  await Promise.race([allReady, Promise.all(results)])
  for (const child of children) child.stdin.end('go\n')
  return Promise.all(results)
}

/** Each variant of one case, `repeats` times; odd repeats run the variants in reverse order. */
async function runCase(n: number, pattern: Pattern, updates: number, repeats: number, pins: readonly number[] | null, log: (line: string) => void): Promise<Case> {
  const job: KernelJob = { n, pattern, updates }
  const runs: Record<Variant, KernelResult[][]> = { thread1: [], threads2: [], process1: [], processes2: [] }
  const run = async (variant: Variant): Promise<KernelResult[]> => {
    switch (variant) {
      case 'thread1':
        return inThreads(job, 1)
      case 'threads2':
        return inThreads(job, 2)
      case 'process1': {
        if (pins === null) return inProcesses(job, 1)
        const alone: KernelResult[] = []
        for (const cpu of pins) alone.push(...(await inProcesses(job, 1, [cpu])))
        return alone
      }
      case 'processes2':
        return inProcesses(job, 2, pins ?? undefined)
    }
  }
  for (let r = 0; r < repeats; r++) {
    for (const variant of r % 2 === 0 ? VARIANTS : [...VARIANTS].reverse()) runs[variant].push(await run(variant))
  }
  const every = (v: Variant): string => runs[v].map((rs) => rs.map(msOn).join(' / ')).join(', ')
  log(`${sizeLabel(n)} ${pattern}: 1 thread ${every('thread1')}; 2 threads ${every('threads2')}; 1 process ${every('process1')}; 2 processes ${every('processes2')} ms (load ${loadavg()[0].toFixed(2)})`)
  return { n, pattern, runs }
}

/** Milliseconds and the CPU the run stayed on: `518 c0`, or `518 c?` when it moved. */
const msOn = (r: KernelResult): string => `${r.ms.toFixed(0)} c${r.cpu < 0 ? '?' : r.cpu}`
const meanMs = (rs: readonly KernelResult[]): number => rs.reduce((s, r) => s + r.ms, 0) / rs.length
const sizeLabel = (n: number): string => (n * 8 >= 1 << 20 ? `${(n * 8) / (1 << 20)} MB` : `${(n * 8) / 1024} KB`)
/** The repeat of `variant` with the lowest mean wall time. */
const best = (c: Case, variant: Variant): KernelResult[] => c.runs[variant].reduce((x, y) => (meanMs(y) < meanMs(x) ? y : x))
const times = (x: number): string => (Number.isFinite(x) ? `${x.toFixed(2)}x` : 'n/a')

/**
 * Each side-by-side run over the run alone on the same CPU (a pinned process), averaged over the
 * runs whose CPU is known; NaN when none is.
 */
function sameCpuRatio(pair: readonly KernelResult[], alone: readonly KernelResult[]): number {
  const ratios = pair.flatMap((r) => {
    const own = alone.find((a) => a.cpu === r.cpu && r.cpu >= 0)
    return own ? [r.ms / own.ms] : []
  })
  return ratios.length === 0 ? NaN : ratios.reduce((a, b) => a + b, 0) / ratios.length
}

/** Files under `dir` (relative names), read as trimmed text; null where unreadable. */
function readFacts(dir: string, names: readonly string[]): Record<string, string | null> {
  const out: Record<string, string | null> = {}
  for (const name of names) {
    try {
      out[name] = readFileSync(`${dir}/${name}`, 'utf8').trim()
    } catch {
      out[name] = null
    }
  }
  return out
}

/** Kernel, CPU, transparent huge pages and every DAMON kdamond's state, operations set and schemes. */
function machineFacts(): string[] {
  const lines = [`kernel ${release()}, ${availableParallelism()} cores (${cpus()[0]?.model ?? 'unknown CPU'}), node ${process.version}`]
  const thp = readFacts('/sys/kernel/mm/transparent_hugepage', ['enabled', 'defrag'])
  if (thp.enabled !== null) lines.push(`transparent huge pages: enabled ${thp.enabled}, defrag ${thp.defrag ?? '?'}`)
  const numa = readFacts('/proc/sys/kernel', ['numa_balancing']).numa_balancing
  if (numa !== null) lines.push(`numa_balancing ${numa}`)
  const root = '/sys/kernel/mm/damon/admin/kdamonds'
  let kdamonds: string[] = []
  try {
    kdamonds = readdirSync(root).filter((d) => /^\d+$/.test(d))
  } catch {
    lines.push('DAMON: no sysfs interface readable')
  }
  for (const k of kdamonds) {
    const f = readFacts(`${root}/${k}`, ['state', 'pid'])
    lines.push(`DAMON kdamond ${k}: state ${f.state ?? '?'}, pid ${f.pid ?? '?'}`)
    let contexts: string[] = []
    try {
      contexts = readdirSync(`${root}/${k}/contexts`).filter((d) => /^\d+$/.test(d))
    } catch {
      // no contexts folder readable
    }
    for (const c of contexts) {
      const dir = `${root}/${k}/contexts/${c}`
      const ctx = readFacts(dir, ['operations', 'monitoring_attrs/intervals/sample_us', 'monitoring_attrs/intervals/aggr_us', 'targets/nr_targets', 'schemes/nr_schemes'])
      lines.push(
        `  context ${c}: operations ${ctx.operations ?? '?'}, sample ${ctx['monitoring_attrs/intervals/sample_us'] ?? '?'} us, aggregation ${ctx['monitoring_attrs/intervals/aggr_us'] ?? '?'} us, ` +
          `${ctx['targets/nr_targets'] ?? '?'} target(s), ${ctx['schemes/nr_schemes'] ?? '?'} scheme(s)`,
      )
      for (let s = 0; s < Number(ctx['schemes/nr_schemes'] ?? 0); s++) {
        const sc = readFacts(`${dir}/schemes/${s}`, ['action', 'access_pattern/nr_accesses/max', 'access_pattern/age/min', 'quotas/ms', 'quotas/bytes', 'stats/nr_tried', 'stats/nr_applied'])
        lines.push(
          `    scheme ${s}: action ${sc.action ?? '?'} on regions with nr_accesses <= ${sc['access_pattern/nr_accesses/max'] ?? '?'} and age >= ${sc['access_pattern/age/min'] ?? '?'}, ` +
            `quota ${sc['quotas/ms'] ?? '?'} ms / ${sc['quotas/bytes'] ?? '?'} bytes, tried ${sc['stats/nr_tried'] ?? '?'}, applied ${sc['stats/nr_applied'] ?? '?'}`,
        )
      }
    }
  }
  return lines
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { updates: { type: 'string', default: '400000000' }, repeats: { type: 'string', default: '1' }, json: { type: 'boolean', default: false } } })
  const updates = Number(values.updates)
  const repeats = Number(values.repeats)
  const log = (line: string): void => console.error(line)
  const pins = availableParallelism() >= 2 && canPin() ? [0, 1] : null
  const started = performance.now()
  const load0 = loadavg()[0]
  const cases: Case[] = []
  for (const n of SIZES) cases.push(await runCase(n, 'random', updates, repeats, pins, log))
  cases.push(await runCase(CONTROL.n, CONTROL.pattern, updates, repeats, pins, log))
  const seconds = (performance.now() - started) / 1000

  for (const line of machineFacts()) console.log(`machine fact: ${line}`)
  console.log('')
  console.log(`private Float64Array of n elements per run, ${(updates / 1e6).toFixed(0)}M element updates timed per run (round(${updates.toExponential(0)} / n) passes)${repeats > 1 ? `, each variant ${repeats} times (order reversed every other repeat), the repeat with the lowest mean shown` : ''};`)
  console.log(`processes ${pins ? 'pinned with taskset: alone on cpu 0 then on cpu 1, side by side one per CPU' : 'not pinned (taskset not available)'}; threads not pinned. load ${load0.toFixed(2)} at the start, ${loadavg()[0].toFixed(2)} at the end; ${seconds.toFixed(1)} s\n`)
  const label = (c: Case): string[] => [`${sizeLabel(c.n)} (n ${c.n})`, c.pattern === 'random' ? 'a[idx[i]] += 1' : 'a[i] += 1 (control)']
  const cell = (rs: readonly KernelResult[], sep: string): string => rs.map(msOn).join(sep)
  console.log(
    markdownTable(
      ['array', 'writes', '1 thread ms', '2 threads ms (each)', '2 threads / 1', `1 process ms${pins ? ' (cpu 0; cpu 1)' : ''}`, '2 processes ms (each)', '2 processes / 1'],
      cases.map((c) => [
        ...label(c),
        cell(best(c, 'thread1'), ' / '), cell(best(c, 'threads2'), ' / '), times(meanMs(best(c, 'threads2')) / meanMs(best(c, 'thread1'))),
        cell(best(c, 'process1'), '; '), cell(best(c, 'processes2'), ' / '), times(meanMs(best(c, 'processes2')) / meanMs(best(c, 'process1'))),
      ]),
    ),
  )
  console.log('')
  console.log('c0, c1: the CPU a run stayed on (c? when it moved); ratios: mean of the two side-by-side runs over the run alone (1 process: mean of its runs).\n')
  if (pins) {
    console.log('each side-by-side run against a process alone on the same CPU (near 1.0: sharing costs nothing; the CPUs themselves compared in "cpu 1 / cpu 0"),')
    console.log('and the longest run-queue wait of any run of the case (near 0: every run had its CPU to itself)\n')
    console.log(
      markdownTable(
        ['array', 'writes', 'cpu 1 / cpu 0, alone', '2 threads / same CPU alone', '2 processes / same CPU alone', 'longest run-queue wait ms'],
        cases.map((c) => {
          const alone = best(c, 'process1')
          const wait = Math.max(...VARIANTS.flatMap((v) => c.runs[v].flat().map((r) => r.waitMs)))
          return [
            ...label(c), times(alone[1].ms / alone[0].ms), times(sameCpuRatio(best(c, 'threads2'), alone)), times(sameCpuRatio(best(c, 'processes2'), alone)),
            Number.isFinite(wait) ? wait.toFixed(0) : 'n/a',
          ]
        }),
      ),
    )
    console.log('')
  }
  if (repeats > 1) {
    console.log('every run, ms (repeats separated by commas)\n')
    console.log(markdownTable(['array', 'writes', '1 thread', '2 threads', '1 process', '2 processes'], cases.map((c) => [...label(c), ...VARIANTS.map((v) => c.runs[v].map((rs) => cell(rs, ' / ')).join(', '))])))
    console.log('')
  }
  if (values.json) console.log(JSON.stringify({ updates, repeats, seconds, load_start: load0, pinned: pins, machine: machineFacts(), cases }))
}

await main()
