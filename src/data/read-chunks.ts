/**
 * A data file as a sequence of bounded frames, for work over inputs larger than memory (batch
 * prediction). CSV, TSV and JSON Lines are streamed: the parser hands over the rows parsed so far
 * whenever a frame's worth has arrived, so memory follows the frame size and the read size, not
 * the file size. Parquet is read whole (hyparquet decodes a column at a time, not a row range),
 * only the columns asked for when `required` is given, and then handed out in frames.
 *
 * Pin column types (`types`) for the columns you use: each frame is parsed on its own, so an
 * unpinned column's type and category dictionary are each frame's own. Errors carry the line of
 * the whole file, whatever the frame.
 */
import { asyncBufferFromFile } from 'hyparquet'
import { DataError, fileError, ParamError } from '../errors.js'
import { CsvParser } from './csv.js'
import { categoricalColumn, makeFrame, MISSING_CODE, numericColumn, type Column, type Frame } from './frame.js'
import { typeMap } from './infer.js'
import { JsonlParser } from './jsonl.js'
import { parseParquet } from './parquet.js'
import { formatOf, type ReadOptions } from './read.js'
import { fileChunks } from './file-chunks.js'

/**
 * How to read a file in frames. `chunkSize` is the bytes per read from disk (default 64 KiB here).
 * @example
 * const options: ChunkReadOptions = { rows: 10_000, types: { zip: 'categorical' }, required: ['zip', 'age'] }
 */
export interface ChunkReadOptions extends ReadOptions {
  /** Most rows per frame; the last frame, and frames of Parquet row groups, may hold fewer. Default 10 000. */
  rows?: number
  /**
   * Columns every frame must hold. A CSV or TSV header without one, or a Parquet file, is a
   * DataError naming the file and the column before any frame is given out. In JSON Lines a key
   * absent from the rows of a frame is missing there (an absent key is a missing value); a key no
   * line of the file has is a DataError once the whole file is read.
   */
  required?: readonly string[]
}

const DEFAULT_ROWS = 10_000
const DEFAULT_READ = 64 * 1024
const LF = Uint8Array.of(0x0a)

/**
 * Reads a CSV, TSV, JSON Lines or Parquet file as frames of at most `rows` rows, in file order.
 * @example
 * for await (const frame of readFrameChunks('big.csv', { rows: 50_000, types: { x: 'numeric' } })) {
 *   total += frame.nRows
 * }
 */
export async function* readFrameChunks(path: string, options: ChunkReadOptions = {}): AsyncGenerator<Frame> {
  const rows = options.rows ?? DEFAULT_ROWS
  if (!Number.isSafeInteger(rows) || rows < 1) throw new ParamError(`rows per frame must be a positive integer, got ${rows}`, { field: 'rows' })
  const format = options.format ?? formatOf(path)
  const required = options.required ?? []
  const chunkSize = options.chunkSize ?? DEFAULT_READ
  switch (format) {
    case 'csv':
    case 'tsv': {
      const { onHeader } = options
      const parser = new CsvParser({
        delimiter: options.delimiter ?? (format === 'tsv' ? '\t' : ','),
        types: options.types,
        missing: options.missing,
        names: options.names,
        file: path,
        onHeader: (names) => {
          const absent = required.find((name) => !names.includes(name))
          if (absent !== undefined) throw new DataError(`no column '${absent}' (columns: ${names.join(', ')})`, { file: path, field: absent })
          onHeader?.(names)
        },
      })
      for await (const chunk of fileChunks(path, chunkSize)) {
        parser.push(chunk)
        if (parser.bufferedRows >= rows) yield* windows(parser.takeRows()!, rows)
      }
      yield* windows(parser.finish(), rows)
      return
    }
    case 'jsonl': {
      const parser = new JsonlParser({ types: options.types, file: path })
      const types = typeMap(options.types)
      const seen = new Set<string>()
      // Keys no line has had yet become all-missing columns of the pinned (or numeric) type.
      const take = (): Frame => {
        const n = parser.bufferedRows
        const frame = parser.takeRows()
        for (const c of frame.columns) seen.add(c.name)
        const fills = required.filter((name) => !seen.has(name)).map((name) => missingColumn(name, types.get(name) === 'categorical', n))
        return fills.length === 0 ? frame : makeFrame([...frame.columns, ...fills])
      }
      for await (const chunk of fileChunks(path, chunkSize)) {
        parser.push(chunk)
        if (parser.bufferedRows >= rows) yield* windows(take(), rows)
      }
      // A line break ends a last line that has none; a blank line after it is skipped.
      parser.push(LF)
      yield* windows(take(), rows)
      const absent = required.find((name) => !seen.has(name))
      if (absent !== undefined) throw new DataError(`no line has the key '${absent}'`, { file: path, field: absent })
      return
    }
    case 'parquet': {
      const buffer = await asyncBufferFromFile(path).catch((err: unknown) => {
        throw fileError(path, err)
      })
      const columns = options.required === undefined ? undefined : [...new Set([...required, ...typeMap(options.types).keys()])]
      yield* windows(await parseParquet(buffer, { types: options.types, file: path, columns }), rows)
      return
    }
  }
}

/** `frame` in consecutive windows of at most `rows` rows: views on its arrays, no copies. */
function* windows(frame: Frame, rows: number): Generator<Frame> {
  if (frame.nRows <= rows) {
    if (frame.nRows > 0) yield frame
    return
  }
  for (let start = 0; start < frame.nRows; start += rows) {
    const end = Math.min(frame.nRows, start + rows)
    yield makeFrame(
      frame.columns.map((c): Column =>
        c.type === 'numeric' ? numericColumn(c.name, c.values.subarray(start, end)) : categoricalColumn(c.name, c.codes.subarray(start, end), c.categories),
      ),
    )
  }
}

function missingColumn(name: string, categorical: boolean, n: number): Column {
  return categorical ? categoricalColumn(name, new Int32Array(n).fill(MISSING_CODE), []) : numericColumn(name, new Float64Array(n).fill(NaN))
}
