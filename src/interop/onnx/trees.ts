/**
 * ONNX `TreeEnsembleRegressor` and `TreeEnsembleClassifier` (ai.onnx.ml opset 1 and 3) converted
 * into consort's flat tree ensemble: thresholds made exact for float64 inputs
 * ({@link exactThreshold}), the true branch put on the left or the right, trees laid out
 * breadth-first (children adjacent, after their parent), one copy of a tree per output it adds to,
 * AVERAGE folded into the leaf values and the post transform kept as a link.
 */
import type { Task } from '../../task.js'
import type { Link } from '../../runtime/link.js'
import type { TreeEnsemble } from '../../runtime/tree-ensemble.js'
import { TreeBuilder } from '../tree-builder.js'
import { BundleError } from '../../errors.js'
import { Attributes } from './attributes.js'
import { NotConvertible } from './not-convertible.js'
import { exactThreshold, type ThresholdMode } from './thresholds.js'

/** A converted ensemble with what the model around it needs. */
export interface ConvertedTrees {
  readonly ensemble: TreeEnsemble
  readonly task: Task
  readonly link: Link
  readonly classLabels: string[]
}

const SPLIT_MODES = new Set<string>(['BRANCH_LEQ', 'BRANCH_LT', 'BRANCH_GTE', 'BRANCH_GT'])

/**
 * Converts one tree-ensemble node reading `nFeatures` features; inexact forms throw
 * {@link NotConvertible}, malformed ones a BundleError naming the attribute.
 * @example const { ensemble, task, link } = convertTrees(new Attributes(node, 'model.onnx', 'graph.node[0]'), 10)
 */
