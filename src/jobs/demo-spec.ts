/**
 * The demo's jobs, on the diabetes data bundled with the package, so `consort demo` runs anywhere
 * with no files of its own. The seed story: the XGBoost-style and CatBoost-style boosters of
 * examples/diabetes/ensemble.yaml and the tuning job of examples/diabetes/tuning.yaml; and the
 * default quality ensemble of examples/diabetes/quality.yaml (gbdt, oblivious, random_forest and
 * linear, stacked) for `consort demo --quality`. A test keeps each equal to its example.
 */
import { dirname } from 'node:path'
import { bundledDataset } from '../data/bundled.js'
import { parseSpec } from './spec/index.js'
import type { MembersSpec } from './spec/types.js'
import { parseTuningSpec, type TuningSpec } from './tune/spec.js'

/** The seed ensemble's training spec as data (examples/diabetes/ensemble.yaml on the bundled file). */
function seedTraining(seed: number): Record<string, unknown> {
  const data = bundledDataset('diabetes')
  return {
    name: 'diabetes',
    task: 'regression',
    target: data.target,
    channels: { train: data.path },
    cv: { folds: 5, stratified: 'auto', seed },
    metric: 'rmse',
    members: {
      xgb: { learner: 'gbdt', params: { num_round: 100 } },
      cat: { learner: 'oblivious', params: { iterations: 100 } },
    },
    hyperparameters: { eta: 0.3, max_depth: 5 },
    blend: { method: 'mean' },
    final: 'refit',
  }
}

/**
 * The seed story's training job: gbdt + oblivious, 5 folds (drawn from `seed`), mean blend.
 * @example const result = await train(seedSpec())
 */
export function seedSpec(seed = 42): MembersSpec {
  return parseSpec(seedTraining(seed), { baseDir: dirname(bundledDataset('diabetes').path) }) as MembersSpec
}

/**
 * The seed story's tuning job: eta [0.2, 0.3] and max_depth [3, 4] shared by both members,
 * Bayesian, 4 jobs, 2 at a time, minimising the ensemble's CV RMSE.
 * @example const result = await tune(await seedTuningSpec())
 */
export function seedTuningSpec(seed = 42): Promise<TuningSpec> {
  return parseTuningSpec(
    {
      name: 'diabetes-tune',
      estimator: seedTraining(seed),
      objective: { metric: 'cv:rmse', type: 'Minimize' },
      ranges: { eta: { type: 'continuous', min: 0.2, max: 0.3 }, max_depth: { type: 'integer', min: 3, max: 4 } },
      strategy: 'Bayesian',
      max_jobs: 4,
      max_parallel_jobs: 2,
      random_seed: 7,
    },
    { baseDir: dirname(bundledDataset('diabetes').path) },
  )
}

/** The members and their parameters: see examples/diabetes/quality.yaml for why these values. */
const MEMBERS = {
  gbdt: { learner: 'gbdt', params: { num_round: 300, max_depth: 2, eta: 0.02, subsample: 0.7, colsample_bytree: 0.8, min_child_weight: 20 } },
  oblivious: { learner: 'oblivious', params: { iterations: 300, depth: 3, learning_rate: 0.02, l2_leaf_reg: 10 } },
  random_forest: { learner: 'random_forest', params: { n_estimators: 300, min_samples_leaf: 10, max_features: 0.33 } },
  linear: { learner: 'linear', params: { alpha: 1 } },
}

/**
 * The default quality ensemble (`consort demo --quality`), with the folds drawn from `seed`.
 * @example const result = await train(qualitySpec(0))
 */
export function qualitySpec(seed = 0): MembersSpec {
  const data = bundledDataset('diabetes')
  return parseSpec(
    {
      name: 'diabetes-quality',
      task: 'regression',
      target: data.target,
      channels: { train: data.path },
      cv: { folds: 5, seed },
      metric: 'rmse',
      members: MEMBERS,
      blend: { method: 'stack' },
      final: 'refit',
    },
    { baseDir: dirname(data.path) },
  ) as MembersSpec
}
