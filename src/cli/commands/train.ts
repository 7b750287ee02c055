/**
 * `consort train SPEC [--set key=value]... [--out DIR] [--workers N] [--json]`: the training job
 * of an ensemble spec. Progress goes to stderr (bars on a terminal, JSON lines otherwise), the
 * final metrics to stdout as `cv-rmse:<value>;` lines (the form a SageMaker metric regex finds),
 * and with `--json` one JSON object ends stdout. The job is recorded in the tracking store
 * (InProgress, then Completed, Failed or Stopped with the reason). Ctrl-C stops the job cleanly:
 * no half-written artifact, status Stopped, exit code 1.
 */
import type { Command } from 'commander'
import { formatResources } from '../../jobs/resources.js'
import { train } from '../../jobs/train-job.js'
import { type CliIo, printJson, type RegisterCommand } from '../context.js'
import { trainProgress } from '../progress.js'
import { parsePositiveInteger } from '../options.js'

interface TrainCliOptions {
  readonly set: string[]
  readonly out?: string
  readonly workers?: number
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
    .argument('<spec>', 'ensemble or training-script spec (YAML or JSON)')
    .description('train an ensemble (every member k-fold on data read and binned once, blended) or run a training script; save model.tar.gz')
    .option('--set <key=value>', 'override a spec field, e.g. members.xgb.params.eta=0.2 (repeatable)', (v: string, all: string[]) => [...all, v], [])
    .option('--out <dir>', 'output folder for model.tar.gz and metrics.json')
    .option('--workers <n>', 'fits side by side, each single-threaded (default: one per core for data of 2000 rows or more; 1: one at a time)', parsePositiveInteger)
    .option('--json', 'print one JSON object on the last line of stdout')
    .action(async (specPath: string, options: TrainCliOptions) => runTrain(specPath, options, io))

async function runTrain(specPath: string, options: TrainCliOptions, io: CliIo): Promise<void> {
  const controller = new AbortController()
  const stop = () => controller.abort(new Error('stopped by the user'))
  // Every Ctrl-C (not only the first) stops the job: a training script runs in its own process
  // group and must be stopped by consort, which must stay alive until it has.
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
  const progress = trainProgress(io.stderr, io.stderrIsTTY === true)
  try {
    const result = await train(specPath, {
      set: options.set,
      outDir: options.out,
      workers: options.workers,
      signal: controller.signal,
      onEvent: progress.onEvent,
      onLog: (line) => io.stderr(line + '\n'),
    })
    progress.end()
    for (const [name, value] of Object.entries(result.metrics)) io.stdout(`${name.replaceAll(':', '-')}:${value.toFixed(6)};\n`)
    io.stderr(`job ${result.job}: artifact ${result.artifact} (${formatResources(result.resources)})${result.log ? `, log ${result.log}` : ''}\n`)
    if (options.json) printJson(io, result)
  } finally {
    process.off('SIGINT', stop)
    process.off('SIGTERM', stop)
  }
}
