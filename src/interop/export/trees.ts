/**
 * A flat tree ensemble (gbdt, the forests) as one `ai.onnx.ml` `TreeEnsemble` node (opset 5):
 * splits, leaves and the output stay float64, so the graph adds the same leaf values consort adds.
 * consort sends `x < threshold` left and a missing value left when `defaultLeft`: mode BRANCH_LT
 * with the left child as the true branch, and `nodes_missing_value_tracks_true` = `defaultLeft`.
 */
import type { TreeEnsemble } from '../../runtime/tree-ensemble.js'
import type { Columns } from './columns.js'
import { doubleTensor, type GraphBuilder, ML_DOMAIN, uint8Tensor } from './graph.js'

const BRANCH_LT = 1

/**
 * The raw margins [N, nOutputs] of `ensemble` (base margin included) reading `featureNames` from `columns`.
 * @example const margins = treeMargins(g, model.ensemble, model.featureNames, columns)
 */
export function treeMargins(g: GraphBuilder, ensemble: TreeEnsemble, featureNames: readonly string[], columns: Columns): string {
  const { tensor, index } = columns.matrix(featureNames)
  const nodes = { feature: [] as number[], split: [] as number[], trueId: [] as number[], trueLeaf: [] as number[], falseId: [] as number[], falseLeaf: [] as number[], missingTrue: [] as number[] }
  const leaves = { target: [] as number[], weight: [] as number[] }
  const roots: number[] = []
  const nTrees = ensemble.treeStart.length
  const addLeaf = (n: number, target: number): number => {
    leaves.target.push(target)
    leaves.weight.push(ensemble.value[n])
    return leaves.target.length - 1
  }
  // Children follow their parents, so a node's slot is reserved before its children are visited.
  const addNode = (n: number, target: number): number => {
    const id = nodes.feature.length
    nodes.feature.push(index[ensemble.feature[n]])
    nodes.split.push(ensemble.threshold[n])
    nodes.missingTrue.push(ensemble.defaultLeft[n])
    nodes.trueId.push(0)
    nodes.trueLeaf.push(0)
    nodes.falseId.push(0)
    nodes.falseLeaf.push(0)
    const [l, r] = [ensemble.left[n], ensemble.left[n] + 1]
    const child = (c: number): [number, number] => (ensemble.left[c] < 0 ? [addLeaf(c, target), 1] : [addNode(c, target), 0])
    ;[nodes.trueId[id], nodes.trueLeaf[id]] = child(l)
    ;[nodes.falseId[id], nodes.falseLeaf[id]] = child(r)
    return id
  }
  // A tree that is one leaf (or no tree at all): ONNX trees start at a split, so a split whose
  // two branches give that leaf.
  const addStump = (weight: number, target: number): void => {
    roots.push(nodes.feature.length)
    leaves.target.push(target)
    leaves.weight.push(weight)
    const leaf = leaves.target.length - 1
    nodes.feature.push(index[0] ?? 0)
    nodes.split.push(0)
    nodes.missingTrue.push(0)
    nodes.trueId.push(leaf)
    nodes.trueLeaf.push(1)
    nodes.falseId.push(leaf)
    nodes.falseLeaf.push(1)
  }
  for (let t = 0; t < nTrees; t++) {
    const root = ensemble.treeStart[t]
    if (ensemble.left[root] >= 0) roots.push(addNode(root, ensemble.treeOutput[t]))
    else addStump(ensemble.value[root], ensemble.treeOutput[t])
  }
  if (roots.length === 0) addStump(0, 0)
  const base = g.doubles(ensemble.baseMargin, [ensemble.nOutputs], 'base_margin')
  const sums = g.op(
    'TreeEnsemble',
    [tensor],
    {
      n_targets: ensemble.nOutputs,
      aggregate_function: 1,
      post_transform: 0,
      tree_roots: roots,
      nodes_featureids: nodes.feature,
      nodes_splits: doubleTensor(nodes.split, [nodes.split.length]),
      nodes_modes: uint8Tensor(new Array<number>(nodes.feature.length).fill(BRANCH_LT)),
      nodes_truenodeids: nodes.trueId,
      nodes_trueleafs: nodes.trueLeaf,
      nodes_falsenodeids: nodes.falseId,
      nodes_falseleafs: nodes.falseLeaf,
      nodes_missing_value_tracks_true: nodes.missingTrue,
      leaf_targetids: leaves.target,
      leaf_weights: doubleTensor(leaves.weight, [leaves.weight.length]),
    },
    { domain: ML_DOMAIN },
  )
  return g.op('Add', [sums, base])
}
