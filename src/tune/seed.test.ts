import { describe, expect, it } from 'vitest'
import { mixSeed } from './seed.js'

describe('mixSeed', () => {
  it('is a pure function of its inputs', () => {
    expect(mixSeed(42, 7)).toBe(mixSeed(42, 7))
    expect(mixSeed(0)).toBe(mixSeed(0))
  })

  it('separates neighbouring seeds, positions and arities', () => {
    const seen = new Set<number>()
    for (let seed = 0; seed < 20; seed++) for (let p = 0; p < 50; p++) seen.add(mixSeed(seed, p))
    expect(seen.size).toBe(1000)
    expect(mixSeed(1, 0)).not.toBe(mixSeed(1))
    expect(mixSeed(1, 0, 0)).not.toBe(mixSeed(1, 0))
  })

  it('gives 32-bit unsigned integers', () => {
    for (let p = 0; p < 100; p++) {
      const s = mixSeed(-5, p, 2 ** 40 + p)
      expect(Number.isInteger(s) && s >= 0 && s < 2 ** 32).toBe(true)
    }
  })
})
