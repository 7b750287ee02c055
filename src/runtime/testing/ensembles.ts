/**
 * Test support for the tree predictor and its codec: a builder that lays nested trees out the way
 * the runtime expects (children adjacent and after their parent), a naive recursive evaluator to
 * compare against, and fast-check arbitraries for random ensembles and inputs.
 */
import fc from 'fast-check'
import type { TreeEnsemble } from '../tree-ensemble.js'

/** A tree as nested objects: a leaf value, or a split "x[feature] < threshold goes left". */
export type NestedTree =
  | { readonly leaf: number }
  | { readonly feature: number; readonly threshold: number; readonly defaultLeft: boolean; readonly left: NestedTree; readonly right: NestedTree }

/** Lays out nested trees as a flat ensemble: each split's children are the next free pair of slots. */
export function buildEnsemble(
  nFeatures: number,
  baseMargin: readonly number[],
  trees: readonly { readonly output: number; readonly tree: NestedTree }[],
): TreeEnsemble {
  const feature: number[] = []
  const threshold: number[] = []
  const left: number[] = []
  const defaultLeft: number[] = []
  const value: number[] = []
  const alloc = (): number => {
    feature.push(-1)
    threshold.push(0)
    left.push(-1)
    defaultLeft.push(0)
    value.push(0)
    return feature.length - 1
  }
  const emit = (node: NestedTree, at: number): void => {
    if ('leaf' in node) {
      value[at] = node.leaf
      return
    }
    const l = alloc()
    alloc()
    feature[at] = node.feature
    threshold[at] = node.threshold
    left[at] = l
    defaultLeft[at] = node.defaultLeft ? 1 : 0
    emit(node.left, l)
    emit(node.right, l + 1)
  }
  const treeStart: number[] = []
  for (const t of trees) {
    const root = alloc()
    treeStart.push(root)
    emit(t.tree, root)
  }
  return {
    nFeatures,
    nOutputs: baseMargin.length,
    baseMargin: Float64Array.from(baseMargin),
    treeStart: Int32Array.from(treeStart),
    treeOutput: Int32Array.from(trees.map((t) => t.output)),
    feature: Int32Array.from(feature),
    threshold: Float64Array.from(threshold),
    left: Int32Array.from(left),
    defaultLeft: Uint8Array.from(defaultLeft),
    value: Float64Array.from(value),
  }
}

/**
 * Margins by the definition: from the base margin, each tree in order walks from its root (NaN
 * follows the default direction, otherwise x < threshold goes left) and adds its leaf to its output.
 */
export function naiveMargins(m: TreeEnsemble, x: Float64Array, nRows: number, treeLimit = m.treeStart.length): Float64Array {
  const out = new Float64Array(nRows * m.nOutputs)
  const walk = (n: number, row: number): number => {
    if (m.left[n] < 0) return m.value[n]
    const v = x[row * m.nFeatures + m.feature[n]]
    const goLeft = Number.isNaN(v) ? m.defaultLeft[n] === 1 : v < m.threshold[n]
    return walk(goLeft ? m.left[n] : m.left[n] + 1, row)
  }
  for (let r = 0; r < nRows; r++) {
    for (let k = 0; k < m.nOutputs; k++) out[r * m.nOutputs + k] = m.baseMargin[k]
    for (let t = 0; t < treeLimit; t++) out[r * m.nOutputs + m.treeOutput[t]] += walk(m.treeStart[t], r)
  }
  return out
}

/** The first index where two arrays differ under Object.is (so NaN equals NaN, -0 differs from 0), or -1. */
export function firstDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Math.min(a.length, b.length)
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return i
  return -1
}

/** Thresholds and inputs share a few values so that inputs often equal a threshold exactly. */
const SPECIAL = [-1, -0, 0, 0.5, 1, 2]

export const arbThreshold: fc.Arbitrary<number> = fc.oneof(fc.constantFrom(...SPECIAL), fc.double({ min: -3, max: 3, noNaN: true }))

/** An input value: often a threshold value, sometimes NaN (missing) or infinite. */
export const arbInput: fc.Arbitrary<number> = fc.oneof(
  { weight: 3, arbitrary: arbThreshold },
  { weight: 1, arbitrary: fc.constantFrom(NaN, Infinity, -Infinity) },
)

/** Leaf values, optionally including NaN, infinities and -0. */
export function arbLeafValue(special = false): fc.Arbitrary<number> {
  const plain = fc.double({ min: -10, max: 10, noNaN: true })
  return special ? fc.oneof(plain, fc.constantFrom(NaN, -0, 0, Infinity, -Infinity, Number.MIN_VALUE)) : plain
}

export function arbNestedTree(nFeatures: number, maxDepth: number, leafValue: fc.Arbitrary<number>): fc.Arbitrary<NestedTree> {
  const leaf = leafValue.map((v): NestedTree => ({ leaf: v }))
  if (maxDepth === 0) return leaf
  const sub = arbNestedTree(nFeatures, maxDepth - 1, leafValue)
  const split = fc
    .record({ feature: fc.integer({ min: 0, max: nFeatures - 1 }), threshold: arbThreshold, defaultLeft: fc.boolean(), left: sub, right: sub })
    .map((s): NestedTree => s)
  return fc.oneof({ weight: 1, arbitrary: leaf }, { weight: 2, arbitrary: split })
}

/** A random valid ensemble: 1-5 features, 1-3 outputs, 0-6 trees of depth at most 5. */
export function arbEnsemble(options: { specialValues?: boolean } = {}): fc.Arbitrary<TreeEnsemble> {
  return fc
    .record({ nFeatures: fc.integer({ min: 1, max: 5 }), nOutputs: fc.integer({ min: 1, max: 3 }) })
    .chain(({ nFeatures, nOutputs }) =>
      fc.record({
        nFeatures: fc.constant(nFeatures),
        base: fc.array(arbLeafValue(options.specialValues), { minLength: nOutputs, maxLength: nOutputs }),
        trees: fc.array(
          fc.record({ output: fc.integer({ min: 0, max: nOutputs - 1 }), tree: arbNestedTree(nFeatures, 5, arbLeafValue(options.specialValues)) }),
          { maxLength: 6 },
        ),
      }),
    )
    .map(({ nFeatures, base, trees }) => buildEnsemble(nFeatures, base, trees))
}

/** An ensemble with row-major inputs for it (0-150 rows, so several 64-row blocks). */
export function arbEnsembleAndRows(): fc.Arbitrary<{ model: TreeEnsemble; x: Float64Array; nRows: number }> {
  return arbEnsemble().chain((model) =>
    fc.integer({ min: 0, max: 150 }).chain((nRows) =>
      fc
        .array(arbInput, { minLength: nRows * model.nFeatures, maxLength: nRows * model.nFeatures })
        .map((values) => ({ model, x: Float64Array.from(values), nRows })),
    ),
  )
}
