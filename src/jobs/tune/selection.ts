/**
 * Ensemble selection across trials, which no single-model tuner offers: the best trials are
 * themselves ensembles with honest out-of-fold predictions on the same folds, so one more
 * ensemble of them can be built by Caruana's greedy selection with replacement, and scored out of
 * fold too (the selection is cross-fitted on the folds, never scored on the rows it chose on).
 * It is kept when it beats the best single trial; both are reported.
 */
import { getBlender } from '../../ensemble/blenders/index.js'
import type { WeightedBlend } from '../../runtime/blend/weighted.js'
import { crossFitBlend } from '../../ensemble/blend-oof.js'
import type { TrialRecord } from '../../store/tracking/store.js'
import type { TrialResult } from './executor.js'
import type { TuningSpec } from './spec.js'
import type { PreparedData } from '../prepare.js'

/** The selection's out-of-fold objective, its trials and their weights, and whether it was kept. */
export interface EnsembleSelection {
  readonly objective: number
  /** The best single trial's objective, for comparison. */
  readonly bestTrialObjective: number
  readonly members: readonly { readonly trial: number; readonly job: string; readonly weight: number }[]
  /** True when the selection beats the best single trial. */
  readonly kept: boolean
}

/** An executor that kept the trials' data and predictions in this process. */
export interface SelectionSource {
  /** The prepared data every trial's out-of-fold predictions refer to, when they all share one. */
  sharedData(): PreparedData | null
}

/** How many of the best trials the selection draws from. */
const CANDIDATES = 10

/**
 * Caruana selection over the best Completed trials' out-of-fold predictions, or null when it does
 * not apply: fewer than two such trials, trials on different data or folds, a script-mode
 * estimator, or an objective other than the job's `cv:` metric.
 * @example const selection = await selectAcrossTrials(executor, spec, records, results)
 */
export async function selectAcrossTrials(
  source: object,
  spec: TuningSpec,
  records: ReadonlyMap<number, TrialRecord>,
  results: ReadonlyMap<number, TrialResult>,
): Promise<EnsembleSelection | null> {
  const prepared = 'sharedData' in source ? (source as SelectionSource).sharedData() : null
  if (prepared === null || spec.objective.metric !== `cv:${prepared.metric.name}`) return null
  const sign = spec.objective.direction === 'minimize' ? 1 : -1
  const candidates = [...records.values()]
    .filter((t) => t.state === 'Completed' && t.value !== null && results.get(t.number)?.oof !== undefined && results.get(t.number)?.dataFingerprint === prepared.dataFingerprint)
    .sort((a, b) => sign * (a.value! - b.value!))
    .slice(0, CANDIDATES)
  if (candidates.length < 2) return null
  const oofs = candidates.map((t) => results.get(t.number)!.oof!)
  const nOutputs = oofs[0].length / prepared.y.length
  const blender = getBlender('weighted', { weights: 'caruana', iterations: 50 })
  const context = { task: prepared.task, nClasses: prepared.nClasses, metric: prepared.metric.name, seed: prepared.seed }
  const honest = await crossFitBlend(blender, oofs, prepared.y, prepared.folds, nOutputs, context)
  const objective = prepared.metric.compute(prepared.y, honest, prepared.task === 'regression' ? 1 : prepared.nClasses)
  const weights = ((await blender.fit(oofs, prepared.y, context)) as WeightedBlend).weights
  const bestTrialObjective = candidates[0].value!
  return {
    objective,
    bestTrialObjective,
    members: candidates.map((t, i) => ({ trial: t.number, job: t.trainingJob!, weight: weights[i] })).filter((m) => m.weight > 0),
    kept: sign * (objective - bestTrialObjective) < 0,
  }
}
