/**
 * `consort demo`: the whole seed story on the bundled diabetes data, with no set-up.
 * 1. Train the seed ensemble (an XGBoost-style and a CatBoost-style booster, 5 folds, mean blend).
 * 2. Tune it: eta [0.2, 0.3] and max_depth [3, 4], Bayesian, 4 jobs, 2 at a time.
 * 3. Deploy the best trial to a local serverless endpoint (the tuning job's id names the model,
 *    as the seed's `best_estimator().deploy(...)`), and invoke it with a CSV row over HTTP.
 * 4. Print each step's result, the prediction and the curl command that reproduces it, then stop
 *    the server (the endpoint stays in the tracking store for `consort serve --endpoints`).
 * `--quality` trains the default quality ensemble instead (gbdt, oblivious, random_forest and
 * linear, stacked), as `consort train examples/diabetes/quality.yaml` would.
 */
import { readFileSync } from 'node:fs'
import type { Command } from 'commander'
import { bundledDataset } from '../../data/bundled.js'
import { qualitySpec, seedSpec, seedTuningSpec } from '../../jobs/demo-spec.js'
import { formatResources } from '../../jobs/resources.js'
import { train } from '../../jobs/train-job.js'
import { tune } from '../../jobs/tune/tune-job.js'
import { createApp } from '../../server/app.js'
import { silentLogger } from '../../server/logger.js'
import { resolveModelRef } from '../../server/model-ref.js'
import { startServer } from '../../server/node.js'
import { EndpointRegistry } from '../../server/registry.js'
import { TrackingStore } from '../../store/tracking/store.js'
import { type CliIo, printJson, type RegisterCommand } from '../context.js'
import { trainProgress } from '../progress.js'
import { parseInteger } from '../options.js'

interface DemoOptions {
  readonly seed?: number
  readonly out?: string
  readonly quality?: boolean
  readonly json?: boolean
}

/** The endpoint the demo deploys to, kept in the tracking store afterwards. */
const ENDPOINT = 'diabetes-demo'

/**
 * Registers `consort demo [--quality] [--seed N] [--out DIR] [--json]`.
 * @example
 * registerDemo(new Command('consort'), processIo())
 */
export const registerDemo: RegisterCommand = (program: Command, io: CliIo): Command =>
  program
    .command('demo')
    .description('the seed story on the bundled diabetes data: train an ensemble, tune it, deploy the best to a serverless endpoint and invoke it')
    .option('--quality', 'train the default quality ensemble (gbdt + oblivious + random_forest + linear, stacked) instead')
    .option('--seed <int>', 'seed of the fold assignment (default 42; 0 with --quality)', parseInteger)
    .option('--out <dir>', 'with --quality: output folder for model.tar.gz and metrics.json')
    .option('--json', 'print the result as one JSON object on the last line of stdout')
    .action(async (options: DemoOptions) => (options.quality ? runQuality(options, io) : runSeed(options, io)))

