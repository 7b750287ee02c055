/**
 * The kernel of bench/thread-contention.ts and its two ways to run: as a worker thread (started
 * with `startWorker`, options in `workerData`, result posted back) or as a child process
 * (`node --import tsx bench/contention-worker.ts --n N --pattern random --updates U`, which prints
 * `ready`, waits for a line on stdin, then prints one JSON line).
 *
 * Each run builds its own private arrays, touches every page once (so no page fault is timed),
 * signals it is ready, waits for the start signal (so runs side by side start together) and then
 * times `a[idx[i]] += 1` (random) or `a[i] += 1` (sequential) over the array, round(updates / n)
 * times. Besides wall time it reads the timing thread's own scheduler counters from
 * /proc/thread-self (nanoseconds on a CPU and waiting in a run queue, the CPU it ran on and its
 * migrations), so a slowdown from sharing a core shows as run-queue wait, a slowdown of the code
 * itself as CPU time, and a run's CPU is known.
 */
import { readFileSync } from 'node:fs'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { isMainThread, parentPort, workerData } from 'node:worker_threads'

export type Pattern = 'random' | 'sequential'

/** What one run is asked to do. */
export interface KernelJob {
  /** Float64 elements of the private array (8 bytes each). */
  readonly n: number
  readonly pattern: Pattern
  /** Element updates to time: round(updates / n) passes over the array. */
  readonly updates: number
}

/** What one run measured. */
export interface KernelResult {
  readonly ms: number
  /** Milliseconds the timing thread ran on a CPU, and waited in a run queue (NaN without /proc). */
  readonly cpuMs: number
  readonly waitMs: number
  /** The CPU the timed loop ran on; -1 when it moved between CPUs or /proc does not say. */
  readonly cpu: number
  /** Sum of the array after the run, so the work cannot be skipped. */
  readonly checksum: number
}

/** Worker-thread start options: the job and a shared start flag (Int32Array over 4 bytes). */
export interface KernelWorkerData {
  readonly job: KernelJob
  readonly start: SharedArrayBuffer
}

/** `idx[i] = (i * 2654435761) % n`: a permutation of 0..n-1 when n is a power of two. */
function scatter(n: number): Int32Array {
  const idx = new Int32Array(n)
  for (let i = 0; i < n; i++) idx[i] = (i * 2654435761) % n
  return idx
}

function randomWrites(a: Float64Array, idx: Int32Array, rounds: number): void {
  const n = a.length
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < n; i++) a[idx[i]] += 1
  }
}

function sequentialWrites(a: Float64Array, rounds: number): void {
  const n = a.length
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < n; i++) a[i] += 1
  }
}

/** The calling thread's scheduler counters, NaN where /proc does not have them. */
interface Sched {
  /** Nanoseconds on a CPU and waiting in a run queue. */
  readonly run: number
  readonly wait: number
  /** The CPU it last ran on, and how often it moved between CPUs. */
  readonly cpu: number
  readonly migrations: number
}

function readOr<T>(path: string, parse: (text: string) => T, fallback: T): T {
  try {
    return parse(readFileSync(path, 'utf8'))
  } catch {
    return fallback
  }
}

function sched(): Sched {
  const [run, wait] = readOr('/proc/thread-self/schedstat', (t) => t.trim().split(/\s+/).map(Number), [NaN, NaN])
  // stat: the command name is in parentheses and may hold spaces; field 39 (processor) is the 37th after it.
  const cpu = readOr('/proc/thread-self/stat', (t) => Number(t.slice(t.lastIndexOf(')') + 2).split(' ')[36]), NaN)
  const migrations = readOr('/proc/thread-self/sched', (t) => Number(/se\.nr_migrations\s*:\s*(\d+)/.exec(t)?.[1] ?? NaN), NaN)
  return { run, wait, cpu, migrations }
}

/**
 * Builds the arrays and warms up, calls `ready` and waits for the promise it returns, then times
 * the kernel.
 * @example
 * const r = await runKernel({ n: 65536, pattern: 'random', updates: 4e8 }, async () => {})
 */
export async function runKernel(job: KernelJob, ready: () => Promise<void> | void): Promise<KernelResult> {
  const { n, pattern, updates } = job
  const a = new Float64Array(n)
  const idx = scatter(n)
  const rounds = Math.max(1, Math.round(updates / n))
  // Warm-up: every page written (faulted in), the functions compiled, before anything is timed.
  const warm = Math.max(1, Math.round(2e7 / n))
  if (pattern === 'random') randomWrites(a, idx, warm)
  else sequentialWrites(a, warm)
  await ready()
  const s0 = sched()
  const t0 = performance.now()
  if (pattern === 'random') randomWrites(a, idx, rounds)
  else sequentialWrites(a, rounds)
  const ms = performance.now() - t0
  const s1 = sched()
  let checksum = 0
  for (let i = 0; i < n; i++) checksum += a[i]
  const stayed = s0.cpu === s1.cpu && (Number.isNaN(s0.migrations) || s0.migrations === s1.migrations)
  return { ms, cpuMs: (s1.run - s0.run) / 1e6, waitMs: (s1.wait - s0.wait) / 1e6, cpu: stayed && Number.isFinite(s1.cpu) ? s1.cpu : -1, checksum }
}

/** Worker thread: post 'ready', block until the start flag is set, post the result. */
async function asWorker(data: KernelWorkerData): Promise<void> {
  const flag = new Int32Array(data.start)
  const result = await runKernel(data.job, () => {
    parentPort!.postMessage({ type: 'ready' })
    Atomics.wait(flag, 0, 0)
  })
  parentPort!.postMessage({ type: 'result', result })
}

/** Child process: print 'ready', wait for a line on stdin, print the result as JSON. */
async function asProcess(argv: readonly string[]): Promise<void> {
  const arg = (name: string): string => {
    const i = argv.indexOf(`--${name}`)
    if (i < 0 || i + 1 >= argv.length) throw new Error(`missing --${name}`)
    return argv[i + 1]
  }
  const pattern = arg('pattern')
  if (pattern !== 'random' && pattern !== 'sequential') throw new Error(`--pattern must be random or sequential, not ${pattern}`)
  const job: KernelJob = { n: Number(arg('n')), pattern, updates: Number(arg('updates')) }
  const lines = createInterface({ input: process.stdin })
  const go = new Promise<void>((resolve) => lines.once('line', () => resolve()))
  const result = await runKernel(job, async () => {
    process.stdout.write('ready\n')
    await go
  })
  lines.close()
  process.stdout.write(JSON.stringify(result) + '\n')
}

if (!isMainThread && parentPort !== null && (workerData as Partial<KernelWorkerData> | undefined)?.job !== undefined) {
  await asWorker(workerData as KernelWorkerData)
} else if (isMainThread && process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  await asProcess(process.argv.slice(2))
}
