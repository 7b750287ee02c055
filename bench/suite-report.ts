/**
 * The suite's results as a markdown table: each measure, consort's value, XGBoost's, their ratio
 * or relative difference, the issue's target and whether it is met.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { DATA_DIR } from './datasets.js'
import { DATA_DESCRIPTIONS, DIABETES, HOLDOUT_DATA, type HoldoutPair, type SuiteRuns } from './suite.js'
import { learnerBenchmarksMarkdown } from './learner-suite.js'
import { markdownTable } from './table.js'

/** The issue's targets. */
export const TARGETS = {
  /** consort train_s / XGBoost train_s. */
  trainRatio: 1.0,
  /** consort predict_s / XGBoost predict_s on the test rows. */
  predictRatio: 0.8,
  /** Test RMSE may exceed XGBoost's by this fraction. */
  rmseRelative: 0.005,
  /** Test AUC may fall below XGBoost's by this much (absolute). */
  aucAbsolute: 0.002,
  /** consort's peak RSS / XGBoost's whole process on the same files. */
  memoryRatio: 1.0,
  /** Without the peer: peak RSS may exceed the binned training data by this many MiB. */
  memoryOverBinnedMib: 300,
  /** Seconds to read the 1M x 8 numeric CSV. */
  csvReadS: 2,
  /** Mean fold RMSE of the diabetes CV. */
  diabetesRmse: 57.5,
} as const

/** One line of the table; every cell already formatted. */
export interface SuiteRow {
  /** The data the row measures: `synthetic 1M x 8`, `realistic 1M x 7`, `numeric 1M x 8`, `diabetes 442 x 10`. */
  readonly data: string
  readonly measure: string
  readonly consort: string
  readonly peer: string
  /**
   * consort / XGBoost for times and memory; for metrics the signed relative difference, or the
   * signed absolute one when the target is absolute (AUC).
   */
  readonly ratio: string
  readonly target: string
  /** `yes`, `**no**`, or empty when the row has no target or nothing to compare with. */
  readonly met: string
}

const DASH = '—'

/**
 * The table rows for a suite run.
 * @example
 * suiteRows(runs).find((r) => r.measure.includes('RMSE'))?.ratio // '+0.03%'
 */
export function suiteRows(runs: SuiteRuns): SuiteRow[] {
  return [...runs.holdout.flatMap(pairRows), ...readRows(runs), ...diabetesRows(runs)]
}

/**
 * The whole report: a line on the code, machine and load, the table, and what the numbers cover.
 * @example
 * console.log(suiteMarkdown(runs))
 */
export function suiteMarkdown(runs: SuiteRuns): string {
  const { machine, load } = runs
  const before = Object.entries(load).filter(([k]) => k !== 'start' && k !== 'end').map(([, v]) => v)
  const header =
    `consort ${machine.commit} · Node ${machine.node} · ${runs.xgboost ? `XGBoost ${runs.xgboost}` : 'no XGBoost peer'} · ` +
    `${machine.cores} cores, ${runs.threads} threads · load average (1 min): ${load.start} at start, ` +
    `${Math.max(...before)} highest before a measurement, ${load.end} at end`
  const first = runs.holdout[0]?.consort
  const quick = `quick run (${first?.rows ?? '?'} training rows): the targets are stated for the full suite`
  const table = markdownTable(
    ['data', 'measure', 'consort', 'XGBoost', 'consort / XGBoost', 'target', 'met'],
    suiteRows(runs).map((r) => [r.data, r.measure, r.consort, r.peer, r.ratio, r.target, r.met]),
  )
  const sets = HOLDOUT_DATA.filter((d) => runs.holdout.some((p) => p.data === d)).map((d) => `- ${d}: ${DATA_DESCRIPTIONS[d]}`)
  const notes =
    `Times in seconds, memory in MiB. train_s: consort ${first?.train_s_includes ?? ''}; XGBoost DMatrix + ` +
    `training. Peak RSS is the whole process's, CSV frames included (pandas for XGBoost). Each measurement ran ` +
    `once in its own process, one after the other; on a loaded machine compare the CPU seconds.`
  const learners = runs.learners.length > 0 ? ['', '## Other learners', '', learnerBenchmarksMarkdown(runs.learners)] : []
  return [header, ...(runs.quick ? [quick] : []), '', table, '', 'gbdt train/test data:', '', ...sets, '', notes, ...learners].join('\n')
}

