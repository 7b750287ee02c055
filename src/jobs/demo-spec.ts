/**
 * The demo's job: the default quality ensemble of examples/diabetes/quality.yaml (gbdt,
 * oblivious, random_forest and linear, stacked) on the diabetes data bundled with the package, so
 * `consort demo` runs the main job anywhere with no files of its own. A test keeps the two equal.
 */
import { dirname } from 'node:path'
import { bundledDataset } from '../data/bundled.js'
import { parseSpec } from './spec/index.js'
import type { MembersSpec } from './spec/types.js'

/** The members and their parameters: see examples/diabetes/quality.yaml for why these values. */
const MEMBERS = {
  gbdt: { learner: 'gbdt', params: { num_round: 300, max_depth: 2, eta: 0.02, subsample: 0.7, colsample_bytree: 0.8, min_child_weight: 20 } },
  oblivious: { learner: 'oblivious', params: { iterations: 300, depth: 3, learning_rate: 0.02, l2_leaf_reg: 10 } },
  random_forest: { learner: 'random_forest', params: { n_estimators: 300, min_samples_leaf: 10, max_features: 0.33 } },
  linear: { learner: 'linear', params: { alpha: 1 } },
}

/**
 * The demo spec, with the folds drawn from `seed`.
 * @example const result = await train(demoSpec(0))
 */
export function demoSpec(seed = 0): MembersSpec {
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
