import { describe, expect, it } from 'vitest'
import { ParamError } from '../../errors.js'
import { applyOverrides, parseOverride } from './overrides.js'

describe('parseOverride', () => {
  it('reads values as YAML scalars', () => {
    expect(parseOverride('a.b=0.2').value).toBe(0.2)
    expect(parseOverride('a=true').value).toBe(true)
    expect(parseOverride('a=rmse').value).toBe('rmse')
    expect(parseOverride('a="5"').value).toBe('5')
    expect(parseOverride('a=').value).toBe('')
    expect(parseOverride('a=x=y').value).toBe('x=y')
    // Not a scalar: kept as written.
    expect(parseOverride('a=[1, 2]').value).toBe('[1, 2]')
  })
})

describe('applyOverrides', () => {
  it('creates missing objects and never changes its input', () => {
    const data = { cv: { folds: 5 } }
    expect(applyOverrides(data, ['cv.folds=3', 'members.xgb.params.eta=0.2'])).toEqual({
      cv: { folds: 3 },
      members: { xgb: { params: { eta: 0.2 } } },
    })
    expect(data).toEqual({ cv: { folds: 5 } })
  })

  it('indexes lists by number', () => {
    const data = { defs: [{ Name: 'a' }] }
    expect(applyOverrides(data, ['defs.0.Name=b'])).toEqual({ defs: [{ Name: 'b' }] })
    expect(() => applyOverrides(data, ['defs.x.Name=b'])).toThrow(ParamError)
  })

  it('rejects a path through a scalar, naming it', () => {
    expect(() => applyOverrides({ cv: { folds: 5 } }, ['cv.folds.min=2'])).toThrow(/'cv\.folds' is 5/)
  })

  it('keeps __proto__ an own field', () => {
    const out = applyOverrides({}, ['__proto__.polluted=1']) as Record<string, unknown>
    expect(Object.keys(out)).toEqual(['__proto__'])
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })
})
