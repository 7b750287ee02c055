/**
 * Predicting a columnar frame with a tree ensemble: rows are transposed chunk by chunk into a
 * small row-major buffer, so memory stays bounded by the chunk, not the frame.
 */
import type { Column, Frame } from '../data/frame.js'
import { DataError } from '../errors.js'
import { predictMargins, type TreeEnsemble } from './tree-ensemble.js'

const CHUNK_ROWS = 4096

/**
 * The frame's columns in the model's feature order, matched by name; a missing one is a DataError.
 * @example const sources = featureColumns(['x', 'y'], frame)
 */
export function featureColumns(featureNames: readonly string[], frame: Frame): Column[] {
  return featureNames.map((name) => {
    const col = frame.columns.find((c) => c.name === name)
    if (!col) throw new DataError(`input has no column '${name}' (the model needs: ${featureNames.join(', ')})`, { field: name })
    return col
  })
}

/**
 * Writes rows r0 .. r0 + m of `sources` row-major into `x` (categorical codes as numbers,
 * missing as NaN).
 */
export function writeRowMajor(
  sources: readonly (Pick<Column & { type: 'numeric' }, 'type' | 'values'> | Pick<Column & { type: 'categorical' }, 'type' | 'codes'>)[],
  r0: number,
  m: number,
  x: Float64Array,
): void {
  const nF = sources.length
  for (let f = 0; f < nF; f++) {
    const c = sources[f]
    if (c.type === 'numeric') {
      const v = c.values
      for (let i = 0; i < m; i++) x[i * nF + f] = v[r0 + i]
    } else {
      const codes = c.codes
      for (let i = 0; i < m; i++) x[i * nF + f] = codes[r0 + i] < 0 ? NaN : codes[r0 + i]
    }
  }
}

/**
 * Raw margins (row-major n x nOutputs) of `frame`, whose columns are matched to `featureNames`
 * by name.
 * @example const margins = predictFrameMargins(model.ensemble, model.featureNames, frame)
 */
export function predictFrameMargins(
  model: TreeEnsemble,
  featureNames: readonly string[],
  frame: Frame,
  treeLimit?: number,
): Float64Array {
  const nF = featureNames.length
  const sources = featureColumns(featureNames, frame)
  const n = frame.nRows
  const out = new Float64Array(n * model.nOutputs)
  const x = new Float64Array(Math.min(n, CHUNK_ROWS) * nF)
  for (let r0 = 0; r0 < n; r0 += CHUNK_ROWS) {
    const m = Math.min(CHUNK_ROWS, n - r0)
    writeRowMajor(sources, r0, m, x)
    predictMargins(model, x, m, out.subarray(r0 * model.nOutputs, (r0 + m) * model.nOutputs), treeLimit)
  }
  return out
}
