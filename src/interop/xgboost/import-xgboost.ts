/**
 * An XGBoost model saved as JSON (`save_model('m.json')`, XGBoost 1.x and 2.x) as a `gbdt` model:
 * the trees laid out for the shared tree predictor, so it serves, blends and saves like a trained
 * one. XGBoost predicts in float32; leaf values and base margins are kept as the float32 values it
 * sums, and thresholds become float64 bounds that sort float64 inputs as XGBoost's float32 cast
 * does. What the predictor cannot represent (categorical splits, multi-target trees, linear
 * boosters, unknown objectives) is refused with the file and the field.
 */
import { DataError } from '../../errors.js'
import { GbdtModel } from '../../runtime/models/gbdt.js'
import { TreeBuilder } from '../tree-builder.js'
import { float32Threshold } from './float32-threshold.js'
import { JsonReader } from './json-reader.js'
import { XGBOOST_OBJECTIVES, xgboostObjective } from './objectives.js'

/** Where the model came from and what it cannot say itself. */
export interface XgboostImportOptions {
  /** The model's file, named in errors. */
  readonly file: string
  /** Feature names, in column order, for a model saved without them; must match the model's own when it has them. */
  readonly featureNames?: readonly string[]
}

/**
 * Parses XGBoost JSON text into a gbdt model. Malformed JSON is a DataError; a model that cannot
 * be represented is a BundleError naming the field.
 * @example const model = importXgboostText(await readFile('m.json', 'utf8'), { file: 'm.json' })
 */
export function importXgboostText(text: string, options: XgboostImportOptions): GbdtModel {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (e) {
    throw new DataError(`not valid JSON: ${(e as Error).message}`, { file: options.file })
  }
  return importXgboost(json, options)
}

/**
 * Converts a parsed XGBoost JSON model into a gbdt model.
 * @example const model = importXgboost(JSON.parse(text), { file: 'm.json', featureNames: ['age', 'bmi'] })
 */
export function importXgboost(json: unknown, options: XgboostImportOptions): GbdtModel {
  const root = new JsonReader(json, options.file)
  const version = root.has('version') ? root.at('version').numbers(3).join('.') : 'unknown'
  const learner = root.at('learner')
  const param = learner.at('learner_model_param')
  const nFeatures = param.at('num_feature').count()
  const nClass = param.has('num_class') ? param.at('num_class').count() : 0
  if (param.has('num_target') && param.at('num_target').count() > 1) throw param.error('multi-target models do not import: a gbdt member predicts one target', 'num_target')
  const nOutputs = Math.max(1, nClass)

  const objectiveField = learner.at('objective').at('name')
  const objective = objectiveField.string()
  const info = xgboostObjective(objective)
  if (info === undefined) throw objectiveField.error(`objective '${objective}' does not import (supported: ${Object.keys(XGBOOST_OBJECTIVES).join(', ')})`)
  if ((info.link === 'softmax') !== nClass > 1) throw param.error(`num_class ${nClass} does not fit objective '${objective}'`, 'num_class')

  const baseMargin = baseMargins(param.at('base_score'), nOutputs, info.baseMargin, objective)
  const featureNames = namesOf(learner, nFeatures, options)
  const booster = boosterOf(learner.at('gradient_booster'), nOutputs)
  const bestIteration = bestIterationOf(learner, booster.rounds.length - 1)
  const nTrees = booster.rounds[bestIteration + 1] ?? booster.trees.length
  const ensemble = layOut(booster, nTrees, nFeatures, nOutputs, baseMargin)
  return new GbdtModel(
    ensemble.trees,
    featureNames,
    objective,
    info.link,
    { source: 'xgboost', xgboost_version: version, booster: booster.name },
    bestIteration,
    ensemble.splitCount,
    ensemble.totalGain,
  )
}

