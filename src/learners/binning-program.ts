/**
 * The batch program of parallel binning (parallel-binning.ts). A batch of cuts has one task per
 * feature, whose cuts are moved back; a batch of codes has one task per block of rows, each
 * writing every feature's codes of its rows, so threads never write the same bytes.
 */
import type { BatchProgram, TaskReply } from '../exec/batch-program.js'
import { binRows, featureCuts } from '../data/binning.js'

/** Rows a task of a codes batch bins. */
export const BLOCK_ROWS = 65536

export type BinningSetup =
  | {
      readonly type: 'cuts'
      /** Every feature's values, in shared memory. */
      readonly columns: readonly Float64Array[]
      readonly sample: Int32Array | null
      readonly valueBinLimit: number
    }
  | {
      readonly type: 'codes'
      readonly columns: readonly Float64Array[]
      readonly cuts: readonly Float64Array[]
      /** Shared row-major codes, `stride` bytes a row. */
      readonly codes: Uint8Array
      readonly stride: number
    }

/** Runs task `t` of a batch set up by `setup`: one feature's cuts, or one block's codes. */
export function runBinningTask(setup: BinningSetup, t: number): TaskReply | undefined {
  if (setup.type === 'cuts') {
    const cuts = featureCuts(setup.columns[t], setup.sample, setup.valueBinLimit)
    return { value: cuts, transfer: [cuts.buffer as ArrayBuffer] }
  }
  const nRows = setup.columns.length > 0 ? setup.columns[0].length : 0
  binRows(setup.columns, setup.cuts, setup.codes, setup.stride, t * BLOCK_ROWS, Math.min(nRows, (t + 1) * BLOCK_ROWS))
  return undefined
}

const program: BatchProgram<BinningSetup, BinningSetup> = {
  receive: (_, setup) => setup,
  run: runBinningTask,
}
export default program
