/**
 * A tracking store with real jobs for the dashboard's tests: one small training job (diabetes,
 * a gbdt, an oblivious and a linear member, 3 folds, weighted blend) and one small tuning job
 * (3 trials of a 2-member ensemble), run once in a temporary folder.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { bundledDataset } from '../../data/bundled.js'
import { parseSpec } from '../../jobs/spec/index.js'
import { train, type TrainJobResult } from '../../jobs/train-job.js'
import { parseTuningSpec } from '../../jobs/tune/spec.js'
import { tune, type TuneResult } from '../../jobs/tune/tune-job.js'

/** The folder holding `.consort`, and the jobs run in it. */
export interface DashboardFixture {
  readonly dir: string
  readonly tracking: string
  readonly training: TrainJobResult
  readonly tuning: TuneResult
}

function estimator(rounds: number): Record<string, unknown> {
  const data = bundledDataset('diabetes')
  return {
    name: 'diabetes',
    task: 'regression',
    target: data.target,
    channels: { train: data.path },
    cv: { folds: 3, seed: 1 },
    metric: 'rmse',
    members: {
      xgb: { learner: 'gbdt', params: { num_round: rounds, max_depth: 3 } },
      cat: { learner: 'oblivious', params: { iterations: rounds, depth: 3 } },
    },
    hyperparameters: { eta: 0.3 },
    blend: { method: 'mean' },
    final: 'refit',
  }
}

/**
 * Runs the two jobs in a new temporary folder (about a few seconds on one core).
 * @example const fx = await runDashboardJobs(); TrackingStore.open(fx.tracking).listJobs()
 */
export async function runDashboardJobs(): Promise<DashboardFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'consort-ui-'))
  const tracking = join(dir, '.consort')
  const baseDir = dirname(bundledDataset('diabetes').path)
  const spec = estimator(20) as { members: Record<string, unknown>; blend: unknown }
  spec.members.lin = { learner: 'linear', params: { alpha: 1 } }
  spec.blend = { method: 'weighted' }
  const training = await train(parseSpec({ ...spec, name: 'diabetes-small' }, { baseDir }), { tracking, workers: 1, threads: 1 })
  const tuningSpec = await parseTuningSpec(
    {
      name: 'diabetes-tune',
      estimator: estimator(15),
      objective: { metric: 'cv:rmse', type: 'Minimize' },
      ranges: { eta: { type: 'continuous', min: 0.1, max: 0.4 }, max_depth: { type: 'integer', min: 2, max: 4 } },
      strategy: 'Random',
      max_jobs: 3,
      max_parallel_jobs: 1,
      random_seed: 3,
    },
    { baseDir },
  )
  const tuning = await tune(tuningSpec, { tracking, workers: 1 })
  return { dir, tracking, training, tuning }
}
