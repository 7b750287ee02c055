/**
 * Out-of-fold predictions: every member of an ensemble trained on each fold's training rows of
 * data read and binned once, and scored on the fold's held-out rows. The OOF predictions are what
 * blenders fit on (scikit-learn's cross_val_predict); the per-fold scores are the job's CV metrics.
 * The member x fold fits (and the members' final fits on all rows) are independent tasks, run by
 * a {@link FitRunner} one after another or side by side on this thread and worker threads.
 */
import type { BatchPools } from '../exec/batch-pool.js'
import { ConsortError } from '../errors.js'
import type { Fold } from '../data/splits.js'
import { getMetric, type Metric } from '../metrics/registry.js'
import type { PreparedTrainingData } from '../learners/training-data.js'
import type { LearnerSpec, Model, Task } from '../learners/types.js'
import { BaggedModel } from '../runtime/models/bagged.js'
import { fitRunner, type FitOutcome, type FitRunner } from './fit-runner.js'
import { MemberCache } from './member-cache.js'

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
   * Where the fits run. Absent: a runner made for this call (see `workers`) and closed after it.
   * A tuning job passes one runner that every trial's fits share.
   */
  readonly runner?: FitRunner
  /**
   * Fits running side by side, each single-threaded: this thread and `workers - 1` worker threads.
   * 1 (the default) runs the fits one after
   * another in this thread, each learner using `threads`. Ignored when `runner` is given.
   */
  readonly workers?: number
  /** Threads of a fit run in this thread (0 or absent: all cores). Ignored when `runner` is given. */
  readonly threads?: number
  /** Worker threads the in-thread fits borrow (the job's own); absent: the process's. */
  readonly pools?: BatchPools
  readonly signal?: AbortSignal
  /**
   * Each member's final model: `refit` fits it on all rows, `bag` keeps its k fold models,
   * `none` (the default) makes none.
   */
  readonly final?: 'refit' | 'bag' | 'none'
  /**
   * Members already cross-validated in this scope (same data, folds, task, final mode) are taken
   * from `store` instead of trained again.
   */
  readonly cache?: { readonly store: MemberCache; readonly scope: string }
  /** Queue each member's refit after its folds rather than first (a trial that may be pruned). */
  readonly refitLast?: boolean
  /** Called after each fit. */
  readonly onFit?: (event: FitEvent) => void
  readonly onProgress?: (event: FitProgressEvent) => void
  /**
   * Called when every member's fit of a fold is done (folds complete in order), with each member's
   * predictions of the fold's held-out rows; cached members are reported too.
   */
  readonly onFold?: (fold: number, predictions: readonly Float64Array[]) => void
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
  /** Fits this result cost: folds plus the refit, 0 when it came from the cache. */
  readonly fits: number
}

/**
 * Trains every member on every fold and collects out-of-fold predictions and scores, plus each
 * member's final model when asked. A member whose params ask for early stopping stops each fold
 * on the fold's held-out rows, and its refit trains the mean of the folds' kept rounds.
 * @example
 * const data = prepareTrainingData(features)
 * const result = await outOfFold(data, y, kFold(n, 5, 0), [{ name: 'xgb', learner: getLearner('gbdt'), params }], { task: 'regression', nClasses: 1, metrics: ['rmse'], workers: 2 })
 */
