import { describe, expect, it } from 'vitest'
import { cholesky } from '../../math/cholesky.js'
import { matVec, randomSpd } from '../../math/testing/matrices.js'
import { Rng } from '../../rng.js'
import { PIVOT_LIMIT, symmetricEigen, symmetricSolve } from './symmetric-solve.js'

describe('symmetricSolve', () => {
  it('solves a well-conditioned system by Cholesky and leaves its inputs unchanged', () => {
    const p = 6
    const a = randomSpd(p, new Rng(3))
    const b = Float64Array.from({ length: p }, (_, i) => i - 2)
    const aCopy = Float64Array.from(a)
    const x = symmetricSolve(a, b, p)
    expect(cholesky(Float64Array.from(a), p, PIVOT_LIMIT)).toBe(true)
    matVec(a, p, x).forEach((v, i) => expect(v).toBeCloseTo(b[i], 10))
    expect(a).toEqual(aCopy)
  })

  it('gives the minimum-norm solution of a singular system', () => {
    // [[1, 1], [1, 1]] x = [2, 2]: solutions x1 + x2 = 2, the shortest is (1, 1).
    const a = Float64Array.of(1, 1, 1, 1)
    expect(cholesky(Float64Array.from(a), 2, PIVOT_LIMIT)).toBe(false)
    const x = symmetricSolve(a, Float64Array.of(2, 2), 2)
    expect(x[0]).toBeCloseTo(1, 12)
    expect(x[1]).toBeCloseTo(1, 12)
  })

  it('returns zeros for an all-zero matrix', () => {
    expect(Array.from(symmetricSolve(new Float64Array(4), Float64Array.of(0, 0), 2))).toEqual([0, 0])
  })
})

describe('symmetricEigen', () => {
  it('decomposes A as V diag(values) V^T', () => {
    const p = 5
    const a = randomSpd(p, new Rng(9))
    const v = new Float64Array(p * p)
    const values = symmetricEigen(Float64Array.from(a), p, v)
    for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) {
      let s = 0
      for (let k = 0; k < p; k++) s += v[i * p + k] * values[k] * v[j * p + k]
      expect(s).toBeCloseTo(a[i * p + j], 9)
    }
  })
})
