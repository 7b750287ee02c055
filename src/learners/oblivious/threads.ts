/**
 * The numeric histogram pass of a level, cut into parts whose number depends only on the row
 * count: each part is accumulated from zero into its own buffer and the parts are added in order,
 * so any number of threads gives bit-identical histograms. With more than one thread, worker
 * threads take parts through a shared counter (the data, gradients and node ids live in
 * SharedArrayBuffers).
 */
import { availableParallelism } from 'node:os'
import { MessageChannel, type MessagePort } from 'node:worker_threads'
import { startWorker } from '../../exec/worker.js'
import type { NumericAccumulate } from './grower.js'
import type { NumericBlock } from './numeric.js'
import { accumulatePart, Ctl, PART_ROWS, type PartJob } from './parts.js'

/** Workers started for oblivious training, shared by every fit of the process. */
interface Pool {
  readonly control: Int32Array
  readonly size: number
  readonly ports: MessagePort[]
  ready: boolean
  last: PartJob | null
}
let pool: Pool | null = null

function workerPool(size: number): Pool {
  if (pool && pool.size >= size) return pool
  if (pool) {
    Atomics.store(pool.control, Ctl.Exit, 1)
    Atomics.add(pool.control, Ctl.Seq, 1)
    Atomics.notify(pool.control, Ctl.Seq)
  }
  const control = new Int32Array(new SharedArrayBuffer(4 * Ctl.Size))
  const ports: MessagePort[] = []
  for (let i = 0; i < size; i++) {
    const { port1, port2 } = new MessageChannel()
    startWorker(import.meta.url, './parts-worker', { workerData: { control, port: port2 }, transferList: [port2] })
    port1.unref()
    ports.push(port1)
  }
  pool = { control, size, ports, ready: false, last: null }
  return pool
}

/** Waits (up to 30 s) for the pool's workers to start; false when they did not. */
function waitReady(p: Pool): boolean {
  if (p.ready) return true
  const deadline = Date.now() + 30_000
  for (let r = Atomics.load(p.control, Ctl.Ready); r < p.size && Date.now() < deadline; r = Atomics.load(p.control, Ctl.Ready)) {
    Atomics.wait(p.control, Ctl.Ready, r, 50)
  }
  p.ready = Atomics.load(p.control, Ctl.Ready) === p.size
  return p.ready
}

/**
 * A factory of histogram passes for `threadCount` threads (0: all cores).
 * @example trainOblivious(data, y, params, { nClasses: 1, accumulate: threadedAccumulate(2) })
 */
export function threadedAccumulate(threadCount: number): (block: NumericBlock, K: number) => NumericAccumulate {
  const threads = threadCount > 0 ? threadCount : availableParallelism()
  return (block, K) => {
    const n = block.codes.length / block.stride
    const parts = Math.max(1, Math.floor(n / PART_ROWS))
    const helpers = threads > 1 && parts > 1 ? workerPool(threads - 1) : null
    let extra: Float64Array[] = []
    return (g, h, node, build, nodeSize, hist) => {
      const size = hist.length
      if (extra.length < parts - 1 || (extra[0] && extra[0].length < size)) {
        extra = Array.from({ length: parts - 1 }, () => new Float64Array(new SharedArrayBuffer(8 * size)))
      }
      const job: PartJob = { block, K, n, parts, g, h, node, build, nodeSize, outs: [hist, ...extra] }
      for (let p = 1; p < parts; p++) {
        const out = extra[p - 1]
        for (let q = 0; q < build.length; q++) if (build[q] === 1) out.fill(0, q * nodeSize, (q + 1) * nodeSize)
      }
      if (helpers && waitReady(helpers)) runShared(helpers, job)
      else for (let p = 0; p < parts; p++) accumulatePart(job, p)
      for (let p = 1; p < parts; p++) {
        const out = extra[p - 1]
        for (let q = 0; q < build.length; q++) {
          if (build[q] !== 1) continue
          for (let j = q * nodeSize, e = (q + 1) * nodeSize; j < e; j++) hist[j] += out[j]
        }
      }
    }
  }
}

/** Runs the parts of `job` on this thread and the pool's workers. */
function runShared(p: Pool, job: PartJob): void {
  const { control } = p
  // Workers drain their port synchronously when woken, so the job is there before they start.
  if (!p.last || !sameJob(p.last, job)) {
    const msg: PartJob = { ...job, block: { ...job.block, thresholds: [] } }
    for (const port of p.ports) port.postMessage(msg)
    p.last = job
  }
  Atomics.store(control, Ctl.Next, 0)
  Atomics.store(control, Ctl.Done, 0)
  Atomics.store(control, Ctl.Count, job.parts)
  Atomics.add(control, Ctl.Seq, 1)
  Atomics.notify(control, Ctl.Seq)
  for (let t = Atomics.add(control, Ctl.Next, 1); t < job.parts; t = Atomics.add(control, Ctl.Next, 1)) accumulatePart(job, t)
  for (let d = Atomics.load(control, Ctl.Done); d < p.size; d = Atomics.load(control, Ctl.Done)) Atomics.wait(control, Ctl.Done, d)
  if (Atomics.load(control, Ctl.Failed) === 1) throw new Error('a histogram worker thread failed')
}

function sameJob(a: PartJob, b: PartJob): boolean {
  return a.block === b.block && a.g === b.g && a.h === b.h && a.node === b.node && a.build === b.build && a.nodeSize === b.nodeSize &&
    a.outs.length === b.outs.length && a.outs.every((o, i) => o === b.outs[i])
}
