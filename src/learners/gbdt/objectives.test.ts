/**
 * Gradients and hessians of every objective against central finite differences of its loss, each
 * loss written out here independently of the implementation. Where XGBoost deliberately departs
 * from the exact second derivative, the departure is tested exactly instead:
 *
 * - reg:absoluteerror: g = sign(m - y), h = 1 (the true hessian is 0 almost everywhere);
 * - count:poisson: h = exp(m) * exp(max_delta_step) (a safeguard that damps early steps);
 * - multi:softprob: h = 2 p (1 - p) (an upper bound on the diagonal, not p (1 - p));
 * - binary:logistic: h = max(p (1 - p), 1e-16) (a floor so saturated rows keep a positive hessian).
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { fastExp } from '../../math/fast-exp.js'
import { computeGradients, initialMargin, makeObjective, type Objective, type ObjectiveOptions } from './objectives.js'
import type { ObjectiveName } from './params.js'

const OPTS: ObjectiveOptions = { scalePosWeight: 1, huberSlope: 1, maxDeltaStep: 0 }

/** Gradient and hessian of one row of a single-output objective. */
function gradHess(obj: Objective, opts: ObjectiveOptions, m: number, y: number): [number, number] {
  const grad = new Float64Array(1)
  const hess = new Float64Array(1)
  computeGradients(obj, opts, Float64Array.of(m), Float64Array.of(y), grad, hess, 0, 1)
  return [grad[0], hess[0]]
}

/**
 * First and second central differences of `loss` at `m`: the first with step 1e-4, the second with
 * step 1e-3 (its rounding error grows as 1 / h^2). Both are accurate to about 1e-6 here.
 */
function centralDiffs(loss: (m: number) => number, m: number): [number, number] {
  const d1 = 1e-4
  const d2 = 1e-3
  const l0 = loss(m)
  return [(loss(m + d1) - loss(m - d1)) / (2 * d1), (loss(m + d2) - 2 * l0 + loss(m - d2)) / (d2 * d2)]
}

/** |actual - expected| within `rel` of the larger magnitude, or within `abs`. */
function expectClose(actual: number, expected: number, rel: number, abs = 1e-6): void {
  const tol = Math.max(abs, rel * Math.max(Math.abs(actual), Math.abs(expected)))
  expect(Math.abs(actual - expected), `${actual} vs ${expected}`).toBeLessThanOrEqual(tol)
}

/** log(1 + exp(x)) without overflow. */
function softplus(x: number): number {
  return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)))
}

const sigmoid = (m: number): number => 1 / (1 + Math.exp(-m))

// Margins and targets in ranges where finite differences are accurate to ~1e-6.
const margin = fc.double({ min: -4, max: 4, noNaN: true })
const target = fc.double({ min: -4, max: 4, noNaN: true })

describe('reg:squarederror', () => {
  const obj = makeObjective('reg:squarederror')
  const loss = (y: number) => (m: number) => 0.5 * (m - y) ** 2

  it('has the gradient and hessian of 0.5 (m - y)^2', () => {
    fc.assert(
      fc.property(margin, target, (m, y) => {
        const [g, h] = gradHess(obj, OPTS, m, y)
        const [fg, fh] = centralDiffs(loss(y), m)
        expectClose(g, fg, 1e-6)
        expectClose(h, fh, 1e-4)
        expect(g).toBe(m - y)
        expect(h).toBe(1)
      }),
    )
  })
})

describe('reg:pseudohubererror', () => {
  const obj = makeObjective('reg:pseudohubererror')
  const loss = (y: number, slope: number) => (m: number) => slope * slope * (Math.sqrt(1 + ((m - y) / slope) ** 2) - 1)

  it('has the gradient and hessian of slope^2 (sqrt(1 + ((m - y) / slope)^2) - 1)', () => {
    fc.assert(
      fc.property(margin, target, fc.double({ min: 0.25, max: 4, noNaN: true }), (m, y, slope) => {
        const opts = { ...OPTS, huberSlope: slope }
        const [g, h] = gradHess(obj, opts, m, y)
        const [fg, fh] = centralDiffs(loss(y, slope), m)
        expectClose(g, fg, 1e-6)
        expectClose(h, fh, 1e-4)
      }),
    )
  })

  it('tends to sign(m - y) far from the target', () => {
    const [g, h] = gradHess(obj, OPTS, 1e6, 0)
    expectClose(g, 1, 1e-9)
    expect(h).toBeLessThan(1e-12)
  })
})

