/**
 * The batch program of a {@link PredictPool}'s worker threads: the decoded models it was sent, by
 * id, and the current job's shared inputs and margins; task p predicts the p-th block of rows.
 */
import { decodeTreeEnsemble } from '../runtime/codec.js'
import { predictMargins, type TreeEnsemble } from '../runtime/tree-ensemble.js'
import type { BatchProgram } from './batch-program.js'

/** Rows per task: large enough to amortise a task, small enough to balance the threads. */
export const PREDICT_BLOCK_ROWS = 8192

export interface PredictJob {
  readonly model: number
  readonly x: Float64Array
  readonly out: Float64Array
  readonly nRows: number
}

export type PredictSetup = { readonly type: 'model'; readonly id: number; readonly bytes: Uint8Array } | { readonly type: 'job'; readonly job: PredictJob }

export interface PredictState {
  readonly models: Map<number, TreeEnsemble>
  job: PredictJob | null
}

/** Predicts block `b` of the job's rows with `model`. */
export function predictBlock(model: TreeEnsemble, job: PredictJob, b: number): void {
  const start = b * PREDICT_BLOCK_ROWS
  const end = Math.min(job.nRows, start + PREDICT_BLOCK_ROWS)
  const nF = model.nFeatures
  const nOut = model.nOutputs
  predictMargins(model, job.x.subarray(start * nF, end * nF), end - start, job.out.subarray(start * nOut, end * nOut))
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