async function runSeed(options: DemoOptions, io: CliIo): Promise<void> {
  // With --json, stdout carries only the JSON object; the human-readable lines go to stderr.
  const out = options.json ? io.stderr : io.stdout
  const seed = options.seed ?? 42
  const started = performance.now()

  out('1. train: the seed ensemble, an XGBoost-style (gbdt) and a CatBoost-style (oblivious) booster, 5-fold CV, mean blend\n')
  const trained = await train(seedSpec(seed))
  out(`   job ${trained.job}: cv rmse ${trained.metrics['cv:rmse'].toFixed(4)} (gbdt ${trained.metrics['cv:rmse:xgb'].toFixed(4)}, oblivious ${trained.metrics['cv:rmse:cat'].toFixed(4)}); ${formatResources(trained.resources)}\n`)

  out('2. tune: eta [0.2, 0.3] and max_depth [3, 4] on both members, Bayesian, 4 trials, 2 at a time\n')
  const tuned = await tune(await seedTuningSpec(seed), {
    onEvent: (e) => {
      if (e.type === 'trial-end') out(`   trial ${e.number} ${e.state}${e.value === null ? '' : ` cv rmse ${e.value.toFixed(4)}`}\n`)
    },
  })
  const best = tuned.best!
  out(`   tuning job ${tuned.job}: best trial ${best.number} (eta ${Number(best.params.eta).toFixed(3)}, max_depth ${best.params.max_depth}), cv rmse ${best.objective.toFixed(4)}, job ${best.job}\n`)

  out(`3. deploy: the tuning job's best model to the serverless endpoint '${ENDPOINT}' (loaded on first call, idle unload after 60 s)\n`)
  const store = TrackingStore.open()
  const app = createApp({ registry: new EndpointRegistry(store, { resolve: (ref) => resolveModelRef(ref, store), bodyLimitBytes: 6 << 20 }), logger: silentLogger() })
  const server = await startServer(app, { port: 0 })
  try {
    const settings = { model: tuned.job, memory_size_mb: 2048, max_concurrency: 5, idle_timeout_s: 60 }
    const created = await fetch(`${server.url}/endpoints/${ENDPOINT}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(settings) })
    if (!created.ok) throw new Error(`deploying failed: ${created.status} ${await created.text()}`)
    const row = firstRow()
    const invocations = `${server.url}/endpoints/${ENDPOINT}/invocations`
    const t0 = performance.now()
    const answer = await fetch(invocations, { method: 'POST', headers: { 'content-type': 'text/csv', accept: 'application/json' }, body: row + '\n' })
    const firstCallMs = performance.now() - t0
    if (!answer.ok) throw new Error(`invoking failed: ${answer.status} ${await answer.text()}`)
    const prediction = ((await answer.json()) as { predictions: number[] }).predictions[0]
    const described = (await (await fetch(`${server.url}/endpoints/${ENDPOINT}`)).json()) as { status: { lastColdStartMs: number | null } }
    const coldStartMs = described.status.lastColdStartMs ?? firstCallMs
    out(`   ${server.url}/endpoints/${ENDPOINT}: first invocation ${firstCallMs.toFixed(1)} ms (cold start ${coldStartMs.toFixed(1)} ms)\n`)

    out('4. invoke: one CSV row of the bundled data (its target left out)\n')
    out(`   prediction ${prediction.toFixed(4)}\n`)
    out(`   to do it again: npx consort serve --endpoints --port 8080 &\n   curl -s -X POST -H 'content-type: text/csv' --data-binary '${row}' http://127.0.0.1:8080/endpoints/${ENDPOINT}/invocations\n`)
    out(`done in ${((performance.now() - started) / 1000).toFixed(1)} s; the server is stopped, the endpoint '${ENDPOINT}' stays in .consort/tracking.db\n`)
    if (options.json) {
      printJson(io, {
        command: 'demo',
        training_job: trained.job,
        tuning_job: tuned.job,
        best_job: best.job,
        endpoint: { name: ENDPOINT, url: invocations, cold_start_ms: coldStartMs },
        prediction,
      })
    }
  } finally {
    await server.close()
    app.close()
    store.close()
  }
}

/** The bundled data's first row without its target, as the endpoint takes it (feature order). */
function firstRow(): string {
  const data = bundledDataset('diabetes')
  const [header, line] = readFileSync(data.path, 'utf8').split(/\r?\n/)
  const names = header.split(',')
  const values = line.split(',')
  return names.flatMap((name, i) => (name === data.target ? [] : [values[i]])).join(',')
}

async function runQuality(options: DemoOptions, io: CliIo): Promise<void> {
  const json = options.json === true
  const out = json ? io.stderr : io.stdout
  const seed = options.seed ?? 0
  const spec = qualitySpec(seed)
  const members = Object.keys(spec.members)
  io.stderr(`the default quality ensemble: ${members.join(' + ')}, blended by ${spec.blend.method}; ${spec.cv.folds}-fold CV (seed ${seed}) on the bundled diabetes data\n`)
  const progress = trainProgress(io.stderr, io.stderrIsTTY === true)
  const result = await train(spec, { outDir: options.out, onEvent: progress.onEvent })
  progress.end()
  const width = Math.max(...members.map((m) => m.length), 'ensemble'.length)
  for (const m of members) out(`${m.padEnd(width)}  cv rmse ${result.metrics[`cv:rmse:${m}`].toFixed(4)}\n`)
  out(`${'ensemble'.padEnd(width)}  cv rmse ${result.metrics['cv:rmse'].toFixed(4)}  (${spec.blend.method}, its blender fitted on other folds)\n`)
  out(`job ${result.job}: ${formatResources(result.resources)}\n`)
  out(`model ${result.artifact}\n`)
  for (const [name, value] of Object.entries(result.metrics)) out(`${name.replaceAll(':', '-')}:${value.toFixed(4)};\n`)
  if (json) {
    const data = bundledDataset('diabetes')
    printJson(io, { command: 'demo', quality: true, data: { name: data.name, target: data.target }, seed, ...result })
  }
}
