/**
 * Rebuilding any fitted blend from its state, by kind: the built-in blends (mean, weighted,
 * stack, vote) and any kind a blender registered in code. Serving uses this and never the
 * blenders' fitting code.
 */
import { BundleError } from '../../errors.js'
import { closestName } from '../../text/closest.js'
import { MeanBlend } from './mean.js'
import { StackBlend } from './stack.js'
import type { BlendModel, BlendState } from './types.js'
import { VoteBlend } from './vote.js'
import { WeightedBlend } from './weighted.js'

/**
 * Rebuilds a blend of one kind from its state.
 * @example const load: BlendLoader = (state) => MyBlend.fromState(state)
 */
export type BlendLoader = (state: BlendState) => BlendModel

const loaders = new Map<string, BlendLoader>([
  ['mean', (s) => MeanBlend.fromState(s)],
  ['weighted', (s) => WeightedBlend.fromState(s)],
  ['stack', (s) => StackBlend.fromState(s)],
  ['vote', (s) => VoteBlend.fromState(s)],
])

/**
 * Teaches the registry a new blend kind (a blender registered in code does this); the kind must be new.
 * @example registerBlendKind('median', (state) => MedianBlend.fromState(state))
 */
export function registerBlendKind(kind: string, load: BlendLoader): void {
  if (loaders.has(kind)) throw new Error(`blend kind '${kind}' is already registered`)
  loaders.set(kind, load)
}

/**
 * Every blend kind the registry rebuilds, built-in ones first.
 * @example blendKinds() // ['mean', 'weighted', 'stack', 'vote']
 */
export function blendKinds(): string[] {
  return [...loaders.keys()]
}

/**
 * Rebuilds a fitted blend from its state with the loader its `kind` names. An unknown kind, or a
 * state its loader refuses, is a BundleError.
 * @example const again = blenderFromState(structuredClone(model.toState()))
 */
export function blenderFromState(state: BlendState): BlendModel {
  const kind = typeof state === 'object' && state !== null ? (state as { kind?: unknown }).kind : undefined
  if (typeof kind !== 'string') throw new BundleError('a blend state needs a kind', { field: 'blender' })
  const load = loaders.get(kind)
  if (load === undefined) {
    const hint = closestName(kind, [...loaders.keys()])
    throw new BundleError(`unknown blend kind '${kind}'${hint ? `; did you mean '${hint}'?` : ''} (known: ${[...loaders.keys()].join(', ')})`, { field: 'blender' })
  }
  return load(state)
}
