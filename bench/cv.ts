/**
 * A cross-validation run: k-fold CV on one file, repeated with different fold seeds, reporting
 * the mean and spread of the held-out fold metrics (the number SageMaker-style CV and the
 * cv_peer script report) and the pooled out-of-fold metric.
 *
 * Folds come from consort's `kFold` (seeded with consort's own generator), so they are not the
 * same rows as scikit-learn's `KFold` with the same seed; compare repeated runs, not single folds.
 */
import { useKernels } from './kernels.js'
import { takeRows } from '../src/data/frame.js'
import { readFrame } from '../src/data/read.js'
import { kFold } from '../src/data/splits.js'
import type { MetricName } from '../src/metrics/registry.js'
import type { CvArgs } from './args.js'
import { fittedParams, getLearner, type ParamMap } from './learners.js'
import { peakRssMb } from './memory.js'
import { modelClasses, testMetrics, TEST_METRICS, type MetricValues } from './metrics.js'
import { TRAIN_S_INCLUDES, type CvResult } from './results.js'
import { splitTarget } from './target.js'
import { checkTargets, classCount, inferTask } from './task.js'
import { seconds, trainTimed } from './train.js'

/**
 * Runs repeated k-fold cross-validation as {@link CvArgs} describe it. Each fold bins its own
 * training rows and trains a fresh model with the same parameters (the model seed does not
 * change between folds, as in the cv_peer script).
 *
 * @example
 * const r = await runCv({ mode: 'cv', learner: 'gbdt', data: 'data/diabetes.csv', target: 'target',
 *   sets: { num_round: 300, max_depth: 2, eta: 0.03, subsample: 0.8 }, folds: 5, repeats: 3,
 *   seed: 0, json: true })
 * r.mean.rmse // about 57
 */
export async function runCv(args: CvArgs): Promise<CvResult> {
  useKernels(args.kernels)
  const runner = getLearner(args.learner)
  const t0 = performance.now()
  const frame = await readFrame(args.data)
  const readS = seconds(performance.now() - t0)
  const { features, y } = splitTarget(frame, args.target, args.data)
  const task = args.task ?? inferTask(y)
  checkTargets(task, y, args.data)
  const params = args.sets
  const ctx = { task, nClasses: classCount(task, y), threads: args.threads }

  const perFold: CvResult['per_fold'] = []
  const pooled: MetricValues[] = []
  let trainS = 0
  let predictS = 0
  let nClasses = classCount(task, y)
  let fitted: ParamMap = params
  for (let r = 0; r < args.repeats; r++) {
    let oof: Float64Array | undefined
    let f = 0
    for (const fold of kFold(frame.nRows, args.folds, args.seed + r)) {
      const yTrain = pick(y, fold.train)
      const yTest = pick(y, fold.test)
      const training = await trainTimed(runner, takeRows(features, fold.train), yTrain, params, ctx)
      const p0 = performance.now()
      const pred = training.model.predict(takeRows(features, fold.test))
      predictS += performance.now() - p0
      trainS += training.train_s
      nClasses = modelClasses(training.model)
      fitted = fittedParams(training.model, params)
      const width = training.model.nOutputs
      oof ??= new Float64Array(frame.nRows * width)
      for (let i = 0; i < fold.test.length; i++) {
        for (let c = 0; c < width; c++) oof[fold.test[i] * width + c] = pred[i * width + c]
      }
      perFold.push({ repeat: r, fold: f++, ...testMetrics(training.model.task, yTest, pred, nClasses) })
    }
    if (oof !== undefined) pooled.push(testMetrics(task, y, oof, nClasses))
  }
  const names = TEST_METRICS[task]
  return {
    mode: 'cv',
    learner: args.learner,
    task,
    n_classes: nClasses,
    params: fitted,
    data_file: args.data,
    rows: frame.nRows,
    features: features.columns.length,
    folds: args.folds,
    repeats: args.repeats,
    seed: args.seed,
    read_s: readS,
    train_s: Math.round(trainS * 1000) / 1000,
    train_s_includes: `${TRAIN_S_INCLUDES}; summed over all folds`,
    predict_s: seconds(predictS),
    mean: summarise(perFold, names, mean),
    std: summarise(perFold, names, std),
    oof: summarise(pooled, names, mean),
    per_fold: perFold,
    peak_rss_mb: peakRssMb(),
  }
}

function pick(y: Float64Array, rows: Int32Array): Float64Array {
  const out = new Float64Array(rows.length)
  for (let i = 0; i < rows.length; i++) out[i] = y[rows[i]]
  return out
}

/** Applies `reduce` to each metric's values across `items`. */
function summarise(items: readonly MetricValues[], names: readonly MetricName[], reduce: (xs: number[]) => number): MetricValues {
  const out: MetricValues = {}
  for (const name of names) {
    const values = items.map((m) => m[name]).filter((v): v is number => v !== undefined)
    if (values.length > 0) out[name] = reduce(values)
  }
  return out
}

function mean(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length
}

/** Population standard deviation (numpy's default, as the cv_peer script reports). */
function std(xs: number[]): number {
  const m = mean(xs)
  return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / xs.length)
}
