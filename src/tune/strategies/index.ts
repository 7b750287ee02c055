/**
 * The strategies by name, as SageMaker Automatic Model Tuning names them: Random, Grid, Bayesian
 * and Hyperband (case-insensitive; an unknown name gets the closest one). Each is built from the
 * same checked options.
 */
import { ParamError } from '../../errors.js'
import { closestName } from '../../text/closest.js'
import type { Strategy } from '../types.js'
import { bayesianStrategy } from './bayesian.js'
import { gridStrategy } from './grid.js'
import { hyperbandStrategy } from './hyperband.js'
import { strategySetup, type StrategyOptions, type StrategySetup } from './options.js'
import { randomStrategy } from './random.js'

export { bayesianStrategy, initialTrials, type BayesianOptions } from './bayesian.js'
export { gridStrategy } from './grid.js'
export { hyperbandStrategy } from './hyperband.js'
export { strategySetup, type StrategyOptions, type StrategySetup } from './options.js'
export { randomStrategy } from './random.js'

/** Builds a strategy from checked options. */
export type StrategyFactory = (setup: StrategySetup) => Strategy

const factories = new Map<string, StrategyFactory>([
  ['Random', (s) => randomStrategy(s)],
  ['Grid', gridStrategy],
  ['Bayesian', (s) => bayesianStrategy(s)],
  ['Hyperband', hyperbandStrategy],
])

/**
 * Adds a strategy under a new name (names are compared case-insensitively).
 * @example registerStrategy('Sobol', (setup) => mySobolStrategy(setup))
 */
export function registerStrategy(name: string, factory: StrategyFactory): void {
  if (canonicalName(name) !== undefined) throw new Error(`strategy '${name}' is already registered`)
  factories.set(name, factory)
}

/**
 * Names of every registered strategy, built-in ones first.
 * @example strategyNames() // ['Random', 'Grid', 'Bayesian', 'Hyperband']
 */
export function strategyNames(): string[] {
  return [...factories.keys()]
}

function canonicalName(name: string): string | undefined {
  const lower = String(name).toLowerCase()
  return [...factories.keys()].find((k) => k.toLowerCase() === lower)
}

/**
 * The strategy called `name` over `options.ranges`.
 * @throws ParamError for an unknown name (field `strategy`, with the closest name) or invalid
 *   options (the field at fault).
 * @example
 * const strategy = getStrategy('Bayesian', { ranges, direction: 'minimize', seed: 7, maxJobs: 40 })
 * const [params] = strategy.ask(history, 1)
 */
export function getStrategy(name: string, options: StrategyOptions, field = 'strategy'): Strategy {
  const canonical = canonicalName(name)
  if (canonical === undefined) {
    const hint = closestName(String(name), factories.keys())
    throw new ParamError(`unknown strategy '${name}'${hint ? `; did you mean '${hint}'?` : ''} (known: ${strategyNames().join(', ')})`, { field })
  }
  return factories.get(canonical)!(strategySetup(options))
}