/** `base_score` as margins: "5E-1" (1.x, 2.0, 2.1) or "[5E-1]" (a value per target, later 2.x). */
function baseMargins(field: JsonReader, nOutputs: number, toMargin: (b: number) => number, objective: string): Float64Array {
  const text = field.string().trim()
  const inner = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text
  const values = inner.split(',').map((s) => (s.trim() === '' ? NaN : Number(s)))
  if (values.some((v) => !Number.isFinite(v))) throw field.error(`expected a number or a list of numbers, got ${JSON.stringify(text)}`)
  if (values.length !== 1 && values.length !== nOutputs) throw field.error(`${values.length} base scores for ${nOutputs} outputs`)
  return Float64Array.from({ length: nOutputs }, (_, k) => {
    const margin = toMargin(Math.fround(values[values.length === 1 ? 0 : k]))
    if (Number.isNaN(margin)) throw field.error(`base score ${values[k] ?? values[0]} is out of range for objective '${objective}'`)
    return margin
  })
}

function namesOf(learner: JsonReader, nFeatures: number, options: XgboostImportOptions): string[] {
  const field = learner.has('feature_names') ? learner.at('feature_names') : undefined
  const own = field ? field.array().map((n) => n.string()) : []
  const given = options.featureNames
  if (own.length > 0) {
    if (own.length !== nFeatures) throw field!.error(`${own.length} feature names for ${nFeatures} features`)
    if (given !== undefined && (given.length !== own.length || given.some((n, i) => n !== own[i]))) {
      throw new DataError(`the features given (${given.join(', ')}) differ from the model's own (${own.join(', ')}); give none, or the same`, { file: options.file, field: 'learner.feature_names' })
    }
    return own
  }
  if (given === undefined) throw new DataError(`the model has no feature names: give its ${nFeatures} feature names, in column order`, { file: options.file, field: 'learner.feature_names' })
  if (given.length !== nFeatures) throw new DataError(`${given.length} feature names given for the model's ${nFeatures} features`, { file: options.file, field: 'learner.feature_names' })
  if (new Set(given).size !== given.length) throw new DataError(`feature names repeat: ${given.join(', ')}`, { file: options.file, field: 'learner.feature_names' })
  return [...given]
}

interface Booster {
  readonly name: string
  readonly trees: JsonReader[]
  readonly treeInfo: number[]
  /** Index of the first tree of each round, plus the tree count. */
  readonly rounds: number[]
  /** Dart's per-tree weights, 1 for gbtree. */
  readonly weights: number[]
}

function boosterOf(gb: JsonReader, nGroups: number): Booster {
  const nameField = gb.at('name')
  const name = nameField.string()
  if (name !== 'gbtree' && name !== 'dart') throw nameField.error(`booster '${name}' does not import: only tree boosters (gbtree, dart) do`)
  const model = name === 'dart' ? gb.at('gbtree').at('model') : gb.at('model')
  const trees = model.at('trees').array()
  const treeInfo = model.at('tree_info').numbers(trees.length)
  const modelParam = model.at('gbtree_model_param')
  const parallel = modelParam.has('num_parallel_tree') ? Math.max(1, modelParam.at('num_parallel_tree').count()) : 1
  let rounds: number[]
  if (model.has('iteration_indptr')) {
    const indptr = model.at('iteration_indptr')
    rounds = indptr.array().map((v) => v.count())
    if (rounds[0] !== 0 || rounds[rounds.length - 1] !== trees.length || rounds.some((r, i) => i > 0 && r < rounds[i - 1])) throw indptr.error('does not split the trees into rounds')
  } else {
    const perRound = parallel * nGroups
    if (trees.length % perRound !== 0) throw model.error(`${trees.length} trees are not whole rounds of ${perRound}`, 'trees')
    rounds = Array.from({ length: trees.length / perRound + 1 }, (_, i) => i * perRound)
  }
  const weights = name === 'dart' ? gb.at('weight_drop').numbers(trees.length).map(Math.fround) : trees.map(() => 1)
  return { name, trees, treeInfo, rounds, weights }
}

/** `best_iteration` from the learner's attributes (early stopping writes it), else the last round. */
function bestIterationOf(learner: JsonReader, last: number): number {
  if (!learner.has('attributes') || !learner.at('attributes').has('best_iteration')) return last
  const field = learner.at('attributes').at('best_iteration')
  const best = field.count()
  if (best > last) throw field.error(`best iteration ${best} is past the model's last round ${last}`)
  return best
}

