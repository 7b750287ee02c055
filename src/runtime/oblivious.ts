/**
 * The oblivious (symmetric) tree predictor: every level of a tree shares one split, so a row's
 * leaf is the bit pattern of its split outcomes, `idx |= (x[f] > t) << level`, computed with no
 * branch. Inputs are raw frames: numeric columns are used as they are; categorical columns (and
 * numeric columns the model treats as categorical) become one-hot indicators or target
 * statistics read from CTR tables of the training rows (unseen categories get the prior).
 * No Node-only imports.
 */
import type { Column, Frame } from '../data/frame.js'
import { DataError } from '../errors.js'

/** How a model feature (a column of the matrix the trees read) is computed from the inputs. */
export const enum FeatureKind {
  /** The numeric input `input` as it is. */
  Numeric = 0,
  /** 1 when categorical input `input` has training code `arg`, else 0. */
  OneHot = 1,
  /** Target statistic `arg` of CTR table `input`: (sum + prior) / (count + 1). */
  Ctr = 2,
}

/** An input column the model reads by name. */
export interface ObliviousInput {
  readonly name: string
  /** Training categories of a categorical input (matched by string); absent for numeric inputs. */
  readonly categories?: readonly string[]
}

/** A flat oblivious ensemble with its feature recipes and CTR tables; plain data. */
export interface ObliviousEnsemble {
  readonly inputs: readonly ObliviousInput[]
  /** Per model feature: kind, input (or CTR table) index, one-hot code or statistic index, prior. */
  readonly featureKind: Uint8Array
  readonly featureInput: Int32Array
  readonly featureArg: Int32Array
  readonly featurePrior: Float64Array
  /** CTR tables: table t combines inputs tableInputs[tableInputStart[t] .. tableInputStart[t + 1]). */
  readonly tableInputStart: Int32Array
  readonly tableInputs: Int32Array
  /** Rows tableStart[t] .. tableStart[t + 1] of the key, count and sum arrays belong to table t. */
  readonly tableStart: Int32Array
  /** Combined category keys, ascending within each table (see {@link combinedKey}). */
  readonly tableKeys: Float64Array
  readonly tableCounts: Float64Array
  /** nStats sums per key, row-major. */
  readonly tableSums: Float64Array
  readonly nStats: number
  readonly nOutputs: number
  readonly baseMargin: Float64Array
  /** Depth of each tree; tree t's splits and leaves follow those of trees before it. */
  readonly treeDepth: Int32Array
  /** Per split (tree-major, level order): model feature and threshold (`x > t` sets the bit). */
  readonly splitFeature: Int32Array
  readonly splitThreshold: Float64Array
  /** Per tree, 2^depth leaves x nOutputs values (learning rate applied). */
  readonly leafValues: Float64Array
}

/** Rows evaluated together. */
const BLOCK = 256
/** Code of a category the model never saw (missing is -1). */
export const UNSEEN = -2

/**
 * Key of a combination of categorical codes in CTR tables: mixed radix over the inputs of the
 * table, each digit code + 1 (missing counts as a category of its own, digit 0).
 * @example combinedKey(0, 3, 5) // (0 * 6) + 4 = 4
 */
export function combinedKey(prefix: number, code: number, nCategories: number): number {
  return prefix * (nCategories + 1) + (code + 1)
}

/**
 * Training codes of an input column for the model: categorical columns are mapped by category
 * string; a numeric column named as categorical uses each value's string. Unknown categories
 * are {@link UNSEEN}, missing values -1.
 * @example const codes = categoryCodes(frame.columns[0], ['a', 'b'])
 */
export function categoryCodes(col: Column, categories: readonly string[]): Int32Array {
  const index = new Map<string, number>()
  categories.forEach((c, i) => index.set(c, i))
  if (col.type === 'categorical') {
    const remap = Int32Array.from(col.categories, (c) => index.get(c) ?? UNSEEN)
    return Int32Array.from(col.codes, (c) => (c < 0 ? -1 : remap[c]))
  }
  return Int32Array.from(col.values, (v) => (v !== v ? -1 : (index.get(String(v)) ?? UNSEEN)))
}

/** Number of splits before tree t and of leaf values before it, for every tree (prefix sums). */
export function treeOffsets(m: Pick<ObliviousEnsemble, 'treeDepth' | 'nOutputs'>): { splitStart: Int32Array; leafStart: Int32Array } {
  const nTrees = m.treeDepth.length
  const splitStart = new Int32Array(nTrees + 1)
  const leafStart = new Int32Array(nTrees + 1)
  for (let t = 0; t < nTrees; t++) {
    splitStart[t + 1] = splitStart[t] + m.treeDepth[t]
    leafStart[t + 1] = leafStart[t] + (1 << m.treeDepth[t]) * m.nOutputs
  }
  return { splitStart, leafStart }
}

/**
 * Columns of the model features for rows [r0, r0 + m) of the inputs, feature-major into `x`
 * (`x[f * stride + i]`).
 */
