/**
 * An oblivious (symmetric) ensemble as ordinary trees in one `TreeEnsemble` node: every level of a
 * tree shares one split (`x > t` sets bit `level` of the leaf index), so tree t of depth d becomes
 * a full binary tree of 2^d - 1 splits whose left branch is `x <= t` (a missing value goes there
 * too, since NaN > t is false). The other way, a gather of leaf values over leaf indices built
 * from all comparisons at once, is about half the size but materialises [N, trees x depth] arrays
 * at every step: 40 times slower on 300 trees (see bench/export-onnx.ts). The model features the
 * splits read are built first when they are not plain inputs: one-hot indicators of categories,
 * and target statistics looked up in dense tables indexed by the combined category key.
 */
import { DataError } from '../../errors.js'
import { FeatureKind, type ObliviousEnsemble, treeOffsets } from '../../runtime/oblivious.js'
import type { Columns } from './columns.js'
import type { GraphBuilder } from './graph.js'
import { BRANCH_LEQ, type Child, OnnxTrees } from './trees.js'

/** Largest key space of a CTR table the export lays out densely (8 MiB of float64 per statistic). */
export const MAX_CTR_KEYS = 1 << 20

/**
 * The raw margins [N, nOutputs] of `model` reading its inputs from `columns`. A CTR table whose
 * key space exceeds {@link MAX_CTR_KEYS} is a DataError.
 * @example const margins = obliviousMargins(g, model.ensemble, columns)
 */
export function obliviousMargins(g: GraphBuilder, model: ObliviousEnsemble, columns: Columns): string {
  const K = model.nOutputs
  const { splitStart, leafStart } = treeOffsets(model)
  const { tensor, column } = splitInputs(g, model, columns)
  const trees = new OnnxTrees()
  for (let t = 0; t < model.treeDepth.length; t++) {
    const depth = model.treeDepth[t]
    // One tree per output: an ONNX leaf adds to one target.
    for (let k = 0; k < K; k++) {
      const visit = (level: number, leaf: number): Child => {
        if (level === depth) return trees.leaf(k, model.leafValues[leafStart[t] + leaf * K + k])
        const s = splitStart[t] + level
        const node = trees.split(column.get(model.splitFeature[s])!, model.splitThreshold[s], BRANCH_LEQ, 1)
        trees.children(node, visit(level + 1, leaf), visit(level + 1, leaf | (1 << level)))
        return { id: node, leaf: false }
      }
      if (depth === 0) trees.stump(k, model.leafValues[leafStart[t] + k])
      else trees.roots.push(visit(0, 0).id)
    }
  }
  return g.op('Add', [trees.node(g, tensor, K), g.doubles(model.baseMargin, [K], 'base_margin')])
}

/**
 * The tensor the splits read, and the column of each model feature a split uses in it: the input
 * columns themselves when every such feature is a plain numeric input, else the features built
 * one by one and concatenated.
 */
function splitInputs(g: GraphBuilder, model: ObliviousEnsemble, columns: Columns): { tensor: string; column: Map<number, number> } {
  const used = [...new Set(model.splitFeature)]
  if (used.length === 0) return { tensor: columns.matrix([model.inputs[0].name]).tensor, column: new Map() }
  if (used.every((f) => model.featureKind[f] === FeatureKind.Numeric)) {
    const { tensor, index } = columns.matrix(used.map((f) => model.inputs[model.featureInput[f]].name))
    return { tensor, column: new Map(used.map((f, i) => [f, index[i]])) }
  }
  const digits = new Map<number, string>()
  const digit = (input: number): string => {
    let d = digits.get(input)
    if (d === undefined) digits.set(input, (d = categoryDigit(g, model, input, columns)))
    return d
  }
  const keys = new Map<number, string>()
  const built = used.map((f) => modelFeature(g, model, f, columns, digit, keys))
  return { tensor: built.length === 1 ? built[0] : g.op('Concat', built, { axis: 1 }), column: new Map(used.map((f, i) => [f, i])) }
}

