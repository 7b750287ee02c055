import { describe, expect, it } from 'vitest'
import { minimizeLbfgs } from './lbfgs.js'

function rosenbrock(x: Float64Array, g: Float64Array): number {
  let f = 0
  g.fill(0)
  for (let i = 0; i + 1 < x.length; i++) {
    const a = x[i + 1] - x[i] * x[i]
    const b = 1 - x[i]
    f += 100 * a * a + b * b
    g[i] += -400 * x[i] * a - 2 * b
    g[i + 1] += 200 * a
  }
  return f
}

describe('minimizeLbfgs', () => {
  it('finds the minimum of a quadratic', () => {
    const r = minimizeLbfgs((x, g) => {
      g[0] = 2 * (x[0] - 3)
      g[1] = 20 * (x[1] + 1)
      return (x[0] - 3) ** 2 + 10 * (x[1] + 1) ** 2
    }, Float64Array.of(0, 0))
    expect(r.x[0]).toBeCloseTo(3, 5)
    expect(r.x[1]).toBeCloseTo(-1, 5)
  })

  it('solves the 4-dimensional Rosenbrock function', () => {
    const r = minimizeLbfgs(rosenbrock, Float64Array.of(-1.2, 1, -1.2, 1), { maxIterations: 500, functionTolerance: 1e-14, gradientTolerance: 1e-8 })
    for (const v of r.x) expect(v).toBeCloseTo(1, 4)
    expect(r.value).toBeLessThan(1e-8)
  })

  it('stops at an active bound', () => {
    const r = minimizeLbfgs((x, g) => {
      g[0] = 2 * (x[0] - 3)
      g[1] = 2 * x[1]
      return (x[0] - 3) ** 2 + x[1] ** 2
    }, Float64Array.of(0, 2), { lower: [-1, -1], upper: [1, 5] })
    expect(r.x[0]).toBe(1)
    expect(r.x[1]).toBeCloseTo(0, 5)
  })

  it('backs off from non-finite values', () => {
    const r = minimizeLbfgs((x, g) => {
      g[0] = x[0] > 0 ? 1 - 1 / x[0] : 0
      return x[0] > 0 ? x[0] - Math.log(x[0]) : NaN
    }, Float64Array.of(5))
    expect(r.x[0]).toBeCloseTo(1, 4)
  })
})