/** {@link suiteJson}'s object. */
export type SuiteJson = SuiteRuns & {
  /** The synthetic regression pair, as the schema before the realistic set had it (also in `holdout`). */
  readonly regression?: HoldoutPair
  /** The synthetic binary pair, likewise. */
  readonly binary?: HoldoutPair
  readonly rows: SuiteRow[]
}

/**
 * Everything a suite run measured, with the table rows, as one JSON object: every train/test pair
 * in `holdout`, and the synthetic ones also under `regression` and `binary` as before.
 * @example
 * JSON.parse(JSON.stringify(suiteJson(runs))).rows.length // 30
 */
export function suiteJson(runs: SuiteRuns): SuiteJson {
  const synthetic = (task: string): HoldoutPair | undefined => runs.holdout.find((p) => p.data === 'synthetic' && p.task === task)
  return { ...runs, regression: synthetic('regression'), binary: synthetic('binary'), rows: suiteRows(runs) }
}

/**
 * Writes {@link suiteJson} to `bench/.data/suite-last.json` (git-ignored, replaced by each run)
 * so every field of the last run can be looked up after the table is printed.
 * @returns the file's path
 * @example
 * console.error(`all fields: ${saveSuiteJson(runs)}`)
 */
export function saveSuiteJson(runs: SuiteRuns): string {
  mkdirSync(DATA_DIR, { recursive: true })
  const path = join(DATA_DIR, 'suite-last.json')
  writeFileSync(path, JSON.stringify(suiteJson(runs), null, 2) + '\n')
  return path
}

function pairRows(pair: HoldoutPair): SuiteRow[] {
  const { consort: c, peer: p, task, config } = pair
  const data = `${pair.data} ${count(c.rows)} x ${c.features}`
  const rows: SuiteRow[] = [
    timeRow(data, `${task}: train s (${config.rounds} rounds, depth ${config.depth})`, c.train_s, p?.train_s, TARGETS.trainRatio),
    timeRow(data, `${task}: train CPU s`, c.train_cpu_s, p?.train_cpu_s),
    timeRow(data, `${task}: predict ${count(c.test_rows)} rows, s`, c.predict_s, p?.predict_s, TARGETS.predictRatio),
  ]
  if (task === 'regression') rows.push(metricRow(data, `${task}: test RMSE`, c.rmse, p?.metric.rmse, 'lower', { relative: TARGETS.rmseRelative }))
  if (task === 'binary') {
    rows.push(metricRow(data, `${task}: test AUC`, c.auc, p?.metric.auc, 'higher', { absolute: TARGETS.aucAbsolute }))
    rows.push(metricRow(data, `${task}: test logloss`, c.logloss, p?.metric.logloss, 'lower'))
  }
  // Against XGBoost's whole process when it ran; otherwise a bound over the binned data.
  const limit = p === undefined ? c.binned_mb + TARGETS.memoryOverBinnedMib : p.peak_rss_mb * TARGETS.memoryRatio
  rows.push({
    data,
    measure: `${task}: peak RSS MiB after reading the CSVs, before training`,
    consort: c.peak_rss_read_mb.toFixed(0),
    peer: DASH,
    ratio: DASH,
    target: '',
    met: '',
  })
  rows.push({
    data,
    measure: `${task}: peak RSS MiB (binned data ${c.binned_mb})`,
    consort: c.peak_rss_mb.toFixed(0),
    peer: p === undefined ? DASH : p.peak_rss_mb.toFixed(0),
    ratio: p === undefined ? DASH : ratio(c.peak_rss_mb, p.peak_rss_mb),
    target: p === undefined ? `<= binned + ${TARGETS.memoryOverBinnedMib} = ${limit.toFixed(0)}` : `<= ${TARGETS.memoryRatio.toFixed(1)}x`,
    met: verdict(c.peak_rss_mb <= limit),
  })
  return rows
}

function readRows(runs: SuiteRuns): SuiteRow[] {
  const r = runs.read
  return [
    {
      data: `numeric ${count(r.rows)} x ${r.columns}`,
      measure: `CSV read (${r.mb} MB), s (best of ${r.runs})`,
      consort: r.read_s.toFixed(2),
      peer: DASH,
      ratio: DASH,
      target: `< ${TARGETS.csvReadS} s`,
      met: verdict(r.read_s < TARGETS.csvReadS),
    },
  ]
}

