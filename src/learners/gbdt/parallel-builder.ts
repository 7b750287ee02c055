/**
 * The multi-threaded histogram builder: the main thread and `threads - 1` workers share one task
 * list per batch (every part of every node of a tree level), each part summed into its own slot,
 * then the parts of each node are added in order on the main thread. Same parts and same order as
 * the serial builder, so results are bit-identical to a one-thread run.
 *
 * Workers are started once per process and kept (unreferenced, so they never hold the process
 * open); a fit binds its buffers to them by message.
 */
import { availableParallelism } from 'node:os'
import { MessageChannel, type MessagePort, Worker } from 'node:worker_threads'
import {
  addInto,
  type HistogramBuilder,
  type HistogramInputs,
  partCount,
  partStart,
  PART_ROWS,
  SerialHistogramBuilder,
} from './histogram-builder.js'
import { type BuilderMessage, Control, runHistogramTasks, slotView, type TaskState } from './histogram-tasks.js'

/** Bytes per arena of histogram slots. */
const ARENA_BYTES = 4 << 20

interface WorkerHandle {
  readonly worker: Worker
  readonly port: MessagePort
}

class WorkerPool {
  readonly control = new Int32Array(new SharedArrayBuffer(4 * Control.Size))
  readonly workers: WorkerHandle[] = []
  constructor(n: number) {
    const here = import.meta.url
    const fromSource = here.endsWith('.ts')
    const url = new URL(fromSource ? './histogram-worker.ts' : './histogram-worker.js', here)
    for (let i = 0; i < n; i++) {
      const { port1, port2 } = new MessageChannel()
      const options = { workerData: { control: this.control, port: port2 }, transferList: [port2] }
      // Running from TypeScript sources (tests, benchmarks): register the TS loader in the worker first.
      const worker = fromSource
        ? new Worker(`import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(url.href)}) })`, { ...options, eval: true })
        : new Worker(url, options)
      worker.unref()
      port1.unref()
      this.workers.push({ worker, port: port1 })
    }
  }
  post(msg: BuilderMessage): void {
    for (const w of this.workers) w.port.postMessage(msg)
  }
}

let sharedPool: WorkerPool | null = null

function poolOf(workers: number): WorkerPool {
  if (sharedPool === null || sharedPool.workers.length < workers) {
    sharedPool = new WorkerPool(workers)
  }
  return sharedPool
}

export class ParallelHistogramBuilder implements HistogramBuilder {
  readonly offsets: Int32Array
  readonly length: number
  private readonly state: TaskState
  private readonly slotOf = new Map<Float64Array, number>()
  private readonly free: number[] = []

  constructor(
    inputs: HistogramInputs,
    private readonly pool: WorkerPool,
  ) {
    this.offsets = inputs.offsets
    this.length = 2 * inputs.totalBins
    const slotsPerArena = Math.max(4, Math.floor(ARENA_BYTES / (8 * this.length)))
    this.state = {
      codes: inputs.codes,
      nFeatures: inputs.nFeatures,
      offsets: inputs.offsets,
      rows: inputs.rows,
      gh: inputs.gh,
      length: this.length,
      slotsPerArena,
      arenas: [],
      tasks: new Int32Array(0),
    }
    const { arenas: _a, tasks: _t, ...bind } = this.state
    void _a
    void _t
    // Offsets travel as a shared copy: plain typed arrays would be cloned, which is fine too.
    pool.post({ type: 'bind', inputs: bind })
  }

  acquire(): Float64Array {
    if (this.free.length === 0) this.grow()
    const slot = this.free.pop()!
    const view = slotView(this.state, slot)
    this.slotOf.set(view, slot)
    return view
  }

  release(hist: Float64Array): void {
    const slot = this.slotOf.get(hist)
    if (slot === undefined) throw new Error('histogram does not belong to this builder')
    this.slotOf.delete(hist)
    this.free.push(slot)
  }

  build(ranges: readonly number[], outs: readonly Float64Array[]): void {
    const triples: number[] = []
    const partials: Float64Array[][] = []
    for (let i = 0; i < outs.length; i++) {
      const start = ranges[2 * i]
      const end = ranges[2 * i + 1]
      const parts = partCount(end - start)
      const extra: Float64Array[] = []
      for (let p = 0; p < parts; p++) {
        const dest = p === 0 ? outs[i] : this.acquire()
        if (p > 0) extra.push(dest)
        triples.push(partStart(start, end, p, parts), partStart(start, end, p + 1, parts), this.slotOf.get(dest)!)
      }
      partials.push(extra)
    }
    this.runBatch(triples)
    for (let i = 0; i < outs.length; i++) {
      for (const part of partials[i]) {
        addInto(outs[i], part)
        this.release(part)
      }
    }
  }

  close(): void {}

  private runBatch(triples: number[]): void {
    const count = triples.length / 3
    if (this.state.tasks.length < triples.length) {
      const buffer = new SharedArrayBuffer(4 * Math.max(triples.length, 2 * this.state.tasks.length))
      this.state.tasks = new Int32Array(buffer)
      this.pool.post({ type: 'tasks', buffer })
    }
    this.state.tasks.set(triples)
    const control = this.pool.control
    // Only wake workers when there is more than one task to share.
    // Every started worker wakes on the bump, so wait for all of them.
    const helpers = count > 1 ? Atomics.load(control, Control.Ready) : 0
    Atomics.store(control, Control.Count, count)
    Atomics.store(control, Control.Next, 0)
    Atomics.store(control, Control.Done, 0)
    if (helpers > 0) {
      Atomics.add(control, Control.Seq, 1)
      Atomics.notify(control, Control.Seq)
    }
    runHistogramTasks(this.state, control)
    if (helpers > 0) {
      for (let d = Atomics.load(control, Control.Done); d < helpers; d = Atomics.load(control, Control.Done)) {
        Atomics.wait(control, Control.Done, d)
      }
      if (Atomics.load(control, Control.Failed) === 1) throw new Error('a histogram worker failed')
    }
  }

  private grow(): void {
    const index = this.state.arenas.length
    const buffer = new SharedArrayBuffer(8 * this.length * this.state.slotsPerArena)
    this.state.arenas.push(new Float64Array(buffer))
    this.pool.post({ type: 'arena', index, buffer })
    for (let s = this.state.slotsPerArena - 1; s >= 0; s--) this.free.push(index * this.state.slotsPerArena + s)
  }
}

/** Threads to use for `nthread` (0: all cores). */
export function resolveThreads(nthread: number): number {
  return nthread > 0 ? nthread : availableParallelism()
}

/**
 * A histogram builder factory for a fit: parallel when more than one thread is asked for and the
 * data has enough rows to split, serial otherwise.
 */
export async function makeHistogramBuilder(
  nthread: number,
  nRows: number,
): Promise<{ factory: (inputs: HistogramInputs) => HistogramBuilder; dispose: () => Promise<void> }> {
  const threads = resolveThreads(nthread)
  if (threads <= 1 || nRows < 2 * PART_ROWS) {
    return { factory: (inputs) => new SerialHistogramBuilder(inputs), dispose: async () => {} }
  }
  const pool = poolOf(threads - 1)
  return { factory: (inputs) => new ParallelHistogramBuilder(inputs, pool), dispose: async () => {} }
}
