/**
 * The test metrics a benchmark run reports for each task, computed with consort's metric registry
 * (the same names XGBoost's `eval_metric` and the peer scripts use).
 */
import { getMetric, type MetricName } from '../src/metrics/registry.js'
import type { Model, Task } from '../src/learners/types.js'

/** Metrics reported on the test data, per task. */
export const TEST_METRICS: Readonly<Record<Task, readonly MetricName[]>> = {
  regression: ['rmse'],
  binary: ['auc', 'logloss'],
  multiclass: ['accuracy', 'mlogloss'],
}

/** Metric values by name, e.g. `{ auc: 0.91, logloss: 0.38 }`. */
export type MetricValues = Partial<Record<MetricName, number>>

/**
 * Scores predictions with every metric of {@link TEST_METRICS} for the task.
 *
 * @param pred a model's `predict` output: values, probabilities of class 1, or row-major class
 *   probabilities
 * @param nClasses 1 for regression, 2 for binary, the number of classes for multiclass
 * @example
 * testMetrics('regression', y, model.predict(frame), 1) // { rmse: 1.02 }
 */
export function testMetrics(task: Task, y: Float64Array, pred: Float64Array, nClasses: number): MetricValues {
  const out: MetricValues = {}
  for (const name of TEST_METRICS[task]) out[name] = getMetric(name).compute(y, pred, nClasses)
  return out
}

/**
 * The `nClasses` argument of the metrics for a model's output: 1 for regression, 2 for binary,
 * the number of classes (its outputs per row) for multiclass.
 * @example
 * modelClasses(model) // 3 for a three-class model
 */
export function modelClasses(model: Pick<Model, 'task' | 'nOutputs'>): number {
  return model.task === 'regression' ? 1 : model.task === 'binary' ? 2 : model.nOutputs
}
