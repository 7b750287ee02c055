/**
 * Metrics by name: the one place that says which metrics exist, which way is better, which tasks
 * they fit and how each scores a model's raw output. Names follow XGBoost's `eval_metric`
 * (`poisson-nloglik`, `mlogloss`, `merror`) and scikit-learn's scorers (`r2`, `f1`).
 */
import { ParamError } from '../errors.js'
import type { Task } from '../task.js'
import { closestName } from '../text/closest.js'
import { auc, logloss } from './binary.js'
import { checkLabels } from './check.js'
import { accuracy, f1Macro } from './classification.js'
import { poissonNloglik } from './count.js'
import { predictedLabels } from './labels.js'
import { merror, mlogloss } from './multiclass.js'
import { mae, mape, r2, rmse } from './regression.js'

export type { Task } from '../task.js'

/** Whether smaller or larger values of a metric are better. */
export type Direction = 'minimize' | 'maximize'

/** Every metric name {@link getMetric} knows, in the order help texts list them. */
export const METRIC_NAMES = [
  'rmse',
  'mae',
  'r2',
  'mape',
  'poisson-nloglik',
  'logloss',
  'auc',
  'accuracy',
  'f1',
  'mlogloss',
  'merror',
] as const

export type MetricName = (typeof METRIC_NAMES)[number]

/** A metric as the rest of consort uses it: scores a model's output against the targets. */
export interface Metric {
  readonly name: MetricName
  readonly direction: Direction
  readonly tasks: readonly Task[]
  /**
   * Scores `pred` as a model of the task returns it: one value per row for regression, the
   * probability of class 1 for binary, row-major `n x nClasses` probabilities for multiclass.
   * `nClasses` is 1 for regression, 2 for binary. Throws a DataError on inputs that do not fit.
   */
  compute(y: ArrayLike<number>, pred: ArrayLike<number>, nClasses: number, weights?: ArrayLike<number>): number
}

type Compute = Metric['compute']

// Labels first, against the task's classes: a binary target of 2 is an error, not a class of its own.
const accuracyOfProbabilities: Compute = (y, pred, k, w) => {
  checkLabels('accuracy', y, Math.max(k, 2))
  return accuracy(y, predictedLabels(pred, y.length, k), w)
}
const f1OfProbabilities: Compute = (y, pred, k, w) => {
  checkLabels('f1', y, Math.max(k, 2))
  return f1Macro(y, predictedLabels(pred, y.length, k), w)
}

const METRICS: Readonly<Record<MetricName, Metric>> = {
  rmse: define('rmse', 'minimize', ['regression'], (y, p, _k, w) => rmse(y, p, w)),
  mae: define('mae', 'minimize', ['regression'], (y, p, _k, w) => mae(y, p, w)),
  r2: define('r2', 'maximize', ['regression'], (y, p, _k, w) => r2(y, p, w)),
  mape: define('mape', 'minimize', ['regression'], (y, p, _k, w) => mape(y, p, w)),
  'poisson-nloglik': define('poisson-nloglik', 'minimize', ['regression'], (y, p, _k, w) => poissonNloglik(y, p, w)),
  logloss: define('logloss', 'minimize', ['binary'], (y, p, _k, w) => logloss(y, p, w)),
  auc: define('auc', 'maximize', ['binary'], (y, p, _k, w) => auc(y, p, w)),
  accuracy: define('accuracy', 'maximize', ['binary', 'multiclass'], accuracyOfProbabilities),
  f1: define('f1', 'maximize', ['binary', 'multiclass'], f1OfProbabilities),
  mlogloss: define('mlogloss', 'minimize', ['multiclass'], (y, p, k, w) => mlogloss(y, p, k, w)),
  merror: define('merror', 'minimize', ['multiclass'], (y, p, k, w) => merror(y, p, k, w)),
}

function define(name: MetricName, direction: Direction, tasks: readonly Task[], compute: Compute): Metric {
  return Object.freeze({ name, direction, tasks: Object.freeze([...tasks]), compute })
}

/**
 * The metric called `name`.
 *
 * @param field where the name came from, for the error's location (a spec path such as
 *   `tuning.objective`)
 * @throws ParamError for an unknown name, suggesting the closest valid one and listing them all.
 * @example
 * const m = getMetric('rmse')
 * m.direction                        // 'minimize'
 * m.compute(y, pred, 1)              // root mean squared error
 * getMetric('rmes')                  // throws: unknown metric 'rmes'; did you mean 'rmse'? ...
 */
export function getMetric(name: string, field = 'metric'): Metric {
  if (Object.prototype.hasOwnProperty.call(METRICS, name)) return METRICS[name as MetricName]
  const hint = closestName(name, METRIC_NAMES)
  throw new ParamError(
    `unknown metric '${name}'${hint === undefined ? '' : `; did you mean '${hint}'?`} (valid: ${METRIC_NAMES.join(', ')})`,
    { field },
  )
}

/**
 * XGBoost's default evaluation metric for a task: `rmse`, `logloss` or `mlogloss`.
 *
 * @example
 * defaultMetric('binary').name // 'logloss'
 */
export function defaultMetric(task: Task): Metric {
  return METRICS[task === 'regression' ? 'rmse' : task === 'binary' ? 'logloss' : 'mlogloss']
}

/**
 * True when `a` is a strictly better value than `b` for `metric`. NaN is worse than any number.
 *
 * @example
 * isBetter(getMetric('auc'), 0.9, 0.8) // true
 */
export function isBetter(metric: Metric, a: number, b: number): boolean {
  if (Number.isNaN(a)) return false
  if (Number.isNaN(b)) return true
  return metric.direction === 'minimize' ? a < b : a > b
}