export function convertTrees(a: Attributes, nFeatures: number): ConvertedTrees {
  const classifier = a.node.opType === 'TreeEnsembleClassifier'
  const treeIds = a.ints('nodes_treeids')
  const nodeIds = a.ints('nodes_nodeids')
  const featureIds = a.ints('nodes_featureids')
  const values = a.numbers('nodes_values')
  const modes = a.strings('nodes_modes')
  const trueIds = a.ints('nodes_truenodeids')
  const falseIds = a.ints('nodes_falsenodeids')
  const tracksTrue = a.ints('nodes_missing_value_tracks_true', [])
  const n = treeIds.length
  for (const [name, list] of [['nodes_nodeids', nodeIds], ['nodes_featureids', featureIds], ['nodes_values', values], ['nodes_modes', modes], ['nodes_truenodeids', trueIds], ['nodes_falsenodeids', falseIds]] as const) {
    if (list.length !== n) throw a.error(name, `has ${list.length} values for ${n} nodes`)
  }
  if (tracksTrue.length !== 0 && tracksTrue.length !== n) throw a.error('nodes_missing_value_tracks_true', `has ${tracksTrue.length} values for ${n} nodes`)

  const prefix = classifier ? 'class' : 'target'
  const wTree = a.ints(`${prefix}_treeids`)
  const wNode = a.ints(`${prefix}_nodeids`)
  const wOut = a.ints(`${prefix}_ids`)
  const wValue = a.numbers(`${prefix}_weights`)
  for (const [name, list] of [[`${prefix}_nodeids`, wNode], [`${prefix}_ids`, wOut], [`${prefix}_weights`, wValue]] as const) {
    if (list.length !== wTree.length) throw a.error(name, `has ${list.length} values for ${wTree.length} weights`)
  }

  // Outputs: classes for a classifier, targets for a regressor.
  const classLabels = classifier ? labelsOf(a) : []
  const nScores = classifier ? classLabels.length : a.int('n_targets', 1)
  if (!classifier && nScores !== 1) throw new BundleError(`TreeEnsembleRegressor with n_targets ${nScores}: a member predicts one target`, { file: a.file, field: `${a.path}.n_targets` })
  if (classifier && nScores < 2) throw a.error('classlabels_int64s', `has ${nScores} class(es); a classifier needs 2 or more`)
  const base = a.numbers('base_values', [])
  if (base.length !== 0 && base.length !== nScores) throw a.error('base_values', `has ${base.length} values for ${nScores} outputs`)
  const aggregate = a.string('aggregate_function', 'SUM')
  if (aggregate !== 'SUM' && aggregate !== 'AVERAGE') throw new NotConvertible(`aggregate_function '${aggregate}' is not a sum`)
  const post = a.string('post_transform', 'NONE')

  // Index nodes by (tree, node id), and find each tree's root (the node no other node points to).
  const key = (t: number, id: number) => `${t}:${id}`
  const index = new Map<string, number>()
  const trees: number[] = []
  for (let i = 0; i < n; i++) {
    const k = key(treeIds[i]!, nodeIds[i]!)
    if (index.has(k)) throw a.error('nodes_nodeids', `node ${nodeIds[i]} of tree ${treeIds[i]} appears twice`)
    index.set(k, i)
    if (!trees.includes(treeIds[i]!)) trees.push(treeIds[i]!)
  }
  const isChild = new Uint8Array(n)
  for (let i = 0; i < n; i++) {
    if (modes[i] === 'LEAF') continue
    if (!SPLIT_MODES.has(modes[i]!)) {
      if (modes[i] === 'BRANCH_EQ' || modes[i] === 'BRANCH_NEQ') throw new NotConvertible(`node mode '${modes[i]}' has no single-threshold form`)
      throw a.error('nodes_modes', `unknown mode '${modes[i]}'`)
    }
    if (featureIds[i]! < 0 || featureIds[i]! >= nFeatures) throw a.error('nodes_featureids', `feature ${featureIds[i]} is out of range for ${nFeatures} features`)
    for (const [name, ids] of [['nodes_truenodeids', trueIds], ['nodes_falsenodeids', falseIds]] as const) {
      const c = index.get(key(treeIds[i]!, ids[i]!))
      if (c === undefined) throw a.error(name, `node ${nodeIds[i]} of tree ${treeIds[i]} points to node ${ids[i]}, which does not exist`)
      isChild[c] = 1
    }
  }
  const roots = new Map<number, number>()
  for (let i = 0; i < n; i++) if (!isChild[i] && !roots.has(treeIds[i]!)) roots.set(treeIds[i]!, i)

  // Leaf weights per (node, output); an AVERAGE divides every tree's contribution by their number.
  const scale = aggregate === 'AVERAGE' ? 1 / trees.length : 1
  const weights = new Map<number, Map<number, number>>()
  for (let j = 0; j < wTree.length; j++) {
    const i = index.get(key(wTree[j]!, wNode[j]!))
    if (i === undefined) throw a.error(`${prefix}_nodeids`, `weight ${j} points to node ${wNode[j]} of tree ${wTree[j]}, which does not exist`)
    if (modes[i] !== 'LEAF') throw new NotConvertible(`weight ${j} sits on a branch node, not a leaf`)
    if (wOut[j]! < 0 || wOut[j]! >= nScores) throw a.error(`${prefix}_ids`, `output ${wOut[j]} is out of range for ${nScores} outputs`)
    const m = weights.get(i) ?? new Map<number, number>()
    m.set(wOut[j]!, (m.get(wOut[j]!) ?? 0) + wValue[j]! * scale)
    weights.set(i, m)
  }

  // Which score columns make consort's outputs, each with a sign (a binary softmax is sigmoid(s1 - s0)).
  const { task, link, columns } = outputsOf(classifier, nScores, post, wOut)
  const baseMargin = Float64Array.from(columns, (cols) => cols.reduce((s, [col, sign]) => s + sign * (base[col] ?? 0), 0))

  const builder = new TreeBuilder()
  const uses = new Set(wTree.map((t, j) => key(t, wOut[j]!)))
  for (const t of trees) {
    const root = roots.get(t)
    if (root === undefined) throw a.error('nodes_truenodeids', `tree ${t} has no root (its nodes form a cycle)`)
    columns.forEach((cols, out) => {
      if (!cols.some(([col]) => uses.has(key(t, col)))) return
      builder.startTree(out)
      layOut(root, cols)
    })
  }

  /** One tree breadth-first from `root`: the q-th node visited takes the tree's slot q. */
  function layOut(root: number, cols: readonly (readonly [number, number])[]): void {
    const queue = [root]
    for (let q = 0; q < queue.length; q++) {
      if (queue.length > n) throw a.error('nodes_truenodeids', 'a tree reaches the same node twice (not a tree)')
      const i = queue[q]!
      if (modes[i] === 'LEAF') {
        const w = weights.get(i)
        builder.leaf(cols.reduce((s, [col, sign]) => s + sign * (w?.get(col) ?? 0), 0))
        continue
      }
      const split = exactThreshold(modes[i] as ThresholdMode, values[i]!)
      if (split === null) throw new NotConvertible(`threshold ${values[i]} of node ${nodeIds[i]} has no exact float64 form`)
      const t = index.get(key(treeIds[i]!, trueIds[i]!))!
      const f = index.get(key(treeIds[i]!, falseIds[i]!))!
      // A NaN fails every comparison, so takes the false branch unless it tracks the true one.
      const nanTrue = (tracksTrue[i] ?? 0) === 1
      builder.split(featureIds[i]!, split.threshold, builder.treeNode(queue.length), split.trueGoesLeft === nanTrue ? 1 : 0)
      queue.push(...(split.trueGoesLeft ? [t, f] : [f, t]))
    }
  }

  if (builder.treeCount === 0) {
    // No tree adds to any output: keep one single-leaf tree so the ensemble is well formed.
    builder.startTree(0)
    builder.leaf(0)
  }
  const ensemble = builder.build(nFeatures, columns.length, baseMargin)
  return { ensemble, task, link, classLabels }
}