describe('reg:absoluteerror (departure: hessian 1)', () => {
  const obj = makeObjective('reg:absoluteerror')
  const loss = (y: number) => (m: number) => Math.abs(m - y)

  it('has gradient sign(m - y), equal to the finite difference away from the kink', () => {
    fc.assert(
      fc.property(margin, target, (m, y) => {
        fc.pre(Math.abs(m - y) > 1e-2)
        const [g] = gradHess(obj, OPTS, m, y)
        const [fg] = centralDiffs(loss(y), m)
        expectClose(g, fg, 1e-6)
      }),
    )
  })

  it('uses g = sign(m - y) and h = 1 exactly, with g = 0 at the kink', () => {
    expect(gradHess(obj, OPTS, 3, 1)).toEqual([1, 1])
    expect(gradHess(obj, OPTS, -3, 1)).toEqual([-1, 1])
    expect(gradHess(obj, OPTS, 1, 1)).toEqual([0, 1])
    expect(obj.refreshLeavesToMedian).toBe(true)
  })
})

describe('count:poisson (departure: hessian times exp(max_delta_step))', () => {
  const obj = makeObjective('count:poisson')
  const loss = (y: number) => (m: number) => Math.exp(m) - y * m
  const count = fc.integer({ min: 0, max: 30 })

  it('has the gradient of exp(m) - y m, and its hessian when max_delta_step is 0', () => {
    fc.assert(
      fc.property(margin, count, (m, y) => {
        const [g, h] = gradHess(obj, OPTS, m, y)
        const [fg, fh] = centralDiffs(loss(y), m)
        expectClose(g, fg, 1e-6)
        expectClose(h, fh, 1e-4)
      }),
    )
  })

  it('inflates the hessian by exactly exp(max_delta_step) and leaves the gradient alone', () => {
    fc.assert(
      fc.property(margin, count, fc.double({ min: 0, max: 3, noNaN: true }), (m, y, mds) => {
        const [g, h] = gradHess(obj, { ...OPTS, maxDeltaStep: mds }, m, y)
        // The rows' exponentials are fastExp's (a few ulp from Math.exp); the inflation is exact.
        expect(g).toBe(fastExp(m) - y)
        expect(h).toBe(fastExp(m) * Math.exp(mds))
      }),
    )
  })
})

describe('binary:logistic', () => {
  const obj = makeObjective('binary:logistic')
  /** Weighted log-loss: w (y softplus(-m) + (1 - y) softplus(m)), w = scale_pos_weight for y = 1. */
  const loss = (y: number, spw: number) => (m: number) => (y === 1 ? spw : 1) * (y * softplus(-m) + (1 - y) * softplus(m))

  it('has the gradient and hessian of the log-loss weighted by scale_pos_weight', () => {
    fc.assert(
      fc.property(margin, fc.constantFrom(0, 1), fc.double({ min: 0.1, max: 10, noNaN: true }), (m, y, spw) => {
        const [g, h] = gradHess(obj, { ...OPTS, scalePosWeight: spw }, m, y)
        const [fg, fh] = centralDiffs(loss(y, spw), m)
        expectClose(g, fg, 1e-6)
        expectClose(h, fh, 1e-4)
      }),
    )
  })

  it('weights only the positive rows', () => {
    const opts = { ...OPTS, scalePosWeight: 3 }
    const p = sigmoid(0.4)
    expect(gradHess(obj, opts, 0.4, 1)).toEqual([(p - 1) * 3, p * (1 - p) * 3])
    expect(gradHess(obj, opts, 0.4, 0)).toEqual([p, p * (1 - p)])
  })

  it('floors the hessian at 1e-16 (times the weight) once the probability saturates', () => {
    // sigmoid(40) rounds to exactly 1 and sigmoid(-800) to exactly 0, so p (1 - p) is 0.
    expect(gradHess(obj, OPTS, 40, 1)).toEqual([0, 1e-16])
    expect(gradHess(obj, OPTS, -800, 0)).toEqual([0, 1e-16])
    expect(gradHess(obj, { ...OPTS, scalePosWeight: 4 }, 40, 1)[1]).toBe(4e-16)
    // Above the floor the exact p (1 - p) is kept.
    const p = sigmoid(30)
    expect(gradHess(obj, OPTS, 30, 1)[1]).toBe(p * (1 - p))
    expect(p * (1 - p)).toBeGreaterThan(1e-16)
  })
})

