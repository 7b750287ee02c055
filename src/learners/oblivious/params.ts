/**
 * The `oblivious` learner's parameters: CatBoost's names, defaults and aliases, defined once.
 * Validation, CLI help and tuning ranges all read this schema.
 */
import { z } from 'zod'
import type { Aliases } from '../params.js'

export const LOSS_FUNCTIONS = ['RMSE', 'MAE', 'Logloss', 'MultiClass', 'Poisson'] as const
export type LossName = (typeof LOSS_FUNCTIONS)[number]

export const obliviousParams = z.object({
  iterations: z.number().int().min(1).default(1000).describe('Number of trees (CatBoost\'s default 1000)'),
  learning_rate: z.number().gt(0).lte(1).default(0.03)
    .describe('Shrinkage of each tree. CatBoost picks one from the data size when unset; consort uses 0.03, CatBoost\'s value for mid-sized data'),
  depth: z.number().int().min(1).max(16).default(6).describe('Depth of every (symmetric) tree'),
  l2_leaf_reg: z.number().min(0).default(3).describe('L2 regularisation of leaf values, also used in the split score'),
  border_count: z.number().int().min(1).max(65535).default(254)
    .describe('Borders per numeric feature; below the job\'s bins the job\'s cuts are thinned evenly, from 255 on the job\'s cuts are used as they are'),
  random_strength: z.number().min(0).default(1).describe('Scale of the random noise added to split scores (decays as the model grows)'),
  bagging_temperature: z.number().min(0).default(1).describe('Bayesian bootstrap: row weights (-log U)^t per tree; 0 gives every row weight 1'),
  rsm: z.number().gt(0).lte(1).default(1).describe('Share of features considered at each level (random subspace method)'),
  one_hot_max_size: z.number().int().min(0).default(2).describe('Categoricals with at most this many categories are one-hot encoded, others use target statistics'),
  boosting_type: z.enum(['Plain', 'Ordered']).default('Plain').describe('Plain gradient boosting, or ordered boosting (gradients from models that never saw the row)'),
  loss_function: z.enum(LOSS_FUNCTIONS).optional().describe('Loss (default follows the task: RMSE, Logloss, MultiClass)'),
  od_type: z.enum(['IncToDec', 'Iter']).optional()
    .describe('Overfitting detector on the eval set: Iter stops after od_wait rounds without improvement; IncToDec stops on a significant worsening trend (needs od_pval > 0). Unset: Iter when od_wait is set, else none'),
  od_wait: z.number().int().min(1).optional().describe('Rounds the overfitting detector looks back (20 when only od_type is set)'),
  od_pval: z.number().min(0).max(1).default(0).describe('IncToDec threshold: stop when the chance the eval metric still improves falls below it (0: off)'),
  random_seed: z.number().int().optional().describe('Random seed (default: the job\'s seed, else 0)'),
  cat_features: z.array(z.string()).default([]).describe('Names of numeric columns to treat as categorical (categorical columns always are)'),
  thread_count: z.number().int().min(-1).default(-1).describe('Threads used to train (-1: all cores)'),
})

export type ObliviousParams = z.infer<typeof obliviousParams>

export const obliviousAliases: Aliases = {
  eta: 'learning_rate',
  max_depth: 'depth',
  n_estimators: 'iterations',
  num_boost_round: 'iterations',
  num_trees: 'iterations',
  reg_lambda: 'l2_leaf_reg',
  random_state: 'random_seed',
  colsample_bylevel: 'rsm',
  max_bin: 'border_count',
  objective: 'loss_function',
  early_stopping_rounds: 'od_wait',
}
