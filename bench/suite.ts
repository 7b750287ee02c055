/**
 * The standard suite behind `npm run bench`: the issue's targets measured on two seeded data sets
 * (tidy synthetic features and a taxi-shaped table), the CSV reader and the diabetes quality
 * check, each consort measurement in a fresh child process running compiled JavaScript, and
 * XGBoost on the same files in the same run when the Python peers are installed.
 */
import type { SuiteArgs } from './args.js'
import { benchCommand, compileBench, runJsonChild } from './child.js'
import { numericCsv, realisticCsv, syntheticCsv } from './datasets.js'
import { type LearnerBenchmark, runLearnerBenchmarks } from './learner-suite.js'
import { load1, machineInfo, type MachineInfo } from './machine.js'
import { cvResultSchema, holdoutResultSchema, readResultSchema, type CvResult, type HoldoutResult, type ReadResult } from './results.js'
import { runCvPeer, runGbdtPeer, xgboostVersion, type GbdtPeerOptions, type GbdtPeerResult } from './peers.js'
import { LONG_TRIP_MINUTES, REALISTIC_FEATURES, ZONES } from './realistic.js'

/** The data sets of the gbdt train/test pairs. */
export const HOLDOUT_DATA = ['synthetic', 'realistic'] as const
export type HoldoutData = (typeof HOLDOUT_DATA)[number]

/** The tasks of the gbdt train/test pairs. */
export const HOLDOUT_TASKS = ['regression', 'binary'] as const
export type HoldoutTask = (typeof HOLDOUT_TASKS)[number]

/**
 * The configuration the speed and quality targets are stated for: the same boosting settings
 * everywhere, the depth by task and the feature count by data set.
 */
export const TARGET_CONFIG = {
  rounds: 100,
  eta: 0.1,
  maxBin: 256,
  depth: { regression: 6, binary: 10 },
  features: { synthetic: 8, realistic: REALISTIC_FEATURES.length },
} as const

/** What each data set is, for the report. */
export const DATA_DESCRIPTIONS: Readonly<Record<HoldoutData, string>> = {
  synthetic: 'synthetic.ts: Gaussian features, a mildly non-linear target (an interaction, a sine, a step), Gaussian noise; binary: a logistic draw',
  realistic:
    'realistic.ts, shaped like taxi trips: month, weekday, hour, passengers 1-6, a heavy-tailed distance, ' +
    `two zone codes of ${ZONES} values (Zipf-like); target the trip duration in minutes (heavy-tailed, with outliers); ` +
    `binary: duration > ${LONG_TRIP_MINUTES} min`,
}

/** One gbdt train/test measurement: the data, the task and the parameters both sides get. */
export interface HoldoutConfig {
  readonly data: HoldoutData
  readonly task: HoldoutTask
  readonly features: number
  readonly rounds: number
  readonly depth: number
  readonly eta: number
  readonly maxBin: number
}

/**
 * The target configuration for one data set and task.
 * @example
 * holdoutConfig('realistic', 'binary') // { data: 'realistic', task: 'binary', features: 7, rounds: 100, depth: 10, eta: 0.1, maxBin: 256 }
 */
export function holdoutConfig(data: HoldoutData, task: HoldoutTask): HoldoutConfig {
  const { rounds, eta, maxBin } = TARGET_CONFIG
  return { data, task, features: TARGET_CONFIG.features[data], rounds, depth: TARGET_CONFIG.depth[task], eta, maxBin }
}

/** The suite's train/test pairs, in the order they run and are reported: each data set, each task. */
export const HOLDOUT_CONFIGS: readonly HoldoutConfig[] = HOLDOUT_DATA.flatMap((data) => HOLDOUT_TASKS.map((task) => holdoutConfig(data, task)))

/** A pair's training and test files. */
export interface HoldoutFiles {
  readonly train: string
  readonly test: string
}

/**
 * The cached CSVs of a pair (generated on first use): `rows` training rows with seed 1 and half as
 * many test rows with seed 2.
 * @example
 * await holdoutFiles(holdoutConfig('realistic', 'regression'), 1_000_000)
 * // { train: '.../realistic-regression-1000000x7-seed1.csv', test: '.../realistic-regression-500000x7-seed2.csv' }
 */