describe('multi:softprob (departure: hessian 2 p (1 - p))', () => {
  /** Cross-entropy -log softmax(m)[y]. */
  const crossEntropy = (m: readonly number[], y: number): number => {
    const max = Math.max(...m)
    let sum = 0
    for (const v of m) sum += Math.exp(v - max)
    return Math.log(sum) + max - m[y]
  }
  const rows = fc.integer({ min: 2, max: 5 }).chain((k) =>
    fc.tuple(
      fc.constant(k),
      fc.array(fc.tuple(fc.array(margin, { minLength: k, maxLength: k }), fc.integer({ min: 0, max: k - 1 })), { minLength: 1, maxLength: 6 }),
    ),
  )

  it('has the gradient of the cross-entropy and twice its diagonal hessian, class-major', () => {
    fc.assert(
      fc.property(rows, ([k, data]) => {
        const n = data.length
        const obj = makeObjective('multi:softprob', k)
        const margins = Float64Array.from(data.flatMap(([m]) => m)) // row-major n x k
        const y = Float64Array.from(data.map(([, label]) => label))
        const grad = new Float64Array(n * k)
        const hess = new Float64Array(n * k)
        computeGradients(obj, OPTS, margins, y, grad, hess, 0, n)
        data.forEach(([m, label], i) => {
          for (let j = 0; j < k; j++) {
            const at = (mj: number) => crossEntropy(m.map((v, c) => (c === j ? mj : v)), label)
            const [fg, fh] = centralDiffs(at, m[j])
            expectClose(grad[j * n + i], fg, 1e-6)
            expectClose(hess[j * n + i], 2 * fh, 1e-4)
          }
        })
      }),
    )
  })

  it('uses exactly p - [y = j] and 2 p (1 - p), floored at 1e-16', () => {
    const obj = makeObjective('multi:softprob', 3)
    const m = [0.5, -1, 2]
    const e = m.map((v) => Math.exp(v - 2))
    const s = e[0] + e[1] + e[2]
    const grad = new Float64Array(3)
    const hess = new Float64Array(3)
    computeGradients(obj, OPTS, Float64Array.from(m), Float64Array.of(2), grad, hess, 0, 1)
    for (let j = 0; j < 3; j++) {
      const p = e[j] / s
      expectClose(grad[j], p - (j === 2 ? 1 : 0), 1e-15, 1e-16)
      expectClose(hess[j], 2 * p * (1 - p), 1e-15, 1e-16)
    }
    // A saturated row: p is 1 and 0 up to rounding, so every hessian sits on the floor.
    computeGradients(obj, OPTS, Float64Array.of(0, 1000, 0), Float64Array.of(1), grad, hess, 0, 1)
    expect(Array.from(hess)).toEqual([1e-16, 1e-16, 1e-16])
    expect(Array.from(grad)).toEqual([0, 0, 0])
  })

  it('writes only rows [start, end)', () => {
    const obj = makeObjective('multi:softprob', 2)
    const grad = new Float64Array(6).fill(7)
    const hess = new Float64Array(6).fill(7)
    computeGradients(obj, OPTS, new Float64Array(6), Float64Array.of(0, 1, 0), grad, hess, 1, 2)
    // Class-major: class 0 at [0, 3), class 1 at [3, 6); only row 1 (indices 1 and 4) written.
    expect(Array.from(grad)).toEqual([7, 0.5, 7, 7, -0.5, 7])
    expect(Array.from(hess)).toEqual([7, 0.5, 7, 7, 0.5, 7])
  })
})

