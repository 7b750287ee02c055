/**
 * Serving from several processes, as SageMaker's model servers run one worker per vCPU
 * (`SAGEMAKER_MODEL_SERVER_WORKERS`): a primary forks N workers with node:cluster, each loads the
 * model and serves the same port, and the primary only supervises.
 *
 * - The primary is ready when its first worker listens, so a cold start costs one worker's start;
 *   a first worker that exits before listening (a model that cannot be served) ends the primary
 *   with its exit code, and its message is printed once.
 * - A worker that dies later is replaced, at most `MAX_RESTARTS` times a minute.
 * - SIGTERM or SIGINT to the primary drains every worker (each finishes its requests), then exits 0;
 *   a worker whose primary dies exits with it (node:cluster sees to that).
 * - `GET /metrics` on any worker reports the sum over all workers: the worker asks the primary,
 *   which gathers every worker's metrics over IPC.
 */
import cluster, { type Worker } from 'node:cluster'

/** What a worker reports once it listens. */
export interface ListeningInfo {
  readonly url: string
  readonly managementUrl: string
  readonly loadMs: number
}

const MAX_RESTARTS = 5
const RESTART_WINDOW_MS = 60_000
/** How long a metrics scrape waits for a worker's share before leaving it out. */
const GATHER_TIMEOUT_MS = 2000

type Message =
  | { readonly type: 'consort:listening'; readonly info: ListeningInfo }
  | { readonly type: 'consort:gather'; readonly id: number }
  | { readonly type: 'consort:share'; readonly id: number }
  | { readonly type: 'consort:shared'; readonly id: number; readonly metrics: unknown }
  | { readonly type: 'consort:gathered'; readonly id: number; readonly metrics: unknown[] }

/** Whether this process is a serving worker forked by {@link superviseWorkers}. */
export function isServingWorker(): boolean {
  return cluster.isWorker
}

export interface SuperviseOptions {
  /** Called once, when the first worker listens. */
  readonly onReady: (info: ListeningInfo) => void
  /** One line of operational news (a worker replaced, a drain). */
  readonly log: (line: string) => void
}

/**
 * Runs `workers` serving processes of this same command line and supervises them; resolves with
 * the exit code once they have all stopped.
 * @example process.exitCode = await superviseWorkers(2, { onReady: (i) => console.log(i.url), log: console.error })
 */
export function superviseWorkers(workers: number, options: SuperviseOptions): Promise<number> {
  cluster.setupPrimary({ exec: process.argv[1], args: process.argv.slice(2), execArgv: process.execArgv })
  const live = new Set<Worker>()
  const restarts: number[] = []
  let ready = false
  let stopping = false
  let gatherId = 0
  // Scrapes being gathered, by the primary's id: who asked, under which id of theirs, and the shares so far.
  const pending = new Map<number, { readonly from: Worker; readonly requestId: number; readonly shares: unknown[]; readonly expected: number; readonly timer: NodeJS.Timeout }>()

  return new Promise<number>((resolve) => {
    const finish = (code: number) => {
      process.off('SIGTERM', stop)
      process.off('SIGINT', stop)
      resolve(code)
    }
    const stop = () => {
      if (stopping) return
      stopping = true
      options.log(`draining ${live.size} worker${live.size === 1 ? '' : 's'}`)
      if (live.size === 0) finish(0)
      for (const w of live) w.process.kill('SIGTERM')
    }
    const reply = (id: number) => {
      const p = pending.get(id)
      if (!p) return
      pending.delete(id)
      clearTimeout(p.timer)
      if (live.has(p.from)) p.from.send({ type: 'consort:gathered', id: p.requestId, metrics: p.shares } satisfies Message)
    }
    const fork = () => {
      const worker = cluster.fork()
      live.add(worker)
      worker.on('message', (msg: Message) => {
        if (msg.type === 'consort:listening' && !ready) {
          ready = true
          options.onReady(msg.info)
          // The first worker is serving: start the others.
          for (let i = live.size; i < workers; i++) fork()
        } else if (msg.type === 'consort:gather') {
          const id = ++gatherId
          pending.set(id, { from: worker, requestId: msg.id, shares: [], expected: live.size, timer: setTimeout(() => reply(id), GATHER_TIMEOUT_MS) })
          for (const w of live) w.send({ type: 'consort:share', id } satisfies Message)
        } else if (msg.type === 'consort:shared') {
          const p = pending.get(msg.id)
          if (!p) return
          p.shares.push(msg.metrics)
          if (p.shares.length >= p.expected) reply(msg.id)
        }
      })
      worker.on('exit', (code, signal) => {
        live.delete(worker)
        if (stopping) {
          if (live.size === 0) finish(0)
          return
        }
        if (!ready) {
          // The first worker could not start (its error is on stderr): nothing to supervise.
          finish(code ?? 1)
          return
        }
        const now = Date.now()
        while (restarts.length && now - restarts[0] > RESTART_WINDOW_MS) restarts.shift()
        if (restarts.length >= MAX_RESTARTS) {
          options.log(`a worker exited (${signal ?? `code ${code}`}) for the ${MAX_RESTARTS + 1}th time in a minute; stopping`)
          stop()
          return
        }
        restarts.push(now)
        options.log(`a worker exited (${signal ?? `code ${code}`}); starting another`)
        fork()
      })
    }
    process.on('SIGTERM', stop)
    process.on('SIGINT', stop)
    fork()
  })
}

/** In a worker: tells the primary that this worker serves. */
export function announceListening(info: ListeningInfo): void {
  process.send?.({ type: 'consort:listening', info } satisfies Message)
}

/**
 * In a worker that has stopped or failed: lets the process end with its own exit code, which the
 * channel to the primary would otherwise keep alive (disconnecting would exit 0 at once).
 */
export function leaveCluster(): void {
  if (cluster.isWorker) process.channel?.unref()
}

/**
 * In a worker: answers the primary's requests for this worker's metrics with `own()`, and returns
 * the function that gathers every worker's (for this worker's `/metrics`).
 */
export function shareMetrics(own: () => Promise<unknown>): () => Promise<unknown[]> {
  const waiting = new Map<number, (metrics: unknown[]) => void>()
  let nextId = 0
  process.on('message', (msg: Message) => {
    if (msg.type === 'consort:share') {
      void own().then((metrics) => process.send?.({ type: 'consort:shared', id: msg.id, metrics } satisfies Message))
    } else if (msg.type === 'consort:gathered') {
      waiting.get(msg.id)?.(msg.metrics)
      waiting.delete(msg.id)
    }
  })
  return () =>
    new Promise<unknown[]>((resolve) => {
      const id = nextId++
      waiting.set(id, resolve)
      process.send?.({ type: 'consort:gather', id } satisfies Message)
    })
}
