/**
 * Fold-level pruning, as Optuna's WilcoxonPruner: when each step is one fold (or one instance of a
 * benchmark), a trial's values so far are paired with the best completed trial's values on the
 * same folds, and the trial stops when a one-sided Wilcoxon signed-rank test says it is worse
 * (p-value below `pThreshold`, 0.1 by default), after at least `minSteps` folds (2). The test
 * uses the exact null distribution for up to 50 folds (see signed-rank.ts). With the default
 * threshold the fewest folds that can stop a trial are four, all worse than the best's
 * (p = 1/16): with two or three the smallest one-sided p-value is 1/4 or 1/8.
 */
import { ParamError } from '../../errors.js'
import type { Pruner } from '../types.js'
import { bestTrial, valueAt } from './reports.js'
import { wilcoxonSignedRank } from './signed-rank.js'

export interface WilcoxonOptions {
  /** Stop when the p-value of "worse than the best" falls below this (default 0.1). */
  readonly pThreshold?: number
  /** Folds in common with the best trial needed before a trial can stop (default 2). */
  readonly minSteps?: number
}

/**
 * The Wilcoxon pruner.
 * @example
 * const pruner = wilcoxonPruner({ pThreshold: 0.1 })
 * trial.report(fold, foldRmse); if (pruner.shouldStop(view, history, { direction: 'minimize' })) ...
 */
export function wilcoxonPruner(options: WilcoxonOptions = {}, field = 'early_stopping'): Pruner {
  const pThreshold = options.pThreshold ?? 0.1
  const minSteps = options.minSteps ?? 2
  if (!(pThreshold > 0 && pThreshold < 1)) throw new ParamError(`pThreshold must be in (0, 1), got ${pThreshold}`, { field: `${field}.pThreshold` })
  if (!Number.isInteger(minSteps) || minSteps < 1) throw new ParamError(`minSteps must be a positive integer, got ${minSteps}`, { field: `${field}.minSteps` })
  return {
    name: 'wilcoxon',
    shouldStop(trial, history, context) {
      const direction = context?.direction ?? 'minimize'
      const best = bestTrial(history, direction, false)
      if (!best || best.number === trial.number) return false
      const steps = new Set<number>()
      const diffs: number[] = []
      for (const [step] of trial.intermediate) {
        if (steps.has(step)) continue
        steps.add(step)
        const mine = valueAt(trial, step)!
        const theirs = valueAt(best, step)
        if (theirs === undefined) continue
        if (Number.isNaN(mine)) return true
        // Positive differences: this trial is worse on that fold.
        diffs.push(direction === 'minimize' ? mine - theirs : theirs - mine)
      }
      if (diffs.length < minSteps) return false
      return wilcoxonSignedRank(diffs, 'greater').pvalue < pThreshold
    },
  }
}