export async function outOfFold(
  data: PreparedTrainingData,
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
  const cache = options.cache
  const keys = members.map((m) => (cache ? MemberCache.memberKey(cache.scope, final, m) : ''))
  const cached = members.map((m, i) => (cache ? cache.store.get(keys[i], m.name) : undefined))
  const toFit = members.filter((_, i) => cached[i] === undefined)
  const runner =
    options.runner ??
    fitRunner(
      data,
      y,
      toFit.map((m) => m.learner),
      Math.max(1, Math.min(options.workers ?? 1, toFit.length * (folds.length + (final === 'refit' ? 1 : 0)))),
      { task: options.task, nClasses: options.nClasses, seed: options.seed, threads: options.threads, pools: options.pools, signal: options.signal },
    )
  // Cancels this call's queued and running fits when one fails or the caller aborts.
  const stop = new AbortController()
  const onAbort = () => stop.abort(options.signal?.reason)
  options.signal?.addEventListener('abort', onAbort, { once: true })
  if (options.signal?.aborted) onAbort()
  try {
    const run = (member: MemberPlan, fold: number | null, params = member.params): Promise<FitOutcome> => {
      const split = fold === null ? null : folds[fold]
      const early = fold !== null && member.learner.earlyStopping?.enabled(member.params) === true
      const job = {
        learner: member.learner,
        params,
        rows: split?.train,
        predictRows: split?.test,
        evalRows: early ? split!.test : undefined,
        keepModel: fold === null || final === 'bag',
        signal: stop.signal,
      }
      const progress = options.onProgress && ((step: number, total: number) => options.onProgress!({ member: member.name, fold, step, total }))
      return runner.run(job, progress).then((outcome) => {
        options.onFit?.({ member: member.name, fold, folds: folds.length, seconds: outcome.seconds })
        return outcome
      })
    }
    const earlyStopped = (m: MemberPlan) => m.learner.earlyStopping?.enabled(m.params) === true
    // The largest fits first (all rows, then folds), so the last fit to finish is a short one;
    // unless the caller may stop after a few folds, or the refit needs the folds' rounds.
    const refitFirst = final === 'refit' && !options.refitLast
    const refits = new Map<MemberPlan, Promise<FitOutcome>>()
    if (refitFirst) for (const m of toFit) if (!earlyStopped(m)) refits.set(m, run(m, null))
    // Fold-major, so folds complete one after another.
    const fits = new Map<MemberPlan, Promise<FitOutcome>[]>(toFit.map((m) => [m, []]))
    for (let f = 0; f < folds.length; f++) for (const m of toFit) fits.get(m)!.push(run(m, f))
    if (final === 'refit') {
      for (const m of toFit) {
        if (refits.has(m)) continue
        const params = earlyStopped(m)
          ? Promise.all(fits.get(m)!).then((outcomes) => m.learner.earlyStopping!.fixedRounds(m.params, meanRounds(outcomes)))
          : Promise.resolve(m.params)
        refits.set(m, params.then((p) => run(m, null, p)))
      }
    }
    const all = [...refits.values(), ...[...fits.values()].flat()]
    // The first failure fails the call and cancels the other fits, whose rejections nobody awaits then.
    for (const fit of all) fit.catch(() => stop.abort(new Error('another fit failed')))
    const reported = options.onFold ? reportFolds(members, cached, fits, folds, options.onFold) : undefined
    reported?.catch(() => undefined)
    await Promise.all(all)
    await reported
    const results: MemberOof[] = []
    for (const [i, member] of members.entries()) {
      if (cached[i]) {
        results.push(cached[i]!)
        continue
      }
      const outcomes = await Promise.all(fits.get(member)!)
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
      const result: MemberOof = {
        name: member.name,
        oof,
        nOutputs,
        models,
        final: final === 'refit' ? (await refits.get(member)!).model : final === 'bag' ? new BaggedModel(models) : null,
        foldScores,
        pooled: score(metrics, y, oof, options),
        fits: folds.length + (final === 'refit' ? 1 : 0),
      }
      cache?.store.set(keys[i], { ...result, fits: 0 })
      results.push(result)
    }
    return results
  } finally {
    options.signal?.removeEventListener('abort', onAbort)
    stop.abort(new Error('cross-validation ended'))
    if (!options.runner) await runner.close()
  }
}

/** Mean rounds kept by the fold models (at least 1): the refit's round count. */
function meanRounds(outcomes: readonly FitOutcome[]): number {
  let total = 0
  for (const o of outcomes) total += o.rounds ?? 0
  return Math.max(1, Math.round(total / outcomes.length))
}

/** Calls `onFold` for each fold in order, once every member's fit of that fold is done. */
function reportFolds(
  members: readonly MemberPlan[],
  cached: readonly (MemberOof | undefined)[],
  fits: ReadonlyMap<MemberPlan, Promise<FitOutcome>[]>,
  folds: readonly Fold[],
  onFold: NonNullable<OofOptions['onFold']>,
): Promise<void> {
  let chain = Promise.resolve()
  for (let f = 0; f < folds.length; f++) {
    const fold = Promise.all(
      members.map((m, i) => (cached[i] ? Promise.resolve(cachedFold(cached[i]!, folds[f])) : fits.get(m)![f].then((o) => o.predictions!))),
    )
    chain = chain.then(() => fold).then((predictions) => onFold(f, predictions))
  }
  return chain
}

/** A cached member's predictions of a fold's held-out rows, as its fit returned them. */
function cachedFold(member: MemberOof, fold: Fold): Float64Array {
  const k = member.nOutputs
  const out = new Float64Array(fold.test.length * k)
  for (let r = 0; r < fold.test.length; r++) out.set(member.oof.subarray(fold.test[r] * k, (fold.test[r] + 1) * k), r * k)
  return out
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
