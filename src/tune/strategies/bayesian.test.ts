import { describe, expect, it } from 'vitest'
import { createSpace, decode, pointKey } from '../space.js'
import { HARTMANN3 } from '../testing/functions.js'
import type { ParameterRange, Params, TrialView } from '../types.js'
import { latinHypercube } from './design.js'
import { bayesianStrategy, initialTrials } from './bayesian.js'
import { strategySetup } from './options.js'
import { Rng } from '../../rng.js'
import { mixSeed } from '../seed.js'

const ranges: ParameterRange[] = [
  { name: 'x', type: 'continuous', min: 0, max: 1, scaling: 'Linear' },
  { name: 'y', type: 'continuous', min: 0, max: 1, scaling: 'Linear' },
]
const bowl = (p: Params): number => ((p.x as number) - 0.7) ** 2 + ((p.y as number) - 0.2) ** 2

function run(strategy: ReturnType<typeof bayesianStrategy>, f: (p: Params) => number, n: number, sign = 1): TrialView[] {
  const history: TrialView[] = []
  for (let i = 0; i < n; i++) {
    const [params] = strategy.ask(history, 1)
    history.push({ number: i, params, state: 'Completed', value: sign * f(params), intermediate: [] })
  }
  return history
}

describe('bayesianStrategy', () => {
  it('opens with a Latin hypercube of max(5, ranges + 1) trials, at most half the budget', () => {
    expect(initialTrials(2, 40)).toBe(5)
    expect(initialTrials(6, 40)).toBe(7)
    expect(initialTrials(6, 8)).toBe(4)
    expect(initialTrials(1, 2)).toBe(2)
    const setup = strategySetup({ ranges, direction: 'minimize', seed: 9, maxJobs: 40 })
    const design = latinHypercube(5, 2, new Rng(mixSeed(9, 0x0de5))).map((u) => decode(createSpace(ranges), u))
    expect(bayesianStrategy(setup).ask([], 5)).toEqual(design)
  })

  it('converges on the minimum of a bowl, minimising or maximising', () => {
    const min = run(bayesianStrategy(strategySetup({ ranges, direction: 'minimize', seed: 1, maxJobs: 25 })), bowl, 25)
    expect(Math.min(...min.map((t) => t.value!))).toBeLessThan(1e-3)
    const max = run(bayesianStrategy(strategySetup({ ranges, direction: 'maximize', seed: 1, maxJobs: 25 })), bowl, 25, -1)
    expect(Math.max(...max.map((t) => t.value!))).toBeGreaterThan(-1e-3)
  })

  it('spreads the points of one ask and around running trials (constant liar)', () => {
    const setup = strategySetup({ ranges, direction: 'minimize', seed: 2, maxJobs: 40 })
    const history = run(bayesianStrategy(setup), bowl, 12)
    const batch = bayesianStrategy(setup).ask(history, 4)
    expect(new Set(batch.map((p) => JSON.stringify(p))).size).toBe(4)
    let closest = Infinity
    for (let i = 0; i < 4; i++) for (let j = 0; j < i; j++) closest = Math.min(closest, Math.hypot((batch[i].x as number) - (batch[j].x as number), (batch[i].y as number) - (batch[j].y as number)))
    expect(closest).toBeGreaterThan(1e-3)
    const [alone] = bayesianStrategy(setup).ask(history, 1)
    const withRunning = bayesianStrategy(setup).ask([...history, { number: 12, params: alone, state: 'Running', intermediate: [] }], 1)
    expect(withRunning[0]).not.toEqual(alone)
  })

  it('leaves Failed trials out of the model and never proposes them again', () => {
    const space = createSpace([{ name: 'k', type: 'integer', min: 1, max: 6, scaling: 'Linear' }])
    const setup = strategySetup({ ranges: space.ranges, direction: 'minimize', seed: 3, maxJobs: 10 })
    const history: TrialView[] = [1, 2, 3, 4, 5].map((k, number) => ({ number, params: { k }, state: k === 5 ? 'Failed' : 'Completed', value: k === 5 ? undefined : (k - 5) ** 2, intermediate: [] }))
    const next = bayesianStrategy(setup).ask(history, 3)
    expect(next.map((p) => pointKey(space, p))).toEqual(['[6]'])
  })

  it('shrugs off a diverged trial far worse than the rest', () => {
    const setup = strategySetup({ ranges, direction: 'minimize', seed: 4, maxJobs: 30 })
    const history = run(bayesianStrategy(setup), bowl, 10)
    history.push({ number: 10, params: { x: 0.01, y: 0.99 }, state: 'Completed', value: 1e12, intermediate: [] })
    const strategy = bayesianStrategy(setup)
    for (let i = 11; i < 25; i++) {
      const [params] = strategy.ask(history, 1)
      history.push({ number: i, params, state: 'Completed', value: bowl(params), intermediate: [] })
    }
    expect(Math.min(...history.map((t) => t.value!))).toBeLessThan(2e-3)
  })

  it('beats its own opening design on Hartmann-3', () => {
    const setup = strategySetup({ ranges: HARTMANN3.ranges, direction: 'minimize', seed: 5, maxJobs: 25 })
    const history = run(bayesianStrategy(setup), (p) => HARTMANN3.evaluate(p), 25)
    const opening = Math.min(...history.slice(0, 5).map((t) => t.value!))
    expect(Math.min(...history.map((t) => t.value!))).toBeLessThan(Math.min(opening, -3.5))
  })
})
