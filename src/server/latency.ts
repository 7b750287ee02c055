/**
 * Recent latencies of an endpoint for its status (p50, p99): a fixed ring of the last samples, so
 * recording one costs a store and memory never grows. Percentiles are computed when asked.
 */

/**
 * A ring of the last `capacity` latencies, in milliseconds.
 * @example
 * const w = new LatencyWindow(1024)
 * w.record(1.2); w.record(3.4)
 * w.percentile(0.5) // 1.2
 */
export class LatencyWindow {
  private readonly samples: Float64Array
  private next = 0
  private count = 0

  constructor(capacity = 2048) {
    this.samples = new Float64Array(capacity)
  }

  record(ms: number): void {
    this.samples[this.next] = ms
    this.next = (this.next + 1) % this.samples.length
    if (this.count < this.samples.length) this.count++
  }

  /** The `q`-quantile (0..1, nearest rank) of the samples held; NaN when there are none. */
  percentile(q: number): number {
    if (this.count === 0) return NaN
    const sorted = this.samples.slice(0, this.count).sort()
    const rank = Math.min(this.count - 1, Math.max(0, Math.ceil(q * this.count) - 1))
    return sorted[rank]
  }

  /** Samples held (at most the capacity). */
  get size(): number {
    return this.count
  }
}
