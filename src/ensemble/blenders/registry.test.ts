import { describe, expect, it } from 'vitest'
import { ParamError } from '../../errors.js'
import { blenderKinds, getBlender } from './index.js'

describe('blender registry', () => {
  it('lists the built-in blenders', () => {
    expect(blenderKinds()).toEqual(['mean', 'weighted', 'stack', 'vote'])
  })

  it('suggests the closest kind for a typo', () => {
    expect(() => getBlender('wieghted')).toThrow(ParamError)
    expect(() => getBlender('wieghted')).toThrow(/did you mean 'weighted'/)
  })

  it('validates options with defaults', () => {
    expect(getBlender('weighted').options).toEqual({ weights: 'nnls', iterations: 50 })
    expect(() => getBlender('weighted', { method: 'lasso' })).toThrow(ParamError)
    expect(() => getBlender('stack', { learner: 'lienar' })).toThrow(/did you mean 'linear'/)
    expect(() => getBlender('stack', { params: { alpah: 1 } })).toThrow(/did you mean 'alpha'/)
  })
})
