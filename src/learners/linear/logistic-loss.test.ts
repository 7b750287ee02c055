import { describe, expect, it } from 'vitest'
import { Rng } from '../../rng.js'
import { LogisticLoss, type LogisticProblem } from './logistic-loss.js'

function problem(nOutputs: number, fitIntercept: boolean, seed: number): LogisticProblem {
  const rng = new Rng(seed)
  const n = 40
  const p = 3
  const classes = nOutputs === 1 ? 2 : nOutputs
  return {
    x: Float64Array.from({ length: n * p }, () => rng.normal()),
    n,
    p,
    labels: Int32Array.from({ length: n }, () => rng.int(classes)),
    weights: Float64Array.from({ length: n }, () => 0.5 + rng.next()),
    nOutputs,
    alpha: 0.7,
    fitIntercept,
  }
}

const CASES = [
  { name: 'binary with intercept', nOutputs: 1, fitIntercept: true },
  { name: 'binary without intercept', nOutputs: 1, fitIntercept: false },
  { name: 'softmax with intercept', nOutputs: 3, fitIntercept: true },
  { name: 'softmax without intercept', nOutputs: 4, fitIntercept: false },
]

describe('LogisticLoss', () => {
  for (const c of CASES) {
    it(`${c.name}: gradient and Hessian match central finite differences`, () => {
      const loss = new LogisticLoss(problem(c.nOutputs, c.fitIntercept, 11))
      const dim = loss.dim
      const rng = new Rng(2)
      const theta = Float64Array.from({ length: dim }, () => rng.normal() * 0.5)
      const grad = new Float64Array(dim)
      loss.valueAndGradient(theta, grad)
      const hess = new Float64Array(dim * dim)
      loss.hessian(theta, hess)
      const h = 1e-5
      const gPlus = new Float64Array(dim)
      const gMinus = new Float64Array(dim)
      for (let j = 0; j < dim; j++) {
        const plus = Float64Array.from(theta)
        const minus = Float64Array.from(theta)
        plus[j] += h
        minus[j] -= h
        const fd = (loss.valueAndGradient(plus, gPlus) - loss.valueAndGradient(minus, gMinus)) / (2 * h)
        expect(grad[j]).toBeCloseTo(fd, 8)
        for (let i = 0; i < dim; i++) expect(hess[i * dim + j]).toBeCloseTo((gPlus[i] - gMinus[i]) / (2 * h), 7)
      }
    })
  }

  it('is the mean weighted log-loss plus alpha / 2 ||W||^2 over the weight sum', () => {
    const pr = problem(1, true, 4)
    const loss = new LogisticLoss(pr)
    const theta = Float64Array.of(0.3, -0.2, 0.1, 0.5)
    let total = 0
    let wsum = 0
    for (let i = 0; i < pr.n; i++) {
      let m = theta[3]
      for (let j = 0; j < 3; j++) m += pr.x[i * 3 + j] * theta[j]
      const prob = 1 / (1 + Math.exp(-m))
      total -= pr.weights[i] * Math.log(pr.labels[i] === 1 ? prob : 1 - prob)
      wsum += pr.weights[i]
    }
    const expected = (total + 0.5 * pr.alpha * (0.3 ** 2 + 0.2 ** 2 + 0.1 ** 2)) / wsum
    expect(loss.valueAndGradient(theta, new Float64Array(4))).toBeCloseTo(expected, 12)
  })

  it('stays finite for huge margins', () => {
    const loss = new LogisticLoss(problem(3, true, 1))
    const theta = new Float64Array(loss.dim).fill(1e6)
    const grad = new Float64Array(loss.dim)
    const f = loss.valueAndGradient(theta, grad)
    expect(Number.isFinite(f)).toBe(true)
    for (const g of grad) expect(Number.isFinite(g)).toBe(true)
  })
})
