/**
 * k-fold cross-validation of the `gbdt` learner, as `xgboost.cv` or scikit-learn's
 * `cross_validate` would run it: for each fold the training rows are binned on their own (the
 * held-out rows never inform the bin cuts), a model is trained on them and the held-out rows are
 * scored with metrics from the registry.
 */
import { binFrame, fitBins } from '../data/binning.js'
import { dropColumns, type Frame, takeRows } from '../data/frame.js'
import { type Fold, kFold, stratifiedKFold } from '../data/splits.js'
import { DataError, ParamError } from '../errors.js'
import { fitGbdt, gbdtAliases, gbdtParams, type GbdtParams } from '../learners/gbdt/index.js'
import { parseParams } from '../learners/params.js'
import { getMetric, type Metric, type MetricName, type Task } from '../metrics/registry.js'
import { closestName } from '../text/closest.js'

/**
 * How to cross-validate.
 * @example
 * const options: CrossValidateOptions = { folds: 5, seed: 0, repeats: 3, metrics: ['rmse', 'mae'] }
 */
export interface CrossValidateOptions {
  /** Number of folds k, at least 2 and at most the number of rows. Default 5. */
  readonly folds?: number
  /** Seed of the fold assignment; repeat r uses `seed + r`. Default 0. */
  readonly seed?: number
  /** How many times to run k-fold, each time with fresh folds. Default 1. */
  readonly repeats?: number
  /**
   * Metric names to score each held-out fold with. Default: the parameters' `eval_metric`, or the
   * objective's own metric (`rmse` for `reg:squarederror`, `logloss`, `mlogloss`, ...).
   */
  readonly metrics?: readonly string[]
  /** Keep each class's share in every fold. Default: true for classification objectives; regression cannot. */
  readonly stratified?: boolean
  /** Called after each fold with its scores, in order: for progress reports. */
  readonly onFold?: (score: FoldScore) => void
  /** Stops between folds and inside training. */
  readonly signal?: AbortSignal
}

/**
 * The scores of one held-out fold.
 * @example
 * const line = `fold ${score.fold + 1}: rmse ${score.scores.rmse.toFixed(2)}`
 */
export interface FoldScore {
  /** Repeat number, from 0. */
  readonly repeat: number
  /** Fold number within the repeat, from 0. */
  readonly fold: number
  readonly nTrain: number
  readonly nTest: number
  /** Metric name to value on the held-out rows. */
  readonly scores: Readonly<Record<string, number>>
  /** Wall time of this fold: binning, training and scoring. */
  readonly seconds: number
}

/**
 * The outcome of {@link crossValidateGbdt}.
 * @example
 * const { mean, std } = result
 * console.log(`cv rmse ${mean.rmse.toFixed(2)} ± ${std.rmse.toFixed(2)}`)
 */
export interface CrossValidationResult {
  readonly task: Task
  /** The parameters as trained: validated, aliases resolved, defaults filled in (`objective`, and `seed` from the options). */
  readonly params: GbdtParams
  /** The metric names scored, in the order asked for. */
  readonly metrics: readonly MetricName[]
  /** Every fold of every repeat, in the order they ran. */
  readonly folds: readonly FoldScore[]
  /** Mean of each metric over all folds. */
  readonly mean: Readonly<Record<string, number>>
  /** Population standard deviation (numpy's default, as `xgboost.cv` reports) over all folds. */
  readonly std: Readonly<Record<string, number>>
  /** Wall time of the whole cross-validation. */
  readonly seconds: number
}

/** The task each objective solves and the metric it is scored with by default. Exhaustive: a new objective must be added here. */
const OBJECTIVES: Readonly<Record<NonNullable<GbdtParams['objective']>, { readonly task: Task; readonly metric: MetricName }>> = {
  'reg:squarederror': { task: 'regression', metric: 'rmse' },
  'reg:pseudohubererror': { task: 'regression', metric: 'mae' },
  'reg:absoluteerror': { task: 'regression', metric: 'mae' },
  'count:poisson': { task: 'regression', metric: 'poisson-nloglik' },
  'binary:logistic': { task: 'binary', metric: 'logloss' },
  'multi:softprob': { task: 'multiclass', metric: 'mlogloss' },
}

/**
 * Cross-validates `gbdt` on `frame`: every column except `target` is a feature. For each fold the
 * training rows are binned with their own quantile cuts (`max_bin` from `params`), a model is
 * trained with `params` (XGBoost names or aliases) and the held-out rows are scored. Unset, the
 * objective is `reg:squarederror` and the model's `seed` is `options.seed`. With
 * `early_stopping_rounds` set, the held-out fold is also the early-stopping set, as in `xgboost.cv`.
 *
 * Deterministic: the same frame, parameters and options give the same scores.
 *
 * @param target name of the target column (numeric; class ids 0..k-1 for classification)
 * @throws ParamError for invalid parameters or options, an unknown target column or metric.
 * @throws DataError when the target has missing values or no feature column is left.
 * @example
 * const frame = await readFrame('data/diabetes.csv')
 * const cv = await crossValidateGbdt(frame, 'target', { num_round: 300, max_depth: 2, eta: 0.03, subsample: 0.8 }, { folds: 5 })
 * cv.folds.map((f) => f.scores.rmse) // five held-out RMSEs
 * cv.mean.rmse                       // about 56
 */
