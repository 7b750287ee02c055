/**
 * The batch program of a {@link PredictPool}'s worker threads: the decoded models it was sent, by
 * id, and the current job's shared inputs and margins; task p predicts the p-th block of rows.
 * Inputs are row-major, or the columns of a frame, which each block transposes into its thread's
 * own small buffer (so no thread copies the whole frame).
 */
import type { Column } from '../data/frame.js'
import { decodeTreeEnsemble } from '../runtime/codec.js'
import { writeRowMajor } from '../runtime/predict-frame.js'
import { predictMargins, type TreeEnsemble } from '../runtime/tree-ensemble.js'
import type { BatchProgram } from './batch-program.js'

/** Rows per task: large enough to amortise a task, small enough to balance the threads. */
export const PREDICT_BLOCK_ROWS = 8192

/** A frame column's values as a block reads them (in shared memory). */
export type PredictColumn = Pick<Column & { type: 'numeric' }, 'type' | 'values'> | Pick<Column & { type: 'categorical' }, 'type' | 'codes'>

export interface PredictJob {
  readonly model: number
  /** Row-major inputs, nRows x nFeatures; or else `columns`, in the model's feature order. */
  readonly x: Float64Array | null
  readonly columns: readonly PredictColumn[] | null
  readonly out: Float64Array
  readonly nRows: number
}

export type PredictSetup = { readonly type: 'model'; readonly id: number; readonly bytes: Uint8Array } | { readonly type: 'job'; readonly job: PredictJob }

export interface PredictState {
  readonly models: Map<number, TreeEnsemble>
  job: PredictJob | null
}

/** A thread's buffer for the rows of one block, made on its first block of columns. */
let blockRows = new Float64Array(0)

/** Predicts block `b` of the job's rows with `model`. */
export function predictBlock(model: TreeEnsemble, job: PredictJob, b: number): void {
  const start = b * PREDICT_BLOCK_ROWS
  const end = Math.min(job.nRows, start + PREDICT_BLOCK_ROWS)
  const nF = model.nFeatures
  const nOut = model.nOutputs
  const out = job.out.subarray(start * nOut, end * nOut)
  if (job.x) {
    predictMargins(model, job.x.subarray(start * nF, end * nF), end - start, out)
    return
  }
  if (blockRows.length < PREDICT_BLOCK_ROWS * nF) blockRows = new Float64Array(PREDICT_BLOCK_ROWS * nF)
  writeRowMajor(job.columns!, start, end - start, blockRows)
  predictMargins(model, blockRows, end - start, out)
}

const program: BatchProgram<PredictState, PredictSetup> = {
  receive(state, message) {
    const s = state ?? { models: new Map(), job: null }
    if (message.type === 'model') s.models.set(message.id, decodeTreeEnsemble(message.bytes))
    else s.job = message.job
    return s
  },
  run(state, b) {
    const job = state.job!
    const model = state.models.get(job.model)
    if (!model) throw new Error(`unknown model ${job.model}`)
    predictBlock(model, job, b)
  },
}
export default program
