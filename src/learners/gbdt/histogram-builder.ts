/**
 * Builds batches of node histograms. A node's rows are cut into parts whose number depends only on
 * the node's size (never on the thread count), each part is summed from zero and the parts are
 * added in order, so one thread and many threads give bit-identical histograms.
 */
import { accumulateHistogram } from './histogram.js'

/** Rows per histogram part: large enough that a part is worth a thread, small enough to balance. */
export const PART_ROWS = 16384

export interface HistogramBuilder {
  /** Feature offsets into a histogram (see histogramOffsets). */
  readonly offsets: Int32Array
  /** Length of one histogram in doubles (interleaved grad, hess). */
  readonly length: number
  /** A histogram buffer from the pool (contents undefined). */
  acquire(): Float64Array
  release(hist: Float64Array): void
  /** Fills outs[i] with the histogram of rows[ranges[2i] .. ranges[2i+1]). */
  build(ranges: readonly number[], outs: readonly Float64Array[]): void
  /** Frees threads or shared memory held by the builder. */
  close(): void
}

/** Number of parts of a node with `m` rows. */
export function partCount(m: number): number {
  return Math.max(1, Math.floor(m / PART_ROWS))
}

/** Start of part `p` of `parts` in the range [start, end). */
export function partStart(start: number, end: number, p: number, parts: number): number {
  return start + Math.floor(((end - start) * p) / parts)
}

/** The data a builder reads: codes plus the ordered rows and gradients of the current tree. */
export interface HistogramInputs {
  readonly codes: Uint8Array
  readonly nFeatures: number
  readonly offsets: Int32Array
  readonly totalBins: number
  readonly rows: Int32Array
  readonly gh: Float64Array
}

/** A pool of histogram buffers; shared memory so worker threads can fill them. */
export class HistogramPool {
  private free: Float64Array[] = []
  constructor(readonly length: number) {}
  acquire(): Float64Array {
    return this.free.pop() ?? new Float64Array(new SharedArrayBuffer(this.length * 8))
  }
  release(hist: Float64Array): void {
    this.free.push(hist)
  }
}

/** The one-thread builder. */
export class SerialHistogramBuilder implements HistogramBuilder {
  readonly offsets: Int32Array
  readonly length: number
  private readonly pool: HistogramPool
  private readonly scratch: Float64Array

  constructor(private readonly input: HistogramInputs) {
    this.offsets = input.offsets
    this.length = 2 * input.totalBins
    this.pool = new HistogramPool(this.length)
    this.scratch = new Float64Array(this.length)
  }

  acquire(): Float64Array {
    return this.pool.acquire()
  }
  release(hist: Float64Array): void {
    this.pool.release(hist)
  }

  build(ranges: readonly number[], outs: readonly Float64Array[]): void {
    const { codes, nFeatures, offsets, rows, gh } = this.input
    for (let i = 0; i < outs.length; i++) {
      const start = ranges[2 * i]
      const end = ranges[2 * i + 1]
      const out = outs[i]
      const parts = partCount(end - start)
      out.fill(0)
      accumulateHistogram(codes, nFeatures, offsets, rows, gh, start, partStart(start, end, 1, parts), out)
      for (let p = 1; p < parts; p++) {
        this.scratch.fill(0)
        accumulateHistogram(codes, nFeatures, offsets, rows, gh, partStart(start, end, p, parts), partStart(start, end, p + 1, parts), this.scratch)
        addInto(out, this.scratch)
      }
    }
  }

  close(): void {}
}

/** out += part, elementwise. */
export function addInto(out: Float64Array, part: Float64Array): void {
  for (let k = 0; k < out.length; k++) out[k] += part[k]
}
