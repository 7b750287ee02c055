import { describe, expect, it } from 'vitest'
import { Rng } from '../../rng.js'
import { fitLogistic, rowWeights, type LogisticOptions } from './logistic.js'
import { LogisticLoss } from './logistic-loss.js'

function data(n: number, p: number, nClasses: number, seed: number, noise = 1): { x: Float64Array; labels: Int32Array } {
  const rng = new Rng(seed)
  const x = Float64Array.from({ length: n * p }, () => rng.normal())
  const labels = Int32Array.from({ length: n }, (_, i) => {
    let best = 0
    let bestScore = -Infinity
    for (let k = 0; k < nClasses; k++) {
      const s = x[i * p + (k % p)] * (k + 1) + noise * rng.normal()
      if (s > bestScore) {
        bestScore = s
        best = k
      }
    }
    return best
  })
  return { x, labels }
}

const BASE: LogisticOptions = { alpha: 1, fitIntercept: true, maxIter: 1000, tol: 1e-8, solver: 'auto', classWeight: 'none' }

describe('fitLogistic', () => {
  for (const nClasses of [2, 3]) {
    for (const solver of ['newton-cholesky', 'lbfgs'] as const) {
      it(`${nClasses} classes, ${solver}: reaches the optimum (gradient below tol)`, () => {
        const n = 200
        const p = 4
        const { x, labels } = data(n, p, nClasses, 3)
        const fit = fitLogistic(x, n, p, labels, nClasses, { ...BASE, solver })
        expect(fit.solver).toBe(solver)
        expect(fit.result.converged).toBe(true)
        // Check independently: the gradient at the returned parameters.
        const K = nClasses === 2 ? 1 : nClasses
        const loss = new LogisticLoss({ x, n, p, labels, weights: rowWeights(labels, nClasses, 'none'), nOutputs: K, alpha: 1, fitIntercept: true })
        const grad = new Float64Array(loss.dim)
        loss.valueAndGradient(fit.result.theta, grad)
        for (const g of grad) expect(Math.abs(g)).toBeLessThan(1e-8)
      })
    }
  }

  it('Newton and L-BFGS agree on the coefficients', () => {
    const { x, labels } = data(300, 5, 3, 8)
    const a = fitLogistic(x, 300, 5, labels, 3, { ...BASE, solver: 'newton-cholesky' })
    const b = fitLogistic(x, 300, 5, labels, 3, { ...BASE, solver: 'lbfgs' })
    a.coef.forEach((c, i) => expect(b.coef[i]).toBeCloseTo(c, 6))
    a.intercept.forEach((c, i) => expect(b.intercept[i]).toBeCloseTo(c, 6))
  })

  it('picks Newton for few parameters and L-BFGS for many', () => {
    const small = data(50, 3, 2, 1)
    expect(fitLogistic(small.x, 50, 3, small.labels, 2, BASE).solver).toBe('newton-cholesky')
    const wide = data(50, 120, 3, 1)
    expect(fitLogistic(wide.x, 50, 120, wide.labels, 3, { ...BASE, tol: 1e-6 }).solver).toBe('lbfgs')
  })

  it('keeps coefficients finite and bounded on separable data with a penalty', () => {
    // Perfectly separable: class = x > 0. Without a penalty the weight would grow without bound.
    const n = 100
    const x = Float64Array.from({ length: n }, (_, i) => (i - 49.5) / 10)
    const labels = Int32Array.from(x, (v) => (v > 0 ? 1 : 0))
    for (const solver of ['newton-cholesky', 'lbfgs'] as const) {
      const fit = fitLogistic(x, n, 1, labels, 2, { ...BASE, alpha: 1e-3, solver })
      expect(fit.result.converged).toBe(true)
      expect(Number.isFinite(fit.coef[0]) && fit.coef[0] > 0 && fit.coef[0] < 1e3).toBe(true)
    }
  })

  it('stops within max_iter without a penalty on separable data, with finite coefficients', () => {
    const n = 20
    const x = Float64Array.from({ length: n }, (_, i) => i - 9.5)
    const labels = Int32Array.from(x, (v) => (v > 0 ? 1 : 0))
    const fit = fitLogistic(x, n, 1, labels, 2, { ...BASE, alpha: 0, maxIter: 50 })
    expect(fit.result.nIter).toBeLessThanOrEqual(50)
    expect(Number.isFinite(fit.coef[0])).toBe(true)
  })

  it('balanced class weights: n / (classes x class count), as scikit-learn', () => {
    const w = rowWeights(Int32Array.of(0, 0, 0, 1), 2, 'balanced')
    expect(Array.from(w)).toEqual([4 / 6, 4 / 6, 4 / 6, 2])
  })
})
