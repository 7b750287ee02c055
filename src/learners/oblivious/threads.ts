/**
 * The numeric histogram pass of a level, cut into parts whose number depends only on the row
 * count: each part is accumulated from zero into its own buffer and the parts are added in order,
 * so any number of threads gives bit-identical histograms. With more than one thread, worker
 * threads take parts through a shared counter (the data, gradients, node ids and part buffers live
 * in the fit's shared WebAssembly memory).
 */
import { availableParallelism } from 'node:os'
import { MessageChannel, type MessagePort } from 'node:worker_threads'
import { batchFailure } from '../../exec/batch-failure.js'
import { type LeasablePool, PoolLease } from '../../exec/pool-lease.js'
import type { SharedMemory } from '../../exec/shared-memory.js'
import { startWorker } from '../../exec/worker.js'
import { trainingKernels } from '../kernel-choice.js'
import type { NumericAccumulate, NumericPass } from './grower.js'
import type { NumericBlock } from './numeric.js'
import { Ctl, type Derivatives, PART_ROWS, type PartJob, type PoolJob, runTask, setPendingSplit, taskCount, type WeightsJob } from './parts.js'

/** Part workers of one histogram pass at a time. */
class PartPool implements LeasablePool {
  readonly control = new Int32Array(new SharedArrayBuffer(4 * Ctl.Size))
  readonly ports: MessagePort[] = []
  /** The job the workers hold, so a pass over the same buffers is not posted again. */
  last: PoolJob | null = null
  private ready = false
  private stopped = false

  constructor(readonly size: number) {
    for (let i = 0; i < size; i++) {
      const { port1, port2 } = new MessageChannel()
      startWorker(import.meta.url, './parts-worker', { workerData: { control: this.control, port: port2 }, transferList: [port2] })
      port1.unref()
      this.ports.push(port1)
    }
  }

  /**
   * Waits (up to 30 s) for the workers to start; false when they did not, and then the pool is
   * stopped, so no pass waits for it again and the lease does not lend it again.
   */
  waitReady(): boolean {
    if (this.ready || this.stopped) return this.ready
    const deadline = Date.now() + 30_000
    for (let r = Atomics.load(this.control, Ctl.Ready); r < this.size && Date.now() < deadline; r = Atomics.load(this.control, Ctl.Ready)) {
      Atomics.wait(this.control, Ctl.Ready, r, 50)
    }
    this.ready = Atomics.load(this.control, Ctl.Ready) === this.size
    if (!this.ready) this.stop()
    return this.ready
  }

  get reusable(): boolean {
    return !this.stopped && Atomics.load(this.control, Ctl.Failed) === 0
  }

  stop(): void {
    this.stopped = true
    Atomics.store(this.control, Ctl.Exit, 1)
    Atomics.add(this.control, Ctl.Seq, 1)
    Atomics.notify(this.control, Ctl.Seq)
  }
}

/** The process's part-worker pools: each fit holds one alone, sequential fits reuse them. */
const pools = new PoolLease((size) => new PartPool(size))

/**
 * Makes the threaded work of a fit over `block` (K outputs): its buffers, `derivatives` among them,
 * live in the fit's memory `mem`.
 */
export type PassFactory = (block: NumericBlock, K: number, mem: SharedMemory, derivatives: Derivatives) => NumericPass

/**
 * A factory of histogram passes for `threadCount` threads (0: all cores). A pass holds its worker
 * threads until closed.
 * @example trainOblivious(data, y, params, { nClasses: 1, accumulate: threadedAccumulate(2) })
 */
export function threadedAccumulate(threadCount: number): PassFactory {
  const threads = threadCount > 0 ? threadCount : availableParallelism()
  return (block, K, mem, derivatives) => {
    const n = block.codes.length / block.stride
    const parts = Math.max(1, Math.floor(n / PART_ROWS))
    const helpers = threads > 1 && parts > 1 ? pools.acquire(threads - 1) : null
    const run = (job: PoolJob) => {
      if (helpers && helpers.waitReady()) runShared(helpers, job)
      else for (let t = 0, count = taskCount(job); t < count; t++) runTask(job, t)
    }
    const weights: WeightsJob = { kind: 'weights', n, K, ...derivatives, args: mem.alloc(Float64Array, 2) }
    const kernels = trainingKernels()
    const split = mem.alloc(Int32Array, 3)
    let extra: Float64Array[] = []
    const accumulate: NumericAccumulate = (g, h, node, build, nodeSize, hist, pending) => {
      setPendingSplit(split, pending)
      const size = hist.length
      if (extra.length < parts - 1 || (extra[0] && extra[0].length < size)) {
        extra = Array.from({ length: parts - 1 }, () => mem.alloc(Float64Array, size))
      }
      const job: PartJob = { kind: 'histogram', kernels, block, K, n, parts, g, h, node, build, nodeSize, outs: [hist, ...extra], split }
      for (let p = 1; p < parts; p++) {
        const out = extra[p - 1]
        for (let q = 0; q < build.length; q++) if (build[q] === 1) out.fill(0, q * nodeSize, (q + 1) * nodeSize)
      }
      run(job)
      for (let p = 1; p < parts; p++) {
        const out = extra[p - 1]
        for (let q = 0; q < build.length; q++) {
          if (build[q] !== 1) continue
          for (let j = q * nodeSize, e = (q + 1) * nodeSize; j < e; j++) hist[j] += out[j]
        }
      }
    }
    return {
      accumulate,
      weigh: (seed, temperature) => {
        weights.args[0] = seed
        weights.args[1] = temperature
        run(weights)
      },
      close: () => {
        if (helpers) pools.release(helpers)
      },
    }
  }
}

/** Runs the tasks of `job` on this thread and the pool's workers. */
function runShared(p: PartPool, job: PoolJob): void {
  const { control } = p
  const count = taskCount(job)
  // Workers drain their port synchronously when woken, so the job is there before they start.
  if (!p.last || !sameJob(p.last, job)) {
    const msg: PoolJob = job.kind === 'histogram' ? { ...job, block: { ...job.block, thresholds: [] } } : job
    for (const port of p.ports) port.postMessage(msg)
    p.last = job
  }
  Atomics.store(control, Ctl.Next, 0)
  Atomics.store(control, Ctl.Done, 0)
  Atomics.store(control, Ctl.Count, count)
  Atomics.add(control, Ctl.Seq, 1)
  Atomics.notify(control, Ctl.Seq)
  try {
    for (let t = Atomics.add(control, Ctl.Next, 1); t < count; t = Atomics.add(control, Ctl.Next, 1)) runTask(job, t)
  } finally {
    // Even when this thread's parts threw: a pool goes back to the lease only once idle.
    for (let d = Atomics.load(control, Ctl.Done); d < p.size; d = Atomics.load(control, Ctl.Done)) Atomics.wait(control, Ctl.Done, d)
  }
  if (Atomics.load(control, Ctl.Failed) === 1) throw batchFailure(p.ports, 'a histogram worker thread failed')
}

function sameJob(a: PoolJob, b: PoolJob): boolean {
  if (a.kind === 'weights' || b.kind === 'weights') return a === b
  return a.kernels === b.kernels && a.split === b.split && a.block === b.block && a.g === b.g && a.h === b.h && a.node === b.node && a.build === b.build && a.nodeSize === b.nodeSize &&
    a.outs.length === b.outs.length && a.outs.every((o, i) => o === b.outs[i])
}
