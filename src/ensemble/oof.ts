/**
 * Out-of-fold predictions: every member of an ensemble trained on each fold's training rows of
 * data read and binned once, and scored on the fold's held-out rows. The OOF predictions are what
 * blenders fit on (scikit-learn's cross_val_predict); the per-fold scores are the job's CV metrics.
 */
import { ConsortError } from '../errors.js'
import type { Fold } from '../data/splits.js'
import { takeRows } from '../data/frame.js'
import { getMetric, type Metric } from '../metrics/registry.js'
import type { LearnerSpec, Model, Task, TrainingData } from '../learners/types.js'

/** One member: a learner and its validated parameters. */
export interface MemberPlan {
  readonly name: string
  readonly learner: LearnerSpec
  readonly params: Readonly<Record<string, unknown>>
}

export interface OofOptions {
  readonly task: Task
  /** 2 for binary, k for multiclass, 1 for regression. */
  readonly nClasses: number
  /** Metrics reported per fold and for the pooled OOF predictions. */
  readonly metrics: readonly string[]
  readonly seed?: number
  readonly threads?: number
  readonly signal?: AbortSignal
  /** Called after each member x fold fit. */
  readonly onFit?: (event: { member: string; fold: number; folds: number; seconds: number }) => void
}

/** What cross-validating one member produced. */
export interface MemberOof {
  readonly name: string
  /** Row-major n x nOutputs predictions, each row from the fold model that did not see it. */
  readonly oof: Float64Array
  readonly nOutputs: number
  /** The fold models, in fold order (kept for `final: bag`). */
  readonly models: readonly Model[]
  /** Metric name -> value per fold. */
  readonly foldScores: readonly Readonly<Record<string, number>>[]
  /** Metric name -> value on the pooled OOF predictions. */
  readonly pooled: Readonly<Record<string, number>>
}

/**
 * Trains every member on every fold (sequentially; each learner uses its own threads) and
 * collects out-of-fold predictions and scores.
 * @example
 * const data = prepareTrainingData(features)
 * const result = await outOfFold(data, y, kFold(n, 5, 0), [{ name: 'xgb', learner: getLearner('gbdt'), params }], { task: 'regression', nClasses: 1, metrics: ['rmse'] })
 */
export async function outOfFold(
  data: TrainingData,
  y: Float64Array,
  folds: readonly Fold[],
  members: readonly MemberPlan[],
  options: OofOptions,
): Promise<MemberOof[]> {
  const n = data.frame.nRows
  if (y.length !== n) throw new ConsortError(`target has ${y.length} values for ${n} rows`, { field: 'target' })
  if (members.length === 0) throw new ConsortError('an ensemble needs at least one member', { field: 'members' })
  checkFolds(folds, n)
  const metrics = options.metrics.map((m) => getMetric(m))
  const results: MemberOof[] = []
  for (const member of members) {
    let oof: Float64Array | null = null
    let nOutputs = 1
    const models: Model[] = []
    const foldScores: Record<string, number>[] = []
    for (let f = 0; f < folds.length; f++) {
      if (options.signal?.aborted) throw options.signal.reason ?? new Error('aborted')
      const fold = folds[f]
      const t0 = performance.now()
      const model = await member.learner.fit(data, y, member.params, {
        task: options.task,
        nClasses: options.nClasses,
        rows: fold.train,
        seed: options.seed,
        threads: options.threads,
        signal: options.signal,
      })
      const pred = model.predict(takeRows(data.frame, fold.test))
      nOutputs = model.nOutputs
      oof ??= new Float64Array(n * nOutputs)
      for (let i = 0; i < fold.test.length; i++) {
        for (let k = 0; k < nOutputs; k++) oof[fold.test[i] * nOutputs + k] = pred[i * nOutputs + k]
      }
      foldScores.push(score(metrics, Float64Array.from(fold.test, (r) => y[r]), pred, options))
      models.push(model)
      options.onFit?.({ member: member.name, fold: f, folds: folds.length, seconds: (performance.now() - t0) / 1000 })
    }
    results.push({ name: member.name, oof: oof!, nOutputs, models, foldScores, pooled: score(metrics, y, oof!, options) })
  }
  return results
}

/** Every row must be held out by exactly one fold, so each OOF prediction is defined once. */
function checkFolds(folds: readonly Fold[], n: number): void {
  if (folds.length < 2) throw new ConsortError(`cross-validation needs at least 2 folds, got ${folds.length}`, { field: 'cv.folds' })
  const seen = new Uint8Array(n)
  for (const fold of folds) {
    for (const r of fold.test) {
      if (r < 0 || r >= n || seen[r] === 1) throw new ConsortError(`row ${r} is held out by more than one fold or is out of range`, { field: 'cv' })
      seen[r] = 1
    }
  }
  if (seen.includes(0)) throw new ConsortError('every row must be held out by one fold', { field: 'cv' })
}

function score(metrics: readonly Metric[], y: Float64Array, pred: Float64Array, options: OofOptions): Record<string, number> {
  const nClasses = options.task === 'regression' ? 1 : options.nClasses
  const out: Record<string, number> = {}
  for (const m of metrics) out[m.name] = m.compute(y, pred, nClasses)
  return out
}
