/**
 * A holdout run: read a training and a test file, train the learner on one (binning included),
 * predict the other, and report times, peak memory and the test metrics.
 */
import { useKernels } from './kernels.js'
import { availableParallelism } from 'node:os'
import { readFrame } from '../src/data/read.js'
import { DataError } from '../src/errors.js'
import type { HoldoutArgs } from './args.js'
import { fittedParams, getLearner } from './learners.js'
import { mib, peakRssMb } from './memory.js'
import { modelClasses, testMetrics } from './metrics.js'
import { TRAIN_S_INCLUDES, type HoldoutResult } from './results.js'
import { splitTarget, type LabeledFrame } from './target.js'
import { checkTargets, classCount, inferTask } from './task.js'
import { seconds, trainTimed, type TimedTraining } from './train.js'

/**
 * Runs one holdout benchmark as {@link HoldoutArgs} describe it. Both files are read before
 * training (as the XGBoost peer reads both with pandas first), so `peak_rss_mb` includes both
 * frames; `peak_rss_read_mb` is the peak after reading, before training.
 *
 * @throws ParamError / DataError for an unknown learner, a missing target column, targets that do
 *   not fit the task, or a test file without the training features.
 * @example
 * const r = await runHoldout({ mode: 'holdout', learner: 'gbdt', train: 'a.csv', test: 'b.csv',
 *   target: 'y', sets: { num_round: 100 }, threads: 2, nrepeat: 1, json: true })
 * r.rmse // 1.02
 */
export async function runHoldout(args: HoldoutArgs): Promise<HoldoutResult> {
  useKernels(args.kernels)
  const runner = getLearner(args.learner)
  const prepared = runner.prepare?.(predictThreads(args.threads))
  const t0 = performance.now()
  const trainFrame = await readFrame(args.train)
  const t1 = performance.now()
  const testFrame = await readFrame(args.test)
  const t2 = performance.now()
  const train = splitTarget(trainFrame, args.target, args.train)
  const test = splitTarget(testFrame, args.target, args.test)
  checkSameFeatures(train, test, args.test)
  const task = args.task ?? inferTask(train.y)
  checkTargets(task, train.y, args.train)
  checkTargets(task, test.y, args.test)
  const params = args.sets
  const ctx = { task, nClasses: classCount(task, train.y, test.y), threads: args.threads }
  const peakRead = peakRssMb()
  await prepared

  const trainings: TimedTraining[] = []
  const predictTimes: number[] = []
  let pred: Float64Array = new Float64Array(0)
  for (let r = 0; r < args.nrepeat; r++) {
    const training = await trainTimed(runner, train.features, train.y, params, ctx)
    const p0 = performance.now()
    pred = runner.predict ? await runner.predict(training.model, test.features, predictThreads(args.threads)) : training.model.predict(test.features)
    predictTimes.push(seconds(performance.now() - p0))
    trainings.push(training)
  }
  const fastest = trainings.reduce((a, b) => (b.train_s < a.train_s ? b : a))
  // Every repeat trains the same model (same data, same seed); score the last one's predictions.
  const model = trainings[trainings.length - 1].model
  const nClasses = modelClasses(model)
  return {
    mode: 'holdout',
    learner: args.learner,
    task: model.task,
    n_classes: nClasses,
    params: fittedParams(model, params),
    train_file: args.train,
    test_file: args.test,
    rows: trainFrame.nRows,
    features: train.features.columns.length,
    test_rows: testFrame.nRows,
    read_s: seconds(t2 - t0),
    read_train_s: seconds(t1 - t0),
    read_test_s: seconds(t2 - t1),
    train_s: fastest.train_s,
    train_s_includes: TRAIN_S_INCLUDES,
    bin_s: fastest.bin_s,
    fit_s: fastest.fit_s,
    train_cpu_s: fastest.train_cpu_s,
    train_s_all: trainings.map((t) => t.train_s),
    predict_s: Math.min(...predictTimes),
    predict_s_all: predictTimes,
    nrepeat: args.nrepeat,
    binned_mb: mib(fastest.binned_bytes),
    peak_rss_read_mb: peakRead,
    peak_rss_mb: peakRssMb(),
    ...testMetrics(model.task, test.y, pred, nClasses),
  }
}

/** Threads for prediction: `--threads`, else every core. */
function predictThreads(threads: number | undefined): number {
  return threads !== undefined && threads > 0 ? threads : availableParallelism()
}

/** The test file must have every training feature (extra columns are ignored by `predict`). */
function checkSameFeatures(train: LabeledFrame, test: LabeledFrame, testFile: string): void {
  const have = new Set(test.features.columns.map((c) => c.name))
  const missing = train.features.columns.map((c) => c.name).filter((name) => !have.has(name))
  if (missing.length > 0) throw new DataError(`the test data lacks training feature(s) ${missing.join(', ')}`, { file: testFile })
}
