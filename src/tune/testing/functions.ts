/**
 * Standard test functions of global optimisation, the usual yardsticks of a tuner's sample
 * efficiency (definitions as in Surjanovic and Bingham's Virtual Library of Simulation
 * Experiments), with their search ranges.
 */
import type { ParameterRange, Params } from '../types.js'

/** A test function to minimise, its ranges and its known global minimum. */
export interface TestFunction {
  readonly name: string
  readonly ranges: readonly ParameterRange[]
  readonly minimum: number
  evaluate(params: Params): number
}

const unit = (names: readonly string[]): ParameterRange[] => names.map((name) => ({ name, type: 'continuous', min: 0, max: 1, scaling: 'Linear' }))

/**
 * Branin on x1 in [-5, 10], x2 in [0, 15]: three global minima of 0.397887.
 * @example BRANIN.evaluate({ x1: Math.PI, x2: 2.275 }) // 0.397887...
 */
export const BRANIN: TestFunction = {
  name: 'branin',
  ranges: [
    { name: 'x1', type: 'continuous', min: -5, max: 10, scaling: 'Linear' },
    { name: 'x2', type: 'continuous', min: 0, max: 15, scaling: 'Linear' },
  ],
  minimum: 0.397887,
  evaluate(p) {
    const x1 = p.x1 as number
    const x2 = p.x2 as number
    const b = 5.1 / (4 * Math.PI * Math.PI)
    const c = 5 / Math.PI
    const t = 1 / (8 * Math.PI)
    return (x2 - b * x1 * x1 + c * x1 - 6) ** 2 + 10 * (1 - t) * Math.cos(x1) + 10
  },
}

const H3_A = [
  [3, 10, 30],
  [0.1, 10, 35],
  [3, 10, 30],
  [0.1, 10, 35],
]
const H3_P = [
  [0.3689, 0.117, 0.2673],
  [0.4699, 0.4387, 0.747],
  [0.1091, 0.8732, 0.5547],
  [0.03815, 0.5743, 0.8828],
]
const H6_A = [
  [10, 3, 17, 3.5, 1.7, 8],
  [0.05, 10, 17, 0.1, 8, 14],
  [3, 3.5, 1.7, 10, 17, 8],
  [17, 8, 0.05, 10, 0.1, 14],
]
const H6_P = [
  [0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886],
  [0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991],
  [0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.665],
  [0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381],
]
const ALPHA = [1.0, 1.2, 3.0, 3.2]

function hartmann(a: readonly number[][], p: readonly number[][], x: readonly number[]): number {
  let sum = 0
  for (let i = 0; i < 4; i++) {
    let inner = 0
    for (let j = 0; j < x.length; j++) inner += a[i][j] * (x[j] - p[i][j]) ** 2
    sum += ALPHA[i] * Math.exp(-inner)
  }
  return -sum
}

const X3 = ['x0', 'x1', 'x2']
const X6 = ['x0', 'x1', 'x2', 'x3', 'x4', 'x5']

/**
 * Hartmann-3 on [0, 1]^3: global minimum -3.86278.
 * @example HARTMANN3.evaluate({ x0: 0.114614, x1: 0.555649, x2: 0.852547 }) // -3.86278
 */
export const HARTMANN3: TestFunction = {
  name: 'hartmann3',
  ranges: unit(X3),
  minimum: -3.86278,
  evaluate: (p) => hartmann(H3_A, H3_P, X3.map((k) => p[k] as number)),
}

/**
 * Hartmann-6 on [0, 1]^6: global minimum -3.32237.
 * @example HARTMANN6.evaluate({ x0: 0.20169, x1: 0.150011, x2: 0.476874, x3: 0.275332, x4: 0.311652, x5: 0.6573 }) // -3.32237
 */
export const HARTMANN6: TestFunction = {
  name: 'hartmann6',
  ranges: unit(X6),
  minimum: -3.32237,
  evaluate: (p) => hartmann(H6_A, H6_P, X6.map((k) => p[k] as number)),
}
