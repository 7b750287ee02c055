import { describe, expect, it } from 'vitest'
import type { ParameterRange, TrialView } from '../types.js'
import { strategySetup } from './options.js'
import { randomStrategy } from './random.js'

const ranges: ParameterRange[] = [
  { name: 'lr', type: 'continuous', min: 1e-4, max: 1e-1, scaling: 'Logarithmic' },
  { name: 'depth', type: 'integer', min: 1, max: 4, scaling: 'Linear' },
]

describe('randomStrategy', () => {
  const setup = strategySetup({ ranges, direction: 'minimize', seed: 4, maxJobs: 1000 })

  it('samples uniformly in the scaled space', () => {
    const points = randomStrategy(setup).ask([], 2000)
    const decades = [0, 0, 0]
    const depths = [0, 0, 0, 0]
    for (const p of points) {
      decades[Math.min(2, Math.floor(Math.log10(p.lr as number) + 4))]++
      depths[(p.depth as number) - 1]++
    }
    for (const c of decades) expect(Math.abs(c / 2000 - 1 / 3)).toBeLessThan(0.04)
    for (const c of depths) expect(Math.abs(c / 2000 - 1 / 4)).toBeLessThan(0.04)
  })

  it('gives trial k the same point however the trials are asked for', () => {
    const random = randomStrategy(setup)
    const batch = random.ask([], 5)
    const history: TrialView[] = []
    for (let i = 0; i < 5; i++) {
      const [p] = random.ask(history, 1)
      expect(p).toEqual(batch[i])
      history.push({ number: i, params: p, state: 'Running', intermediate: [] })
    }
  })
})
