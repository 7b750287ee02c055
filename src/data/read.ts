/**
 * One entry point for data files: picks the reader from the file extension and streams the file
 * through it. File-system failures (no such file, a directory, no permission) become DataErrors
 * naming the file, like any other bad input.
 */
import { stat } from 'node:fs/promises'
import { extname } from 'node:path'
import { asyncBufferFromFile } from 'hyparquet'
import { DataError, fileError, ParamError } from '../errors.js'
import type { Frame } from './frame.js'
import { parseCsvStream, type CsvOptions } from './csv.js'
import { parseJsonlStream } from './jsonl.js'
import { parseParquet } from './parquet.js'
import type { DataCounters } from './counters.js'
import { fileChunks } from './file-chunks.js'

export { parseCsv, parseCsvStream, type CsvOptions } from './csv.js'
export { parseJsonl, parseJsonlStream, type JsonlOptions } from './jsonl.js'
export { parseParquet, type ParquetOptions } from './parquet.js'

/**
 * The formats {@link readFrame} reads.
 * @example
 * const format: FrameFormat = formatOf('train.parquet') // 'parquet'
 */
export type FrameFormat = 'csv' | 'tsv' | 'jsonl' | 'parquet'

/**
 * How to read a data file; `types` applies to every format, the other CSV options to CSV and TSV.
 * @example
 * const options: ReadOptions = { format: 'csv', delimiter: '|', types: { zip: 'categorical' } }
 */
export interface ReadOptions extends Omit<CsvOptions, 'file' | 'sizeHint'> {
  /** Overrides the format the extension implies. */
  format?: FrameFormat
  /** Bytes per read from disk (CSV, TSV, JSON Lines). Default 1 MiB. */
  chunkSize?: number
  /** The reading job's counters: one read and the file's size are added to them. */
  counters?: DataCounters
}

const EXTENSIONS: ReadonlyMap<string, FrameFormat> = new Map([
  ['.csv', 'csv'],
  ['.tsv', 'tsv'],
  ['.tab', 'tsv'],
  ['.jsonl', 'jsonl'],
  ['.ndjson', 'jsonl'],
  ['.parquet', 'parquet'],
  ['.pq', 'parquet'],
])

/**
 * The format a path's extension names (case-insensitive), or a ParamError listing the known ones.
 * @example
 * formatOf('data/train.NDJSON') // 'jsonl'
 */
export function formatOf(path: string): FrameFormat {
  const format = EXTENSIONS.get(extname(path).toLowerCase())
  if (format === undefined) {
    throw new ParamError(`cannot tell the format from the extension; use one of ${[...EXTENSIONS.keys()].join(', ')} or give the format`, {
      file: path,
    })
  }
  return format
}

/**
 * Reads a CSV, TSV, JSON Lines or Parquet file into a frame, streaming it from disk.
 * @example
 * const frame = await readFrame('train.csv', { types: { zip: 'categorical' } })
 * const rows = await readFrame('rows.ndjson')
 */
export async function readFrame(path: string, options: ReadOptions = {}): Promise<Frame> {
  const format = options.format ?? formatOf(path)
  let size = 0
  try {
    const info = await stat(path)
    if (!info.isFile()) throw new DataError('not a regular file', { file: path })
    size = info.size
  } catch (err) {
    throw err instanceof DataError ? err : fileError(path, err)
  }
  const chunkSize = options.chunkSize ?? 1 << 20
  if (options.counters) {
    options.counters.reads++
    options.counters.bytesRead += size
  }
  switch (format) {
    case 'csv':
    case 'tsv': {
      const delimiter = options.delimiter ?? (format === 'tsv' ? '\t' : ',')
      return parseCsvStream(fileChunks(path, chunkSize), { ...options, delimiter, file: path, sizeHint: size })
    }
    case 'jsonl':
      return parseJsonlStream(fileChunks(path, chunkSize), { types: options.types, file: path })
    case 'parquet': {
      const buffer = await asyncBufferFromFile(path).catch((err: unknown) => {
        throw fileError(path, err)
      })
      return parseParquet(buffer, { types: options.types, file: path })
    }
  }
}
