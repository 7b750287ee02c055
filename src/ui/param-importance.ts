/**
 * Hyperparameter importance of a tuning job, by a simple first-order measure in the spirit of
 * fANOVA: for each parameter, the share of the objective's variance that its value alone
 * explains (the correlation ratio, eta squared). Numeric values are cut into up to 4 bins of
 * equal count; categorical ones group by value. The parameters' ratios are then normalised to
 * sum to 1. With few trials this is a rough guide, as fANOVA's is.
 */

/** One trial as the measure reads it: its parameters and objective. */
export interface ScoredTrial {
  readonly params: Readonly<Record<string, number | string | boolean>>
  readonly value: number
}

/** Parameter name to its share, largest first. */
export type ParamImportance = readonly { readonly param: string; readonly share: number }[]

const BINS = 4

/**
 * The importance of each parameter over `trials` (those with a finite objective).
 * @example paramImportance([{ params: { eta: 0.1 }, value: 3 }, { params: { eta: 0.3 }, value: 1 }]) // [{ param: 'eta', share: 1 }]
 */
export function paramImportance(trials: readonly ScoredTrial[]): ParamImportance {
  const scored = trials.filter((t) => Number.isFinite(t.value))
  if (scored.length < 2) return []
  const names = [...new Set(scored.flatMap((t) => Object.keys(t.params)))].sort()
  const ratios = names.map((param) => ({ param, ratio: correlationRatio(scored, param) }))
  const total = ratios.reduce((s, r) => s + r.ratio, 0)
  return ratios.map(({ param, ratio }) => ({ param, share: total > 0 ? ratio / total : 0 })).sort((a, b) => b.share - a.share || (a.param < b.param ? -1 : 1))
}

/** Between-group over total sum of squares of the objective, grouped by `param`. */
function correlationRatio(trials: readonly ScoredTrial[], param: string): number {
  const groups = new Map<string, number[]>()
  const key = groupKey(trials.map((t) => t.params[param]))
  trials.forEach((t, i) => {
    const k = key[i]
    if (!groups.has(k)) groups.set(k, [])
    groups.get(k)!.push(t.value)
  })
  const mean = trials.reduce((s, t) => s + t.value, 0) / trials.length
  let total = 0
  for (const t of trials) total += (t.value - mean) ** 2
  if (total === 0) return 0
  let between = 0
  for (const values of groups.values()) {
    const m = values.reduce((s, v) => s + v, 0) / values.length
    between += values.length * (m - mean) ** 2
  }
  return between / total
}

/** Each value's group: its equal-count bin when every value is a number, else the value itself. */
function groupKey(values: readonly (number | string | boolean | undefined)[]): string[] {
  if (!values.every((v) => typeof v === 'number')) return values.map((v) => String(v))
  const nums = values as number[]
  const distinct = [...new Set(nums)].sort((a, b) => a - b)
  if (distinct.length <= BINS) return nums.map(String)
  const sorted = [...nums].sort((a, b) => a - b)
  const edges = Array.from({ length: BINS - 1 }, (_, b) => sorted[Math.floor(((b + 1) * sorted.length) / BINS)])
  return nums.map((v) => String(edges.filter((e) => v >= e).length))
}
