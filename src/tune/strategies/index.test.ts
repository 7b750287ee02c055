import { describe, expect, it } from 'vitest'
import { ParamError } from '../../errors.js'
import type { ParameterRange } from '../types.js'
import { getStrategy, registerStrategy, strategyNames } from './index.js'
import { randomStrategy } from './random.js'

const ranges: ParameterRange[] = [{ name: 'x', type: 'continuous', min: 0, max: 1, scaling: 'Linear' }]
const base = { ranges, direction: 'minimize', seed: 1, maxJobs: 10 } as const

describe('getStrategy', () => {
  it("knows SageMaker's names, case-insensitively", () => {
    expect(strategyNames().slice(0, 4)).toEqual(['Random', 'Grid', 'Bayesian', 'Hyperband'])
    expect(getStrategy('bayesian', base).name).toBe('Bayesian')
    expect(getStrategy('RANDOM', base).name).toBe('Random')
    expect(getStrategy('Hyperband', base).pruner?.name).toBe('hyperband')
    expect(getStrategy('Random', base).pruner).toBeUndefined()
  })

  it('names the closest strategy for a typo', () => {
    expect(() => getStrategy('Baysian', base)).toThrow(/did you mean 'Bayesian'/)
    try {
      getStrategy('Annealing', base)
    } catch (e) {
      expect(e).toBeInstanceOf(ParamError)
      expect((e as ParamError).location.field).toBe('strategy')
      expect((e as ParamError).message).toMatch(/known: Random, Grid, Bayesian, Hyperband/)
    }
  })

  it('checks Hyperband rungs under hyperband.*', () => {
    try {
      getStrategy('Hyperband', { ...base, hyperband: { minResource: 10, maxResource: 5 } })
      expect.unreachable()
    } catch (e) {
      expect((e as ParamError).location.field).toBe('hyperband.maxResource')
    }
  })

  it('takes new strategies under new names', () => {
    registerStrategy('Uniform', (setup) => randomStrategy(setup, 'Uniform'))
    expect(getStrategy('uniform', base).name).toBe('Uniform')
    expect(() => registerStrategy('random', (setup) => randomStrategy(setup))).toThrow(/already registered/)
  })
})
