/**
 * Grid search: every combination of the integer and categorical ranges' values, in one fixed order
 * (ranges in order, the last varying fastest; integers ascending; categoricals as listed), each
 * once. Continuous ranges are refused, as SageMaker's Grid strategy refuses them. Points already in
 * the history (a resumed study) are skipped; when all have been asked, asks return nothing.
 */
import { ParamError } from '../../errors.js'
import { discreteSize, pointAt, pointKey } from '../space.js'
import type { Params, Strategy } from '../types.js'
import { usedKeys } from './fresh.js'
import type { StrategySetup } from './options.js'

/**
 * The Grid strategy.
 * @throws ParamError (field `ranges.<name>`) for a continuous range, or when the grid has more
 *   points than can be counted exactly (2^53).
 * @example
 * const grid = gridStrategy(strategySetup({ ranges, direction: 'minimize', seed: 0, maxJobs: 12 }))
 * grid.ask([], 3) // the first three combinations
 */
export function gridStrategy(setup: StrategySetup): Strategy {
  const { space } = setup
  for (const range of space.ranges) {
    if (range.type === 'continuous') {
      throw new ParamError(`Grid search enumerates integer and categorical ranges; '${range.name}' is continuous (make it categorical, or use Random or Bayesian)`, {
        field: `ranges.${range.name}`,
      })
    }
  }
  const size = discreteSize(space)
  if (!Number.isSafeInteger(size)) throw new ParamError(`the grid has too many points (${size})`, { field: 'ranges' })
  return {
    name: 'Grid',
    ask(history, n) {
      const used = usedKeys(space, history)
      const out: Params[] = []
      for (let i = 0; i < size && out.length < n; i++) {
        const p = pointAt(space, i)
        if (!used.has(pointKey(space, p))) out.push(p)
      }
      return out
    },
  }
}