/** The class labels of a classifier, as strings (int64 labels written in decimal). */
export function labelsOf(a: Attributes): string[] {
  const strings = a.strings('classlabels_strings')
  if (strings.length > 0) return strings
  const ints = a.has('classlabels_int64s') ? a.ints('classlabels_int64s') : a.ints('classlabels_ints', [])
  return ints.map(String)
}

/**
 * consort's outputs as signed sums of score columns, with the task and link: a regressor's one
 * score; a binary classifier's P(class 1) (column 1 as is, or sigmoid(s1 - s0) for a softmax); a
 * multiclass classifier's K columns.
 */
function outputsOf(classifier: boolean, nScores: number, post: string, used: number[]): { task: Task; link: Link; columns: [number, number][][] } {
  if (!classifier) {
    if (post === 'NONE') return { task: 'regression', link: 'identity', columns: [[[0, 1]]] }
    throw new NotConvertible(`post_transform '${post}' on a regressor`)
  }
  if (nScores === 2) {
    if (new Set(used).size < 2) throw new NotConvertible('a binary classifier scoring one class only (onnxruntime derives the other)')
    if (post === 'NONE') return { task: 'binary', link: 'identity', columns: [[[1, 1]]] }
    if (post === 'LOGISTIC') return { task: 'binary', link: 'sigmoid', columns: [[[1, 1]]] }
    if (post === 'SOFTMAX') return { task: 'binary', link: 'sigmoid', columns: [[[1, 1], [0, -1]]] }
    throw new NotConvertible(`post_transform '${post}'`)
  }
  const columns = Array.from({ length: nScores }, (_, k): [number, number][] => [[k, 1]])
  if (post === 'NONE') return { task: 'multiclass', link: 'identity', columns }
  if (post === 'SOFTMAX') return { task: 'multiclass', link: 'softmax', columns }
  if (post === 'LOGISTIC') return { task: 'multiclass', link: 'sigmoid', columns }
  throw new NotConvertible(`post_transform '${post}'`)
}
