/**
 * `consort demo`: the main job on bundled data with no set-up. Trains the default quality
 * ensemble (gbdt, oblivious, random_forest and linear, stacked; examples/diabetes/quality.yaml)
 * on the diabetes data bundled with the package: every member 5-fold on data read and binned
 * once, the blend, the final models, one model.tar.gz and a job record, as `consort train` would.
 * Prints each member's and the ensemble's CV RMSE, what the job cost, and the metric lines.
 */
import type { Command } from 'commander'
import { bundledDataset } from '../../data/bundled.js'
import { qualitySpec } from '../../jobs/demo-spec.js'
import { formatResources } from '../../jobs/resources.js'
import { train } from '../../jobs/train-job.js'
import { type CliIo, printJson, type RegisterCommand } from '../context.js'
import { trainProgress } from '../progress.js'
import { parseInteger } from '../options.js'

interface DemoOptions {
  readonly seed: number
  readonly out?: string
  readonly json?: boolean
}

/**
 * Registers `consort demo [--seed N] [--out DIR] [--json]`.
 * @example
 * registerDemo(new Command('consort'), processIo())
 */
export const registerDemo: RegisterCommand = (program: Command, io: CliIo): Command =>
  program
    .command('demo')
    .description('train the default quality ensemble on the bundled diabetes data (5-fold CV, stacked) and print the scores')
    .option('--seed <int>', 'seed of the fold assignment', parseInteger, 0)
    .option('--out <dir>', 'output folder for model.tar.gz and metrics.json')
    .option('--json', 'print the result as one JSON object on the last line of stdout')
    .action(async (options: DemoOptions) => runDemo(options, io))

async function runDemo(options: DemoOptions, io: CliIo): Promise<void> {
  const json = options.json === true
  // With --json, stdout carries only the JSON object; the human-readable lines go to stderr.
  const out = json ? io.stderr : io.stdout
  const spec = qualitySpec(options.seed)
  const members = Object.keys(spec.members)
  io.stderr(`the default quality ensemble: ${members.join(' + ')}, blended by ${spec.blend.method}; ${spec.cv.folds}-fold CV (seed ${options.seed}) on the bundled diabetes data\n`)
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
    printJson(io, { command: 'demo', data: { name: data.name, target: data.target }, seed: options.seed, ...result })
  }
}
