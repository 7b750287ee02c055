/**
 * The WebAssembly tree kernel against the JavaScript reference: bit-identical margins on random
 * ensembles (leaf values including NaN, -0 and infinities), with blocks of rows that hold missing
 * values and blocks that do not (the kernel's two paths), tree limits, many models sharing the
 * kernel's memory, and a memory that grows under a large batch.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { arbEnsemble, arbInput, arbThreshold, buildEnsemble, firstDifference, type NestedTree } from '../testing/ensembles.js'
import { activeTreeKernel, predictMargins, predictMarginsReference, treeCount, type TreeEnsemble } from '../tree-ensemble.js'
import { treeKernel } from './tree-kernel.js'

/** Rows where a third of the 64-row blocks hold no missing value at all. */
function arbRows(model: TreeEnsemble): fc.Arbitrary<{ x: Float64Array; nRows: number }> {
  return fc.integer({ min: 0, max: 260 }).chain((nRows) =>
    fc
      .tuple(
        fc.array(arbInput, { minLength: nRows * model.nFeatures, maxLength: nRows * model.nFeatures }),
        fc.array(arbThreshold, { minLength: nRows * model.nFeatures, maxLength: nRows * model.nFeatures }),
      )
      .map(([withMissing, complete]) => {
        const x = new Float64Array(nRows * model.nFeatures)
        for (let r = 0; r < nRows; r++) {
          const source = Math.floor(r / 64) % 3 === 1 ? complete : withMissing
          for (let f = 0; f < model.nFeatures; f++) x[r * model.nFeatures + f] = source[r * model.nFeatures + f]
        }
        return { x, nRows }
      }),
  )
}

describe('the WebAssembly tree kernel', () => {
  it('is what predictMargins runs here', () => {
    expect(treeKernel()).not.toBeNull()
    expect(activeTreeKernel()).toBe('wasm')
  })

  it('gives margins bit-identical to the JavaScript reference', () => {
    fc.assert(
      fc.property(
        arbEnsemble({ specialValues: true }).chain((model) => fc.tuple(fc.constant(model), arbRows(model), fc.nat())),
        ([model, { x, nRows }, k]) => {
          const limit = k % (treeCount(model) + 1)
          const expected = predictMarginsReference(model, x, nRows, undefined, limit)
          expect(firstDifference(predictMargins(model, x, nRows, undefined, limit), expected)).toBe(-1)
        },
      ),
      { numRuns: 300 },
    )
  })

  it('keeps many models apart in one memory', () => {
    const kernel = treeKernel()!
    const before = kernel.arena.usedBytes
    const stump = (feature: number, threshold: number, a: number, b: number): NestedTree => ({
      feature,
      threshold,
      defaultLeft: true,
      left: { leaf: a },
      right: { leaf: b },
    })
    const models = Array.from({ length: 200 }, (_, i) => buildEnsemble(2, [i], [{ output: 0, tree: stump(i % 2, i / 10, -i, i) }]))
    const x = Float64Array.of(0.5, 3, NaN, NaN)
    for (let round = 0; round < 2; round++) {
      models.forEach((model, i) => {
        expect(Array.from(predictMargins(model, x, 2))).toEqual(Array.from(predictMarginsReference(model, x, 2)))
        // Row (0.5, 3) goes left when its value of the split feature is below i / 10; missing goes left.
        expect(Array.from(predictMargins(model, x, 2))).toEqual([i + ((i % 2 === 0 ? 0.5 : 3) < i / 10 ? -i : i), 0])
      })
    }
    expect(kernel.arena.usedBytes).toBeGreaterThan(before)
  })

  it('predicts a batch larger than its initial memory', () => {
    const deep = (d: number): NestedTree => (d === 0 ? { leaf: d } : { feature: d % 3, threshold: d / 7, defaultLeft: d % 2 === 0, left: deep(d - 1), right: { leaf: d } })
    const model = buildEnsemble(3, [0.5], Array.from({ length: 50 }, (_, t) => ({ output: 0, tree: deep(1 + (t % 12)) })))
    const nRows = 200_000
    const x = Float64Array.from({ length: nRows * 3 }, (_, i) => (i % 97 === 0 ? NaN : ((i * 7919) % 1000) / 500))
    expect(firstDifference(predictMargins(model, x, nRows), predictMarginsReference(model, x, nRows))).toBe(-1)
  })
})
