/**
 * Separates the target column from the feature columns of a frame that was read from a file.
 */
import { DataError, ParamError } from '../src/errors.js'
import { dropColumns, type Frame } from '../src/data/frame.js'

/** Feature columns and the target values of one data file. */
export interface LabeledFrame {
  readonly features: Frame
  readonly y: Float64Array
}

/**
 * Splits `frame` into its features (every column but `target`) and the target values.
 *
 * @param file the file the frame came from, named in errors
 * @throws ParamError when there is no such column (listing the columns); DataError when the
 *   column is not numeric.
 * @example
 * const { features, y } = splitTarget(await readFrame('train.csv'), 'y', 'train.csv')
 */
export function splitTarget(frame: Frame, target: string, file: string): LabeledFrame {
  const column = frame.columns.find((c) => c.name === target)
  if (column === undefined) {
    const names = frame.columns.map((c) => c.name).join(', ')
    throw new ParamError(`no column '${target}' in the data (columns: ${names})`, { file, field: '--target' })
  }
  if (column.type !== 'numeric') {
    throw new DataError(`target column '${target}' is not numeric; give class ids 0, 1, 2, ... or numbers`, { file })
  }
  return { features: dropColumns(frame, [target]), y: column.values }
}
