/**
 * `consort demo`: the main job on bundled data with no set-up. Cross-validates `gbdt` on the
 * diabetes data (5 folds, the settings XGBoost reaches about 56.5 RMSE with) and prints the
 * per-fold RMSE, the CV RMSE (mean ± std), the wall time and a SageMaker-style metric line.
 */
import { type Command, InvalidArgumentError } from 'commander'
import { bundledDataset } from '../../data/bundled.js'
import { readFrame } from '../../data/read.js'
import { crossValidateGbdt, type FoldScore } from '../../jobs/cross-validate.js'
import { type CliIo, printJson, type RegisterCommand } from '../context.js'

/**
 * The demo's `gbdt` parameters (XGBoost names).
 * @example
 * await crossValidateGbdt(frame, 'target', DEMO_PARAMS, { folds: DEMO_FOLDS })
 */
export const DEMO_PARAMS = { num_round: 300, max_depth: 2, eta: 0.03, subsample: 0.8 } as const

/**
 * Folds of the demo's cross-validation.
 * @example
 * kFold(frame.nRows, DEMO_FOLDS, 0)
 */
export const DEMO_FOLDS = 5

interface DemoOptions {
  readonly seed: number
  readonly json?: boolean
}

/**
 * Registers `consort demo [--seed N] [--json]`.
 * @example
 * registerDemo(new Command('consort'), processIo())
 */
export const registerDemo: RegisterCommand = (program: Command, io: CliIo): Command =>
  program
    .command('demo')
    .description(`cross-validate gbdt on the bundled diabetes data (${DEMO_FOLDS} folds) and print the scores`)
    .option('--seed <int>', 'seed of the fold assignment', parseInteger, 0)
    .option('--json', 'print the result as one JSON object on the last line of stdout')
    .action(async (options: DemoOptions) => runDemo(options, io))

async function runDemo(options: DemoOptions, io: CliIo): Promise<void> {
  const started = performance.now()
  const json = options.json === true
  // With --json, stdout carries only the JSON object; the human-readable lines go to stderr.
  const out = json ? io.stderr : io.stdout
  const data = bundledDataset('diabetes')
  const frame = await readFrame(data.path)
  const nFeatures = frame.columns.length - 1
  const params = Object.entries(DEMO_PARAMS)
    .map(([name, value]) => `${name}=${value}`)
    .join(' ')
  io.stderr(`gbdt (${params}), ${DEMO_FOLDS}-fold CV, seed ${options.seed}, on the bundled ${data.name} data: ${frame.nRows} rows, ${nFeatures} features\n`)

  const cv = await crossValidateGbdt(frame, data.target, DEMO_PARAMS, {
    folds: DEMO_FOLDS,
    seed: options.seed,
    metrics: ['rmse'],
    onFold: (score: FoldScore) =>
      out(
        `fold ${score.fold + 1}/${DEMO_FOLDS}  rmse ${score.scores.rmse.toFixed(4)}  ` +
          `(${score.nTrain} train / ${score.nTest} test rows, ${score.seconds.toFixed(2)} s)\n`,
      ),
  })
  const seconds = (performance.now() - started) / 1000
  const mean = cv.mean.rmse
  const std = cv.std.rmse
  out(`cv rmse ${mean.toFixed(4)} ± ${std.toFixed(4)} (mean ± std over ${DEMO_FOLDS} folds)\n`)
  out(`wall time ${seconds.toFixed(2)} s\n`)
  out(`cv-rmse:${mean.toFixed(4)};\n`)
  if (json) {
    printJson(io, {
      command: 'demo',
      data: { name: data.name, rows: frame.nRows, features: nFeatures, target: data.target },
      learner: 'gbdt',
      params: DEMO_PARAMS,
      folds: DEMO_FOLDS,
      seed: options.seed,
      metric: 'rmse',
      foldScores: cv.folds.map((f) => f.scores.rmse),
      mean,
      std,
      seconds,
    })
  }
}

function parseInteger(text: string): number {
  const value = Number(text)
  if (!/^-?\d+$/.test(text.trim()) || !Number.isSafeInteger(value)) throw new InvalidArgumentError('expected an integer')
  return value
}