/** One model feature as a [N, 1] column. */
function modelFeature(g: GraphBuilder, model: ObliviousEnsemble, f: number, columns: Columns, digit: (input: number) => string, keys: Map<number, string>): string {
  const kind = model.featureKind[f]
  const input = model.featureInput[f]
  if (kind === FeatureKind.Numeric) {
    const { tensor, index } = columns.matrix([model.inputs[input].name])
    return g.columns(tensor, index, -1)
  }
  if (kind === FeatureKind.OneHot) return g.op('Cast', [g.op('Equal', [digit(input), g.doubles([model.featureArg[f] + 1], [1])])], { to: 11 })
  // A target statistic of CTR table `input`: its key, then a dense table of (sum + prior) / (count + 1).
  const table = input
  const cards: number[] = []
  for (let j = model.tableInputStart[table]; j < model.tableInputStart[table + 1]; j++) cards.push(model.inputs[model.tableInputs[j]].categories!.length + 1)
  const space = cards.reduce((a, b) => a * b, 1)
  if (space > MAX_CTR_KEYS) {
    const names = cards.map((_, j) => model.inputs[model.tableInputs[model.tableInputStart[table] + j]].name)
    throw new DataError(`a target statistic over ${names.join(' x ')} has ${space} possible keys; the ONNX export lays out at most ${MAX_CTR_KEYS}`, { field: names.join(',') })
  }
  let key = keys.get(table)
  if (key === undefined) {
    for (let j = model.tableInputStart[table]; j < model.tableInputStart[table + 1]; j++) {
      const d = digit(model.tableInputs[j])
      key = key === undefined ? d : g.op('Add', [g.op('Mul', [key, g.doubles([model.inputs[model.tableInputs[j]].categories!.length + 1], [1])]), d])
    }
    keys.set(table, key!)
  }
  const stat = model.featureArg[f]
  const prior = model.featurePrior[f]
  // Slot `space` is the prior for a key with an unseen category (NaN).
  const dense = new Float64Array(space + 1).fill(prior)
  for (let pos = model.tableStart[table]; pos < model.tableStart[table + 1]; pos++) {
    dense[model.tableKeys[pos]] = (model.tableSums[pos * model.nStats + stat] + prior) / (model.tableCounts[pos] + 1)
  }
  const slot = g.op('Cast', [g.op('Where', [g.op('IsNaN', [key!]), g.doubles([space], [1]), key!])], { to: 7 })
  return g.op('Gather', [g.doubles(dense, [space + 1], 'ctr'), slot], { axis: 0 })
}

/**
 * Categorical input `input` as a [N, 1] digit: its code in the model's categories plus one, 0 when
 * missing, NaN for a category the model never saw (as `combinedKey` reads codes).
 */
function categoryDigit(g: GraphBuilder, model: ObliviousEnsemble, input: number, columns: Columns): string {
  const { name, categories } = model.inputs[input]
  const ours = new Map(categories!.map((c, j) => [c, j]))
  const { tensor, index } = columns.matrix([name])
  const x = g.columns(tensor, index, -1)
  const source = columns.categories(name)
  if (source !== undefined) {
    // Codes of the input's dictionary -> our digits, through a table (slot 0: missing).
    const table = [0, ...source.map((c) => (ours.has(c) ? ours.get(c)! + 1 : NaN))]
    const slot = g.op('Cast', [g.op('Where', [g.op('IsNaN', [x]), g.doubles([0], [1]), g.op('Add', [x, g.doubles([1], [1])])])], { to: 7 })
    return g.op('Gather', [g.doubles(table, [table.length], 'digits'), slot], { axis: 0 })
  }
  // A numeric column read as categories (cat_features): each category is a number's spelling.
  const values = categories!.map(Number)
  const hits = g.op('Cast', [g.op('Equal', [x, g.doubles(values, [1, values.length], 'category_values')])], { to: 11 })
  const d = g.op('MatMul', [hits, g.doubles(values.map((_, j) => j + 1), [values.length, 1], 'digit')])
  const unseen = g.op('And', [g.op('Not', [g.op('IsNaN', [x])]), g.op('Equal', [d, g.doubles([0], [1])])])
  return g.op('Where', [unseen, g.doubles([NaN], [1]), d])
}
