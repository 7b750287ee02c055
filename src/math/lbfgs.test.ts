import { describe, expect, it } from 'vitest'
import { Rng } from '../rng.js'
import { minimizeLbfgs, type Objective } from './lbfgs.js'
import { matVec, randomSpd } from './testing/matrices.js'

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

/** ½ xᵀA x - bᵀx, minimised where A x = b. */
function quadratic(a: Float64Array, b: Float64Array): Objective {
  const n = b.length
  return (x, g) => {
    const ax = matVec(a, n, x)
    let f = 0
    for (let i = 0; i < n; i++) {
      g[i] = ax[i] - b[i]
      f += 0.5 * x[i] * ax[i] - b[i] * x[i]
    }
    return f
  }
}

describe('minimizeLbfgs', () => {
  it('finds the minimum of a quadratic', () => {
    const r = minimizeLbfgs((x, g) => {
      g[0] = 2 * (x[0] - 3)
      g[1] = 20 * (x[1] + 1)
      return (x[0] - 3) ** 2 + 10 * (x[1] + 1) ** 2
    }, Float64Array.of(0, 0))
    expect(r.converged).toBe(true)
    expect(r.x[0]).toBeCloseTo(3, 5)
    expect(r.x[1]).toBeCloseTo(-1, 5)
  })

  it('solves the 4-dimensional Rosenbrock function', () => {
    const r = minimizeLbfgs(rosenbrock, Float64Array.of(-1.2, 1, -1.2, 1), { maxIterations: 500, functionTolerance: 1e-14, gradientTolerance: 1e-8 })
    for (const v of r.x) expect(v).toBeCloseTo(1, 4)
    expect(r.value).toBeLessThan(1e-8)
  })

  it('reaches a tight gradient tolerance on an unbounded 60-variable quadratic', () => {
    // Unbounded, more variables than pairs kept, a tolerance near the rounding floor of f: the
    // linear learner's case.
    const n = 60
    const a = randomSpd(n, new Rng(4))
    const b = Float64Array.from({ length: n }, (_, i) => Math.sin(i))
    const r = minimizeLbfgs(quadratic(a, b), new Float64Array(n), { maxIterations: 1000, gradientTolerance: 1e-10 })
    expect(r.converged).toBe(true)
    expect(r.gradientNorm).toBeLessThan(1e-10)
    const ax = matVec(a, n, r.x)
    for (let i = 0; i < n; i++) expect(ax[i]).toBeCloseTo(b[i], 9)
  })

  it('stops at an active bound', () => {
    const r = minimizeLbfgs((x, g) => {
      g[0] = 2 * (x[0] - 3)
      g[1] = 2 * x[1]
      return (x[0] - 3) ** 2 + x[1] ** 2
    }, Float64Array.of(0, 2), { lower: [-1, -1], upper: [1, 5] })
    expect(r.x[0]).toBe(1)
    expect(r.x[1]).toBeCloseTo(0, 5)
    // The gradient pushing out of the box at the bound does not count against convergence.
    expect(r.converged).toBe(true)
  })

  it('starts from the projection of a start outside the box', () => {
    const seen: number[] = []
    const r = minimizeLbfgs((x, g) => {
      seen.push(x[0])
      g[0] = 2 * (x[0] + 1)
      return (x[0] + 1) ** 2
    }, [7], { lower: [0], upper: [5] })
    expect(seen[0]).toBe(5)
    expect(seen.every((v) => v >= 0 && v <= 5)).toBe(true)
    expect(r.x[0]).toBe(0)
    expect(r.converged).toBe(true)
  })

  it('backs off from non-finite values', () => {
    const r = minimizeLbfgs((x, g) => {
      g[0] = x[0] > 0 ? 1 - 1 / x[0] : 0
      return x[0] > 0 ? x[0] - Math.log(x[0]) : NaN
    }, Float64Array.of(5))
    expect(r.x[0]).toBeCloseTo(1, 4)
  })

  it('gives up at once from a non-finite start', () => {
    const r = minimizeLbfgs(() => NaN, [1, 2])
    expect(r).toMatchObject({ value: Infinity, iterations: 0, evaluations: 1, converged: false })
  })

  it('stops after maxIterations steps and counts every evaluation', () => {
    let calls = 0
    const r = minimizeLbfgs((x, g) => {
      calls++
      return rosenbrock(x, g)
    }, Float64Array.of(-1.2, 1), { maxIterations: 5 })
    expect(r.iterations).toBe(5)
    expect(r.converged).toBe(false)
    expect(r.evaluations).toBe(calls)
    expect(r.evaluations).toBeGreaterThan(5)
  })

  it('stops on the function tolerance when one is set', () => {
    const loose = minimizeLbfgs(rosenbrock, Float64Array.of(-1.2, 1), { maxIterations: 500, functionTolerance: 1e-2, gradientTolerance: 1e-12 })
    const tight = minimizeLbfgs(rosenbrock, Float64Array.of(-1.2, 1), { maxIterations: 500, gradientTolerance: 1e-12 })
    expect(loose.iterations).toBeLessThan(tight.iterations)
    expect(tight.value).toBeLessThan(1e-20)
  })

  it('refuses bounds of the wrong length', () => {
    expect(() => minimizeLbfgs(rosenbrock, [0, 0], { lower: [0] })).toThrow(RangeError)
  })
})
