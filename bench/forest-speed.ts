/**
 * Training speed of `random_forest` against scikit-learn's RandomForestRegressor in the same run:
 * 100 trees on a synthetic 100k x 8 regression set (bench/synthetic.ts, seed 1), scikit-learn's
 * defaults on both sides (full-depth trees, all features per split, bootstrap), 2 threads each.
 * consort's time covers binning and fitting, not reading the CSV; scikit-learn's covers `fit`.
 * Prints a table; `--json` adds one JSON line at the end. Target: ratio <= 1.0.
 *
 * @example
 * // node --import tsx bench/forest-speed.ts [--rows 100000] [--trees 100] [--threads 2]
 * // | rows   | trees | threads | consort s | scikit-learn s | ratio | target | ok  |
 */
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { z } from 'zod'
import { dropColumns, getColumn, numericView } from '../src/data/frame.js'
import { readFrame } from '../src/data/read.js'
import { ForestModel } from '../src/runtime/models/forest.js'
import { forestAliases, randomForestParams } from '../src/learners/forest/params.js'
import { randomForestLearner } from '../src/learners/forest/spec.js'
import { parseParams } from '../src/learners/params.js'
import { prepareTrainingData } from '../src/learners/training-data.js'
import { REPO_ROOT, runJsonChild } from './child.js'
import { syntheticCsv } from './datasets.js'
import { PYTHON } from './peers.js'
import { markdownTable } from './table.js'

const peerSchema = z.object({ version: z.string(), train_s: z.number() })

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { rows: { type: 'string', default: '100000' }, trees: { type: 'string', default: '100' }, threads: { type: 'string', default: '2' }, json: { type: 'boolean', default: false } } })
  const rows = Number(values.rows)
  const trees = Number(values.trees)
  const threads = Number(values.threads)
  const file = await syntheticCsv({ rows, features: 8, task: 'regression', missing: 0, seed: 1 })
  const frame = await readFrame(file)
  const y = Float64Array.from(numericView(getColumn(frame, 'y')))
  const features = dropColumns(frame, ['y'])
  const params = parseParams(randomForestParams, forestAliases, { n_estimators: trees, n_jobs: threads, random_state: 0 })

  const t0 = performance.now()
  const model = await randomForestLearner.fit(prepareTrainingData(features), y, params, { task: 'regression', nClasses: 1 })
  const consortS = (performance.now() - t0) / 1000
  if (!(model instanceof ForestModel)) throw new TypeError('not a forest model')
  const nodes = model.ensemble.feature.length / trees

  const script = join(REPO_ROOT, 'bench', 'peers', 'sklearn_cv_peer.py')
  const peer = peerSchema.parse(
    await runJsonChild(PYTHON, [script, '--data', file, '--target', 'y', '--task', 'regression', '--model', 'rf', '--fit-only', '--set', `n_estimators=${trees}`, '--set', `n_jobs=${threads}`]),
  )
  const ratio = consortS / peer.train_s
  console.log(`random_forest vs scikit-learn ${peer.version} RandomForestRegressor: ${rows} x 8 synthetic regression, about ${Math.round(nodes)} nodes per tree\n`)
  console.log(
    markdownTable(
      ['rows', 'trees', 'threads', 'consort s', 'scikit-learn s', 'ratio', 'target', 'ok'],
      [[String(rows), String(trees), String(threads), consortS.toFixed(2), peer.train_s.toFixed(2), ratio.toFixed(3), '<= 1.0', ratio <= 1 ? 'yes' : 'NO']],
    ),
  )
  if (values.json) console.log(JSON.stringify({ rows, trees, threads, consort_s: consortS, sklearn_s: peer.train_s, ratio, sklearn_version: peer.version }))
  if (ratio > 1) process.exitCode = 1
}

await main()
