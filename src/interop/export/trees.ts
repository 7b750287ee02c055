/**
 * Trees as one `ai.onnx.ml` `TreeEnsemble` node (opset 5): splits, leaves and the output stay
 * float64, so the graph adds the same leaf values consort adds. {@link OnnxTrees} collects nodes
 * and leaves; {@link treeMargins} lays out a flat tree ensemble (gbdt, the forests) with it.
 * consort sends `x < threshold` left and a missing value left when `defaultLeft`: mode BRANCH_LT
 * with the left child as the true branch, and `nodes_missing_value_tracks_true` = `defaultLeft`.
 */
import type { TreeEnsemble } from '../../runtime/tree-ensemble.js'
import type { Columns } from './columns.js'
import { doubleTensor, type GraphBuilder, ML_DOMAIN, uint8Tensor } from './graph.js'

/** TreeEnsemble's `nodes_modes` values used here. */
export const BRANCH_LEQ = 0
export const BRANCH_LT = 1

/** A child of a split: a split node's id, or a leaf's. */
export interface Child {
  readonly id: number
  readonly leaf: boolean
}

/**
 * The attributes of one TreeEnsemble node under construction.
 * @example
 * const trees = new OnnxTrees()
 * const root = trees.split(0, 0.5, BRANCH_LT, 1)
 * trees.children(root, trees.leaf(0, -1), trees.leaf(0, 2))
 * trees.roots.push(root)
 */
export class OnnxTrees {
  readonly roots: number[] = []
  private readonly feature: number[] = []
  private readonly threshold: number[] = []
  private readonly mode: number[] = []
  private readonly missingTrue: number[] = []
  private readonly trueId: number[] = []
  private readonly trueLeaf: number[] = []
  private readonly falseId: number[] = []
  private readonly falseLeaf: number[] = []
  private readonly leafTarget: number[] = []
  private readonly leafWeight: number[] = []

  /** A leaf adding `weight` to output `target`. */
  leaf(target: number, weight: number): Child {
    this.leafTarget.push(target)
    this.leafWeight.push(weight)
    return { id: this.leafTarget.length - 1, leaf: true }
  }

  /** A split node whose children are set later with {@link children}; returns its id. */
  split(feature: number, threshold: number, mode: number, missingTrue: number): number {
    this.feature.push(feature)
    this.threshold.push(threshold)
    this.mode.push(mode)
    this.missingTrue.push(missingTrue)
    this.trueId.push(0)
    this.trueLeaf.push(0)
    this.falseId.push(0)
    this.falseLeaf.push(0)
    return this.feature.length - 1
  }

  children(node: number, whenTrue: Child, whenFalse: Child): void {
    this.trueId[node] = whenTrue.id
    this.trueLeaf[node] = whenTrue.leaf ? 1 : 0
    this.falseId[node] = whenFalse.id
    this.falseLeaf[node] = whenFalse.leaf ? 1 : 0
  }

  /**
   * A tree that is one leaf: ONNX trees start at a split, so a split whose two branches give it,
   * as two leaves (onnxruntime 1.22 sums wrongly when both branches name one leaf).
   */
  stump(target: number, weight: number): void {
    const node = this.split(0, 0, BRANCH_LT, 0)
    this.children(node, this.leaf(target, weight), this.leaf(target, weight))
    this.roots.push(node)
  }

  /**
   * The TreeEnsemble node reading `input` ([N, F] float64), summing into [N, nTargets] float64.
   * With no tree at all, one stump of weight 0 keeps the node valid.
   */
  node(g: GraphBuilder, input: string, nTargets: number): string {
    if (this.roots.length === 0) this.stump(0, 0)
    return g.op(
      'TreeEnsemble',
      [input],
      {
        n_targets: nTargets,
        aggregate_function: 1,
        post_transform: 0,
        tree_roots: this.roots,
        nodes_featureids: this.feature,
        nodes_splits: doubleTensor(this.threshold, [this.threshold.length]),
        nodes_modes: uint8Tensor(this.mode),
        nodes_truenodeids: this.trueId,
        nodes_trueleafs: this.trueLeaf,
        nodes_falsenodeids: this.falseId,
        nodes_falseleafs: this.falseLeaf,
        nodes_missing_value_tracks_true: this.missingTrue,
        leaf_targetids: this.leafTarget,
        leaf_weights: doubleTensor(this.leafWeight, [this.leafWeight.length]),
      },
      { domain: ML_DOMAIN },
    )
  }
}

/**
 * The raw margins [N, nOutputs] of `ensemble` (base margin included) reading `featureNames` from `columns`.
 * @example const margins = treeMargins(g, model.ensemble, model.featureNames, columns)
 */
export function treeMargins(g: GraphBuilder, ensemble: TreeEnsemble, featureNames: readonly string[], columns: Columns): string {
  const { tensor, index } = columns.matrix(featureNames)
  const trees = new OnnxTrees()
  const visit = (n: number, target: number): Child => {
    if (ensemble.left[n] < 0) return trees.leaf(target, ensemble.value[n])
    const node = trees.split(index[ensemble.feature[n]], ensemble.threshold[n], BRANCH_LT, ensemble.defaultLeft[n])
    trees.children(node, visit(ensemble.left[n], target), visit(ensemble.left[n] + 1, target))
    return { id: node, leaf: false }
  }
  for (let t = 0; t < ensemble.treeStart.length; t++) {
    const root = ensemble.treeStart[t]
    if (ensemble.left[root] < 0) trees.stump(ensemble.treeOutput[t], ensemble.value[root])
    else trees.roots.push(visit(root, ensemble.treeOutput[t]).id)
  }
  return g.op('Add', [trees.node(g, tensor, ensemble.nOutputs), g.doubles(ensemble.baseMargin, [ensemble.nOutputs], 'base_margin')])
}
