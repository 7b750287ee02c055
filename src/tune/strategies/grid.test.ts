import { describe, expect, it } from 'vitest'
import { ParamError } from '../../errors.js'
import type { TrialView } from '../types.js'
import { gridStrategy } from './grid.js'
import { strategySetup } from './options.js'

const setup = (ranges: Parameters<typeof strategySetup>[0]['ranges']) => strategySetup({ ranges, direction: 'minimize', seed: 0, maxJobs: 100 })

describe('gridStrategy', () => {
  it('enumerates every combination once, in order, and then nothing', () => {
    const grid = gridStrategy(
      setup([
        { name: 'depth', type: 'integer', min: 2, max: 3, scaling: 'Linear' },
        { name: 'policy', type: 'categorical', values: ['depthwise', 'lossguide'] },
      ]),
    )
    const first = grid.ask([], 3)
    expect(first).toEqual([
      { depth: 2, policy: 'depthwise' },
      { depth: 2, policy: 'lossguide' },
      { depth: 3, policy: 'depthwise' },
    ])
    const history: TrialView[] = first.map((params, number) => ({ number, params, state: number === 1 ? 'Failed' : 'Completed', value: 1, intermediate: [] }))
    expect(grid.ask(history, 3)).toEqual([{ depth: 3, policy: 'lossguide' }])
    expect(grid.ask([...history, { number: 3, params: { depth: 3, policy: 'lossguide' }, state: 'Running', intermediate: [] }], 1)).toEqual([])
  })

  it('skips points a resumed history already holds, wherever they are', () => {
    const grid = gridStrategy(setup([{ name: 'k', type: 'integer', min: 1, max: 5, scaling: 'Linear' }]))
    const history: TrialView[] = [{ number: 0, params: { k: 3 }, state: 'Completed', value: 0, intermediate: [] }]
    expect(grid.ask(history, 10).map((p) => p.k)).toEqual([1, 2, 4, 5])
  })

  it('refuses continuous ranges as SageMaker does', () => {
    expect(() => gridStrategy(setup([{ name: 'eta', type: 'continuous', min: 0, max: 1, scaling: 'Linear' }]))).toThrow(ParamError)
    expect(() => gridStrategy(setup([{ name: 'eta', type: 'continuous', min: 0, max: 1, scaling: 'Linear' }]))).toThrow(/'eta' is continuous/)
  })
})
