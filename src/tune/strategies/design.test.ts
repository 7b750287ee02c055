import { describe, expect, it } from 'vitest'
import { Rng } from '../../rng.js'
import { latinHypercube } from './design.js'

describe('latinHypercube', () => {
  it('puts exactly one point in each slice of each dimension', () => {
    const n = 17
    const points = latinHypercube(n, 4, new Rng(3))
    expect(points).toHaveLength(n)
    for (let j = 0; j < 4; j++) {
      const slices = points.map((p) => Math.floor(p[j] * n)).sort((a, b) => a - b)
      expect(slices).toEqual(Array.from({ length: n }, (_, i) => i))
    }
  })

  it('is deterministic for a seed', () => {
    expect(latinHypercube(6, 3, new Rng(1))).toEqual(latinHypercube(6, 3, new Rng(1)))
    expect(latinHypercube(6, 3, new Rng(1))).not.toEqual(latinHypercube(6, 3, new Rng(2)))
  })
})