export async function holdoutFiles(config: HoldoutConfig, rows: number): Promise<HoldoutFiles> {
  const { data, task, features } = config
  const file = (n: number, seed: number): Promise<string> =>
    data === 'synthetic' ? syntheticCsv({ rows: n, features, task, missing: 0, seed }) : realisticCsv({ rows: n, task, seed })
  return { train: await file(rows, 1), test: await file(rows / 2, 2) }
}

/**
 * The arguments of the bench command that trains consort on a pair (for {@link benchCommand}).
 * @example
 * consortHoldoutArgs(holdoutConfig('synthetic', 'regression'), { train: 'a.csv', test: 'b.csv' }, 2)
 * // ['gbdt', '--train', 'a.csv', '--test', 'b.csv', '--target', 'y', '--task', 'regression', '--set', 'num_round=100', ...]
 */
export function consortHoldoutArgs(config: HoldoutConfig, files: HoldoutFiles, threads: number): string[] {
  const { task, rounds, depth, eta, maxBin } = config
  return [
    'gbdt', '--train', files.train, '--test', files.test, '--target', 'y', '--task', task,
    '--set', `num_round=${rounds}`, '--set', `max_depth=${depth}`, '--set', `eta=${eta}`, '--set', `max_bin=${maxBin}`,
    '--threads', String(threads), '--json',
  ]
}

/**
 * XGBoost's settings for the same pair.
 * @example
 * await runGbdtPeer(peerHoldoutOptions(config, files, 2))
 */
export function peerHoldoutOptions(config: HoldoutConfig, files: HoldoutFiles, threads: number): GbdtPeerOptions {
  const { task, rounds, depth, eta, maxBin } = config
  return { train: files.train, test: files.test, target: 'y', task, rounds, depth, eta, maxBin, threads }
}

/** The diabetes quality check's protocol (the peers README's reference run, repeated). */
export const DIABETES = {
  file: 'data/diabetes.csv',
  target: 'target',
  folds: 5,
  repeats: 3,
  rounds: 300,
  depth: 2,
  eta: 0.03,
  subsample: 0.8,
} as const

/** Training rows of the full suite and of `--quick`; test files have half as many. */
export const SUITE_ROWS = { full: 1_000_000, quick: 100_000 } as const

/** consort and (when installed) XGBoost on one train/test pair. */
export interface HoldoutPair {
  readonly data: HoldoutData
  readonly task: HoldoutTask
  readonly config: HoldoutConfig
  readonly consort: HoldoutResult
  readonly peer?: GbdtPeerResult
}

/** XGBoost's repeated CV: every fold of every repeat pooled. */
export interface CvPeerSummary {
  readonly version: string
  /** Mean of the fold RMSEs over all folds x repeats. */
  readonly mean_rmse: number
  /** Population standard deviation of the same fold RMSEs. */
  readonly std_rmse: number
  /** Pooled out-of-fold RMSE of each repeat, averaged. */
  readonly oof_rmse: number
  readonly seconds: number
}

/** Everything one suite run measured. */
export interface SuiteRuns {
  readonly quick: boolean
  readonly threads: number
  readonly machine: MachineInfo
  /** XGBoost's version, undefined when the peers were skipped or are not installed. */
  readonly xgboost?: string
  /** 1-minute load average before each measurement, by measurement name, plus at the end. */
  readonly load: Readonly<Record<string, number>>
  /** The gbdt train/test pairs, one per entry of {@link HOLDOUT_CONFIGS}, in that order. */
  readonly holdout: readonly HoldoutPair[]
  readonly read: ReadResult
  readonly diabetes: { readonly consort: CvResult; readonly peer?: CvPeerSummary }
  /** The other learners' benchmarks (quality against scikit-learn, categorical, speed). */
  readonly learners: readonly LearnerBenchmark[]
}

/**
 * Runs the suite, reporting progress through `log` (one line per step).
 * @example
 * const runs = await runSuite({ quick: true, peer: true, threads: 2, json: false }, console.error)
 */