export async function crossValidateGbdt(
  frame: Frame,
  target: string,
  params: Readonly<Record<string, unknown>> = {},
  options: CrossValidateOptions = {},
): Promise<CrossValidationResult> {
  const started = performance.now()
  const parsed = parseParams(gbdtParams, gbdtAliases, params)
  const k = options.folds ?? 5
  const seed = options.seed ?? 0
  const repeats = options.repeats ?? 1
  checkInteger('seed', seed, -(2 ** 31), 2 ** 32 - 1)
  checkInteger('repeats', repeats, 1, Number.MAX_SAFE_INTEGER)
  checkInteger('folds', k, 2, Math.max(2, frame.nRows))
  // What training uses when the params leave them unset: the default objective, the job's seed.
  const objectiveName = parsed.objective ?? 'reg:squarederror'
  const resolved: GbdtParams = { ...parsed, objective: objectiveName, seed: parsed.seed ?? seed }
  const objective = OBJECTIVES[objectiveName]
  const task = objective.task
  const metrics = resolveMetrics(options.metrics ?? [parsed.eval_metric ?? objective.metric], task, objectiveName)
  const stratified = options.stratified ?? task !== 'regression'
  if (stratified && task === 'regression') {
    throw new ParamError(`stratified folds need a classification objective, not ${objectiveName}`, { field: 'stratified' })
  }

  const y = targetValues(frame, target)
  const features = dropColumns(frame, [target])
  if (features.columns.length === 0) throw new DataError(`no feature columns besides the target '${target}'`)

  const folds: FoldScore[] = []
  for (let repeat = 0; repeat < repeats; repeat++) {
    const splits = stratified ? stratifiedKFold(y, k, seed + repeat) : kFold(frame.nRows, k, seed + repeat)
    for (let fold = 0; fold < splits.length; fold++) {
      options.signal?.throwIfAborted()
      const foldStarted = performance.now()
      const scores = await scoreFold(features, y, splits[fold], resolved, task, metrics, options.signal)
      const score: FoldScore = {
        repeat,
        fold,
        nTrain: splits[fold].train.length,
        nTest: splits[fold].test.length,
        scores,
        seconds: (performance.now() - foldStarted) / 1000,
      }
      folds.push(score)
      options.onFold?.(score)
    }
  }

  const mean: Record<string, number> = {}
  const std: Record<string, number> = {}
  for (const m of metrics) {
    const values = folds.map((f) => f.scores[m.name])
    mean[m.name] = values.reduce((a, b) => a + b, 0) / values.length
    std[m.name] = Math.sqrt(values.reduce((a, v) => a + (v - mean[m.name]) ** 2, 0) / values.length)
  }
  return {
    task,
    params: resolved,
    metrics: metrics.map((m) => m.name),
    folds,
    mean,
    std,
    seconds: (performance.now() - started) / 1000,
  }
}

/** Bins the fold's training rows on their own, trains on them and scores the held-out rows. */
async function scoreFold(
  features: Frame,
  y: Float64Array,
  split: Fold,
  params: GbdtParams,
  task: Task,
  metrics: readonly Metric[],
  signal: AbortSignal | undefined,
): Promise<Record<string, number>> {
  const trainX = takeRows(features, split.train)
  const testX = takeRows(features, split.test)
  const yTrain = gather(y, split.train)
  const yTest = gather(y, split.test)
  const mapper = fitBins(trainX, params.max_bin, params.seed)
  const evalSet = params.early_stopping_rounds === undefined ? undefined : { data: binFrame(testX, mapper), y: yTest }
  const model = await fitGbdt(binFrame(trainX, mapper), yTrain, params, { evalSet, signal })
  const pred = model.predict(testX)
  const nClasses = task === 'regression' ? 1 : task === 'binary' ? 2 : model.nOutputs
  const scores: Record<string, number> = {}
  for (const m of metrics) scores[m.name] = m.compute(yTest, pred, nClasses)
  return scores
}

function resolveMetrics(names: readonly string[], task: Task, objective: string): Metric[] {
  if (names.length === 0) throw new ParamError('give at least one metric', { field: 'metrics' })
  const metrics: Metric[] = []
  for (const name of names) {
    const metric = getMetric(name, 'metrics')
    if (!metric.tasks.includes(task)) {
      throw new ParamError(`metric '${name}' does not score a ${task} objective (${objective})`, { field: 'metrics' })
    }
    if (!metrics.includes(metric)) metrics.push(metric)
  }
  return metrics
}

/** The target column as float64, refusing unknown names, categorical columns and missing values. */
function targetValues(frame: Frame, target: string): Float64Array {
  const column = frame.columns.find((c) => c.name === target)
  if (column === undefined) {
    const names = frame.columns.map((c) => c.name)
    const hint = closestName(target, names)
    throw new ParamError(
      `no column '${target}'${hint === undefined ? '' : `; did you mean '${hint}'?`} (columns: ${names.join(', ')})`,
      { field: 'target' },
    )
  }
  if (column.type !== 'numeric') {
    throw new DataError(`target column '${target}' is categorical; give numbers (class ids 0..k-1 for classification)`, {
      field: 'target',
    })
  }
  const y = column.values
  for (let i = 0; i < y.length; i++) {
    if (Number.isNaN(y[i])) throw new DataError(`target column '${target}' is missing a value in row ${i + 1}`, { field: 'target' })
  }
  return y
}

function gather(values: Float64Array, rows: Int32Array): Float64Array {
  const out = new Float64Array(rows.length)
  for (let i = 0; i < rows.length; i++) out[i] = values[rows[i]]
  return out
}

function checkInteger(field: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ParamError(`${field} must be an integer in [${min}, ${max}], got ${value}`, { field })
  }
}
