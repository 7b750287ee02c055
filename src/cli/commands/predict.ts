/**
 * `consort predict --model MODEL --input FILE [--output FILE] [--format csv|jsonl] [--chunk-rows N] [--json]`:
 * batch transform. Streams the input through the ensemble a chunk at a time and writes one
 * prediction row per input row (columns: `prediction`; `probability`, `label`; or
 * `probability_<k>`..., `label`), to the output file (replaced atomically) or to stdout.
 *
 * Progress goes to stderr (one line redrawn in place on a terminal, a JSON line every few seconds
 * otherwise), then a summary line. With `--json` the summary is also one JSON object on the last
 * stdout line, which needs `--output`: stdout would otherwise mix predictions and the summary.
 * Ctrl-C stops between chunks, leaves the output file as it was, and exits 1.
 */
import { type Command, Option } from 'commander'
import { ParamError } from '../../errors.js'
import type { PredictionFormat } from '../../ensemble/prediction-text.js'
import { batchTransform, DEFAULT_CHUNK_ROWS } from '../../jobs/transform.js'
import { type CliIo, printJson, type RegisterCommand } from '../context.js'
import { parsePositiveInteger } from '../options.js'

interface PredictCliOptions {
  readonly model: string
  readonly input: string
  readonly output?: string
  readonly format?: PredictionFormat
  readonly chunkRows: number
  readonly json?: boolean
}

/** Seconds between progress updates: redraws on a terminal, JSON lines otherwise. */
const REDRAW_EVERY = 0.1
const LOG_EVERY = 2

/**
 * Registers `consort predict`.
 * @example
 * registerPredict(new Command('consort'), processIo())
 */
export const registerPredict: RegisterCommand = (program: Command, io: CliIo): Command =>
  program
    .command('predict')
    .description('batch transform: predict every row of a CSV, TSV, JSON Lines or Parquet file, streamed in chunks')
    .requiredOption('--model <file>', 'a model.tar.gz')
    .requiredOption('--input <file>', 'rows to predict (.csv, .tsv, .jsonl, .ndjson, .parquet); extra columns are ignored')
    .option('--output <file>', 'where to write the predictions (replaced atomically); stdout when absent')
    .addOption(new Option('--format <format>', 'output format (default: from the output extension, else csv)').choices(['csv', 'jsonl']))
    .option('--chunk-rows <n>', 'rows read, predicted and written together', parsePositiveInteger, DEFAULT_CHUNK_ROWS)
    .option('--json', 'print {rows, seconds, output} as one JSON object on the last line of stdout (needs --output)')
    .action(async (options: PredictCliOptions) => runPredict(options, io))

async function runPredict(options: PredictCliOptions, io: CliIo): Promise<void> {
  if (options.json && options.output === undefined) {
    throw new ParamError('--json needs --output: without it the predictions are on stdout', { field: 'json' })
  }
  const controller = new AbortController()
  const stop = () => controller.abort(new Error('stopped by the user'))
  process.once('SIGINT', stop)
  const progress = transformProgress(io)
  try {
    const result = await batchTransform({
      model: options.model,
      input: options.input,
      output: options.output,
      // Writes to a pipe or a file through process.stdout are synchronous on Linux and macOS, so
      // predictions do not pile up in memory behind a slow reader.
      write: io.stdout,
      format: options.format,
      chunkRows: options.chunkRows,
      signal: controller.signal,
      onProgress: progress.update,
    })
    progress.end()
    const target = result.output ?? 'stdout'
    io.stderr(`predicted ${result.rows} rows in ${result.seconds.toFixed(2)} s (${rate(result.rows, result.seconds)} rows/s) -> ${target}\n`)
    if (options.json) printJson(io, result)
  } finally {
    progress.end()
    process.off('SIGINT', stop)
  }
}

/** Rows done so far on stderr: one line redrawn in place on a terminal, JSON lines for logs otherwise. */
function transformProgress(io: CliIo): { update: (rows: number, seconds: number) => void; end: () => void } {
  const tty = io.stderrIsTTY === true
  let shown = 0
  let drawn = false
  return {
    update: (rows, seconds) => {
      if (seconds - shown < (tty ? REDRAW_EVERY : LOG_EVERY)) return
      shown = seconds
      if (tty) {
        io.stderr(`\r\x1b[K${rows} rows, ${rate(rows, seconds)} rows/s`)
        drawn = true
      } else {
        io.stderr(JSON.stringify({ event: 'progress', rows, seconds, time: new Date().toISOString() }) + '\n')
      }
    },
    end: () => {
      if (drawn) io.stderr('\r\x1b[K')
      drawn = false
    },
  }
}

function rate(rows: number, seconds: number): string {
  return seconds > 0 ? Math.round(rows / seconds).toString() : '-'
}
