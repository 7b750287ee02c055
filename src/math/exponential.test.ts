/**
 * The ziggurat's draws against the exponential distribution: mean, variance and tail fractions
 * to within sampling error on a million draws, a Kolmogorov-Smirnov distance below its 0.1%
 * critical value, and the same draws from the same seed.
 */
import { describe, expect, it } from 'vitest'
import { Rng } from '../rng.js'
import { exponential } from './exponential.js'

describe('exponential (ziggurat)', () => {
  const n = 1_000_000
  const draws = (seed: number) => {
    const rng = new Rng(seed)
    return Float64Array.from({ length: n }, () => exponential(rng))
  }

  it('has the moments and tails of Exp(1)', () => {
    const x = draws(11)
    let sum = 0
    let sq = 0
    let min = Infinity
    for (const v of x) {
      min = Math.min(min, v)
      sum += v
      sq += v * v
    }
    expect(min).toBeGreaterThanOrEqual(0)
    const mean = sum / n
    const variance = sq / n - mean * mean
    // Standard errors: mean 1/sqrt(n) = 0.001; variance about sqrt(8/n) = 0.0028.
    expect(Math.abs(mean - 1)).toBeLessThan(0.005)
    expect(Math.abs(variance - 1)).toBeLessThan(0.015)
    // P(X > t) = e^-t, past the base layer's edge (7.7) too: the tail path is exercised.
    for (const t of [0.01, 0.5, 1, 3, 7.7, 9]) {
      let above = 0
      for (const v of x) above += v > t ? 1 : 0
      const frac = above / n
      const p = Math.exp(-t)
      expect(Math.abs(frac - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / n) + 1e-6)
    }
  })

  it('passes a Kolmogorov-Smirnov test against Exp(1)', () => {
    const x = draws(12).sort()
    let d = 0
    for (let i = 0; i < n; i++) {
      const cdf = 1 - Math.exp(-x[i])
      d = Math.max(d, Math.abs(cdf - i / n), Math.abs(cdf - (i + 1) / n))
    }
    // The 0.1% critical value is 1.95 / sqrt(n).
    expect(d).toBeLessThan(1.95 / Math.sqrt(n))
  })

  it('gives the same draws from the same seed', () => {
    expect(draws(3).subarray(0, 1000)).toEqual(draws(3).subarray(0, 1000))
  })
})