/**
 * The first `nTrees` trees in breadth-first order, each node's children in adjacent slots after
 * it, with the float32 values XGBoost uses, and split counts and gains per feature.
 */
function layOut(booster: Booster, nTrees: number, nFeatures: number, nOutputs: number, baseMargin: Float64Array) {
  const builder = new TreeBuilder()
  const splitCount = new Array<number>(nFeatures).fill(0)
  const totalGain = new Array<number>(nFeatures).fill(0)
  for (let t = 0; t < nTrees; t++) {
    const tree = readTree(booster.trees[t], nFeatures)
    const output = booster.treeInfo[t]
    if (!Number.isInteger(output) || output < 0 || output >= nOutputs) throw booster.trees[t].error(`tree writes output ${output} of ${nOutputs}`)
    builder.startTree(output)
    const weight = booster.weights[t]
    // XGBoost's node ids, in the order they are placed; slot i holds queue[i].
    const queue = [0]
    for (let i = 0; i < queue.length; i++) {
      const n = queue[i]
      const l = tree.left[n]
      if (l === -1) {
        builder.leaf(weight === 1 ? tree.cond[n] : Math.fround(tree.cond[n] * weight))
        continue
      }
      const f = tree.feature[n]
      splitCount[f] += 1
      totalGain[f] += tree.gain[n]
      builder.split(f, float32Threshold(tree.cond[n]), builder.treeNode(queue.length), tree.defaultLeft[n] ? 1 : 0)
      queue.push(l, tree.right[n])
    }
  }
  const trees = builder.build(nFeatures, nOutputs, baseMargin)
  return { trees, splitCount, totalGain }
}

interface RawTree {
  left: number[]
  right: number[]
  feature: number[]
  cond: number[]
  defaultLeft: number[]
  gain: number[]
}

/** One tree's arrays, checked: numerical splits only, single target, children that form a tree. */
function readTree(tree: JsonReader, nFeatures: number): RawTree {
  const treeParam = tree.at('tree_param')
  const nNodes = treeParam.at('num_nodes').count()
  if (treeParam.has('size_leaf_vector') && treeParam.at('size_leaf_vector').count() > 1) {
    throw treeParam.error('multi-target trees (a vector per leaf) do not import', 'size_leaf_vector')
  }
  if (nNodes === 0) throw treeParam.error('tree has no nodes', 'num_nodes')
  const left = tree.at('left_children').numbers(nNodes)
  const right = tree.at('right_children').numbers(nNodes)
  const feature = tree.at('split_indices').numbers(nNodes)
  const cond = tree.at('split_conditions').numbers(nNodes).map(Math.fround)
  const defaultLeft = tree.at('default_left').numbers(nNodes)
  const gain = tree.has('loss_changes') ? tree.at('loss_changes').numbers(nNodes) : new Array<number>(nNodes).fill(0)
  if (tree.has('split_type')) {
    const types = tree.at('split_type')
    const i = types.numbers(nNodes).findIndex((s, n) => s !== 0 && left[n] !== -1)
    if (i >= 0) throw types.error('categorical splits do not import: retrain with numerical features (one-hot or codes)', i)
  }
  // Every node reached once, from the root, through valid ids: a tree, not a graph.
  const seen = new Uint8Array(nNodes)
  const stack = [0]
  seen[0] = 1
  while (stack.length > 0) {
    const n = stack.pop()!
    if (left[n] === -1) continue
    if (feature[n] < 0 || feature[n] >= nFeatures || !Number.isInteger(feature[n])) throw tree.error(`node ${n} splits on feature ${feature[n]} of ${nFeatures}`, 'split_indices')
    for (const c of [left[n], right[n]]) {
      if (!Number.isInteger(c) || c <= 0 || c >= nNodes || seen[c]) throw tree.error(`node ${n} has child ${c}, which is not a node of this tree`, 'left_children')
      seen[c] = 1
      stack.push(c)
    }
  }
  return { left, right, feature, cond, defaultLeft, gain }
}
