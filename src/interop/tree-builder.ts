/**
 * Lays converted trees out in the shared tree predictor's form (`runtime/tree-ensemble.ts`): nodes
 * appended in breadth-first order, a split's two children in adjacent slots after it. Both model
 * importers (XGBoost JSON, ONNX tree ensembles) build their ensembles through it.
 */
import { validateTreeEnsemble } from '../runtime/codec.js'
import type { TreeEnsemble } from '../runtime/tree-ensemble.js'

/**
 * Trees appended node by node, then packed into a checked {@link TreeEnsemble}.
 * @example
 * const b = new TreeBuilder()
 * b.startTree(0)
 * b.split(0, 0.5, b.treeNode(1), 1) // x0 < 0.5 goes to node 1, NaN too
 * b.leaf(-1)
 * b.leaf(1)
 * const ensemble = b.build(1, 1, new Float64Array([0]))
 */
export class TreeBuilder {
  private readonly feature: number[] = []
  private readonly threshold: number[] = []
  private readonly left: number[] = []
  private readonly defaultLeft: number[] = []
  private readonly value: number[] = []
  private readonly treeStart: number[] = []
  private readonly treeOutput: number[] = []

  /** Trees started so far. */
  get treeCount(): number {
    return this.treeStart.length
  }

  /** Begins a tree that adds to `output`; its nodes follow. */
  startTree(output: number): void {
    this.treeStart.push(this.feature.length)
    this.treeOutput.push(output)
  }

  /** The ensemble-wide index of the current tree's `i`-th node in breadth-first order. */
  treeNode(i: number): number {
    return this.treeStart[this.treeStart.length - 1] + i
  }

  /** Appends a split: `x[feature] < threshold` goes to node `left`, the others to `left + 1`. */
  split(feature: number, threshold: number, left: number, defaultLeft: 0 | 1): void {
    this.push(feature, threshold, left, defaultLeft, 0)
  }

  /** Appends a leaf adding `value`. */
  leaf(value: number): void {
    this.push(0, 0, -1, 0, value)
  }

  /** The packed ensemble, its indices checked (a BundleError when a tree is malformed). */
  build(nFeatures: number, nOutputs: number, baseMargin: Float64Array): TreeEnsemble {
    const ensemble: TreeEnsemble = {
      nFeatures,
      nOutputs,
      baseMargin,
      treeStart: Int32Array.from(this.treeStart),
      treeOutput: Int32Array.from(this.treeOutput),
      feature: Int32Array.from(this.feature),
      threshold: Float64Array.from(this.threshold),
      left: Int32Array.from(this.left),
      defaultLeft: Uint8Array.from(this.defaultLeft),
      value: Float64Array.from(this.value),
    }
    validateTreeEnsemble(ensemble)
    return ensemble
  }

  private push(feature: number, threshold: number, left: number, defaultLeft: number, value: number): void {
    this.feature.push(feature)
    this.threshold.push(threshold)
    this.left.push(left)
    this.defaultLeft.push(defaultLeft)
    this.value.push(value)
  }
}
