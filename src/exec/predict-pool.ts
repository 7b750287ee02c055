/**
 * Tree-ensemble prediction on every core: blocks of rows are taken by the calling thread and the
 * worker threads of the pool's own batch pool, which read the inputs from, and write margins to,
 * shared memory. The model is sent to each worker once. Results are identical to the one-thread
 * predictor (each row is evaluated the same way, only by another thread).
 */
import { availableParallelism } from 'node:os'
import type { Frame } from '../data/frame.js'
import { encodeTreeEnsemble } from '../runtime/codec.js'
import { featureColumns, predictFrameMargins } from '../runtime/predict-frame.js'
import { predictMargins, type TreeEnsemble } from '../runtime/tree-ensemble.js'
import { BatchPool } from './batch-pool.js'
import { programModule } from './batch-program.js'
import { PREDICT_BLOCK_ROWS, predictBlock, type PredictColumn, type PredictJob, type PredictSetup } from './predict-program.js'

const PREDICT_PROGRAM = programModule(import.meta.url, './predict-program')

export class PredictPool {
  private readonly pool: BatchPool | null
  private readonly ids = new WeakMap<TreeEnsemble, number>()
  private nextId = 1

  /**
   * @param threads total threads including the caller's (default: all cores)
   * @example const pool = new PredictPool(); const margins = await pool.predictMargins(model, x, n)
   */
  constructor(readonly threads = availableParallelism()) {
    this.pool = threads > 1 ? new BatchPool(threads - 1) : null
    this.pool?.load(PREDICT_PROGRAM)
  }

  /** Resolves when every worker thread has started (a server awaits this before taking traffic). */
  async ready(): Promise<void> {
    this.pool?.helpers()
  }

  /**
   * Raw margins of `nRows` rows given row-major in `x` (nRows x nFeatures), row-major
   * nRows x nOutputs.
   */
  async predictMargins(model: TreeEnsemble, x: Float64Array, nRows: number): Promise<Float64Array> {
    const blocks = Math.ceil(nRows / PREDICT_BLOCK_ROWS)
    if (this.pool === null || blocks < 2) return predictMargins(model, x, nRows)
    const n = nRows * model.nFeatures
    const xs = shared(x.subarray(0, n))
    return this.run(model, { x: xs, columns: null }, nRows)
  }

  /**
   * Raw margins of a columnar frame whose columns are matched to `featureNames` by name. Each
   * block of rows is transposed by the thread that predicts it, from the frame's shared columns.
   * @example const margins = await pool.predictFrameMargins(model.ensemble, model.featureNames, frame)
   */
  async predictFrameMargins(model: TreeEnsemble, featureNames: readonly string[], frame: Frame): Promise<Float64Array> {
    const n = frame.nRows
    if (this.pool === null || n < 2 * PREDICT_BLOCK_ROWS) return predictFrameMargins(model, featureNames, frame)
    const columns = featureColumns(featureNames, frame).map((c): PredictColumn =>
      c.type === 'numeric' ? { type: 'numeric', values: shared(c.values) } : { type: 'categorical', codes: shared(c.codes) },
    )
    return this.run(model, { x: null, columns }, n)
  }

  /** Predicts every block of `nRows` rows of `input` on this thread and the workers. */
  private run(model: TreeEnsemble, input: Pick<PredictJob, 'x' | 'columns'>, nRows: number): Float64Array {
    const blocks = Math.ceil(nRows / PREDICT_BLOCK_ROWS)
    const job: PredictJob = { model: this.idOf(model), ...input, out: new Float64Array(new SharedArrayBuffer(8 * nRows * model.nOutputs)), nRows }
    this.pool!.setup({ type: 'job', job } satisfies PredictSetup)
    const helpers = this.pool!.begin(blocks)
    try {
      for (let b = this.pool!.take(); b < blocks; b = this.pool!.take()) predictBlock(model, job, b)
    } finally {
      this.pool!.end(helpers, [])
    }
    return job.out
  }

  /** Stops the workers. */
  async close(): Promise<void> {
    this.pool?.stop()
  }

  /** The model's id, sent to the workers the first time it is used. */
  private idOf(model: TreeEnsemble): number {
    let id = this.ids.get(model)
    if (id === undefined) {
      id = this.nextId++
      this.ids.set(model, id)
      this.pool!.setup({ type: 'model', id, bytes: encodeTreeEnsemble(model) } satisfies PredictSetup)
    }
    return id
  }
}

/**
 * `a` itself when the threads can read it (shared memory), else a shared copy. (data/share.ts has
 * the same for frames; exec/ is below data/, so it keeps its own.)
 */
function shared<T extends Float64Array | Int32Array>(a: T): T {
  if (a.buffer instanceof SharedArrayBuffer) return a
  const copy = new (a.constructor as new (b: SharedArrayBuffer) => T)(new SharedArrayBuffer(Math.max(8, a.byteLength)))
  copy.set(a)
  return copy.subarray(0, a.length) as T
}
