/**
 * The shared-memory batch pool: worker threads that sleep on a shared control block, wake for a
 * batch of numbered tasks, take tasks with an atomic counter alongside the calling thread, and
 * report done. What a task does is a program module the workers import (batch-program.ts); the
 * data lives in shared memory that setup messages hand over once. Every parallel kernel of the
 * learners runs on it: one batch is a level's histogram parts, a partition, or a forest's trees.
 *
 * A pool follows one caller at a time (its control words have one driver), so fits lease pools
 * from a {@link BatchPools} and give them back, warm, when they end.
 */
import { availableParallelism } from 'node:os'
import { MessageChannel, type MessagePort, receiveMessageOnPort } from 'node:worker_threads'
import { BatchControl as Control, closeLanes, laneBlock, setLanes, SPIN_LOADS, takeTask } from './batch-control.js'
import { type ErrorData, errorFromData } from './error-transfer.js'
import type { ProgramRef } from './batch-program.js'
import { type LeasablePool, PoolLease } from './pool-lease.js'
import { startWorker } from './worker.js'

/** How long to wait for new workers to start before running on the calling thread alone. */
const STARTUP_TIMEOUT_MS = 30_000

/** Messages from the pool to its workers, read when they wake for a batch, in order. */
export type ToBatchWorker =
  | { readonly type: 'program'; readonly url: string }
  | { readonly type: 'setup'; readonly message: unknown }

/** Messages from a worker, read by the caller after the batch. */
export type FromBatchWorker =
  | { readonly type: 'reply'; readonly task: number; readonly value: unknown }
  | { readonly type: 'batch-failed'; readonly error: ErrorData }

export class BatchPool implements LeasablePool {
  readonly control = new Int32Array(new SharedArrayBuffer(4 * Control.Size))
  /** The lanes of the current batch: one for the caller, one for each worker. */
  readonly lanes: Int32Array
  private readonly ports: MessagePort[] = []
  private program: string | null = null
  private ready = -1
  private stopped = false
  /** A worker's task threw: the results of the batch are not to be trusted, nor the pool. */
  private broken = false

  /** Starts `size` worker threads without waiting for them; they never keep the process alive. */
  constructor(readonly size: number) {
    this.lanes = laneBlock(size + 1)
    for (let i = 0; i < size; i++) {
      const { port1, port2 } = new MessageChannel()
      const workerData = { control: this.control, lanes: this.lanes, lane: i + 1, port: port2 }
      startWorker(import.meta.url, './batch-worker', { workerData, transferList: [port2] })
      port1.unref()
      this.ports.push(port1)
    }
  }

  /**
   * Workers taking part in every batch. The first call waits until all have started, so that set
   * is fixed; if one misses the deadline, all are told to exit and the pool runs without helpers.
   */
  helpers(): number {
    if (this.ready >= 0) return this.ready
    const deadline = Date.now() + STARTUP_TIMEOUT_MS
    for (let r = Atomics.load(this.control, Control.Ready); r < this.size && Date.now() < deadline; r = Atomics.load(this.control, Control.Ready)) {
      Atomics.wait(this.control, Control.Ready, r, 50)
    }
    this.ready = Atomics.load(this.control, Control.Ready) === this.size ? this.size : 0
    if (this.ready === 0) this.stop()
    return this.ready
  }

  /** Makes `program` the one the workers run from their next batch; their state starts empty. */
  load(program: ProgramRef): void {
    if (this.program === program.url) return
    this.post({ type: 'program', url: program.url })
    this.program = program.url
  }

  /** Sends every worker a setup message for the program (shared buffers are shared, not copied). */
  setup(message: unknown): void {
    this.post({ type: 'setup', message })
  }

  /**
   * Starts a batch of `count` tasks; returns the workers woken for it (none for a single task).
   * With `laneEnds` (one per participant, see {@link Batches.lanes}), lane l holds tasks
   * [laneEnds[l - 1], laneEnds[l]); without, every thread takes from one list.
   */
  begin(count: number, laneEnds?: ArrayLike<number>): number {
    const helpers = count > 1 ? this.helpers() : 0
    Atomics.store(this.control, Control.Count, count)
    setLanes(this.control, this.lanes, helpers + 1, count, helpers > 0 ? laneEnds : undefined)
    Atomics.store(this.control, Control.Done, 0)
    Atomics.store(this.control, Control.Failed, 0)
    if (helpers > 0) {
      Atomics.add(this.control, Control.Seq, 1)
      if (Atomics.load(this.control, Control.Sleepers) > 0) Atomics.notify(this.control, Control.Seq)
    }
    return helpers
  }

  /** The next task of the current batch for the calling thread; `count` or more when none are left. */
  take(): number {
    return takeTask(this.control, this.lanes, 0, Atomics.load(this.control, Control.Count))
  }

  /** Lets no further task of the current batch start. */
  cancel(): void {
    closeLanes(this.lanes, Atomics.load(this.control, Control.Lanes))
  }

