/**
 * Batch transform: an ensemble's predictions for every row of a data file, as CSV or JSON Lines
 * (SageMaker's batch transform, in one process). The input is read in frames of `chunkRows` rows
 * (streamed for CSV, TSV and JSON Lines; Parquet is read whole, its feature columns only), and each
 * frame is predicted, formatted into one string and written before the next one is parsed, so
 * memory follows the chunk size, not the file size. Feature types are pinned from the model, so a
 * column reads the same in every chunk, and errors carry the line of the whole file.
 *
 * An output file is written under a temporary name in its folder, synced and renamed when
 * complete: after a failure or an abort the target is as it was, and no temporary file is left.
 */
import { stat } from 'node:fs/promises'
import { extname } from 'node:path'
import { readFrameChunks } from '../data/read-chunks.js'
import type { FrameFormat } from '../data/read.js'
import { LoadedEnsemble } from '../ensemble/loaded.js'
import { PredictionText, type PredictionFormat } from '../ensemble/prediction-text.js'
import { ParamError } from '../errors.js'
import { AtomicFile } from '../store/atomic-write.js'

/**
 * What to transform and where to write it.
 * @example
 * const options: TransformOptions = { model: 'model.tar.gz', input: 'new.csv', output: 'pred.jsonl', chunkRows: 50_000 }
 */
export interface TransformOptions {
  /** A `model.tar.gz` path, or an ensemble already loaded. */
  readonly model: string | LoadedEnsemble
  /** A CSV, TSV, JSON Lines or Parquet file; extra columns (the target, ids) are ignored. */
  readonly input: string
  /** The input's format when its extension does not say. */
  readonly inputFormat?: FrameFormat
  /** The output file, replaced atomically; without it the text goes to `write`. */
  readonly output?: string
  /** Where the text goes when there is no `output`; awaited per chunk. Default: standard output. */
  readonly write?: (text: string) => void | Promise<void>
  /** Output format; default from the output's extension (`.csv`, `.jsonl`, `.ndjson`), else CSV. */
  readonly format?: PredictionFormat
  /** Rows per chunk: read, predicted and written together. Default {@link DEFAULT_CHUNK_ROWS}. */
  readonly chunkRows?: number
  /** Bytes per read from disk (CSV, TSV, JSON Lines). Default 64 KiB. */
  readonly readBytes?: number
  /** Stops between chunks; the output file is then left as it was. */
  readonly signal?: AbortSignal
  /** Called after each chunk with the rows written so far and the seconds since the start. */
  readonly onProgress?: (rows: number, seconds: number) => void
}

/**
 * What a transform did.
 * @example
 * const { rows, seconds } = await batchTransform({ model: 'model.tar.gz', input: 'new.csv', output: 'pred.csv' })
 */
export interface TransformResult {
  readonly rows: number
  /** Wall time, model loading included. */
  readonly seconds: number
  /** The output file, or null when the text went to `write`. */
  readonly output: string | null
}

/**
 * Rows per chunk by default: large enough that per-chunk costs vanish, small enough that a chunk
 * of a few dozen features takes a few MiB.
 * @example
 * await batchTransform({ model, input, output, chunkRows: DEFAULT_CHUNK_ROWS * 4 })
 */
export const DEFAULT_CHUNK_ROWS = 16_384

const OUTPUT_EXTENSIONS: ReadonlyMap<string, PredictionFormat> = new Map([
  ['.csv', 'csv'],
  ['.jsonl', 'jsonl'],
  ['.ndjson', 'jsonl'],
])

/**
 * The output format a path's extension names (case-insensitive), or a ParamError.
 * @example
 * outputFormatOf('pred.NDJSON') // 'jsonl'
 */
export function outputFormatOf(path: string): PredictionFormat {
  const format = OUTPUT_EXTENSIONS.get(extname(path).toLowerCase())
  if (format === undefined) {
    throw new ParamError(`cannot tell the output format from the extension; use one of ${[...OUTPUT_EXTENSIONS.keys()].join(', ')} or give the format (csv or jsonl)`, {
      file: path,
      field: 'format',
    })
  }
  return format
}

/**
 * Predicts every row of `input` with the ensemble and writes the predictions (columns as in
 * `predictionColumns`), in input order.
 * @example
 * const result = await batchTransform({ model: 'out/model.tar.gz', input: 'new.csv', output: 'pred.csv' })
 * console.log(`${result.rows} rows in ${result.seconds} s`)
 */
export async function batchTransform(options: TransformOptions): Promise<TransformResult> {
  const started = performance.now()
  const elapsed = () => (performance.now() - started) / 1000
  const { signal } = options
  const chunkRows = options.chunkRows ?? DEFAULT_CHUNK_ROWS
  if (!Number.isSafeInteger(chunkRows) || chunkRows < 1) throw new ParamError(`chunk rows must be a positive integer, got ${chunkRows}`, { field: 'chunkRows' })
  const format = options.format ?? (options.output === undefined ? 'csv' : outputFormatOf(options.output))
  const model = typeof options.model === 'string' ? await LoadedEnsemble.load(options.model) : options.model
  const text = new PredictionText(model.task, model.nOutputs, format)
  signal?.throwIfAborted()

  const file = options.output === undefined ? null : await createOutput(options.output)
  const write = file !== null ? (t: string) => file.write(t) : (options.write ?? writeStdout)
  let rows = 0
  try {
    // The header goes out with the first rows, so an input refused before its first row (no
    // such file, a missing column) leaves nothing on a stream output.
    let header = text.header()
    const chunks = readFrameChunks(options.input, {
      format: options.inputFormat,
      rows: chunkRows,
      types: model.columnTypes,
      required: model.featureNames,
      chunkSize: options.readBytes,
    })
    for await (const frame of chunks) {
      signal?.throwIfAborted()
      await write(header + text.rows(model.predict(frame, options.input)))
      header = ''
      rows += frame.nRows
      options.onProgress?.(rows, elapsed())
    }
    if (header !== '') await write(header)
    signal?.throwIfAborted()
    await file?.commit()
  } catch (err) {
    await file?.discard()
    throw err
  }
  return { rows, seconds: elapsed(), output: options.output ?? null }
}

/** Standard output, one write per chunk, waiting until it is flushed (a slow reader slows us down, no buffering up). */
function writeStdout(text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    process.stdout.write(text, (err) => (err ? reject(err) : resolve()))
  })
}

/** The output file, written atomically; a folder or an unwritable place is a ParamError naming it. */
async function createOutput(path: string): Promise<AtomicFile> {
  const isDirectory = await stat(path).then(
    (s) => s.isDirectory(),
    () => false,
  )
  if (isDirectory) throw new ParamError('the output is a folder; give a file name', { file: path, field: 'output' })
  try {
    return await AtomicFile.create(path)
  } catch (err) {
    const code = (err as { code?: unknown }).code
    const reason = code === 'ENOENT' ? 'no such folder' : code === 'EACCES' ? 'permission denied' : String((err as Error).message)
    throw new ParamError(`cannot write the output: ${reason}`, { file: path, field: 'output' })
  }
}
