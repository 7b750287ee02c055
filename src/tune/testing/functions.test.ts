import { describe, expect, it } from 'vitest'
import { BRANIN, HARTMANN3, HARTMANN6 } from './functions.js'

describe('test functions', () => {
  it('reach their published minima at their published minimisers', () => {
    for (const [x1, x2] of [[-Math.PI, 12.275], [Math.PI, 2.275], [9.42478, 2.475]]) expect(BRANIN.evaluate({ x1, x2 })).toBeCloseTo(BRANIN.minimum, 5)
    expect(HARTMANN3.evaluate({ x0: 0.114614, x1: 0.555649, x2: 0.852547 })).toBeCloseTo(HARTMANN3.minimum, 4)
    expect(HARTMANN6.evaluate({ x0: 0.20169, x1: 0.150011, x2: 0.476874, x3: 0.275332, x4: 0.311652, x5: 0.6573 })).toBeCloseTo(HARTMANN6.minimum, 4)
  })
})
