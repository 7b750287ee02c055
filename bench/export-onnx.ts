/**
 * The ONNX export measured: graph size against the bundle and the JSON bundle, and the time to
 * predict 100k rows with onnxruntime-node against consort's EnsemblePredictor on the same bundle,
 * for the seed story's ensemble (gbdt depth 5 + oblivious depth 5, 100 rounds each, mean) and the
 * quality ensemble (gbdt, oblivious, random forest, linear, stack), with each member's share of
 * the graph.
 *
 *   node --import tsx bench/export-onnx.ts [--rows 100000] [--repeats 3]
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import ort from 'onnxruntime-node'
import { inputColumns } from '../src/interop/export/columns.js'
import { GraphBuilder } from '../src/interop/export/graph.js'
import { onnxInput } from '../src/interop/export/input.js'
import { memberPrediction } from '../src/interop/export/members.js'
import { exportOnnx } from '../src/interop/export/onnx.js'
import { encodeModel } from '../src/interop/onnx/proto.js'
import { loadSpec } from '../src/jobs/spec/index.js'
import { trainEnsemble } from '../src/jobs/train.js'
import { encodeJsonBundle } from '../src/runtime/bundle/json.js'
import { gunzipChecked } from '../src/runtime/bundle/gunzip.js'
import { unpackTar } from '../src/runtime/bundle/tar.js'
import { EnsemblePredictor } from '../src/runtime/predictor.js'
import type { Frame } from '../src/data/frame.js'
import { makeFrame, numericColumn } from '../src/data/frame.js'

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`)
  return i < 0 ? fallback : Number(process.argv[i + 1])
}
const ROWS = arg('rows', 100_000)
const REPEATS = arg('repeats', 3)

/** `rows` rows drawn from the diabetes features with jitter, so trees see varied values. */
function bigFrame(predictor: EnsemblePredictor, rows: number): Frame {
  const text = readFileSync('data/diabetes.csv', 'utf8').trim().split('\n')
  const header = text[0].split(',')
  const base = text.slice(1).map((l) => l.split(',').map(Number))
  let seed = 1
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31)
  return makeFrame(
    predictor.featureNames.map((name) => {
      const j = header.indexOf(name)
      const v = new Float64Array(rows)
      for (let i = 0; i < rows; i++) v[i] = base[i % base.length][j] * (1 + 0.05 * (rand() - 0.5))
      return numericColumn(name, v)
    }),
  )
}

/** Median wall time of `repeats` runs of `run`, in milliseconds, after one warm-up run. */
async function time(run: () => unknown, repeats: number): Promise<number> {
  await run()
  const times: number[] = []
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now()
    await run()
    times.push(performance.now() - t0)
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)]
}

const dir = mkdtempSync(join(tmpdir(), 'consort-bench-export-'))
try {
  for (const spec of ['examples/diabetes/ensemble.yaml', 'examples/diabetes/quality.yaml']) {
    const parsed = await loadSpec(spec)
    if (parsed.kind !== 'ensemble') throw new Error('expected an ensemble spec')
    const { artifact } = await trainEnsemble(parsed, { outDir: join(dir, parsed.name) })
    const bytes = new Uint8Array(readFileSync(artifact))
    const predictor = await EnsemblePredictor.fromBytes(bytes)
    const onnx = encodeModel(exportOnnx(predictor, { version: 'bench' }))
    const json = encodeJsonBundle(unpackTar(await gunzipChecked(bytes)))
    const frame = bigFrame(predictor, ROWS)
    const x = onnxInput(predictor, frame)
    const consortMs = await time(() => predictor.predict(frame), REPEATS)
    const rows: string[] = []
    for (const threads of [1, 2]) {
      const session = await ort.InferenceSession.create(onnx, { intraOpNumThreads: threads, interOpNumThreads: 1 })
      const feeds = { X: new ort.Tensor('float64', x, [ROWS, predictor.featureNames.length]) }
      const ms = await time(() => session.run(feeds), REPEATS)
      const got = (await session.run(feeds)).prediction.data as Float64Array
      const want = predictor.predict(frame)
      let worst = 0
      for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]) / Math.max(Math.abs(want[i]), 1e-9))
      rows.push(`onnxruntime-node, ${threads} thread${threads > 1 ? 's' : ''}: ${ms.toFixed(0)} ms (${(ROWS / ms / 1000).toFixed(2)} M rows/s), worst relative difference ${worst.toExponential(1)}`)
    }
    console.log(`\n${spec}: ${predictor.memberNames.map((n, i) => `${n} (${predictor.members[i].kind})`).join(', ')}, ${predictor.blend.kind}`)
    console.log(`sizes: model.tar.gz ${bytes.length} B, JSON ${json.length} B, ONNX ${onnx.length} B`)
    // Each member's share of the graph: its nodes alone, encoded.
    predictor.members.forEach((m, i) => {
      const g = new GraphBuilder()
      memberPrediction(g, m, inputColumns(g, 'X', predictor.manifest.features))
      console.log(`  member '${predictor.memberNames[i]}' (${m.kind}): ${encodeModel({ graph: { node: g.nodes, initializer: g.initializers } }).length} B`)
    })
    console.log(`predict ${ROWS} rows: consort EnsemblePredictor ${consortMs.toFixed(0)} ms (${(ROWS / consortMs / 1000).toFixed(2)} M rows/s)`)
    for (const r of rows) console.log(r)
  }
} finally {
  rmSync(dir, { recursive: true, force: true })
}
