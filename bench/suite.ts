/**
 * The standard suite behind `npm run bench`: the issue's targets measured on seeded synthetic
 * data, the CSV reader and the diabetes quality check, each consort measurement in a fresh child
 * process, and XGBoost on the same files in the same run when the Python peers are installed.
 */
import type { Task } from '../src/learners/types.js'
import type { SuiteArgs } from './args.js'
import { benchCommand, runJsonChild } from './child.js'
import { numericCsv, syntheticCsv } from './datasets.js'
import { type LearnerBenchmark, runLearnerBenchmarks } from './learner-suite.js'
import { load1, machineInfo, type MachineInfo } from './machine.js'
import { cvResultSchema, holdoutResultSchema, readResultSchema, type CvResult, type HoldoutResult, type ReadResult } from './results.js'
import { runCvPeer, runGbdtPeer, xgboostVersion, type GbdtPeerResult } from './peers.js'

/** The configuration the speed targets are stated for. */
export const TARGET_CONFIG = { rounds: 100, depth: 6, eta: 0.1, maxBin: 256, features: 8 } as const

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
  readonly task: Task
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
  readonly regression: HoldoutPair
  readonly binary: HoldoutPair
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

  const measure = async <T>(name: string, run: () => Promise<T>, describe: (r: T) => string): Promise<T> => {
    load[name] = load1()
    const t0 = performance.now()
    const result = await run()
    log(`${name}: ${describe(result)} (${((performance.now() - t0) / 1000).toFixed(1)} s wall, load before ${load[name]})`)
    return result
  }

  const pair = async (task: Task): Promise<HoldoutPair> => {
    log(`preparing ${task} data: ${rows} x ${TARGET_CONFIG.features} train, ${rows / 2} test`)
    const train = await syntheticCsv({ rows, features: TARGET_CONFIG.features, task, missing: 0, seed: 1 })
    const test = await syntheticCsv({ rows: rows / 2, features: TARGET_CONFIG.features, task, missing: 0, seed: 2 })
    const { rounds, depth, eta, maxBin } = TARGET_CONFIG
    const consortArgs = [
      'gbdt', '--train', train, '--test', test, '--target', 'y', '--task', task,
      '--set', `num_round=${rounds}`, '--set', `max_depth=${depth}`, '--set', `eta=${eta}`, '--set', `max_bin=${maxBin}`,
      '--threads', String(args.threads), '--json',
    ]
    const consort = await measure(
      `consort ${task}`,
      async () => holdoutResultSchema.parse(await runJsonChild(process.execPath, benchCommand(consortArgs))),
      (r) => `train ${r.train_s} s, predict ${r.predict_s} s, peak ${r.peak_rss_mb} MiB`,
    )
    if (xgboost === undefined) return { task, consort }
    const peer = await measure(
      `xgboost ${task}`,
      () => runGbdtPeer({ train, test, target: 'y', task, rounds, depth, eta, maxBin, threads: args.threads }),
      (r) => `train ${r.train_s} s, predict ${r.predict_s} s, peak ${r.peak_rss_mb} MiB`,
    )
    return { task, consort, peer }
  }

  const regression = await pair('regression')
  const binary = await pair('binary')

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
  return { quick: args.quick, threads: args.threads, machine, xgboost, load, regression, binary, read, diabetes: { consort: consortCv, peer: peerCv }, learners }
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
