/**
 * An oblivious (symmetric) ensemble as a gather over leaf indices: every level of a tree shares
 * one split, so a row's leaf is the bit pattern of its split outcomes (`x > t` sets bit `level`).
 * The graph compares all splits of all trees at once ([N, trees x depth]), weighs the bits by
 * powers of two into leaf indices [N, trees], gathers the leaf values and sums over trees. That
 * keeps 2^depth values per tree where an ordinary tree would need 2^(depth+1) - 1 nodes, each with
 * a dozen attributes. The model features the splits read are built first: numeric inputs as
 * they are, one-hot indicators of categories, and target statistics looked up in dense tables
 * indexed by the combined category key.
 */
import { DataError } from '../../errors.js'
import { FeatureKind, type ObliviousEnsemble, treeOffsets } from '../../runtime/oblivious.js'
import type { Columns } from './columns.js'
import { type GraphBuilder, zeros } from './graph.js'

/** Largest key space of a CTR table the export lays out densely (8 MiB of float64 per statistic). */
export const MAX_CTR_KEYS = 1 << 20

/**
 * The raw margins [N, nOutputs] of `model` reading its inputs from `columns`. A CTR table whose
 * key space exceeds {@link MAX_CTR_KEYS} is a DataError.
 * @example const margins = obliviousMargins(g, model.ensemble, columns)
 */
export function obliviousMargins(g: GraphBuilder, model: ObliviousEnsemble, columns: Columns): string {
  const K = model.nOutputs
  const nTrees = model.treeDepth.length
  const depth = Math.max(0, ...model.treeDepth)
  const { splitStart, leafStart } = treeOffsets(model)
  const anyInput = columns.matrix([model.inputs[0]?.name ?? '']).tensor
  if (depth === 0) {
    // Every tree is one leaf: a constant, summed in the order consort sums it.
    const total = Float64Array.from(model.baseMargin)
    for (let t = 0; t < nTrees; t++) for (let k = 0; k < K; k++) total[k] += model.leafValues[leafStart[t] + k]
    return g.op('Add', [zeros(g, anyInput, K), g.doubles(total, [K], 'margin')])
  }
  // Only the model features some split reads are built, in the order first used.
  const used = new Map<number, number>()
  for (const f of model.splitFeature) if (!used.has(f)) used.set(f, used.size)
  const digits = new Map<number, string>()
  const digit = (input: number): string => {
    let d = digits.get(input)
    if (d === undefined) digits.set(input, (d = categoryDigit(g, model, input, columns)))
    return d
  }
  const keys = new Map<number, string>()
  const featureColumns = [...used.keys()].map((f) => modelFeature(g, model, f, columns, digit, keys))
  const features = featureColumns.length === 1 ? featureColumns[0] : g.op('Concat', featureColumns, { axis: 1 })
  // Splits laid out [trees, depth]; a shallower tree's missing levels compare against +Infinity, a 0 bit.
  const splitColumn = new Array<number>(nTrees * depth).fill(0)
  const splitThreshold = new Array<number>(nTrees * depth).fill(Infinity)
  for (let t = 0; t < nTrees; t++) {
    for (let level = 0; level < model.treeDepth[t]; level++) {
      splitColumn[t * depth + level] = used.get(model.splitFeature[splitStart[t] + level])!
      splitThreshold[t * depth + level] = model.splitThreshold[splitStart[t] + level]
    }
  }
  const compared = g.op('Greater', [g.op('Gather', [features, g.int64s(splitColumn, [splitColumn.length], 'split_feature')], { axis: 1 }), g.doubles(splitThreshold, [splitThreshold.length], 'split_threshold')])
  const bits = g.op('Reshape', [g.op('Cast', [compared], { to: 11 }), g.int64s([-1, nTrees, depth], [3])])
  const leafIndex = g.op('ReduceSum', [g.op('Mul', [bits, g.doubles(Array.from({ length: depth }, (_, l) => 2 ** l), [depth], 'level_weight')]), g.int64s([2], [1])], { keepdims: 0 })
  const firstLeaf = Array.from({ length: nTrees }, (_, t) => leafStart[t] / K)
  const leaf = g.op('Cast', [g.op('Add', [leafIndex, g.doubles(firstLeaf, [nTrees], 'first_leaf')])], { to: 7 })
  const values = g.op('Gather', [g.doubles(model.leafValues, [model.leafValues.length / K, K], 'leaf_values'), leaf], { axis: 0 })
  const sums = g.op('ReduceSum', [values, g.int64s([1], [1])], { keepdims: 0 })
  return g.op('Add', [sums, g.doubles(model.baseMargin, [K], 'base_margin')])
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
