/**
 * `consort train SPEC [--set key=value]... [--out DIR] [--json]`: the training job of an ensemble
 * spec. Progress goes to stderr, the final metrics to stdout as `cv-rmse:<value>;` lines (the form
 * a SageMaker metric regex finds), and with `--json` one JSON object ends stdout. The job is
 * recorded in the tracking store (InProgress, then Completed, Failed or Stopped with the reason).
 * Ctrl-C stops the job cleanly: no half-written artifact, status Stopped, exit code 1.
 */
import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import type { Command } from 'commander'
import { ParamError } from '../../errors.js'
import { loadSpec } from '../../jobs/spec/index.js'
import { trainEnsemble } from '../../jobs/train.js'
import { TrackingStore } from '../../store/tracking/store.js'
import { type CliIo, printJson, type RegisterCommand } from '../context.js'

interface TrainCliOptions {
  readonly set: string[]
  readonly out?: string
  readonly json?: boolean
}

/**
 * Registers `consort train`.
 * @example
 * registerTrain(new Command('consort'), processIo())
 */
export const registerTrain: RegisterCommand = (program: Command, io: CliIo): Command =>
  program
    .command('train')
    .argument('<spec>', 'ensemble spec (YAML or JSON)')
    .description('train an ensemble: every member k-fold on data read and binned once, blended, saved as model.tar.gz')
    .option('--set <key=value>', 'override a spec field, e.g. members.xgb.params.eta=0.2 (repeatable)', (v: string, all: string[]) => [...all, v], [])
    .option('--out <dir>', 'output folder for model.tar.gz and metrics.json')
    .option('--json', 'print one JSON object on the last line of stdout')
    .action(async (specPath: string, options: TrainCliOptions) => runTrain(specPath, options, io))

async function runTrain(specPath: string, options: TrainCliOptions, io: CliIo): Promise<void> {
  const spec = await loadSpec(specPath, { set: options.set })
  if (spec.kind !== 'ensemble') throw new ParamError('script-mode estimators are not run by consort train yet; give members instead', { file: specPath, field: 'estimator' })
  const job = `${spec.name}-${new Date().toISOString().replace(/[-:.TZ]/g, '').slice(0, 14)}-${randomBytes(2).toString('hex')}`
  const outDir = options.out ?? join('.consort', 'jobs', job)
  const store = TrackingStore.open()
  store.createJob({ id: job, kind: 'training', name: spec.name, spec })
  const controller = new AbortController()
  const stop = () => controller.abort(new Error('stopped by the user'))
  process.once('SIGINT', stop)
  try {
    const result = await trainEnsemble(spec, {
      outDir,
      signal: controller.signal,
      onEvent: (e) =>
        io.stderr(e.type === 'fit' ? `${e.member} fold ${e.fold + 1}/${e.folds} (${e.seconds.toFixed(2)} s)\n` : `${e.stage}\n`),
    })
    store.completeJob(job, { metrics: result.metrics, timings: { seconds: result.seconds }, artifact: result.artifact, dataFingerprint: result.dataFingerprint })
    for (const [name, value] of Object.entries(result.metrics)) io.stdout(`${name.replaceAll(':', '-')}:${value.toFixed(6)};\n`)
    io.stderr(`job ${job}: artifact ${result.artifact} (${result.seconds.toFixed(2)} s, ${result.reads} data read(s), ${result.binnings} binning)\n`)
    if (options.json) printJson(io, { job, status: 'Completed', metrics: result.metrics, artifact: result.artifact, seconds: result.seconds })
  } catch (err) {
    store.endJob(job, controller.signal.aborted ? 'Stopped' : 'Failed', err instanceof Error ? err.message : String(err))
    throw err
  } finally {
    process.off('SIGINT', stop)
    store.close()
  }
}
