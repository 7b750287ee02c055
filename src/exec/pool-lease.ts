/**
 * Worker-thread pools lent to one fit at a time. A pool's workers follow shared control words
 * that only one caller may drive, and fits of one thread interleave (they are async and yield at
 * abort points), so each fit holds its pool alone until it ends. Starting threads is expensive,
 * so a pool given back waits, warm, for the next fit.
 */
import { availableParallelism } from 'node:os'

/** A pool of worker threads driven by one caller at a time. */
export interface LeasablePool {
  /** Worker threads. */
  readonly size: number
  /** False once stopped or broken (a worker failed, start-up timed out): never lent again. */
  readonly reusable: boolean
  /** Tells the workers to exit. */
  stop(): void
}

export class PoolLease<P extends LeasablePool> {
  /** Pools no fit holds, least recently given back first. */
  private readonly idle: P[] = []
  private readonly lent = new Set<P>()

  /**
   * @param start starts a pool of `size` workers without waiting for them
   * @param maxIdleThreads threads kept waiting in idle pools; older idle pools beyond it are stopped
   * @example const lease = new PoolLease((size) => new WorkerPool(size))
   */
  constructor(
    private readonly start: (size: number) => P,
    private readonly maxIdleThreads = availableParallelism(),
  ) {}

  /**
   * A pool of at least `size` workers for the caller alone: the smallest idle one, else a new one.
   * Give it back with {@link release} when the fit ends, however it ends.
   * @example const pool = lease.acquire(threads - 1)
   */
  acquire(size: number): P {
    let best: P | undefined
    for (const p of this.idle) if (p.size >= size && (best === undefined || p.size < best.size)) best = p
    const pool = best ?? this.start(size)
    if (best !== undefined) this.idle.splice(this.idle.indexOf(best), 1)
    this.lent.add(pool)
    return pool
  }

  /** Takes back a pool from {@link acquire}, for the next fit; a second call does nothing. */
  release(pool: P): void {
    if (!this.lent.delete(pool)) return
    if (!pool.reusable) {
      pool.stop()
      return
    }
    this.idle.push(pool)
    let threads = this.idle.reduce((sum, p) => sum + p.size, 0)
    // The pool just given back stays even when larger than the bound: the next fit likely wants it.
    while (threads > this.maxIdleThreads && this.idle[0] !== pool) {
      const oldest = this.idle.shift()!
      oldest.stop()
      threads -= oldest.size
    }
  }

  /**
   * Starts a pool of `size` workers for the next fit to acquire, unless an idle one will do.
   * @example lease.prestart(threads - 1) // while the job reads its data
   */
  prestart(size: number): void {
    this.release(this.acquire(size))
  }
}