export async function runSuite(args: SuiteArgs, log: (line: string) => void): Promise<SuiteRuns> {
  const rows = args.quick ? SUITE_ROWS.quick : SUITE_ROWS.full
  const machine = await machineInfo()
  const xgboost = args.peer ? await xgboostVersion() : undefined
  if (args.peer && xgboost === undefined) log('XGBoost peer not available (python3-xgboost, python3-sklearn, python3-pandas); consort only')
  const load: Record<string, number> = { start: load1() }
  log(`consort ${machine.commit}, node ${machine.node}, ${machine.cores} cores, load ${load.start}${xgboost ? `, XGBoost ${xgboost}` : ''}`)
  // Measured as compiled JavaScript, the way the consort command runs.
  await compileBench()
  log('bench compiled to JavaScript (bench/.build): consort runs compiled, as the consort command does')

  const measure = async <T>(name: string, run: () => Promise<T>, describe: (r: T) => string): Promise<T> => {
    load[name] = load1()
    const t0 = performance.now()
    const result = await run()
    log(`${name}: ${describe(result)} (${((performance.now() - t0) / 1000).toFixed(1)} s wall, load before ${load[name]})`)
    return result
  }

  const describeRun = (r: { train_s: number; predict_s: number; peak_rss_mb: number }): string =>
    `train ${r.train_s} s, predict ${r.predict_s} s, peak ${r.peak_rss_mb} MiB`
  const holdout: HoldoutPair[] = []
  for (const config of HOLDOUT_CONFIGS) {
    const { data, task } = config
    const name = `${data} ${task}`
    log(`preparing ${name} data: ${rows} x ${config.features} train, ${rows / 2} test`)
    const files = await holdoutFiles(config, rows)
    const consort = await measure(
      `consort ${name}`,
      async () => holdoutResultSchema.parse(await runJsonChild(process.execPath, benchCommand(consortHoldoutArgs(config, files, args.threads)))),
      describeRun,
    )
    const peer = xgboost === undefined ? undefined : await measure(`xgboost ${name}`, () => runGbdtPeer(peerHoldoutOptions(config, files, args.threads)), describeRun)
    holdout.push({ data, task, config, consort, peer })
  }

  const numeric = await numericCsv(rows)
  const read = await measure(
    'csv read',
    async () => readResultSchema.parse(await runJsonChild(process.execPath, benchCommand(['read', '--file', numeric, '--runs', '3', '--json']))),
    (r) => `${r.read_s} s for ${r.mb} MB`,
  )

  const d = DIABETES
  const consortCv = await measure(
    'consort diabetes',
    async () =>
      cvResultSchema.parse(
        await runJsonChild(
          process.execPath,
          benchCommand([
            'gbdt', '--data', d.file, '--target', d.target, '--task', 'regression',
            '--folds', String(d.folds), '--repeats', String(d.repeats), '--seed', '0',
            '--set', `num_round=${d.rounds}`, '--set', `max_depth=${d.depth}`, '--set', `eta=${d.eta}`,
            '--set', `subsample=${d.subsample}`, '--threads', String(args.threads), '--json',
          ]),
        ),
      ),
    (r) => `mean fold RMSE ${r.mean.rmse?.toFixed(2)}`,
  )
  const peerCv =
    xgboost === undefined
      ? undefined
      : await measure('xgboost diabetes', () => diabetesPeer(args.threads), (r) => `mean fold RMSE ${r.mean_rmse.toFixed(2)}`)
  load.learners = load1()
  const learners = await runLearnerBenchmarks(args.quick, log)
  load.end = load1()
  return { quick: args.quick, threads: args.threads, machine, xgboost, load, holdout, read, diabetes: { consort: consortCv, peer: peerCv }, learners }
}

/** cv_peer.py once per fold seed 0 .. repeats-1, the folds of all repeats pooled. */
async function diabetesPeer(threads: number): Promise<CvPeerSummary> {
  const d = DIABETES
  const folds: number[] = []
  const oof: number[] = []
  let seconds = 0
  let version = ''
  for (let seed = 0; seed < d.repeats; seed++) {
    const r = await runCvPeer({
      data: d.file, target: d.target, task: 'regression', folds: d.folds, seed,
      rounds: d.rounds, depth: d.depth, eta: d.eta, subsample: d.subsample, threads,
    })
    for (const f of r.per_fold) if (f.rmse !== undefined) folds.push(f.rmse)
    if (r.oof.rmse !== undefined) oof.push(r.oof.rmse)
    seconds += r.seconds
    version = r.version
  }
  const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length
  const m = mean(folds)
  return {
    version,
    mean_rmse: m,
    std_rmse: Math.sqrt(mean(folds.map((x) => (x - m) ** 2))),
    oof_rmse: mean(oof),
    seconds: Math.round(seconds * 1000) / 1000,
  }
}
