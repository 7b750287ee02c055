/**
 * Out-of-fold predictions: every member of an ensemble trained on each fold's training rows of
 * data read and binned once, and scored on the fold's held-out rows. The OOF predictions are what
 * blenders fit on (scikit-learn's cross_val_predict); the per-fold scores are the job's CV metrics.
 * The member x fold fits (and the members' final fits on all rows) are independent tasks, run by
 * a {@link FitRunner} one after another or side by side on this thread and worker threads.
 */
import { ConsortError } from '../errors.js'
import type { Fold } from '../data/splits.js'
import { getMetric, type Metric } from '../metrics/registry.js'
import type { LearnerSpec, Model, Task, TrainingData } from '../learners/types.js'
import { BaggedModel } from './bagged.js'
import { fitRunner, type FitOutcome } from './fit-runner.js'

/** One member: a learner and its validated parameters. */
export interface MemberPlan {
  readonly name: string
  readonly learner: LearnerSpec
  readonly params: Readonly<Record<string, unknown>>
}

/** A fit finished: `fold` is null for a member's final fit on all rows. */
export interface FitEvent {
  readonly member: string
  readonly fold: number | null
  readonly folds: number
  readonly seconds: number
}

/** A fit's progress (boosting rounds, trees): `step` of `total`. */
export interface FitProgressEvent {
  readonly member: string
  readonly fold: number | null
  readonly step: number
  readonly total: number
}

export interface OofOptions {
  readonly task: Task
  /** 2 for binary, k for multiclass, 1 for regression. */
  readonly nClasses: number
  /** Metrics reported per fold and for the pooled OOF predictions. */
  readonly metrics: readonly string[]
  readonly seed?: number
  /**
   * Fits running side by side, each single-threaded: this thread and `workers - 1` worker threads.
   * 1 (the default) runs the fits one after
   * another in this thread, each learner using `threads`.
   */
  readonly workers?: number
  /** Threads of a fit run in this thread (0 or absent: all cores). */
  readonly threads?: number
  readonly signal?: AbortSignal
  /**
   * Each member's final model: `refit` fits it on all rows, `bag` keeps its k fold models,
   * `none` (the default) makes none.
   */
  readonly final?: 'refit' | 'bag' | 'none'
  /** Called after each fit. */
  readonly onFit?: (event: FitEvent) => void
  readonly onProgress?: (event: FitProgressEvent) => void
}

/** What cross-validating one member produced. */
export interface MemberOof {
  readonly name: string
  /** Row-major n x nOutputs predictions, each row from the fold model that did not see it. */
  readonly oof: Float64Array
  readonly nOutputs: number
  /** The fold models, in fold order, when kept (`final: 'bag'`); empty otherwise. */
  readonly models: readonly Model[]
  /** The member's final model (refit on all rows, or the bag of fold models), or null for `final: 'none'`. */
  readonly final: Model | null
  /** Metric name -> value per fold. */
  readonly foldScores: readonly Readonly<Record<string, number>>[]
  /** Metric name -> value on the pooled OOF predictions. */
  readonly pooled: Readonly<Record<string, number>>
}

/**
 * Trains every member on every fold and collects out-of-fold predictions and scores, plus each
 * member's final model when asked.
 * @example
 * const data = prepareTrainingData(features)
 * const result = await outOfFold(data, y, kFold(n, 5, 0), [{ name: 'xgb', learner: getLearner('gbdt'), params }], { task: 'regression', nClasses: 1, metrics: ['rmse'], workers: 2 })
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
  const final = options.final ?? 'none'
  const workers = Math.max(1, Math.min(options.workers ?? 1, members.length * (folds.length + (final === 'refit' ? 1 : 0))))
  const runner = fitRunner(
    data,
    y,
    members.map((m) => m.learner),
    workers,
    { task: options.task, nClasses: options.nClasses, seed: options.seed, threads: options.threads, signal: options.signal },
  )
  try {
    const run = (member: MemberPlan, fold: number | null): Promise<FitOutcome> => {
      const split = fold === null ? null : folds[fold]
      const job = { learner: member.learner, params: member.params, rows: split?.train, predictRows: split?.test, keepModel: fold === null || final === 'bag' }
      const progress = options.onProgress && ((step: number, total: number) => options.onProgress!({ member: member.name, fold, step, total }))
      return runner.run(job, progress).then((outcome) => {
        options.onFit?.({ member: member.name, fold, folds: folds.length, seconds: outcome.seconds })
        return outcome
      })
    }
    // The largest fits first (all rows, then folds), so the last fit to finish is a short one.
    const refits = final === 'refit' ? members.map((m) => run(m, null)) : []
    const fits = members.map((m) => folds.map((_, f) => run(m, f)))
    const all = [...refits, ...fits.flat()]
    // The first failure fails the job and closing the runner cancels the other fits, whose
    // rejections nobody awaits then.
    for (const fit of all) fit.catch(() => undefined)
    await Promise.all(all)
    const finals = await Promise.all(refits)
    const results: MemberOof[] = []
    for (const [i, member] of members.entries()) {
      const outcomes = await Promise.all(fits[i])
      const nOutputs = outcomes[0].nOutputs
      const oof = new Float64Array(n * nOutputs)
      const foldScores = outcomes.map((o, f) => {
        const { test } = folds[f]
        const pred = o.predictions!
        for (let r = 0; r < test.length; r++) {
          for (let k = 0; k < nOutputs; k++) oof[test[r] * nOutputs + k] = pred[r * nOutputs + k]
        }
        return score(metrics, Float64Array.from(test, (row) => y[row]), pred, options)
      })
      const models = final === 'bag' ? outcomes.map((o) => o.model!) : []
      results.push({
        name: member.name,
        oof,
        nOutputs,
        models,
        final: final === 'refit' ? finals[i].model : final === 'bag' ? new BaggedModel(models) : null,
        foldScores,
        pooled: score(metrics, y, oof, options),
      })
    }
    return results
  } finally {
    await runner.close()
  }
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
