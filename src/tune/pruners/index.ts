/**
 * The pruners by name, as a tuning spec names them: `Off` (none), `Auto` (SageMaker's early
 * stopping: the median rule), `Median`, `Wilcoxon` (fold-level) and `Hyperband` (successive
 * halving). Names are case-insensitive; options are checked by each pruner.
 */
import { ParamError } from '../../errors.js'
import { closestName } from '../../text/closest.js'
import type { Pruner } from '../types.js'
import { ashaPruner } from './asha.js'
import { hyperbandPruner, type HyperbandOptions } from './hyperband.js'
import { medianPruner, type MedianOptions } from './median.js'
import { wilcoxonPruner, type WilcoxonOptions } from './wilcoxon.js'

export { ashaPruner, ashaRungs, ashaSettings, type AshaOptions, type AshaSettings } from './asha.js'
export { hyperbandPruner, type HyperbandOptions } from './hyperband.js'
export { median, medianPruner, runningAverage, type MedianOptions } from './median.js'
export { wilcoxonPruner, type WilcoxonOptions } from './wilcoxon.js'
export { wilcoxonSignedRank, type Alternative, type SignedRankResult } from './signed-rank.js'

/** Every pruner name {@link getPruner} knows. */
export const PRUNER_NAMES = ['Off', 'Auto', 'Median', 'Wilcoxon', 'Hyperband', 'Asha'] as const

export type PrunerName = (typeof PRUNER_NAMES)[number]

/** Options of any pruner (each reads its own). */
export type PrunerOptions = MedianOptions & WilcoxonOptions & HyperbandOptions

const OPTION_NAMES: Record<PrunerName, readonly string[]> = {
  Off: [],
  Auto: ['minTrials', 'warmupSteps'],
  Median: ['minTrials', 'warmupSteps'],
  Wilcoxon: ['pThreshold', 'minSteps'],
  Hyperband: ['minResource', 'maxResource', 'reductionFactor', 'brackets'],
  Asha: ['minResource', 'maxResource', 'reductionFactor'],
}

/**
 * The pruner called `name` (case-insensitive) with `options`, or undefined for `Off`. Unknown
 * names and option names are ParamErrors naming the closest valid one.
 * @example
 * getPruner('Auto')                      // SageMaker's median rule
 * getPruner('wilcoxon', { pThreshold: 0.05 })
 * getPruner('Hyperband', { minResource: 10, maxResource: 810 })
 */
export function getPruner(name: string, options: Readonly<Record<string, unknown>> = {}, field = 'early_stopping'): Pruner | undefined {
  const canonical = PRUNER_NAMES.find((n) => n.toLowerCase() === String(name).toLowerCase())
  if (!canonical) {
    const hint = closestName(String(name), PRUNER_NAMES)
    throw new ParamError(`unknown early stopping '${name}'${hint ? `; did you mean '${hint}'?` : ''} (known: ${PRUNER_NAMES.join(', ')})`, { field })
  }
  const allowed = OPTION_NAMES[canonical]
  for (const key of Object.keys(options)) {
    if (allowed.includes(key)) continue
    const hint = closestName(key, allowed)
    throw new ParamError(`'${canonical}' takes no option '${key}'${hint ? `; did you mean '${hint}'?` : ''} (options: ${allowed.join(', ') || 'none'})`, {
      field: `${field}.${key}`,
    })
  }
  const o = options as PrunerOptions
  switch (canonical) {
    case 'Off':
      return undefined
    case 'Auto':
    case 'Median':
      return medianPruner(o, field)
    case 'Wilcoxon':
      return wilcoxonPruner(o, field)
    case 'Hyperband':
      return hyperbandPruner(o, field)
    case 'Asha':
      return ashaPruner(o, field)
  }
}
