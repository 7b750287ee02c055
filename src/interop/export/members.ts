/**
 * Each member kind's prediction as graph nodes, on the response scale consort's members predict
 * on: margins from trees, oblivious trees or a linear model, then the output link (sigmoid,
 * softmax over classes, exp); a bag of fold models is the mean of its models. A kind the graph
 * cannot express is refused by the caller, naming the member.
 */
import { BaggedModel } from '../../runtime/models/bagged.js'
import { ForestModel } from '../../runtime/models/forest.js'
import { GbdtModel } from '../../runtime/models/gbdt.js'
import { LinearModel } from '../../runtime/models/linear.js'
import { ObliviousModel } from '../../runtime/models/oblivious.js'
import type { Model } from '../../runtime/models/types.js'
import type { Link } from '../../runtime/link.js'
import type { Columns } from './columns.js'
import type { GraphBuilder } from './graph.js'
import { linearMargins } from './linear.js'
import { obliviousMargins } from './oblivious.js'
import { treeMargins } from './trees.js'

/** The model kinds the ONNX export expresses. */
export const EXPORTABLE_KINDS = ['gbdt', 'random_forest', 'extra_trees', 'oblivious', 'linear', 'bag'] as const

/**
 * The predictions [N, nOutputs] of `model` reading `columns`, or null when the graph cannot
 * express its kind (a bag is refused when one of its models is).
 * @example const p = memberPrediction(g, model, columns)
 */
export function memberPrediction(g: GraphBuilder, model: Model, columns: Columns): string | null {
  if (model instanceof GbdtModel) return applyLink(g, model.link, treeMargins(g, model.ensemble, model.featureNames, columns))
  if (model instanceof ForestModel) return treeMargins(g, model.ensemble, model.featureNames, columns)
  if (model instanceof ObliviousModel) return applyLink(g, model.link, obliviousMargins(g, model.ensemble, columns))
  if (model instanceof LinearModel) return applyLink(g, model.predictor.link, linearMargins(g, model.predictor, columns))
  if (model instanceof BaggedModel) {
    const parts = model.models.map((m) => memberPrediction(g, m, columns))
    if (parts.some((p) => p === null)) return null
    return g.op('Div', [g.sum(parts as string[]), g.doubles([model.models.length], [1])])
  }
  return null
}

/**
 * `link` applied to margins [N, K]: softmax runs over each row's classes.
 * @example const p = applyLink(g, 'sigmoid', margins)
 */
export function applyLink(g: GraphBuilder, link: Link, margins: string): string {
  switch (link) {
    case 'identity':
      return margins
    case 'sigmoid':
      return g.op('Sigmoid', [margins])
    case 'exp':
      return g.op('Exp', [margins])
    case 'softmax':
      return g.op('Softmax', [margins], { axis: 1 })
  }
}
