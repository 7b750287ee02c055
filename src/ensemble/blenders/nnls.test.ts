import { describe, expect, it } from 'vitest'
import { Rng } from '../../rng.js'
import { nnls, normalEquations } from './nnls.js'

describe('nnls', () => {
  it('solves a tiny problem worked by hand', () => {
    // A = [[1, 0], [0, 1], [1, 1]] (columns a1 = [1, 0, 1], a2 = [0, 1, 1]), b = [2, -1, 1].
    // A'A = [[2, 1], [1, 2]], A'b = [1*2 + 0*(-1) + 1*1, 0*2 + 1*(-1) + 1*1] = [3, 0].
    // Unconstrained: x = (A'A)^-1 A'b = (1/3) [[2, -1], [-1, 2]] [3, 0] = [2, -1]: x2 < 0, infeasible.
    // With x2 = 0: x1 = a1'b / a1'a1 = 3 / 2 = 1.5.
    // KKT: gradient g = A'b - A'A x = [3 - 2*1.5, 0 - 1*1.5] = [0, -1.5]; g2 <= 0, so x = [1.5, 0] is optimal.
    const eq = normalEquations([Float64Array.of(1, 0, 1), Float64Array.of(0, 1, 1)], Float64Array.of(2, -1, 1))
    expect(Array.from(eq.gram)).toEqual([2, 1, 1, 2])
    expect(Array.from(eq.rhs)).toEqual([3, 0])
    const x = nnls(eq)
    expect(x[0]).toBeCloseTo(1.5, 12)
    expect(x[1]).toBe(0)
  })

  it('equals least squares when the unconstrained solution is positive', () => {
    // Same A, b = [2, 1, 1]: A'b = [3, 2], x = (1/3) [[2, -1], [-1, 2]] [3, 2] = [4/3, 1/3].
    const x = nnls(normalEquations([Float64Array.of(1, 0, 1), Float64Array.of(0, 1, 1)], Float64Array.of(2, 1, 1)))
    expect(x[0]).toBeCloseTo(4 / 3, 12)
    expect(x[1]).toBeCloseTo(1 / 3, 12)
  })

  it('returns zero when every column points away from b', () => {
    const x = nnls(normalEquations([Float64Array.of(1, 1), Float64Array.of(2, 0)], Float64Array.of(-1, -1)))
    expect(Array.from(x)).toEqual([0, 0])
  })

  it('survives identical columns and meets the KKT conditions on random problems', () => {
    const rng = new Rng(3)
    for (let trial = 0; trial < 20; trial++) {
      const n = 40
      const m = 5
      const cols = Array.from({ length: m }, () => Float64Array.from({ length: n }, () => rng.normal()))
      cols[4] = cols[1].slice() // collinear pair
      const b = Float64Array.from({ length: n }, () => rng.normal())
      const eq = normalEquations(cols, b)
      const x = nnls(eq)
      for (let j = 0; j < m; j++) {
        expect(x[j]).toBeGreaterThanOrEqual(0)
        let g = eq.rhs[j]
        for (let k = 0; k < m; k++) g -= eq.gram[j * m + k] * x[k]
        // Optimality: no improving direction among zero coordinates, stationarity on positive ones.
        if (x[j] > 0) expect(Math.abs(g)).toBeLessThan(1e-9)
        else expect(g).toBeLessThan(1e-9)
      }
    }
  })
})
