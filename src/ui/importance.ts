/**
 * Feature importance of a fitted member, read from its saved state (nothing is recomputed from
 * data): shares that sum to 1 over the features the member uses.
 * - `gbdt`: total gain of the splits on each feature (XGBoost's `total_gain`).
 * - `random_forest`, `extra_trees`, `oblivious`: number of splits on each feature (XGBoost's
 *   `weight`; these states keep no gains). An oblivious split on a combination of categorical
 *   features counts for its first one.
 * - `linear`: absolute coefficient on the standardised input, summed over one-hot columns and outputs.
 * - `bag` (fold models): the mean of its models' shares.
 */
import { decodeTreeEnsemble } from '../runtime/codec.js'
import type { LinearInput } from '../runtime/linear.js'
import type { GbdtState } from '../runtime/models/gbdt.js'
import { decodeOblivious } from '../runtime/oblivious-codec.js'

/** How a member's importance was measured (see the file comment). */
export type ImportanceMeasure = 'total_gain' | 'split_count' | 'abs_coefficient' | 'mean_of_bag'

/** Feature name to share (summing to 1), largest first, and how it was measured. */
export interface FeatureImportance {
  readonly measure: ImportanceMeasure
  readonly values: readonly { readonly feature: string; readonly share: number }[]
}

type State = { readonly kind: string } & Record<string, unknown>

/**
 * The feature importance of a member state, or null for a kind that has none.
 * @example featureImportance(bundle.members[0].state)?.values[0] // { feature: 'bmi', share: 0.31 }
 */
export function featureImportance(state: State): FeatureImportance | null {
  const raw = rawImportance(state)
  return raw === null ? null : { measure: raw.measure, values: shares(raw.values) }
}

function rawImportance(state: State): { measure: ImportanceMeasure; values: Map<string, number> } | null {
  switch (state.kind) {
    case 'gbdt': {
      const s = state as unknown as GbdtState
      return { measure: 'total_gain', values: new Map(s.featureNames.map((name, f) => [name, s.totalGain[f]])) }
    }
    case 'random_forest':
    case 'extra_trees': {
      const names = state.featureNames as readonly string[]
      const trees = decodeTreeEnsemble(state.trees as Uint8Array)
      const counts = new Map<string, number>()
      for (let n = 0; n < trees.left.length; n++) if (trees.left[n] >= 0) add(counts, names[trees.feature[n]], 1)
      return { measure: 'split_count', values: counts }
    }
    case 'oblivious': {
      const e = decodeOblivious(state.ensemble as Uint8Array)
      const counts = new Map<string, number>()
      for (const f of e.splitFeature) add(counts, e.inputs[e.featureInput[f]].name, 1)
      return { measure: 'split_count', values: counts }
    }
    case 'linear': {
      const inputs = state.inputs as readonly LinearInput[]
      const coef = state.coef as Float64Array
      const width = inputs.reduce((w, i) => w + (i.type === 'numeric' ? 1 : i.categories.length), 0)
      const values = new Map<string, number>()
      let offset = 0
      for (const input of inputs) {
        const span = input.type === 'numeric' ? 1 : input.categories.length
        for (let k = 0; k * width < coef.length; k++) for (let j = 0; j < span; j++) add(values, input.name, Math.abs(coef[k * width + offset + j]))
        offset += span
      }
      return { measure: 'abs_coefficient', values }
    }
    case 'bag': {
      const values = new Map<string, number>()
      const models = state.models as readonly State[]
      for (const m of models) for (const { feature, share } of featureImportance(m)?.values ?? []) add(values, feature, share / models.length)
      return { measure: 'mean_of_bag', values }
    }
    default:
      return null
  }
}

function add(map: Map<string, number>, key: string, v: number): void {
  map.set(key, (map.get(key) ?? 0) + v)
}

function shares(values: Map<string, number>): { feature: string; share: number }[] {
  let total = 0
  for (const v of values.values()) total += v
  return [...values]
    .filter(([, v]) => v > 0)
    .map(([feature, v]) => ({ feature, share: v / total }))
    .sort((a, b) => b.share - a.share || (a.feature < b.feature ? -1 : 1))
}
