import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { closestName, levenshtein } from './closest.js'

describe('levenshtein', () => {
  it('matches hand-computed distances', () => {
    expect(levenshtein('kitten', 'sitting')).toBe(3) // k->s, e->i, +g
    expect(levenshtein('flaw', 'lawn')).toBe(2) // -f, +n
    expect(levenshtein('rmse', 'rmes')).toBe(2) // a transposition costs two edits
    expect(levenshtein('', 'abc')).toBe(3)
    expect(levenshtein('abc', '')).toBe(3)
    expect(levenshtein('same', 'same')).toBe(0)
  })

  it('is a metric: symmetric, zero only for equal strings, triangle inequality', () => {
    const s = fc.string({ maxLength: 12 })
    fc.assert(
      fc.property(s, s, s, (a, b, c) => {
        expect(levenshtein(a, b)).toBe(levenshtein(b, a))
        expect(levenshtein(a, b) === 0).toBe(a === b)
        expect(levenshtein(a, c)).toBeLessThanOrEqual(levenshtein(a, b) + levenshtein(b, c))
        expect(levenshtein(a, b)).toBeLessThanOrEqual(Math.max(a.length, b.length))
        expect(levenshtein(a, b)).toBeGreaterThanOrEqual(Math.abs(a.length - b.length))
      }),
    )
  })
})

describe('closestName', () => {
  const metrics = ['rmse', 'mae', 'r2', 'mape', 'logloss', 'auc', 'mlogloss', 'poisson-nloglik']

  it('suggests the nearest candidate for a typo', () => {
    expect(closestName('rmes', metrics)).toBe('rmse')
    expect(closestName('RMSE', metrics)).toBe('rmse') // case-insensitive, returns the candidate's spelling
    expect(closestName('poisson_nloglik', metrics)).toBe('poisson-nloglik')
    expect(closestName('max_dpeth', ['eta', 'max_depth', 'subsample'])).toBe('max_depth')
  })

  it('prefers the smaller distance, then the earlier candidate', () => {
    expect(closestName('mlogloss', metrics)).toBe('mlogloss') // exact beats 'logloss' at distance 1
    expect(closestName('ab', ['ax', 'xb'])).toBe('ax')
  })

  it('suggests nothing when no candidate is plausibly meant', () => {
    expect(closestName('colour', ['eta', 'max_depth'])).toBeUndefined()
    expect(closestName('anything', [])).toBeUndefined()
  })

  it('honours an explicit maxDistance', () => {
    expect(closestName('rmsexx', metrics, 1)).toBeUndefined()
    expect(closestName('rmsexx', metrics, 2)).toBe('rmse')
  })
})
