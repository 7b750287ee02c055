/**
 * The Python peers (peers/gbdt_peer.py, peers/cv_peer.py) run as child processes, with their JSON
 * output checked against a schema. They need Debian's python3-xgboost, python3-sklearn and
 * python3-pandas; set CONSORT_BENCH_PYTHON to use another interpreter.
 */
import { join } from 'node:path'
import { z } from 'zod'
import type { Task } from '../src/learners/types.js'
import { REPO_ROOT, runChild, runJsonChild } from './child.js'
import { metricValuesSchema } from './results.js'

/** The interpreter that runs the peers: the system Python the Debian packages install into. */
export const PYTHON = process.env.CONSORT_BENCH_PYTHON ?? '/usr/bin/python3'

const PEERS = join(REPO_ROOT, 'bench', 'peers')

/**
 * XGBoost's version when the peers can run (xgboost, scikit-learn and pandas import), else
 * undefined.
 * @example
 * await xgboostVersion() // '1.7.4'
 */
export async function xgboostVersion(): Promise<string | undefined> {
  try {
    const { code, stdout } = await runChild(PYTHON, ['-c', 'import sklearn, pandas, xgboost; print(xgboost.__version__)'])
    return code === 0 ? stdout.trim() : undefined
  } catch {
    return undefined
  }
}

/** The settings of one gbdt_peer.py run. */
export interface GbdtPeerOptions {
  readonly train: string
  readonly test: string
  readonly target: string
  readonly task: Task
  readonly rounds: number
  readonly depth: number
  readonly eta: number
  readonly maxBin: number
  readonly threads: number
}

/** gbdt_peer.py's JSON line (the fields the suite reads). */
export const gbdtPeerSchema = z.object({
  lib: z.string(),
  version: z.string(),
  rows: z.number(),
  features: z.number(),
  train_s: z.number(),
  train_cpu_s: z.number(),
  predict_s: z.number(),
  peak_rss_mb: z.number(),
  metric: metricValuesSchema,
})

/** A gbdt_peer.py result. */
export type GbdtPeerResult = z.infer<typeof gbdtPeerSchema>

/**
 * Trains XGBoost (`hist`) on `train` and scores `test` with gbdt_peer.py.
 * @example
 * const xgb = await runGbdtPeer({ train, test, target: 'y', task: 'regression', rounds: 100,
 *   depth: 6, eta: 0.1, maxBin: 256, threads: 2 })
 * xgb.metric.rmse // 1.0217
 */
export async function runGbdtPeer(o: GbdtPeerOptions): Promise<GbdtPeerResult> {
  const args = [
    join(PEERS, 'gbdt_peer.py'),
    '--lib', 'xgboost',
    '--train', o.train,
    '--test', o.test,
    '--target', o.target,
    '--task', o.task,
    '--rounds', String(o.rounds),
    '--depth', String(o.depth),
    '--eta', String(o.eta),
    '--max-bin', String(o.maxBin),
    '--threads', String(o.threads),
  ]
  return gbdtPeerSchema.parse(await runJsonChild(PYTHON, args))
}

/** The settings of one cv_peer.py run. */
export interface CvPeerOptions {
  readonly data: string
  readonly target: string
  readonly task: Task
  readonly folds: number
  /** scikit-learn KFold's random_state. */
  readonly seed: number
  readonly rounds: number
  readonly depth: number
  readonly eta: number
  readonly subsample: number
  readonly threads: number
}

/** cv_peer.py's JSON line (the fields the suite reads). */
export const cvPeerSchema = z.object({
  version: z.string(),
  mean: metricValuesSchema,
  std: metricValuesSchema,
  oof: metricValuesSchema,
  per_fold: z.array(metricValuesSchema),
  seconds: z.number(),
})

/** A cv_peer.py result. */
export type CvPeerResult = z.infer<typeof cvPeerSchema>

/**
 * k-fold cross-validation of XGBoost with cv_peer.py.
 * @example
 * const xgb = await runCvPeer({ data: 'data/diabetes.csv', target: 'target', task: 'regression',
 *   folds: 5, seed: 0, rounds: 300, depth: 2, eta: 0.03, subsample: 0.8, threads: 2 })
 * xgb.mean.rmse // 56.49
 */
export async function runCvPeer(o: CvPeerOptions): Promise<CvPeerResult> {
  const args = [
    join(PEERS, 'cv_peer.py'),
    '--lib', 'xgboost',
    '--data', o.data,
    '--target', o.target,
    '--task', o.task,
    '--folds', String(o.folds),
    '--seed', String(o.seed),
    '--rounds', String(o.rounds),
    '--depth', String(o.depth),
    '--eta', String(o.eta),
    '--subsample', String(o.subsample),
    '--threads', String(o.threads),
  ]
  return cvPeerSchema.parse(await runJsonChild(PYTHON, args))
}
