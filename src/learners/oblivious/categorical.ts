/**
 * Categorical candidates of the `oblivious` learner, per tree and level: one-hot indicators for
 * categoricals with at most one_hot_max_size categories; ordered target statistics (see ctr.ts)
 * of every other categorical, and, as CatBoost builds them greedily, of combinations of the
 * categoricals already split on in the current tree with each other categorical (up to
 * MAX_COMBINATION inputs). Statistics are computed under the tree's permutation and cached.
 */
import { binValues, type CategoricalInput, type Combination, combine, ctrBorders, fullStats, orderedCtr } from './ctr.js'
import type { ColumnCandidate, TreeSplit } from './grower.js'

/** CatBoost's max_ctr_complexity on CPU. */
export const MAX_COMBINATION = 4

export type CandidateDesc =
  | { readonly kind: 'onehot'; readonly cat: number; readonly code: number }
  | { readonly kind: 'ctr'; readonly comb: Combination; readonly stat: number }

export class CategoricalCandidates {
  /** Descriptor of each candidate, by ColumnCandidate.ref. */
  readonly descs: CandidateDesc[] = []
  private readonly oneHot: ColumnCandidate[] = []
  private readonly ctrCats: number[] = []
  private readonly combos = new Map<string, Combination>()
  private readonly borders = new Map<string, Float64Array>()
  private readonly columns = new Map<string, ColumnCandidate>()
  private readonly refs = new Map<string, number>()
  private readonly stats = new Map<string, { counts: Float64Array; sums: Float64Array }>()
  private readonly values: Float64Array

  /**
   * @param targets the statistics' targets per training row (one per statistic)
   * @param priors prior of each statistic
   * @param perms permutations of the training rows (positions to rows)
   */
  constructor(
    readonly cats: readonly CategoricalInput[],
    readonly targets: readonly Float64Array[],
    readonly priors: Float64Array,
    readonly perms: readonly Int32Array[],
    oneHotMaxSize: number,
  ) {
    const n = perms[0]?.length ?? 0
    this.values = new Float64Array(n)
    cats.forEach((c, ci) => {
      if (c.nPresent < 2) return
      if (c.nPresent > oneHotMaxSize) {
        this.ctrCats.push(ci)
        return
      }
      const present = new Set(c.codes)
      for (const code of [...present].sort((a, b) => a - b)) {
        const codes = new Uint8Array(n)
        for (let i = 0; i < n; i++) codes[i] = c.codes[i] === code ? 1 : 0
        const ref = this.descs.push({ kind: 'onehot', cat: ci, code }) - 1
        this.oneHot.push({ codes, nCodes: 2, thresholds: Float64Array.of(0.5), ref })
      }
    })
  }

  /** True when there are no categorical candidates at all. */
  get empty(): boolean {
    return this.oneHot.length === 0 && this.ctrCats.length === 0
  }

  /** Candidates of a level of a tree grown under permutation `perm`, given its splits so far. */
  candidates(perm: number, splits: readonly TreeSplit[]): ColumnCandidate[] {
    const out: ColumnCandidate[] = [...this.oneHot]
    const sets: number[][] = this.ctrCats.map((c) => [c])
    const allCats = this.cats.map((_, i) => i).filter((i) => this.cats[i].nPresent >= 2)
    for (const s of splits) {
      if (!s.column) continue
      const d = this.descs[s.column.ref]
      const used = d.kind === 'onehot' ? [d.cat] : d.comb.members
      if (used.length >= MAX_COMBINATION) continue
      for (const c of allCats) if (!used.includes(c)) sets.push([...used, c].sort((a, b) => a - b))
    }
    const seen = new Set<string>()
    for (const members of sets) {
      const key = members.join(',')
      if (seen.has(key)) continue
      seen.add(key)
      const comb = this.combination(members)
      if (comb.nIds < 2) continue
      for (let t = 0; t < this.targets.length; t++) out.push(this.ctrColumn(comb, t, perm))
    }
    return out
  }

  /** The candidate of a CTR statistic under permutation `perm` (the same borders under every permutation). */
  ctrColumn(comb: Combination, stat: number, perm: number): ColumnCandidate {
    const key = `${comb.key}|${stat}|${perm}`
    const cached = this.columns.get(key)
    if (cached) return cached
    const values = this.values
    orderedCtr(comb.ids, comb.nIds, this.targets[stat], this.priors[stat], this.perms[perm], values)
    const bkey = `${comb.key}|${stat}`
    let borders = this.borders.get(bkey)
    if (!borders) {
      borders = ctrBorders(values)
      this.borders.set(bkey, borders)
    }
    let ref = this.refs.get(bkey)
    if (ref === undefined) {
      ref = this.descs.push({ kind: 'ctr', comb, stat }) - 1
      this.refs.set(bkey, ref)
    }
    const codes = new Uint8Array(values.length)
    binValues(values, borders, codes)
    const column = { codes, nCodes: borders.length + 1, thresholds: borders, ref }
    this.columns.set(key, column)
    return column
  }

  /** The same split's column under another permutation (one-hot columns do not depend on it). */
  columnUnder(column: ColumnCandidate, perm: number): ColumnCandidate {
    const d = this.descs[column.ref]
    return d.kind === 'onehot' ? column : this.ctrColumn(d.comb, d.stat, perm)
  }

  /** Counts and statistic sums of a combination over every training row (the prediction-time table). */
  tableStats(comb: Combination): { counts: Float64Array; sums: Float64Array } {
    let s = this.stats.get(comb.key)
    if (!s) {
      s = fullStats(comb, this.targets)
      this.stats.set(comb.key, s)
    }
    return s
  }

  private combination(members: readonly number[]): Combination {
    const key = members.join(',')
    const cached = this.combos.get(key)
    if (cached) return cached
    const prefix = members.length > 1 ? this.combination(members.slice(0, -1)) : null
    const comb = combine(this.cats, members, prefix)
    this.combos.set(key, comb)
    return comb
  }
}
