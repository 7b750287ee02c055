/**
 * Random search: every point drawn uniformly in the scaled space (log ranges log-uniformly,
 * integers each with their cell's share), never one already tried. Trial k's draws come from a
 * generator seeded by (seed, k), so the points do not depend on how trials are asked for (one at a
 * time or in batches) or on a resume.
 */
import { Rng } from '../../rng.js'
import { pointKey } from '../space.js'
import { mixSeed } from '../seed.js'
import type { Params, Strategy } from '../types.js'
import { freshUniform, nextTrialNumber, usedKeys } from './fresh.js'
import type { StrategySetup } from './options.js'

/**
 * The Random strategy.
 * @example
 * const random = randomStrategy(strategySetup({ ranges, direction: 'minimize', seed: 1, maxJobs: 20 }))
 * random.ask([], 2) // two points
 */
export function randomStrategy(setup: StrategySetup, name = 'Random'): Strategy {
  const { space, seed } = setup
  return {
    name,
    ask(history, n) {
      const used = usedKeys(space, history)
      const next = nextTrialNumber(history)
      const out: Params[] = []
      for (let i = 0; i < n; i++) {
        const p = freshUniform(space, used, new Rng(mixSeed(seed, next + i)))
        if (!p) break
        used.add(pointKey(space, p))
        out.push(p)
      }
      return out
    },
  }
}
