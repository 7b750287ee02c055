/**
 * The suite's results as a markdown table: each measure, consort's value, XGBoost's, their ratio
 * or relative difference, the issue's target and whether it is met.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { DATA_DIR } from './datasets.js'
import { TARGET_CONFIG, DIABETES, type HoldoutPair, type SuiteRuns } from './suite.js'
import { learnerBenchmarksMarkdown } from './learner-suite.js'
import { markdownTable } from './table.js'

/** The issue's targets. */
export const TARGETS = {
  /** consort train_s / XGBoost train_s. */
  trainRatio: 1.0,
  /** consort predict_s / XGBoost predict_s on the test rows. */
  predictRatio: 1.0,
  /** Test RMSE may exceed XGBoost's by this fraction. */
  rmseRelative: 0.005,
  /** Peak RSS may exceed the binned training data by this many MiB. */
  memoryOverBinnedMib: 300,
  /** Seconds to read the 1M x 8 numeric CSV. */
  csvReadS: 2,
  /** Mean fold RMSE of the diabetes CV. */
  diabetesRmse: 57.5,
} as const

/** One line of the table; every cell already formatted. */
export interface SuiteRow {
  readonly measure: string
  readonly consort: string
  readonly peer: string
  /** consort / XGBoost for times and memory, signed relative difference for metrics. */
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
  return [...pairRows(runs.regression), ...pairRows(runs.binary), ...readRows(runs), ...diabetesRows(runs)]
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
  const quick = `quick run (${runs.regression.consort.rows} training rows): the targets are stated for the full suite`
  const table = markdownTable(
    ['measure', 'consort', 'XGBoost', 'consort / XGBoost', 'target', 'met'],
    suiteRows(runs).map((r) => [r.measure, r.consort, r.peer, r.ratio, r.target, r.met]),
  )
  const notes =
    `Times in seconds, memory in MiB. train_s: consort ${runs.regression.consort.train_s_includes}; XGBoost DMatrix + ` +
    `training. Peak RSS is the whole process's, CSV frames included (pandas for XGBoost). Each measurement ran ` +
    `once in its own process, one after the other; on a loaded machine compare the CPU seconds.`
  const learners = runs.learners.length > 0 ? ['', '## Other learners', '', learnerBenchmarksMarkdown(runs.learners)] : []
  return [header, ...(runs.quick ? [quick] : []), '', table, '', notes, ...learners].join('\n')
}

/**
 * Everything a suite run measured, with the table rows, as one JSON object.
 * @example
 * JSON.parse(JSON.stringify(suiteJson(runs))).rows.length // 17
 */
export function suiteJson(runs: SuiteRuns): SuiteRuns & { readonly rows: SuiteRow[] } {
  return { ...runs, rows: suiteRows(runs) }
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
  const { consort: c, peer: p, task } = pair
  const title = `${task} ${count(c.rows)} x ${c.features}`
  const rows: SuiteRow[] = [
    timeRow(`${title}: train s (${TARGET_CONFIG.rounds} rounds, depth ${TARGET_CONFIG.depth})`, c.train_s, p?.train_s, TARGETS.trainRatio),
    timeRow(`${title}: train CPU s`, c.train_cpu_s, p?.train_cpu_s),
    timeRow(`${title}: predict ${count(c.test_rows)} rows, s`, c.predict_s, p?.predict_s, TARGETS.predictRatio),
  ]
  if (task === 'regression') rows.push(metricRow(`${title}: test RMSE`, c.rmse, p?.metric.rmse, 'lower', TARGETS.rmseRelative))
  if (task === 'binary') {
    rows.push(metricRow(`${title}: test AUC`, c.auc, p?.metric.auc, 'higher'))
    rows.push(metricRow(`${title}: test logloss`, c.logloss, p?.metric.logloss, 'lower'))
  }
  const limit = c.binned_mb + TARGETS.memoryOverBinnedMib
  rows.push({
    measure: `${title}: peak RSS MiB after reading the CSVs, before training`,
    consort: c.peak_rss_read_mb.toFixed(0),
    peer: DASH,
    ratio: DASH,
    target: '',
    met: '',
  })
  rows.push({
    measure: `${title}: peak RSS MiB (binned data ${c.binned_mb})`,
    consort: c.peak_rss_mb.toFixed(0),
    peer: p === undefined ? DASH : p.peak_rss_mb.toFixed(0),
    ratio: p === undefined ? DASH : ratio(c.peak_rss_mb, p.peak_rss_mb),
    target: `<= binned + ${TARGETS.memoryOverBinnedMib} = ${limit.toFixed(0)}`,
    met: verdict(c.peak_rss_mb <= limit),
  })
  return rows
}

function readRows(runs: SuiteRuns): SuiteRow[] {
  const r = runs.read
  return [
    {
      measure: `CSV read ${count(r.rows)} x ${r.columns} (${r.mb} MB), s (best of ${r.runs})`,
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
  const title = `diabetes ${d.folds}-fold CV x ${d.repeats}`
  const mean = c.mean.rmse ?? NaN
  return [
    {
      measure: `${title}: mean fold RMSE (${d.rounds} rounds, depth ${d.depth}, eta ${d.eta}, subsample ${d.subsample})`,
      consort: `${mean.toFixed(2)} ± ${(c.std.rmse ?? NaN).toFixed(2)}`,
      peer: p === undefined ? DASH : `${p.mean_rmse.toFixed(2)} ± ${p.std_rmse.toFixed(2)}`,
      ratio: p === undefined ? DASH : relative(mean, p.mean_rmse),
      target: `<= ${TARGETS.diabetesRmse}`,
      met: verdict(mean <= TARGETS.diabetesRmse),
    },
    metricRow(`${title}: pooled out-of-fold RMSE`, c.oof.rmse, p?.oof_rmse, 'lower'),
    timeRow(`${title}: seconds for ${d.folds * d.repeats} fits`, round3(c.train_s + c.predict_s), p?.seconds),
  ]
}

function timeRow(measure: string, consort: number, peer: number | undefined, maxRatio?: number): SuiteRow {
  const hasPeer = peer !== undefined
  return {
    measure,
    consort: seconds(consort),
    peer: hasPeer ? seconds(peer) : DASH,
    ratio: hasPeer ? ratio(consort, peer) : DASH,
    target: maxRatio === undefined ? '' : `<= ${maxRatio.toFixed(1)}x`,
    met: maxRatio === undefined ? '' : hasPeer ? verdict(consort / peer <= maxRatio) : 'no peer',
  }
}

function metricRow(measure: string, consort: number | undefined, peer: number | undefined, better: 'lower' | 'higher', tolerance?: number): SuiteRow {
  const c = consort ?? NaN
  const hasPeer = peer !== undefined
  const ok = hasPeer && (better === 'lower' ? c <= peer * (1 + (tolerance ?? 0)) : c >= peer * (1 - (tolerance ?? 0)))
  return {
    measure,
    consort: metric(c),
    peer: hasPeer ? metric(peer) : DASH,
    ratio: hasPeer ? relative(c, peer) : DASH,
    target: tolerance === undefined ? '' : `within ${(tolerance * 100).toFixed(1)}%`,
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