export function writeModelFeatures(
  model: ObliviousEnsemble,
  numeric: readonly (Float64Array | null)[],
  codes: readonly (Int32Array | null)[],
  r0: number,
  m: number,
  x: Float64Array,
  stride: number,
  keys: Float64Array,
): void {
  const nTables = model.tableInputStart.length - 1
  // CTR keys of the block, per table (NaN when a category is unseen).
  for (let t = 0; t < nTables; t++) {
    for (let i = 0; i < m; i++) keys[t * stride + i] = 0
    for (let j = model.tableInputStart[t]; j < model.tableInputStart[t + 1]; j++) {
      const input = model.tableInputs[j]
      const c = codes[input]!
      const card = model.inputs[input].categories!.length
      for (let i = 0; i < m; i++) {
        const code = c[r0 + i]
        keys[t * stride + i] = code === UNSEEN ? NaN : combinedKey(keys[t * stride + i], code, card)
      }
    }
  }
  const nFeatures = model.featureKind.length
  for (let f = 0; f < nFeatures; f++) {
    const out = f * stride
    const input = model.featureInput[f]
    const kind = model.featureKind[f]
    if (kind === FeatureKind.Numeric) {
      const v = numeric[input]!
      for (let i = 0; i < m; i++) x[out + i] = v[r0 + i]
    } else if (kind === FeatureKind.OneHot) {
      const c = codes[input]!
      const value = model.featureArg[f]
      for (let i = 0; i < m; i++) x[out + i] = c[r0 + i] === value ? 1 : 0
    } else {
      const stat = model.featureArg[f]
      const prior = model.featurePrior[f]
      const lo = model.tableStart[input]
      const hi = model.tableStart[input + 1]
      for (let i = 0; i < m; i++) {
        const pos = findKey(model.tableKeys, lo, hi, keys[input * stride + i])
        x[out + i] = pos < 0 ? prior : (model.tableSums[pos * model.nStats + stat] + prior) / (model.tableCounts[pos] + 1)
      }
    }
  }
}

/** Position of `key` in keys[lo, hi) (ascending), or -1. */
function findKey(keys: Float64Array, lo: number, hi: number, key: number): number {
  if (key !== key) return -1
  const end = hi
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (keys[mid] < key) lo = mid + 1
    else hi = mid
  }
  return lo < end && keys[lo] === key ? lo : -1
}

/**
 * Adds the trees [treeFrom, treeTo) to `out` (row-major m x nOutputs) for the feature-major block
 * `x`: per tree, the leaf index of every row is built level by level without branches.
 */
export function addTrees(
  model: ObliviousEnsemble,
  offsets: { splitStart: Int32Array; leafStart: Int32Array },
  x: Float64Array,
  stride: number,
  m: number,
  out: Float64Array,
  idx: Int32Array,
  treeFrom = 0,
  treeTo = model.treeDepth.length,
): void {
  const K = model.nOutputs
  const { splitFeature, splitThreshold, leafValues } = model
  for (let t = treeFrom; t < treeTo; t++) {
    const depth = model.treeDepth[t]
    const s0 = offsets.splitStart[t]
    for (let i = 0; i < m; i++) idx[i] = 0
    for (let level = 0; level < depth; level++) {
      const base = splitFeature[s0 + level] * stride
      const thr = splitThreshold[s0 + level]
      for (let i = 0; i < m; i++) idx[i] |= (x[base + i] > thr ? 1 : 0) << level
    }
    const l0 = offsets.leafStart[t]
    if (K === 1) {
      for (let i = 0; i < m; i++) out[i] += leafValues[l0 + idx[i]]
    } else {
      for (let i = 0; i < m; i++) {
        const v = l0 + idx[i] * K
        for (let k = 0; k < K; k++) out[i * K + k] += leafValues[v + k]
      }
    }
  }
}

/**
 * The frame's inputs in model order: numeric values, or training codes of categorical inputs; a
 * missing column or text where the model reads numbers is a DataError.
 * @example const { numeric, codes } = resolveInputs(ensemble, frame)
 */
export function resolveInputs(model: ObliviousEnsemble, frame: Frame): { numeric: (Float64Array | null)[]; codes: (Int32Array | null)[] } {
  const numeric: (Float64Array | null)[] = []
  const codes: (Int32Array | null)[] = []
  for (const input of model.inputs) {
    const col = frame.columns.find((c) => c.name === input.name)
    if (!col) throw new DataError(`input has no column '${input.name}' (the model needs: ${model.inputs.map((i) => i.name).join(', ')})`, { field: input.name })
    if (input.categories) {
      numeric.push(null)
      codes.push(categoryCodes(col, input.categories))
    } else {
      if (col.type !== 'numeric') throw new DataError(`column '${input.name}' is categorical; the model needs numbers`, { field: input.name })
      numeric.push(col.values)
      codes.push(null)
    }
  }
  return { numeric, codes }
}

/**
 * Raw margins (row-major n x nOutputs) of `frame`, columns matched by name, evaluated in blocks.
 * @example const margins = predictObliviousMargins(ensemble, frame)
 */
export function predictObliviousMargins(model: ObliviousEnsemble, frame: Frame, treeLimit = model.treeDepth.length): Float64Array {
  const { numeric, codes } = resolveInputs(model, frame)
  const n = frame.nRows
  const K = model.nOutputs
  const out = new Float64Array(n * K)
  for (let i = 0; i < n; i++) for (let k = 0; k < K; k++) out[i * K + k] = model.baseMargin[k]
  const offsets = treeOffsets(model)
  const x = new Float64Array(Math.max(1, model.featureKind.length) * BLOCK)
  const keys = new Float64Array(Math.max(1, model.tableInputStart.length - 1) * BLOCK)
  const idx = new Int32Array(BLOCK)
  for (let r0 = 0; r0 < n; r0 += BLOCK) {
    const m = Math.min(BLOCK, n - r0)
    writeModelFeatures(model, numeric, codes, r0, m, x, BLOCK, keys)
    addTrees(model, offsets, x, BLOCK, m, out.subarray(r0 * K, (r0 + m) * K), idx, 0, Math.min(treeLimit, model.treeDepth.length))
  }
  return out
}
