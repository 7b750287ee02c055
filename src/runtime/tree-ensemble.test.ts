/**
 * The block predictor, with each of its kernels (WebAssembly and the JavaScript reference),
 * against hand-computed margins and against a naive recursive evaluator on random ensembles and
 * inputs (NaN, infinities, values equal to thresholds).
 */
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { applyLink } from './link.js'
import { arbEnsembleAndRows, buildEnsemble, firstDifference, naiveMargins, type NestedTree } from './testing/ensembles.js'
import { activeTreeKernel, predictMargins, setTreeKernel, treeCount } from './tree-ensemble.js'

const leaf = (v: number): NestedTree => ({ leaf: v })
const split = (feature: number, threshold: number, defaultLeft: boolean, left: NestedTree, right: NestedTree): NestedTree => ({
  feature,
  threshold,
  defaultLeft,
  left,
  right,
})

// Tree A: x0 < 0.5 (missing left) ? 1 : (x1 < -1 (missing right) ? 2 : 3)
// Tree B: x1 < 0 (missing right) ? -1 : 0.25
// Base margin 0.5.
const twoTrees = buildEnsemble(2, [0.5], [
  { output: 0, tree: split(0, 0.5, true, leaf(1), split(1, -1, false, leaf(2), leaf(3))) },
  { output: 0, tree: split(1, 0, false, leaf(-1), leaf(0.25)) },
])

describe.each(['wasm', 'js'] as const)('predictMargins, %s kernel', (kernel) => {
  beforeAll(() => {
    setTreeKernel(kernel)
    expect(activeTreeKernel()).toBe(kernel)
  })
  afterAll(() => {
    setTreeKernel('wasm')
  })

  it('lays the hand-built trees out as the predictor expects', () => {
    expect(Array.from(twoTrees.treeStart)).toEqual([0, 5])
    // Tree A: 0 split, 1-2 its children, 3-4 the children of node 2. Tree B: 5, then 6-7.
    expect(Array.from(twoTrees.left)).toEqual([1, -1, 3, -1, -1, 6, -1, -1])
    expect(Array.from(twoTrees.defaultLeft)).toEqual([1, 0, 0, 0, 0, 0, 0, 0])
    expect(treeCount(twoTrees)).toBe(2)
  })

  it('routes values and missing values by hand', () => {
    const rows: [number, number, number][] = [
      // x0, x1, expected: base 0.5 + tree A + tree B
      [0, 0, 0.5 + 1 + 0.25],
      [1, -2, 0.5 + 2 - 1],
      [NaN, 5, 0.5 + 1 + 0.25], // A: missing x0 goes left
      [0.5, NaN, 0.5 + 3 + 0.25], // A: x0 = threshold goes right, missing x1 right; B: missing right
      [NaN, NaN, 0.5 + 1 + 0.25],
      [-Infinity, -1, 0.5 + 1 - 1],
      [Infinity, -1, 0.5 + 3 - 1], // x1 = -1 is not < -1
      [0.4999999999999999, -0, 0.5 + 1 + 0.25], // -0 is not < 0
    ]
    const x = Float64Array.from(rows.flatMap(([a, b]) => [a, b]))
    expect(Array.from(predictMargins(twoTrees, x, rows.length))).toEqual(rows.map((r) => r[2]))
  })

  it('adds each tree to its own output in a multi-output ensemble', () => {
    const model = buildEnsemble(2, [0, 1, -1], [
      { output: 0, tree: split(0, 0, true, leaf(-1), leaf(1)) },
      { output: 1, tree: leaf(0.5) },
      { output: 2, tree: split(1, 2, false, leaf(10), leaf(20)) },
      { output: 0, tree: leaf(0.125) },
    ])
    const x = Float64Array.of(-1, 1, NaN, NaN, 3, 5)
    expect(Array.from(predictMargins(model, x, 3))).toEqual([
      // (-1, 1): out0 = 0 - 1 + 0.125, out1 = 1 + 0.5, out2 = -1 + 10
      -0.875, 1.5, 9,
      // (NaN, NaN): missing x0 left, missing x1 right
      -0.875, 1.5, 19,
      // (3, 5)
      1.125, 1.5, 19,
    ])
    // Softmax of each row sums to one.
    const p = applyLink('softmax', predictMargins(model, x, 3), 3)
    for (let r = 0; r < 3; r++) expect(p[3 * r] + p[3 * r + 1] + p[3 * r + 2]).toBeCloseTo(1, 15)
  })

  it('follows trees of uneven depth, beyond one block of rows', () => {
    // A chain 12 splits deep on the left (split d: x < 12 - d goes deeper, else leaf d) and a
    // single split on the right.
    let deep: NestedTree = leaf(100)
    for (let d = 11; d >= 0; d--) deep = split(0, 12 - d, d % 2 === 0, deep, leaf(d))
    const model = buildEnsemble(1, [0], [{ output: 0, tree: split(0, 20, false, deep, split(0, 30, true, leaf(-20), leaf(-30))) }])
    const nRows = 200
    const x = Float64Array.from({ length: nRows }, (_, i) => (i % 41 === 0 ? NaN : (i % 37) - 3))
    const got = predictMargins(model, x, nRows)
    expect(firstDifference(got, naiveMargins(model, x, nRows))).toBe(-1)
    // Row 1 (x = -2) passes every test of the chain down to the 100 leaf; x = 5 fails x < 5 at split 7.
    expect(got[1]).toBe(100)
    expect(Array.from(predictMargins(model, Float64Array.of(5, 25, 31), 3))).toEqual([7, -20, -30])
  })

  it('equals the naive evaluator on random ensembles and inputs, including NaN', () => {
    fc.assert(
      fc.property(arbEnsembleAndRows(), ({ model, x, nRows }) => {
        expect(firstDifference(predictMargins(model, x, nRows), naiveMargins(model, x, nRows))).toBe(-1)
      }),
      { numRuns: 300 },
    )
  })

  it('honours treeLimit and writes into a given output buffer', () => {
    fc.assert(
      fc.property(arbEnsembleAndRows(), fc.nat(), ({ model, x, nRows }, k) => {
        const limit = k % (treeCount(model) + 1)
        const out = new Float64Array(nRows * model.nOutputs).fill(123)
        const got = predictMargins(model, x, nRows, out, limit)
        expect(got).toBe(out)
        expect(firstDifference(got, naiveMargins(model, x, nRows, limit))).toBe(-1)
      }),
      { numRuns: 100 },
    )
  })

  it('gives the base margin with no trees and refuses too few input values', () => {
    const empty = buildEnsemble(2, [0.25, -1], [])
    expect(Array.from(predictMargins(empty, new Float64Array(4), 2))).toEqual([0.25, -1, 0.25, -1])
    expect(() => predictMargins(twoTrees, new Float64Array(3), 2)).toThrow(RangeError)
  })
})
