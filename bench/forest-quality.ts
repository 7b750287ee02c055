/**
 * Quality of the `random_forest` and `extra_trees` learners against scikit-learn's forests on the
 * same folds: diabetes (RMSE), breast_cancer and wine (accuracy), 5-fold CV repeated with seeds 0,
 * 1 and 2 (stratified folds for classification), 100 trees and scikit-learn's defaults on both
 * sides. The folds are written to a JSON file that bench/peers/sklearn_cv_peer.py reads, so both
 * train and score on exactly the same rows. Prints a table; `--json` adds one JSON line at the end.
 *
 * @example
 * // node --import tsx bench/forest-quality.ts
 * // | learner       | data     | metric | consort | scikit-learn | difference | bound    | ok  |
 * // | random_forest | diabetes | rmse   | 57.1... | 56.9...      | ...
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { takeRows } from '../src/data/frame.js'
import { extraTreesLearner, randomForestLearner } from '../src/learners/forest/spec.js'
import { parseLearnerParams } from '../src/learners/registry.js'
import { prepareTrainingData } from '../src/learners/training-data.js'
import type { LearnerSpec, Task } from '../src/learners/types.js'
import { getMetric } from '../src/metrics/registry.js'
import { REPO_ROOT, runJsonChild } from './child.js'
import { foldedData, K, peerSchema, SEEDS } from './same-folds.js'
import { PYTHON } from './peers.js'
import { markdownTable } from './table.js'

interface Case {
  readonly learner: LearnerSpec
  /** The peer script's name for the same model. */
  readonly peer: 'rf' | 'et'
  readonly data: string
  readonly task: Task
  readonly metric: 'rmse' | 'accuracy'
  /** The acceptance bound, as text and as a check of (consort, scikit-learn). */
  readonly bound: string
  readonly ok: (ours: number, theirs: number) => boolean
}

const withinPoint = (ours: number, theirs: number): boolean => Math.abs(ours - theirs) <= 0.01

const CASES: readonly Case[] = [
  { learner: randomForestLearner, peer: 'rf', data: 'diabetes', task: 'regression', metric: 'rmse', bound: '<= 57.5', ok: (ours) => ours <= 57.5 },
  { learner: randomForestLearner, peer: 'rf', data: 'breast_cancer', task: 'binary', metric: 'accuracy', bound: 'within 1 point', ok: withinPoint },
  { learner: randomForestLearner, peer: 'rf', data: 'wine', task: 'multiclass', metric: 'accuracy', bound: 'within 1 point', ok: withinPoint },
  { learner: extraTreesLearner, peer: 'et', data: 'diabetes', task: 'regression', metric: 'rmse', bound: 'within 1.0', ok: (ours, theirs) => ours <= theirs + 1 },
  { learner: extraTreesLearner, peer: 'et', data: 'breast_cancer', task: 'binary', metric: 'accuracy', bound: 'within 1 point', ok: withinPoint },
  { learner: extraTreesLearner, peer: 'et', data: 'wine', task: 'multiclass', metric: 'accuracy', bound: 'within 1 point', ok: withinPoint },
]

const TREES = 100

interface Row {
  readonly learner: string
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

  const metric = getMetric(c.metric)
  const params = parseLearnerParams(c.learner, { n_estimators: TREES, random_state: 0 })
  const scores: number[] = []
  const t0 = performance.now()
  for (const fold of folds) {
    // Bins come from the training rows only, as scikit-learn sees only them.
    const data = prepareTrainingData(takeRows(features, fold.train))
    const model = await c.learner.fit(data, Float64Array.from(fold.train, (r) => y[r]), params, { task: c.task, nClasses })
    const pred = model.predict(takeRows(features, fold.test))
    scores.push(metric.compute(Float64Array.from(fold.test, (r) => y[r]), pred, nClasses))
  }
  const consortS = (performance.now() - t0) / 1000
  const script = join(REPO_ROOT, 'bench', 'peers', 'sklearn_cv_peer.py')
  const peer = peerSchema.parse(
    await runJsonChild(PYTHON, [script, '--data', file, '--target', 'target', '--task', c.task, '--model', c.peer, '--folds-file', foldsFile, '--set', `n_estimators=${TREES}`, '--set', 'n_jobs=2']),
  )
  const ours = scores.reduce((a, b) => a + b, 0) / scores.length
  return { learner: c.learner.kind, data: c.data, metric: c.metric, consort: ours, sklearn: peer.mean, consort_s: consortS, sklearn_s: peer.seconds, sklearn_version: peer.version, ok: c.ok(ours, peer.mean) }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'consort-forest-'))
  try {
    const rows: Row[] = []
    for (const c of CASES) rows.push(await runCase(c, dir))
    const fmt = (v: number): string => v.toFixed(4)
    console.log(`forests vs scikit-learn ${rows[0]?.sklearn_version ?? ''}: ${K}-fold CV x ${SEEDS.length} seeds, same folds, ${TREES} trees, default parameters\n`)
    console.log(
      markdownTable(
        ['learner', 'data', 'metric', 'consort', 'scikit-learn', 'difference', 'bound', 'ok', 'consort s', 'scikit-learn s'],
        rows.map((r, i) => [r.learner, r.data, r.metric, fmt(r.consort), fmt(r.sklearn), fmt(r.consort - r.sklearn), CASES[i].bound, r.ok ? 'yes' : 'NO', r.consort_s.toFixed(3), r.sklearn_s.toFixed(3)]),
      ),
    )
    if (process.argv.includes('--json')) console.log(JSON.stringify({ rows }))
    if (!rows.every((r) => r.ok)) process.exitCode = 1
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

await main()
