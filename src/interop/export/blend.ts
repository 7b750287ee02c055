/**
 * The fitted blends as graph arithmetic over the members' predictions [N, K]: mean and weighted
 * as weighted sums, stack as its meta-model reading the members' predictions (and the features it
 * passes through), vote as the mean (soft) or a majority of one-hot labels (hard, ties to the
 * lowest class, as consort's vote).
 */
import { MeanBlend } from '../../runtime/blend/mean.js'
import { metaName, StackBlend } from '../../runtime/blend/stack.js'
import type { BlendModel } from '../../runtime/blend/types.js'
import { VoteBlend } from '../../runtime/blend/vote.js'
import { WeightedBlend } from '../../runtime/blend/weighted.js'
import { type Columns, namedColumns, type NamedColumn } from './columns.js'
import type { GraphBuilder } from './graph.js'
import { memberPrediction } from './members.js'

/** Why a blend could not be expressed, for the caller's error. */
export class BlendNotExportable extends Error {}

/**
 * The blend of `preds` (one [N, K] tensor per member), reading passed-through features from `features`.
 * @example const out = blendPrediction(g, blend, preds, columns)
 */
export function blendPrediction(g: GraphBuilder, blend: BlendModel, preds: readonly string[], features: Columns): string {
  if (blend instanceof MeanBlend) return weightedSum(g, preds, preds.map(() => 1 / preds.length))
  if (blend instanceof WeightedBlend) return weightedSum(g, preds, blend.weights)
  if (blend instanceof VoteBlend) return blend.voting === 'soft' ? weightedSum(g, preds, preds.map(() => 1 / preds.length)) : hardVote(g, preds, blend.nClasses)
  if (blend instanceof StackBlend) {
    const width = blend.nOutputs
    const cols: NamedColumn[] = preds.flatMap((p, m) => Array.from({ length: width }, (_, c) => ({ name: metaName(m, c, width), tensor: p, column: c })))
    for (const name of blend.passthrough) {
      const { tensor, index } = features.matrix([name])
      const categories = features.categories(name)
      cols.push({ name, tensor, column: index[0], ...(categories === undefined ? {} : { categories }) })
    }
    const out = memberPrediction(g, blend.meta, namedColumns(g, cols))
    if (out === null) throw new BlendNotExportable(`its meta-model is a '${blend.meta.kind}' model, which the ONNX export cannot express`)
    return out
  }
  throw new BlendNotExportable(`the ONNX export cannot express a '${blend.kind}' blend`)
}

/** sum_m w[m] * preds[m], members of weight 0 left out as consort's `combine` leaves them. */
function weightedSum(g: GraphBuilder, preds: readonly string[], weights: readonly number[]): string {
  const terms = preds.flatMap((p, m) => (weights[m] === 0 ? [] : [g.op('Mul', [p, g.doubles([weights[m]], [1], 'weight')])]))
  return terms.length === 0 ? g.op('Mul', [preds[0], g.doubles([0], [1])]) : g.sum(terms)
}

/** Majority vote: binary 1 when more members say P(class 1) > 0.5 than not; multiclass one-hot of the most voted class. */
function hardVote(g: GraphBuilder, preds: readonly string[], nClasses: number): string {
  if (nClasses === 2 && preds.length > 0) {
    const ones = g.sum(preds.map((p) => g.op('Cast', [g.op('Greater', [p, g.doubles([0.5], [1])])], { to: 11 })))
    return g.op('Cast', [g.op('Greater', [ones, g.doubles([preds.length / 2], [1])])], { to: 11 })
  }
  const classes = g.int64s(Array.from({ length: nClasses }, (_, c) => c), [1, nClasses], 'classes')
  const oneHot = (p: string): string => g.op('Cast', [g.op('Equal', [g.op('ArgMax', [p], { axis: 1, keepdims: 1 }), classes])], { to: 11 })
  return oneHot(g.sum(preds.map(oneHot)))
}
