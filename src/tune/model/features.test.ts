import { describe, expect, it } from 'vitest'
import { createSpace, encode } from '../space.js'
import { featureMap } from './features.js'

describe('featureMap', () => {
  it('keeps numeric coordinates and one-hot encodes categoricals', () => {
    const space = createSpace([
      { name: 'eta', type: 'continuous', min: 0, max: 1, scaling: 'Linear' },
      { name: 'policy', type: 'categorical', values: ['a', 'b', 'c'] },
      { name: 'depth', type: 'integer', min: 1, max: 4, scaling: 'Linear' },
      { name: 'only', type: 'categorical', values: [true] },
    ])
    const map = featureMap(space)
    expect(map.width).toBe(6)
    const out = new Float64Array(8).fill(9)
    map.write(encode(space, { eta: 0.25, policy: 'c', depth: 2, only: true }), out, 1)
    expect(Array.from(out)).toEqual([9, 0.25, 0, 0, 1, 0.375, 1, 9])
  })
})
