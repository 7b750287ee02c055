/**
 * Tuning's public API: the search space, the strategies (Random, Grid, Bayesian, Hyperband), the
 * pruners, SageMaker's completion criteria, and studies (ask/tell, or `optimize` for the whole
 * loop). Pure search logic: no files, no clock, no threads.
 * @example
 * import { optimize } from './tune/index.js'
 * const { best } = await optimize({ ranges, direction: 'minimize', strategy: 'Bayesian', seed: 1,
 *   maxJobs: 40, maxParallel: 2, objective: async (params, trial) => trainAndScore(params, trial) })
 */
export type {
  CategoricalRange,
  ContinuousRange,
  Direction,
  IntegerRange,
  ParameterRange,
  Params,
  ParamValue,
  PruneContext,
  Pruner,
  Scaling,
  Strategy,
  TrialState,
  TrialView,
} from './types.js'
export {
  AUTO_LOG_RATIO,
  checkRanges,
  createSpace,
  decode,
  discreteSize,
  encode,
  inSpace,
  MAX_CATEGORICAL_VALUES,
  pointAt,
  pointKey,
  resolveScaling,
  sampleUniform,
  snap,
  type ResolvedScaling,
  type SearchSpace,
} from './space.js'
export {
  bayesianStrategy,
  getStrategy,
  gridStrategy,
  hyperbandStrategy,
  randomStrategy,
  registerStrategy,
  strategyNames,
  strategySetup,
  type BayesianOptions,
  type StrategyFactory,
  type StrategyOptions,
  type StrategySetup,
} from './strategies/index.js'
export {
  ashaPruner,
  getPruner,
  hyperbandPruner,
  medianPruner,
  PRUNER_NAMES,
  wilcoxonPruner,
  wilcoxonSignedRank,
  type AshaOptions,
  type HyperbandOptions,
  type MedianOptions,
  type PrunerName,
  type PrunerOptions,
  type WilcoxonOptions,
} from './pruners/index.js'
export { checkCompletion, completionCheck, type CompletionCriteria, type CompletionOptions } from './completion.js'
export { createStudy, Study, Trial, type StudyOptions, type TrialOutcome } from './study.js'
export { optimize, type Objective, type OptimizeOptions, type OptimizeResult } from './optimize.js'
