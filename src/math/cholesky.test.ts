import { describe, expect, it } from 'vitest'
import { Rng } from '../rng.js'
import { cholesky, choleskyAppend, choleskyInverse, choleskySolve, solveLower, solveUpper } from './cholesky.js'
import { matVec, randomSpd } from './testing/matrices.js'

describe('cholesky', () => {
  it('factors a hand-computed 2 x 2 matrix', () => {
    const a = Float64Array.of(4, 2, 2, 3)
    expect(cholesky(a, 2)).toBe(true)
    expect(Array.from(a)).toEqual([2, 0, 1, Math.SQRT2])
  })

  it('refuses a matrix that is not positive definite', () => {
    expect(cholesky(Float64Array.of(1, 2, 2, 1), 2)).toBe(false)
    expect(cholesky(Float64Array.of(0, 0, 0, 1), 2)).toBe(false)
    expect(cholesky(Float64Array.of(1, 1, 1, 1), 2)).toBe(false)
    expect(cholesky(new Float64Array(4), 2, 1e-10)).toBe(false)
    expect(cholesky(Float64Array.of(NaN), 1, 1e-10)).toBe(false)
  })

  it('factors the empty matrix', () => {
    expect(cholesky(new Float64Array(0), 0)).toBe(true)
    expect(cholesky(new Float64Array(0), 0, 1e-10)).toBe(true)
  })

  it('with a pivot limit, refuses a nearly singular matrix whatever its scale', () => {
    for (const scale of [1e-6, 1, 1e6]) {
      const a = Float64Array.of(1, 1, 1, 1 + 1e-12).map((v) => v * scale)
      expect(cholesky(a.slice(), 2)).toBe(true)
      expect(cholesky(a.slice(), 2, 1e-10)).toBe(false)
      const b = Float64Array.of(1, 1, 1, 1 + 1e-8).map((v) => v * scale)
      expect(cholesky(b, 2, 1e-10)).toBe(true)
    }
  })

  it('reproduces K = L Lᵀ, solves K x = b and inverts K', () => {
    const n = 12
    const k = randomSpd(n, new Rng(1), 0.5)
    const l = k.slice()
    expect(cholesky(l, n, 1e-10)).toBe(true)
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0
        for (let q = 0; q < n; q++) s += l[i * n + q] * l[j * n + q]
        expect(s).toBeCloseTo(k[i * n + j], 10)
      }
    }
    const b = Float64Array.from({ length: n }, (_, i) => i - 3)
    const x = solveUpper(l, n, solveLower(l, n, b.slice()))
    const back = matVec(k, n, x)
    for (let i = 0; i < n; i++) expect(back[i]).toBeCloseTo(b[i], 9)
    expect(Array.from(choleskySolve(l, n, b.slice()))).toEqual(Array.from(x))
    const inv = choleskyInverse(l, n)
    for (let i = 0; i < n; i++) {
      const col = matVec(k, n, inv.subarray(i * n, i * n + n))
      for (let j = 0; j < n; j++) expect(col[j]).toBeCloseTo(i === j ? 1 : 0, 8)
    }
  })

  it('extends a factor by one row as factoring the bigger matrix would', () => {
    const n = 9
    const k = randomSpd(n + 1, new Rng(2), 0.5)
    const small = new Float64Array(n * n)
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) small[i * n + j] = k[i * (n + 1) + j]
    expect(cholesky(small, n)).toBe(true)
    const cross = Float64Array.from({ length: n }, (_, i) => k[n * (n + 1) + i])
    const grown = choleskyAppend(small, n, cross, k[n * (n + 1) + n])!
    const full = k.slice()
    cholesky(full, n + 1)
    for (let i = 0; i < full.length; i++) expect(grown[i]).toBeCloseTo(full[i], 10)
    expect(choleskyAppend(small, n, cross, -1)).toBeUndefined()
  })
})
