/**
 * The `gbdt` learner's parameters: XGBoost's names, defaults and bounds, defined once. Validation,
 * CLI help and tuning ranges all read this schema.
 */
import { z } from 'zod'
import type { Aliases, Requires } from '../params.js'

export const OBJECTIVES = [
  'reg:squarederror',
  'reg:pseudohubererror',
  'reg:absoluteerror',
  'count:poisson',
  'binary:logistic',
  'multi:softprob',
] as const
export type ObjectiveName = (typeof OBJECTIVES)[number]

export const EVAL_METRICS = ['rmse', 'mae', 'logloss', 'auc', 'mlogloss', 'merror', 'poisson-nloglik'] as const
export type EvalMetricName = (typeof EVAL_METRICS)[number]

/**
 * Most levels of discretised gradients: a gradient is rounded into [-64, 64] and a hessian into
 * [0, 127], one signed byte each.
 */
export const MAX_GRAD_QUANT_BINS = 127

const fraction = (help: string) => z.number().gt(0).lte(1).default(1).describe(help)

export const gbdtParams = z.object({
  objective: z.enum(OBJECTIVES).optional().describe('Learning objective (default follows the task: reg:squarederror, binary:logistic, multi:softprob)'),
  num_class: z.number().int().min(2).optional().describe('Number of classes (multi:softprob)'),
  num_round: z.number().int().min(1).default(100).describe('Number of boosting rounds'),
  eta: z.number().gt(0).lte(1).default(0.3).describe('Learning rate: shrinks each tree'),
  max_depth: z.number().int().min(0).max(31).default(6).describe('Maximum tree depth (0: unlimited, lossguide only)'),
  max_leaves: z.number().int().min(0).default(0).describe('Maximum leaves per tree (0: unlimited)'),
  grow_policy: z.enum(['depthwise', 'lossguide']).default('depthwise').describe('Grow level by level or best leaf first'),
  min_child_weight: z.number().min(0).default(1).describe('Minimum hessian sum in a child'),
  gamma: z.number().min(0).default(0).describe('Minimum loss reduction to make a split'),
  lambda: z.number().min(0).default(1).describe('L2 regularisation on leaf weights'),
  alpha: z.number().min(0).default(0).describe('L1 regularisation on leaf weights'),
  max_delta_step: z.number().min(0).optional().describe('Clip on each leaf weight (0: none; 0.7 for count:poisson)'),
  subsample: fraction('Share of rows sampled for each tree'),
  colsample_bytree: fraction('Share of features sampled for each tree'),
  colsample_bylevel: fraction('Share of the tree\'s features sampled for each depth level'),
  colsample_bynode: fraction('Share of the level\'s features sampled for each split'),
  max_bin: z.number().int().min(2).max(256).default(256).describe('Maximum histogram bins per feature (one is kept for missing)'),
  base_score: z.number().optional().describe('Initial prediction (response scale); estimated from the targets when unset'),
  scale_pos_weight: z.number().gt(0).default(1).describe('Weight of positive rows (binary:logistic)'),
  huber_slope: z.number().gt(0).default(1).describe('Slope of reg:pseudohubererror'),
  eval_metric: z.enum(EVAL_METRICS).optional().describe('Metric on the eval set (default follows the objective)'),
  early_stopping_rounds: z.number().int().min(1).optional().describe('Stop when the eval metric has not improved for this many rounds'),
  seed: z.number().int().optional().describe('Random seed (default: the job\'s seed, else 0)'),
  nthread: z.number().int().min(0).default(0).describe('Threads used to train (0: all cores)'),
  // XGBoost has no quantised training; these are LightGBM's names.
  use_quantized_grad: z.boolean().default(false).describe('Train on gradients discretised to small integers, per tree (LightGBM\'s quantised training): integer histograms, less memory traffic'),
  num_grad_quant_bins: z.number().int().min(2).max(MAX_GRAD_QUANT_BINS).default(4).describe(`Levels of the discretised gradients and hessians (use_quantized_grad; 2..${MAX_GRAD_QUANT_BINS}, so a pair packs into two bytes)`),
  quant_train_renew_leaf: z.boolean().default(false).describe('With use_quantized_grad, compute each leaf\'s value from the exact gradients of its rows instead of the discretised ones'),
  stochastic_rounding: z.boolean().default(true).describe('With use_quantized_grad, round gradients up or down at random (unbiased) instead of to the nearest level'),
})

export type GbdtParams = z.infer<typeof gbdtParams>

/** The quantised-training options act only with use_quantized_grad. */
export const gbdtRequires: Requires = {
  num_grad_quant_bins: 'use_quantized_grad',
  quant_train_renew_leaf: 'use_quantized_grad',
  stochastic_rounding: 'use_quantized_grad',
}

export const gbdtAliases: Aliases = {
  n_estimators: 'num_round',
  num_boost_round: 'num_round',
  learning_rate: 'eta',
  min_split_loss: 'gamma',
  reg_lambda: 'lambda',
  reg_alpha: 'alpha',
  random_state: 'seed',
  max_leaf_nodes: 'max_leaves',
  n_jobs: 'nthread',
}
