/**
 * Rebuilding any fitted model from its state, by kind: the built-in models (gbdt, oblivious, the
 * forests, linear, bags of fold models, tree ensembles imported from other formats) and any kind a learner registered in code. This is what
 * serving uses, so it knows the models' prediction halves only, never their training code.
 */
import { BundleError } from '../../errors.js'
import { closestName } from '../../text/closest.js'
import { BaggedModel, type BaggedState } from './bagged.js'
import { ForestModel, type ForestState } from './forest.js'
import { GbdtModel, type GbdtState } from './gbdt.js'
import { ImportedTreesModel, type ImportedTreesState } from './imported-trees.js'
import { LinearModel, type LinearState } from './linear.js'
import { ObliviousModel, type ObliviousState } from './oblivious.js'
import type { Model, ModelState } from './types.js'

/**
 * Rebuilds a model of one kind from its state.
 * @example const load: ModelLoader = (state) => MyModel.fromState(state as MyState)
 */
export type ModelLoader = (state: ModelState) => Model

const loaders = new Map<string, ModelLoader>([
  ['gbdt', (s) => GbdtModel.fromState(s as GbdtState)],
  ['oblivious', (s) => ObliviousModel.fromState(s as ObliviousState)],
  ['random_forest', (s) => ForestModel.fromState(s as ForestState)],
  ['extra_trees', (s) => ForestModel.fromState(s as ForestState)],
  ['linear', (s) => LinearModel.fromState(s as LinearState)],
  ['bag', (s) => BaggedModel.fromState(s as BaggedState, modelFromState)],
  ['imported_trees', (s) => ImportedTreesModel.fromState(s as ImportedTreesState)],
])

/**
 * Teaches the registry a new model kind (a learner registered in code does this for its models);
 * the kind must be new.
 * @example registerModelKind('knn', (state) => KnnModel.fromState(state as KnnState))
 */
export function registerModelKind(kind: string, load: ModelLoader): void {
  if (loaders.has(kind)) throw new Error(`model kind '${kind}' is already registered`)
  loaders.set(kind, load)
}

/**
 * Every model kind the registry rebuilds, built-in ones first.
 * @example modelKinds() // ['gbdt', 'oblivious', 'random_forest', 'extra_trees', 'linear', 'bag', 'imported_trees']
 */
export function modelKinds(): string[] {
  return [...loaders.keys()]
}

/**
 * Rebuilds a model from its state with the loader its `kind` names. An unknown kind, or a state
 * its loader refuses, is a BundleError.
 * @example const model = modelFromState(bundle.members[0].state)
 */
export function modelFromState(state: ModelState): Model {
  const kind = typeof state === 'object' && state !== null ? (state as { kind?: unknown }).kind : undefined
  if (typeof kind !== 'string') throw new BundleError('a model state needs a kind', { field: 'kind' })
  const load = loaders.get(kind)
  if (load === undefined) {
    const hint = closestName(kind, [...loaders.keys()])
    throw new BundleError(
      `unknown model kind '${kind}'${hint ? `; did you mean '${hint}'?` : ''} (known: ${[...loaders.keys()].join(', ')}); a learner registered in code must be registered before its models load`,
      { field: 'kind' },
    )
  }
  return load(state)
}