describe('makeObjective', () => {
  it('gives each objective its link, output count and default metric', () => {
    const table: [ObjectiveName, string, string][] = [
      ['reg:squarederror', 'identity', 'rmse'],
      ['reg:pseudohubererror', 'identity', 'mae'],
      ['reg:absoluteerror', 'identity', 'mae'],
      ['count:poisson', 'exp', 'poisson-nloglik'],
      ['binary:logistic', 'sigmoid', 'logloss'],
    ]
    for (const [name, link, metric] of table) {
      const obj = makeObjective(name)
      expect([obj.link, obj.defaultMetric, obj.nOutputs]).toEqual([link, metric, 1])
    }
    const soft = makeObjective('multi:softprob', 4)
    expect([soft.link, soft.defaultMetric, soft.nOutputs]).toEqual(['softmax', 'mlogloss', 4])
  })

  it('refuses multi:softprob without num_class >= 2', () => {
    expect(() => makeObjective('multi:softprob')).toThrow(/num_class/)
    expect(() => makeObjective('multi:softprob', 1)).toThrow(/num_class/)
  })
})

describe('initialMargin', () => {
  const y = Float64Array.of(1, 2, 3, 10)

  it('estimates the base score from the targets when base_score is unset', () => {
    expect(Array.from(initialMargin(makeObjective('reg:squarederror'), y, undefined))).toEqual([4])
    expect(Array.from(initialMargin(makeObjective('reg:pseudohubererror'), y, undefined))).toEqual([4])
    // L1 starts from the median, (2 + 3) / 2, and does not reorder the caller's targets.
    const unsorted = Float64Array.of(10, 1, 3, 2)
    expect(Array.from(initialMargin(makeObjective('reg:absoluteerror'), unsorted, undefined))).toEqual([2.5])
    expect(Array.from(unsorted)).toEqual([10, 1, 3, 2])
    // Poisson: log of the mean count.
    expect(initialMargin(makeObjective('count:poisson'), y, undefined)[0]).toBeCloseTo(Math.log(4), 15)
    // Logistic: log-odds of the positive share, 3 of 4.
    expect(initialMargin(makeObjective('binary:logistic'), Float64Array.of(1, 1, 0, 1), undefined)[0]).toBeCloseTo(Math.log(3), 15)
    // Softmax: zeros, one per class.
    expect(Array.from(initialMargin(makeObjective('multi:softprob', 3), Float64Array.of(0, 1, 2), undefined))).toEqual([0, 0, 0])
  })

  it('maps a given base_score through the inverse link, ignoring the targets', () => {
    expect(Array.from(initialMargin(makeObjective('reg:squarederror'), y, 0.25))).toEqual([0.25])
    expect(Array.from(initialMargin(makeObjective('reg:absoluteerror'), y, -3))).toEqual([-3])
    expect(initialMargin(makeObjective('count:poisson'), y, 2.5)[0]).toBeCloseTo(Math.log(2.5), 15)
    expect(initialMargin(makeObjective('binary:logistic'), Float64Array.of(1, 1), 0.3)[0]).toBeCloseTo(Math.log(0.3 / 0.7), 15)
    // Softmax always starts from zero.
    expect(Array.from(initialMargin(makeObjective('multi:softprob', 2), Float64Array.of(0, 1), 0.5))).toEqual([0, 0])
  })

  it('clamps base scores outside the link\'s range instead of returning infinities', () => {
    const logistic = makeObjective('binary:logistic')
    expect(initialMargin(logistic, Float64Array.of(1, 1), undefined)[0]).toBeCloseTo(Math.log((1 - 1e-7) / 1e-7), 6)
    expect(initialMargin(logistic, Float64Array.of(0, 0), 0)[0]).toBeCloseTo(Math.log(1e-7 / (1 - 1e-7)), 6)
    expect(initialMargin(makeObjective('count:poisson'), Float64Array.of(0, 0), undefined)[0]).toBeCloseTo(Math.log(1e-7), 12)
  })

  it('starts from 0 with no targets', () => {
    expect(Array.from(initialMargin(makeObjective('reg:squarederror'), new Float64Array(0), undefined))).toEqual([0])
  })
})
