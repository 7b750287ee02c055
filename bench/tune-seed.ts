/**
 * The seed's tuning walkthrough, unchanged in shape: ranges eta [0.2, 0.3] and max_depth [3, 4],
 * Bayesian, 4 jobs, 2 at a time, minimising validation:rmse, first on a script-mode estimator
 * (a Python XGBoost script that prints `validation-rmse:<v>;`, bench/scripts/seed-tuning.yaml;
 * skipped when Debian's python3-xgboost is not installed), then on the built-in seed ensemble
 * (examples/diabetes/tuning.yaml, objective cv:rmse). Each must end with 4 Completed trials and
 * `consort jobs describe` naming the best; the table gives the wall time of each.
 *
 * @example
 * // node --import tsx bench/tune-seed.ts
 * // | estimator | trials | wall s | best objective | best training job |
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { tune, type TuneResult } from '../src/jobs/tune/tune-job.js'
import { TrackingStore } from '../src/store/tracking/store.js'
import { runChild } from './child.js'
import { PYTHON } from './peers.js'
import { markdownTable } from './table.js'

const ROOT = fileURLToPath(new URL('../', import.meta.url))
// The script runs as `python3`: the peers' interpreter (Debian's, with XGBoost) comes first on PATH.
process.env.PATH = `${dirname(PYTHON)}:${process.env.PATH ?? ''}`
const dir = mkdtempSync(join(tmpdir(), 'consort-bench-seed-'))

async function hasXgboost(): Promise<boolean> {
  const { code } = await runChild(PYTHON, ['-c', 'import xgboost, sklearn, pandas'])
  return code === 0
}

async function run(label: string, spec: string): Promise<string[]> {
  const tracking = join(dir, label)
  const t0 = performance.now()
  const result: TuneResult = await tune(join(ROOT, spec), { tracking })
  const wall = (performance.now() - t0) / 1000
  const store = TrackingStore.open(tracking)
  const described = store.getJob(result.job)!.details as { best?: { job: string } }
  store.close()
  const ok = result.counters.Completed === 4 && described.best?.job === result.best?.job
  if (!ok) process.exitCode = 1
  return [label, `${result.counters.Completed} Completed`, wall.toFixed(2), result.best!.objective.toFixed(4), `${result.best!.job}${ok ? '' : ' (MISSING)'}`]
}

try {
  const rows: string[][] = []
  if (await hasXgboost()) rows.push(await run('script mode (Python XGBoost, validation:rmse)', 'bench/scripts/seed-tuning.yaml'))
  else console.error('python3-xgboost is not installed: the script-mode walkthrough is skipped')
  rows.push(await run('built-in seed ensemble (gbdt + oblivious, cv:rmse)', 'examples/diabetes/tuning.yaml'))
  console.log(markdownTable(['estimator', 'trials', 'wall s', 'best objective', 'best training job (described)'], rows))
} finally {
  rmSync(dir, { recursive: true, force: true })
}
