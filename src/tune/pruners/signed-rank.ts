/**
 * The Wilcoxon signed-rank test on paired differences, as scipy.stats.wilcoxon with
 * zero_method='zsplit' computes its statistic (ranks of |d| averaged over ties; a zero difference's
 * rank is split half to each side). The p-value is exact for up to 50 differences, from the
 * permutation distribution of the ranks actually observed (so ties and zeros are handled exactly,
 * where scipy falls back to the normal approximation or truncates a tied statistic), and the
 * normal approximation with scipy's tie correction (and, as scipy by default, no continuity
 * correction) beyond.
 */
import { normCdf } from '../model/normal.js'

/** Which way the differences are tested: 'greater' asks whether they tend to be positive. */
export type Alternative = 'greater' | 'less' | 'two-sided'

export interface SignedRankResult {
  /** T+ (the positive ranks' sum, plus half the zeros'); for 'two-sided' min(T+, T-), as scipy. */
  readonly statistic: number
  readonly pvalue: number
  /** Whether the p-value comes from the exact distribution (else the normal approximation). */
  readonly exact: boolean
}

/** Up to this many differences the p-value is exact. */
export const EXACT_LIMIT = 50

/**
 * Average ranks (1-based) of `values`, ties sharing the mean of their positions, as
 * scipy.stats.rankdata.
 * @example averageRanks([10, 20, 10]) // Float64Array [1.5, 3, 1.5]
 */
export function averageRanks(values: ArrayLike<number>): Float64Array {
  const n = values.length
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => values[a] - values[b])
  const ranks = new Float64Array(n)
  for (let i = 0; i < n; ) {
    let j = i
    while (j + 1 < n && values[order[j + 1]] === values[order[i]]) j++
    const rank = (i + j) / 2 + 1
    for (let k = i; k <= j; k++) ranks[order[k]] = rank
    i = j + 1
  }
  return ranks
}

/**
 * The signed-rank test of the differences `d` against a median of zero.
 * @example
 * wilcoxonSignedRank([0.5, -0.1, 1.2, 0.8, 2.0], 'greater') // { statistic: 14, pvalue: 0.0625, exact: true }
 */
export function wilcoxonSignedRank(d: ArrayLike<number>, alternative: Alternative = 'two-sided'): SignedRankResult {
  const n = d.length
  if (n === 0) return { statistic: NaN, pvalue: NaN, exact: true }
  const abs = Float64Array.from(d, Math.abs)
  const ranks = averageRanks(abs)
  let rPlus = 0
  let rMinus = 0
  for (let i = 0; i < n; i++) {
    if (d[i] > 0) rPlus += ranks[i]
    else if (d[i] < 0) rMinus += ranks[i]
    else {
      rPlus += ranks[i] / 2
      rMinus += ranks[i] / 2
    }
  }
  const statistic = alternative === 'two-sided' ? Math.min(rPlus, rMinus) : rPlus
  if (n <= EXACT_LIMIT) return { statistic, pvalue: exactPvalue(d, ranks, rPlus, alternative), exact: true }
  return { statistic, pvalue: approxPvalue(ranks, statistic, alternative), exact: false }
}

/** P-value from the distribution of T+ over the 2^m equally likely signs of the m nonzero ranks. */
function exactPvalue(d: ArrayLike<number>, ranks: Float64Array, rPlus: number, alternative: Alternative): number {
  // Doubled ranks are integers (ties average to halves); zeros add a constant half of their rank.
  let constant = 0
  const weights: number[] = []
  for (let i = 0; i < d.length; i++) {
    if (d[i] === 0) constant += ranks[i]
    else weights.push(Math.round(2 * ranks[i]))
  }
  const total = weights.reduce((a, b) => a + b, 0)
  let pmf = new Float64Array(total + 1)
  pmf[0] = 1
  let reach = 0
  for (const w of weights) {
    const next = new Float64Array(total + 1)
    for (let s = 0; s <= reach; s++) {
      const p = pmf[s] * 0.5
      next[s] += p
      next[s + w] += p
    }
    reach += w
    pmf = next
  }
  const observed = Math.round(2 * rPlus - constant)
  let upper = 0
  let lower = 0
  for (let s = 0; s <= total; s++) {
    if (s >= observed) upper += pmf[s]
    if (s <= observed) lower += pmf[s]
  }
  if (alternative === 'greater') return Math.min(1, upper)
  if (alternative === 'less') return Math.min(1, lower)
  return Math.min(1, 2 * Math.min(upper, lower))
}

/** scipy's normal approximation: tie-corrected variance, no continuity correction (scipy's default). */
function approxPvalue(ranks: Float64Array, statistic: number, alternative: Alternative): number {
  const n = ranks.length
  const mean = (n * (n + 1)) / 4
  let variance = n * (n + 1) * (2 * n + 1)
  const sorted = Float64Array.from(ranks).sort()
  for (let i = 0; i < n; ) {
    let j = i
    while (j + 1 < n && sorted[j + 1] === sorted[i]) j++
    const t = j - i + 1
    if (t > 1) variance -= 0.5 * t * (t * t - 1)
    i = j + 1
  }
  const se = Math.sqrt(variance / 24)
  const z = (statistic - mean) / se
  if (alternative === 'greater') return normCdf(-z)
  if (alternative === 'less') return normCdf(z)
  return Math.min(1, 2 * normCdf(-Math.abs(z)))
}
