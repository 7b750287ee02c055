/**
 * Categorical features by ordered target statistics (CatBoost's CTRs). A categorical feature, or
 * a combination of them, becomes numbers: for a row at position j of a random permutation, its
 * statistic uses only the rows before it with the same category,
 * `(sum of their targets + prior) / (their count + 1)`, so a row's own target never leaks into
 * its feature. At prediction time the statistic uses every training row.
 *
 * Statistics: regression and binary tasks use the mean target (the prior is the mean target of
 * the training rows); multiclass uses one frequency per class (prior: the class's frequency).
 * CatBoost bins regression targets into borders instead; the mean keeps one statistic per
 * feature and is the form the ordered-TS analysis in the CatBoost paper uses.
 */
import { combinedKey } from '../../runtime/oblivious.js'

/** Borders per CTR feature (CatBoost's ctr_border_count on CPU). */
export const CTR_BORDERS = 15

/** A categorical input of the training rows. */
export interface CategoricalInput {
  /** Index among the model's inputs. */
  readonly input: number
  /** Training codes of the rows, -1 missing. */
  readonly codes: Int32Array
  /** Size of the category dictionary (keys use it as a radix). */
  readonly nCategories: number
  /** Distinct categories present in the training rows (missing counts as one). */
  readonly nPresent: number
}

/** A combination of categorical inputs, with each training row's dense combination id. */
export interface Combination {
  /** Positions in the list of categorical inputs, ascending. */
  readonly members: readonly number[]
  readonly key: string
  readonly ids: Int32Array
  readonly nIds: number
  /** Combined key (see combinedKey) of each id. */
  readonly keyOfId: Float64Array
  readonly idOfKey: Map<number, number>
}

/**
 * The combination of `members` (positions in `cats`), built by extending `prefix` (the same
 * members but the last) by one input.
 */
export function combine(cats: readonly CategoricalInput[], members: readonly number[], prefix: Combination | null): Combination {
  const last = cats[members[members.length - 1]]
  const n = last.codes.length
  const ids = new Int32Array(n)
  const idOfKey = new Map<number, number>()
  const keys: number[] = []
  for (let i = 0; i < n; i++) {
    const key = combinedKey(prefix ? prefix.keyOfId[prefix.ids[i]] : 0, last.codes[i], last.nCategories)
    let id = idOfKey.get(key)
    if (id === undefined) {
      id = keys.length
      idOfKey.set(key, id)
      keys.push(key)
    }
    ids[i] = id
  }
  return { members: [...members], key: members.join(','), ids, nIds: keys.length, keyOfId: Float64Array.from(keys), idOfKey }
}

/**
 * Ordered target statistic of every row under permutation `perm` (positions to rows): row
 * perm[j] sees only rows perm[0..j) of its combination.
 * @example orderedCtr(ids, nIds, target, prior, perm, out)
 */
export function orderedCtr(ids: Int32Array, nIds: number, target: Float64Array, prior: number, perm: Int32Array, out: Float64Array): void {
  const sums = new Float64Array(nIds)
  const counts = new Float64Array(nIds)
  for (let j = 0; j < perm.length; j++) {
    const i = perm[j]
    const id = ids[i]
    out[i] = (sums[id] + prior) / (counts[id] + 1)
    sums[id] += target[i]
    counts[id] += 1
  }
}

/** Sums of each target statistic and counts per combination id over every training row. */
export function fullStats(comb: Combination, targets: readonly Float64Array[]): { counts: Float64Array; sums: Float64Array } {
  const T = targets.length
  const counts = new Float64Array(comb.nIds)
  const sums = new Float64Array(comb.nIds * T)
  for (let i = 0; i < comb.ids.length; i++) {
    const id = comb.ids[i]
    counts[id]++
    for (let t = 0; t < T; t++) sums[id * T + t] += targets[t][i]
  }
  return { counts, sums }
}

/**
 * Up to `count` borders for CTR values: midpoints between distinct quantiles of the values
 * (sampled on large data), so every border separates something.
 */
export function ctrBorders(values: Float64Array, count = CTR_BORDERS): Float64Array {
  const step = Math.max(1, Math.floor(values.length / 20000))
  const sample = new Float64Array(Math.ceil(values.length / step))
  for (let i = 0, j = 0; i < values.length; i += step, j++) sample[j] = values[i]
  sample.sort()
  const m = sample.length
  const borders: number[] = []
  for (let q = 1; q <= count; q++) {
    const k = Math.min(m - 1, Math.floor((q * m) / (count + 1)))
    if (k <= 0) continue
    const lo = sample[k - 1]
    const hi = sample[k]
    if (hi > lo && (borders.length === 0 || lo + (hi - lo) / 2 > borders[borders.length - 1])) borders.push(lo + (hi - lo) / 2)
  }
  return Float64Array.from(borders)
}

/** Codes of `values` for `borders`: the number of borders each value is above. */
export function binValues(values: Float64Array, borders: Float64Array, out: Uint8Array): void {
  const nb = borders.length
  for (let i = 0; i < values.length; i++) {
    const v = values[i]
    let c = 0
    while (c < nb && v > borders[c]) c++
    out[i] = c
  }
}