function diabetesRows(runs: SuiteRuns): SuiteRow[] {
  const { consort: c, peer: p } = runs.diabetes
  const d = DIABETES
  const data = `diabetes ${count(c.rows)} x ${c.features}`
  const title = `${d.folds}-fold CV x ${d.repeats}`
  const mean = c.mean.rmse ?? NaN
  return [
    {
      data,
      measure: `${title}: mean fold RMSE (${d.rounds} rounds, depth ${d.depth}, eta ${d.eta}, subsample ${d.subsample})`,
      consort: `${mean.toFixed(2)} ± ${(c.std.rmse ?? NaN).toFixed(2)}`,
      peer: p === undefined ? DASH : `${p.mean_rmse.toFixed(2)} ± ${p.std_rmse.toFixed(2)}`,
      ratio: p === undefined ? DASH : relative(mean, p.mean_rmse),
      target: `<= ${TARGETS.diabetesRmse}`,
      met: verdict(mean <= TARGETS.diabetesRmse),
    },
    metricRow(data, `${title}: pooled out-of-fold RMSE`, c.oof.rmse, p?.oof_rmse, 'lower'),
    timeRow(data, `${title}: seconds for ${d.folds * d.repeats} fits`, round3(c.train_s + c.predict_s), p?.seconds),
  ]
}

function timeRow(data: string, measure: string, consort: number, peer: number | undefined, maxRatio?: number): SuiteRow {
  const hasPeer = peer !== undefined
  return {
    data,
    measure,
    consort: seconds(consort),
    peer: hasPeer ? seconds(peer) : DASH,
    ratio: hasPeer ? ratio(consort, peer) : DASH,
    target: maxRatio === undefined ? '' : `<= ${maxRatio.toFixed(1)}x`,
    met: maxRatio === undefined ? '' : hasPeer ? verdict(consort / peer <= maxRatio) : 'no peer',
  }
}

/** How far consort's metric may trail XGBoost's: a fraction of XGBoost's value, or an absolute amount. */
type Tolerance = { readonly relative: number } | { readonly absolute: number }

function metricRow(data: string, measure: string, consort: number | undefined, peer: number | undefined, better: 'lower' | 'higher', tolerance?: Tolerance): SuiteRow {
  const c = consort ?? NaN
  const hasPeer = peer !== undefined
  const absolute = tolerance !== undefined && 'absolute' in tolerance
  const slack = tolerance === undefined ? 0 : 'absolute' in tolerance ? tolerance.absolute : Math.abs(peer ?? 0) * tolerance.relative
  const ok = hasPeer && (better === 'lower' ? c <= peer + slack : c >= peer - slack)
  return {
    data,
    measure,
    consort: metric(c),
    peer: hasPeer ? metric(peer) : DASH,
    ratio: hasPeer ? (absolute ? difference(c, peer) : relative(c, peer)) : DASH,
    target: tolerance === undefined ? '' : 'absolute' in tolerance ? `within ${tolerance.absolute}` : `within ${(tolerance.relative * 100).toFixed(1)}%`,
    met: tolerance === undefined ? '' : hasPeer ? verdict(ok) : 'no peer',
  }
}

function verdict(ok: boolean): string {
  return ok ? 'yes' : '**no**'
}

function ratio(a: number, b: number): string {
  return `${(a / b).toFixed(2)}x`
}

function relative(a: number, b: number): string {
  const d = ((a - b) / b) * 100
  return `${d >= 0 ? '+' : ''}${d.toFixed(2)}%`
}

function difference(a: number, b: number): string {
  const d = a - b
  return `${d >= 0 ? '+' : ''}${d.toFixed(4)}`
}

function seconds(s: number): string {
  return s < 10 ? s.toFixed(2) : s.toFixed(1)
}

function metric(x: number): string {
  return Math.abs(x) >= 10 ? x.toFixed(2) : x.toFixed(5)
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000
}

/** 1000000 -> '1M', 500000 -> '500k', 2000 -> '2k', 442 -> '442'. */
function count(n: number): string {
  if (n >= 1e6 && n % 1e5 === 0) return `${n / 1e6}M`
  if (n >= 1e3 && n % 100 === 0) return `${n / 1e3}k`
  return String(n)
}
