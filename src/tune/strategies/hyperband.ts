/**
 * The Hyperband strategy: random sampling (as in Li et al.'s Hyperband and ASHA, and SageMaker's
 * Hyperband) with successive halving as its pruner. The gain over Random comes from the pruner:
 * weak configurations stop at the first rungs, so the same compute tries more of them. Sampling
 * is not model-based because most of Hyperband's trials end early, at a resource where their
 * values are not comparable with finished ones.
 */
import { hyperbandPruner } from '../pruners/hyperband.js'
import type { Strategy } from '../types.js'
import type { StrategySetup } from './options.js'
import { randomStrategy } from './random.js'

/**
 * The Hyperband strategy; its `pruner` applies the rungs of `setup.hyperband`.
 * @example
 * const hb = hyperbandStrategy(strategySetup({ ranges, direction: 'minimize', seed: 1, maxJobs: 50, hyperband: { minResource: 1, maxResource: 81 } }))
 * hb.pruner?.shouldStop(trial, history, { direction: 'minimize' })
 */
export function hyperbandStrategy(setup: StrategySetup): Strategy {
  const sampler = randomStrategy(setup, 'Hyperband')
  return { name: 'Hyperband', ask: sampler.ask, pruner: hyperbandPruner(setup.hyperband, 'hyperband') }
}
