/**
 * Tree-ensemble prediction on every core: rows are split between the calling thread and worker
 * threads that read the inputs from, and write margins to, shared memory. The model is sent to
 * each worker once. Results are identical to the one-thread predictor (each row is evaluated the
 * same way, only by another thread).
 */
import { availableParallelism } from 'node:os'
import type { Worker } from 'node:worker_threads'
import type { Frame } from '../data/frame.js'
import { encodeTreeEnsemble } from '../runtime/codec.js'
import { featureColumns, writeRowMajor } from '../runtime/predict-frame.js'
import { predictMargins, type TreeEnsemble } from '../runtime/tree-ensemble.js'
import { startWorker } from './worker.js'

/** Below this many rows per thread, splitting costs more than it saves. */
const MIN_ROWS_PER_THREAD = 8192

export type PredictRequest =
  | { type: 'model'; id: number; bytes: Uint8Array }
  | { type: 'forget'; id: number }
  | { type: 'predict'; job: number; id: number; x: SharedArrayBuffer; out: SharedArrayBuffer; start: number; end: number }

export interface PredictReply {
  job: number
  error: string | null
}

interface PoolWorker {
  readonly worker: Worker
  readonly known: WeakSet<TreeEnsemble>
}

export class PredictPool {
  private readonly workers: PoolWorker[] = []
  private readonly ids = new WeakMap<TreeEnsemble, number>()
  private readonly pending = new Map<number, { resolve: () => void; reject: (e: Error) => void }>()
  private nextId = 1
  private nextJob = 1

  /**
   * @param threads total threads including the caller's (default: all cores)
   * @example const pool = new PredictPool(); const margins = await pool.predictMargins(model, x, n)
   */
  private readonly started: Promise<void>

  constructor(readonly threads = availableParallelism()) {
    const online: Promise<void>[] = []
    for (let i = 0; i < threads - 1; i++) {
      const worker = startWorker(import.meta.url, './predict-worker', {})
      worker.on('message', (reply: PredictReply) => this.settle(reply))
      worker.on('error', (e) => this.failAll(e))
      online.push(new Promise((resolve) => worker.once('online', () => resolve())))
      // Listening refs the worker's port again; idle workers must not hold the process open.
      worker.unref()
      this.workers.push({ worker, known: new WeakSet() })
    }
    this.started = Promise.all(online).then(() => undefined)
  }

  /** Resolves when every worker thread has started (a server awaits this before taking traffic). */
  async ready(): Promise<void> {
    // Hold the process open while waiting, then let idle workers go again.
    for (const w of this.workers) w.worker.ref()
    try {
      await this.started
    } finally {
      for (const w of this.workers) w.worker.unref()
    }
  }

  /**
   * Raw margins of `nRows` rows given row-major in `x` (nRows x nFeatures), row-major
   * nRows x nOutputs.
   */
  async predictMargins(model: TreeEnsemble, x: Float64Array, nRows: number): Promise<Float64Array> {
    const nF = model.nFeatures
    const nOut = model.nOutputs
    const helpers = Math.min(this.workers.length, Math.floor(nRows / MIN_ROWS_PER_THREAD) - 1)
    if (helpers <= 0) return predictMargins(model, x, nRows)
    const xs = x.buffer instanceof SharedArrayBuffer && x.byteOffset === 0 ? x : copyToShared(x, nRows * nF)
    const outBuffer = new SharedArrayBuffer(8 * nRows * nOut)
    const out = new Float64Array(outBuffer)
    const parts = helpers + 1
    const bound = (p: number) => Math.floor((nRows * p) / parts)
    const id = this.idOf(model)
    const jobs: Promise<void>[] = []
    for (let p = 1; p < parts; p++) {
      const w = this.workers[p - 1]
      if (!w.known.has(model)) {
        w.worker.postMessage({ type: 'model', id, bytes: encodeTreeEnsemble(model) } satisfies PredictRequest)
        w.known.add(model)
      }
      const job = this.nextJob++
      jobs.push(new Promise<void>((resolve, reject) => this.pending.set(job, { resolve, reject })))
      w.worker.postMessage({ type: 'predict', job, id, x: xs.buffer as SharedArrayBuffer, out: outBuffer, start: bound(p), end: bound(p + 1) } satisfies PredictRequest)
    }
    // The calling thread takes the first share while the workers run theirs; workers hold the
    // process open only while they have work.
    for (let p = 1; p < parts; p++) this.workers[p - 1].worker.ref()
    try {
      predictMargins(model, xs.subarray(0, bound(1) * nF), bound(1), out.subarray(0, bound(1) * nOut))
      await Promise.all(jobs)
    } finally {
      for (let p = 1; p < parts; p++) this.workers[p - 1].worker.unref()
    }
    return out
  }

  /**
   * Raw margins of a columnar frame whose columns are matched to `featureNames` by name.
   * @example const margins = await pool.predictFrameMargins(model.ensemble, model.featureNames, frame)
   */
  async predictFrameMargins(model: TreeEnsemble, featureNames: readonly string[], frame: Frame): Promise<Float64Array> {
    const n = frame.nRows
    const x = new Float64Array(new SharedArrayBuffer(Math.max(8, 8 * n * featureNames.length)), 0, n * featureNames.length)
    writeRowMajor(featureColumns(featureNames, frame), 0, n, x)
    return this.predictMargins(model, x, n)
  }

  /** Stops the workers; pending predictions fail. */
  async close(): Promise<void> {
    this.failAll(new Error('predict pool closed'))
    await Promise.all(this.workers.map((w) => w.worker.terminate()))
    this.workers.length = 0
  }

  private idOf(model: TreeEnsemble): number {
    let id = this.ids.get(model)
    if (id === undefined) {
      id = this.nextId++
      this.ids.set(model, id)
    }
    return id
  }

  private settle(reply: PredictReply): void {
    const p = this.pending.get(reply.job)
    if (!p) return
    this.pending.delete(reply.job)
    if (reply.error === null) p.resolve()
    else p.reject(new Error(reply.error))
  }

  private failAll(e: Error): void {
    for (const p of this.pending.values()) p.reject(e)
    this.pending.clear()
  }
}

function copyToShared(x: Float64Array, length: number): Float64Array {
  const out = new Float64Array(new SharedArrayBuffer(8 * length))
  out.set(x.subarray(0, length))
  return out
}
