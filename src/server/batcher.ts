/**
 * Optional micro-batching: concurrent small invocations of one model are predicted in one call
 * (BentoML's and Ray Serve's adaptive batching: a maximum batch size in rows and a maximum wait).
 * The first frame to arrive opens a batch; the batch is predicted when it reaches `maxBatchRows`
 * or when `maxWaitUs` has passed (a wait up to 1 ms means "what arrives in the same turn of the
 * event loop"). Each caller gets a view of its own rows of the batch's prediction. Off by default:
 * see the serving benchmark for whether it pays.
 */
import { categoricalColumn, makeFrame, numericColumn, type Column, type Frame } from '../data/frame.js'
import type { ServedModel } from './served-model.js'

/** When a batch is predicted. */
export interface BatchingOptions {
  /** Rows in a batch, at most (a larger frame is predicted on its own). */
  readonly maxBatchRows: number
  /** Microseconds a batch waits for more frames after its first. */
  readonly maxWaitUs: number
}

interface Pending {
  readonly frames: Frame[]
  readonly waiters: { resolve: (v: Float64Array) => void; reject: (e: unknown) => void }[]
  rows: number
  flushed: boolean
}

/**
 * Batches predictions of concurrent invocations per model.
 * @example
 * const batcher = new MicroBatcher({ maxBatchRows: 64, maxWaitUs: 500 })
 * const values = await batcher.predict(model, frame) // this frame's rows only
 */
export class MicroBatcher {
  private readonly options: BatchingOptions
  private readonly pending = new Map<ServedModel, Pending>()

  constructor(options: BatchingOptions) {
    this.options = options
  }

  /** The blended prediction of `frame` (row-major, `nRows x nOutputs`), predicted with whatever else is waiting. */
  predict(model: ServedModel, frame: Frame): Promise<Float64Array> {
    if (frame.nRows >= this.options.maxBatchRows) return Promise.resolve().then(() => model.predict(frame).values)
    // Align now, so a bad frame fails on its own and every frame in the batch has the training columns.
    const aligned = model.ensemble.align(frame)
    let batch = this.pending.get(model)
    if (batch !== undefined && batch.rows + aligned.nRows > this.options.maxBatchRows) {
      this.flush(model, batch)
      batch = undefined
    }
    if (batch === undefined) {
      batch = { frames: [], waiters: [], rows: 0, flushed: false }
      this.pending.set(model, batch)
      const b = batch
      const run = () => this.flush(model, b)
      if (this.options.maxWaitUs <= 1000) setImmediate(run)
      else setTimeout(run, this.options.maxWaitUs / 1000)
    }
    const b = batch
    return new Promise((resolve, reject) => {
      b.frames.push(aligned)
      b.waiters.push({ resolve, reject })
      b.rows += aligned.nRows
      if (b.rows >= this.options.maxBatchRows) this.flush(model, b)
    })
  }

  private flush(model: ServedModel, batch: Pending): void {
    if (batch.flushed) return
    batch.flushed = true
    if (this.pending.get(model) === batch) this.pending.delete(model)
    try {
      const frame = batch.frames.length === 1 ? batch.frames[0] : concatFrames(batch.frames)
      const values = model.predict(frame).values
      const width = model.nOutputs
      let offset = 0
      batch.frames.forEach((f, i) => {
        batch.waiters[i].resolve(values.subarray(offset * width, (offset + f.nRows) * width))
        offset += f.nRows
      })
    } catch (err) {
      for (const w of batch.waiters) w.reject(err)
    }
  }
}

/** Frames with the same columns (aligned to one model, so categorical columns share the training dictionary), stacked. */
function concatFrames(frames: readonly Frame[]): Frame {
  const rows = frames.reduce((n, f) => n + f.nRows, 0)
  const columns = frames[0].columns.map((c, j): Column => {
    if (c.type === 'numeric') {
      const out = new Float64Array(rows)
      let at = 0
      for (const f of frames) {
        const v = (f.columns[j] as typeof c).values
        out.set(v, at)
        at += v.length
      }
      return numericColumn(c.name, out)
    }
    const out = new Int32Array(rows)
    let at = 0
    for (const f of frames) {
      const v = (f.columns[j] as typeof c).codes
      out.set(v, at)
      at += v.length
    }
    return categoricalColumn(c.name, out, c.categories)
  })
  return makeFrame(columns)
}
