import { describe, expect, it } from 'vitest'
import { Rng } from '../../rng.js'
import { fitRidge } from './ridge.js'

/** Solves M z = r by Gaussian elimination with partial pivoting (an independent reference). */
function gaussSolve(m: number[][], r: number[]): number[] {
  const n = r.length
  const a = m.map((row, i) => [...row, r[i]])
  for (let c = 0; c < n; c++) {
    let piv = c
    for (let i = c + 1; i < n; i++) if (Math.abs(a[i][c]) > Math.abs(a[piv][c])) piv = i
    ;[a[c], a[piv]] = [a[piv], a[c]]
    for (let i = c + 1; i < n; i++) {
      const f = a[i][c] / a[c][c]
      for (let j = c; j <= n; j++) a[i][j] -= f * a[c][j]
    }
  }
  const z = new Array<number>(n).fill(0)
  for (let i = n - 1; i >= 0; i--) {
    let s = a[i][n]
    for (let j = i + 1; j < n; j++) s -= a[i][j] * z[j]
    z[i] = s / a[i][i]
  }
  return z
}

describe('fitRidge', () => {
  it('matches the closed form on three rows', () => {
    // x = (-1, 0, 1), y = (1, 2, 6): Sxx = 2, Sxy = 5, so w = 5 / (2 + alpha) and b = mean(y) - w mean(x) = 3.
    const { coef, intercept } = fitRidge(Float64Array.of(-1, 0, 1), 3, 1, Float64Array.of(1, 2, 6), 1, true)
    expect(coef[0]).toBeCloseTo(5 / 3, 14)
    expect(intercept).toBeCloseTo(3, 14)
    const ols = fitRidge(Float64Array.of(-1, 0, 1), 3, 1, Float64Array.of(1, 2, 6), 0, true)
    expect(ols.coef[0]).toBeCloseTo(2.5, 14)
  })

  it('without intercept, solves (X^T X + alpha I) w = X^T y', () => {
    // x = (1, 2, 3), y = (2, 4, 7): X^T X = 14, X^T y = 31, alpha 1 -> w = 31 / 15.
    const { coef, intercept } = fitRidge(Float64Array.of(1, 2, 3), 3, 1, Float64Array.of(2, 4, 7), 1, false)
    expect(coef[0]).toBeCloseTo(31 / 15, 14)
    expect(intercept).toBe(0)
  })

  it('matches the normal equations with an unpenalised intercept on random data', () => {
    const rng = new Rng(5)
    const n = 60
    const p = 7
    const alpha = 2.5
    const x = Float64Array.from({ length: n * p }, () => rng.normal() * 3 + 1)
    const y = Float64Array.from({ length: n }, (_, i) => x[i * p] - 2 * x[i * p + 3] + rng.normal())
    const { coef, intercept } = fitRidge(x, n, p, y, alpha, true)
    // Normal equations in (w, b): [X 1]^T [X 1] (w, b) + alpha (w, 0) = [X 1]^T y.
    const m = Array.from({ length: p + 1 }, () => new Array<number>(p + 1).fill(0))
    const r = new Array<number>(p + 1).fill(0)
    for (let i = 0; i < n; i++) {
      const row = [...x.subarray(i * p, (i + 1) * p), 1]
      for (let a = 0; a <= p; a++) {
        r[a] += row[a] * y[i]
        for (let b = 0; b <= p; b++) m[a][b] += row[a] * row[b]
      }
    }
    for (let a = 0; a < p; a++) m[a][a] += alpha
    const z = gaussSolve(m, r)
    for (let j = 0; j < p; j++) expect(coef[j]).toBeCloseTo(z[j], 10)
    expect(intercept).toBeCloseTo(z[p], 10)
  })

  it('stays finite on exactly collinear columns without a penalty (minimum-norm solution)', () => {
    // Column 2 repeats column 1: the weight splits evenly between them.
    const x = Float64Array.of(0, 0, 1, 1, 2, 2, 3, 3)
    const y = Float64Array.of(1, 3, 5, 7)
    const { coef, intercept } = fitRidge(x, 4, 2, y, 0, true)
    expect(coef[0]).toBeCloseTo(1, 9)
    expect(coef[1]).toBeCloseTo(1, 9)
    expect(intercept).toBeCloseTo(1, 9)
  })
})