  /** Waits until the `helpers` woken by {@link begin} are done; their replies by task, or their failure thrown. */
  end(helpers: number, replies: unknown[]): void {
    if (helpers === 0) return
    for (let spins = SPIN_LOADS; spins > 0 && Atomics.load(this.control, Control.Done) < helpers; spins--);
    if (Atomics.load(this.control, Control.Done) < helpers) {
      // Announced before Done is read again, so a worker finishing meanwhile either sees it (and
      // wakes this thread) or has already counted itself in the value read.
      Atomics.store(this.control, Control.CallerWaiting, 1)
      for (let d = Atomics.load(this.control, Control.Done); d < helpers; d = Atomics.load(this.control, Control.Done)) {
        Atomics.wait(this.control, Control.Done, d)
      }
      Atomics.store(this.control, Control.CallerWaiting, 0)
    }
    let failure: Error | null = null
    for (const port of this.ports) {
      for (let m = receiveMessageOnPort(port); m; m = receiveMessageOnPort(port)) {
        const msg = m.message as FromBatchWorker
        if (msg.type === 'reply') replies[msg.task] = msg.value
        else failure ??= errorFromData(msg.error)
      }
    }
    if (Atomics.load(this.control, Control.Failed) === 1) {
      this.broken = true
      throw failure ?? new Error('a batch worker thread failed')
    }
  }

  get reusable(): boolean {
    return !this.stopped && !this.broken
  }

  /** Tells every worker to exit. */
  stop(): void {
    this.stopped = true
    Atomics.store(this.control, Control.Exit, 1)
    Atomics.add(this.control, Control.Seq, 1)
    Atomics.notify(this.control, Control.Seq)
  }

  private post(msg: ToBatchWorker): void {
    for (const p of this.ports) p.postMessage(msg)
  }
}

/**
 * Batch pools lent to one holder at a time and kept warm between holders. A training job owns
 * one set and closes it at its end; fits run outside a job borrow from {@link processBatchPools}.
 */
export class BatchPools {
  private readonly lease: PoolLease<BatchPool>
  private readonly all = new Set<BatchPool>()

  /** @param maxIdleThreads threads kept waiting in idle pools (default: one per core) */
  constructor(maxIdleThreads = availableParallelism()) {
    this.lease = new PoolLease((size) => {
      const pool = new BatchPool(size)
      this.all.add(pool)
      return pool
    }, maxIdleThreads)
  }

  /** A pool of at least `size` workers for the caller alone; give it back with {@link release}. */
  acquire(size: number): BatchPool {
    return this.lease.acquire(size)
  }

  release(pool: BatchPool): void {
    this.lease.release(pool)
  }

  /** Starts a pool of `size` workers now (while a job reads its data, say) unless an idle one will do. */
  prestart(size: number): void {
    this.lease.prestart(size)
  }

  /** Stops every worker thread of these pools, lent or idle. */
  close(): void {
    for (const pool of this.all) pool.stop()
    this.all.clear()
  }
}

let shared: BatchPools | null = null

/** The process's pools, for fits that are given none. */
export function processBatchPools(): BatchPools {
  shared ??= new BatchPools()
  return shared
}

/**
 * One holder's batches of `program` on the calling thread and, with more than one thread, a
 * leased pool's workers: the handle a fit keeps while it runs.
 * @example
 * const batches = new Batches(KERNELS, 2, pools)
 * batches.setup({ buffers })
 * batches.run(tasks, (t) => runTask(state, t))
 * batches.close()
 */
export class Batches {
  private readonly pool: BatchPool | null
  private readonly pools: BatchPools
  private helpers = 0
  private count = 0
  private next = 0

  /** @param threads threads including the caller's; 1 runs every task on the caller */
  constructor(program: ProgramRef, threads: number, pools: BatchPools = processBatchPools()) {
    this.pools = pools
    this.pool = threads > 1 ? pools.acquire(threads - 1) : null
    this.pool?.load(program)
  }

  /** Whether worker threads take part (setup messages matter only then). */
  get shared(): boolean {
    return this.pool !== null
  }

  /**
   * Threads taking part in a batch of more than one task, so lanes of {@link run}: the caller's is
   * 0. Waits for the workers to start the first time.
   */
  get lanes(): number {
    return this.pool ? this.pool.helpers() + 1 : 1
  }

  /** Sends the workers a setup message, before the next batch. */
  setup(message: unknown): void {
    this.pool?.setup(message)
  }

  /**
   * Runs tasks 0..count-1, `task` on this thread and the program on the workers; returns the
   * workers' replies by task index (the tasks this thread ran are left empty). With `laneEnds`,
   * one per lane (see {@link lanes}), each thread runs its own lane's tasks first.
   */
  run(count: number, task: (t: number) => void, laneEnds?: ArrayLike<number>): unknown[] {
    this.begin(count, laneEnds)
    try {
      for (let t = this.take(); t < count; t = this.take()) task(t)
    } catch (err) {
      this.cancel()
      this.settle()
      throw err
    }
    return this.end()
  }

  /** Starts a batch whose caller side takes tasks with {@link take} (an async loop, say) and ends with {@link end}. */
  begin(count: number, laneEnds?: ArrayLike<number>): void {
    this.count = count
    this.next = 0
    this.helpers = this.pool ? this.pool.begin(count, laneEnds) : 0
  }

  /** The next task for this thread; `count` or more when none are left. */
  take(): number {
    return this.pool ? this.pool.take() : this.next++
  }

  /** Lets no further task start (the caller's loop failed or was aborted). */
  cancel(): void {
    this.next = this.count
    this.pool?.cancel()
  }

  /** Waits for the workers; their replies by task, or the first failure of theirs thrown. */
  end(): unknown[] {
    const replies: unknown[] = []
    const helpers = this.helpers
    this.helpers = 0
    this.pool?.end(helpers, replies)
    return replies
  }

  /** Gives the workers back to the pools (call once, however the holder ends). */
  close(): void {
    if (this.pool) this.pools.release(this.pool)
  }

  /** Waits for the workers after this thread's own failure; theirs, if any, is secondary. */
  private settle(): void {
    try {
      this.end()
    } catch {
      // The caller's error is the one reported.
    }
  }
}
