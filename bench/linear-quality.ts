/**
 * Quality of the `linear` learner against scikit-learn on the same folds: diabetes (Ridge, RMSE),
 * breast_cancer and wine (LogisticRegression, accuracy), 5-fold CV repeated with seeds 0, 1 and 2
 * (stratified folds for classification). Both sides standardise the features; alpha = C = 1.
 * The folds are written to a JSON file that bench/peers/linear_cv_peer.py reads, so both train
 * and score on exactly the same rows. Prints a table; `--json` adds one JSON line at the end.
 *
 * @example
 * // node --import tsx bench/linear-quality.ts
 * // | data          | metric   | consort | scikit-learn | difference | bound              | ok  |
 * // | diabetes      | rmse     | 54.7... | 54.7...      | ...
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { takeRows } from '../src/data/frame.js'
import { linearAliases, linearParams } from '../src/learners/linear/params.js'
import { linearLearner } from '../src/learners/linear/spec.js'
import { parseParams } from '../src/learners/params.js'
import { prepareTrainingData } from '../src/learners/training-data.js'
import type { Task } from '../src/learners/types.js'
import { getMetric } from '../src/metrics/registry.js'
import { REPO_ROOT, runJsonChild } from './child.js'
import { foldedData, K, peerSchema, SEEDS } from './same-folds.js'
import { PYTHON } from './peers.js'
import { markdownTable } from './table.js'

interface Case {
  readonly data: string
  readonly task: Task
  readonly metric: 'rmse' | 'accuracy'
  /** The acceptance bound, as text and as a check of (consort, scikit-learn). */
  readonly bound: string
  readonly ok: (ours: number, theirs: number) => boolean
}

const CASES: readonly Case[] = [
  { data: 'diabetes', task: 'regression', metric: 'rmse', bound: '<= 55.0', ok: (ours) => ours <= 55.0 },
  { data: 'breast_cancer', task: 'binary', metric: 'accuracy', bound: 'within 1 point', ok: (ours, theirs) => Math.abs(ours - theirs) <= 0.01 },
  { data: 'wine', task: 'multiclass', metric: 'accuracy', bound: 'within 1 point', ok: (ours, theirs) => Math.abs(ours - theirs) <= 0.01 },
]


interface Row {
  readonly data: string
  readonly metric: string
  readonly consort: number
  readonly sklearn: number
  readonly consort_s: number
  readonly sklearn_s: number
  readonly sklearn_version: string
  readonly ok: boolean
}

async function runCase(c: Case, dir: string): Promise<Row> {
  const { file, features, y, nClasses, folds, foldsFile } = await foldedData(c.data, c.task, dir)

  // Binning is not used by the linear learner but is part of the training data of every job.
  const data = prepareTrainingData(features)
  const params = parseParams(linearParams, linearAliases, {})
  const metric = getMetric(c.metric)
  const scores: number[] = []
  const t0 = performance.now()
  for (const fold of folds) {
    const model = await linearLearner.fit(data, y, params, { task: c.task, nClasses, rows: fold.train })
    const pred = model.predict(takeRows(features, fold.test))
    scores.push(metric.compute(Float64Array.from(fold.test, (r) => y[r]), pred, nClasses))
  }
  const consortS = (performance.now() - t0) / 1000
  const peer = peerSchema.parse(
    await runJsonChild(PYTHON, [join(REPO_ROOT, 'bench', 'peers', 'linear_cv_peer.py'), '--data', file, '--target', 'target', '--task', c.task, '--folds-file', foldsFile]),
  )
  const ours = scores.reduce((a, b) => a + b, 0) / scores.length
  return { data: c.data, metric: c.metric, consort: ours, sklearn: peer.mean, consort_s: consortS, sklearn_s: peer.seconds, sklearn_version: peer.version, ok: c.ok(ours, peer.mean) }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'consort-linear-'))
  try {
    const rows: Row[] = []
    for (const c of CASES) rows.push(await runCase(c, dir))
    const fmt = (v: number): string => v.toFixed(4)
    console.log(`linear vs scikit-learn ${rows[0]?.sklearn_version ?? ''}: ${K}-fold CV x ${SEEDS.length} seeds, same folds, alpha = C = 1 on standardised features\n`)
    console.log(
      markdownTable(
        ['data', 'metric', 'consort', 'scikit-learn', 'difference', 'bound', 'ok', 'consort s', 'scikit-learn s'],
        rows.map((r, i) => [r.data, r.metric, fmt(r.consort), fmt(r.sklearn), fmt(r.consort - r.sklearn), CASES[i].bound, r.ok ? 'yes' : 'NO', r.consort_s.toFixed(3), r.sklearn_s.toFixed(3)]),
      ),
    )
    if (process.argv.includes('--json')) console.log(JSON.stringify({ rows }))
    if (!rows.every((r) => r.ok)) process.exitCode = 1
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

await main()
