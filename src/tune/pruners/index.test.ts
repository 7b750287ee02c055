import { describe, expect, it } from 'vitest'
import { ParamError } from '../../errors.js'
import { getPruner } from './index.js'

describe('getPruner', () => {
  it('finds pruners by name, case-insensitively', () => {
    expect(getPruner('Off')).toBeUndefined()
    expect(getPruner('auto')?.name).toBe('median')
    expect(getPruner('MEDIAN', { minTrials: 2 })?.name).toBe('median')
    expect(getPruner('Wilcoxon', { pThreshold: 0.05 })?.name).toBe('wilcoxon')
    expect(getPruner('hyperband', { minResource: 10, maxResource: 810, brackets: 2 })?.name).toBe('hyperband')
    expect(getPruner('asha')?.name).toBe('asha')
  })

  it('names the closest pruner and option for a typo', () => {
    expect(() => getPruner('wilcoxn')).toThrow(/did you mean 'Wilcoxon'/)
    expect(() => getPruner('Wilcoxon', { p_threshold: 0.1 })).toThrow(/did you mean 'pThreshold'/)
    try {
      getPruner('Hyperband', { minResource: -1 })
    } catch (e) {
      expect(e).toBeInstanceOf(ParamError)
      expect((e as ParamError).location.field).toBe('early_stopping.minResource')
    }
  })
})
