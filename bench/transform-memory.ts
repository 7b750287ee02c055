/**
 * Batch transform benchmark: throughput and peak memory of `batchTransform` on a 1M-row CSV,
 * against reading the whole file and predicting it in one piece. Streaming should hold memory to
 * the model plus a few chunks, whatever the file size.
 *
 * The model is the seed story's ensemble (a `gbdt` and an `oblivious` member, 100 rounds of depth
 * 6 each, mean blend) trained on 20k synthetic rows; the input is the synthetic regression file
 * (8 features and the target, about 66 MB), generated under bench/.data/ on first use. Each
 * measurement runs in a fresh Node process, so each peak RSS is that run's own.
 *
 * Run: node --import tsx bench/transform-memory.ts [--rows N] [--chunk-rows N] [--json]
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { readFrame } from '../src/data/read.js'
import { LoadedEnsemble } from '../src/ensemble/loaded.js'
import { PredictionText } from '../src/ensemble/prediction-text.js'
import { parseSpec } from '../src/jobs/spec/index.js'
import { trainEnsemble } from '../src/jobs/train.js'
import { batchTransform, DEFAULT_CHUNK_ROWS } from '../src/jobs/transform.js'
import { runJsonChild } from './child.js'
import { syntheticCsv } from './datasets.js'
import { mib, peakRssMb } from './memory.js'
import { markdownTable } from './table.js'

/** One measured run, as a child prints it. */
interface Measure {
  readonly mode: string
  readonly rows: number
  readonly seconds: number
  /** Resident memory after loading the model, before reading any data. */
  readonly baselineRssMb: number
  readonly peakRssMb: number
}

const HERE = fileURLToPath(import.meta.url)

/** A child run: `--child stream|whole --model M --input I --output O --chunk-rows N`. */
async function child(mode: string, model: string, input: string, output: string, chunkRows: number): Promise<Measure> {
  const loaded = await LoadedEnsemble.load(model)
  const baselineRssMb = mib(process.memoryUsage().rss)
  const t0 = performance.now()
  let rows: number
  if (mode === 'whole') {
    // What a transform that reads the file first would hold: the whole frame, its predictions and the text.
    const frame = await readFrame(input, { types: loaded.columnTypes })
    const text = new PredictionText(loaded.task, loaded.nOutputs, 'csv')
    const out = text.header() + text.rows(loaded.predict(frame, input))
    rows = frame.nRows
    if (out.length === 0) throw new Error('no output')
  } else {
    rows = (await batchTransform({ model: loaded, input, output, chunkRows })).rows
  }
  const seconds = (performance.now() - t0) / 1000
  return { mode, rows, seconds, baselineRssMb, peakRssMb: peakRssMb() }
}

async function trainModel(dir: string): Promise<string> {
  const train = await syntheticCsv({ rows: 20_000, features: 8, task: 'regression', missing: 0, seed: 1 })
  const spec = parseSpec({
    name: 'transform-bench',
    target: 'y',
    channels: { train },
    cv: { folds: 2, seed: 0 },
    members: {
      xgb: { learner: 'gbdt', params: { num_round: 100, max_depth: 6, eta: 0.1 } },
      cat: { learner: 'oblivious', params: { iterations: 100, depth: 6, learning_rate: 0.1 } },
    },
    blend: { method: 'mean' },
  })
  if (spec.kind !== 'ensemble') throw new Error('expected an ensemble spec')
  return (await trainEnsemble(spec, { outDir: dir })).artifact
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      child: { type: 'string' },
      model: { type: 'string' },
      input: { type: 'string' },
      output: { type: 'string' },
      rows: { type: 'string', default: '1000000' },
      'chunk-rows': { type: 'string', default: String(DEFAULT_CHUNK_ROWS) },
      json: { type: 'boolean', default: false },
    },
  })
  const chunkRows = Number(values['chunk-rows'])
  if (values.child !== undefined) {
    console.log(JSON.stringify(await child(values.child, values.model!, values.input!, values.output!, chunkRows)))
    return
  }
  const rows = Number(values.rows)
  const dir = mkdtempSync(join(tmpdir(), 'consort-transform-bench-'))
  try {
    process.stderr.write('training the model on 20k rows...\n')
    const model = await trainModel(dir)
    const input = await syntheticCsv({ rows, features: 8, task: 'regression', missing: 0, seed: 2 })
    const inputMb = statSync(input).size / 2 ** 20
    const measures: Measure[] = []
    for (const mode of ['stream', 'whole']) {
      process.stderr.write(`${mode}: ${rows} rows (${inputMb.toFixed(1)} MiB of CSV)...\n`)
      const args = ['--import', 'tsx', HERE, '--child', mode, '--model', model, '--input', input, '--output', join(dir, 'pred.csv'), '--chunk-rows', String(chunkRows)]
      measures.push((await runJsonChild(process.execPath, args)) as Measure)
    }
    if (values.json) {
      console.log(JSON.stringify({ rows, inputMb, chunkRows, measures }))
      return
    }
    console.log(`input: ${rows} rows x 8 features + target, ${inputMb.toFixed(1)} MiB of CSV; chunk ${chunkRows} rows`)
    console.log(
      markdownTable(
        ['mode', 'rows', 's', 'rows/s', 'RSS after model load (MiB)', 'peak RSS (MiB)', 'peak - baseline (MiB)'],
        measures.map((m) => [
          m.mode === 'stream' ? 'batchTransform (streamed)' : 'readFrame + predict (whole file)',
          String(m.rows),
          m.seconds.toFixed(2),
          Math.round(m.rows / m.seconds).toString(),
          m.baselineRssMb.toFixed(1),
          m.peakRssMb.toFixed(1),
          (m.peakRssMb - m.baselineRssMb).toFixed(1),
        ]),
      ),
    )
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

await main()
