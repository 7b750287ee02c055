/**
 * The blender registry: built-in blenders and any a user registers, found by kind. Options are
 * validated by each blender's zod schema; unknown kinds and option names get the closest valid one.
 * Registering a blender also teaches the runtime's blend registry to rebuild its fitted blends.
 */
import { ParamError } from '../../errors.js'
import { parseParams } from '../../learners/params.js'
import { blendKinds, registerBlendKind } from '../../runtime/blend/registry.js'
import { closestName } from '../../text/closest.js'
import type { Blender, BlenderSpec } from './types.js'

const blenders = new Map<string, BlenderSpec>()

/**
 * Adds a blender family; its kind must be new.
 * @example registerBlender(myBlenderSpec)
 */
export function registerBlender(spec: BlenderSpec): void {
  if (blenders.has(spec.kind)) throw new Error(`blender '${spec.kind}' is already registered`)
  blenders.set(spec.kind, spec)
  // The built-in blends are the runtime's own; a new kind brings its loader.
  if (!blendKinds().includes(spec.kind)) registerBlendKind(spec.kind, (state) => spec.fromState(state))
}

/**
 * The blender family of `kind`; an unknown kind is a ParamError naming the closest known one.
 * @example getBlenderSpec('weighted').options // the zod schema of its options
 */
export function getBlenderSpec(kind: string, field = 'blend.method'): BlenderSpec {
  const spec = blenders.get(kind)
  if (spec) return spec
  const hint = closestName(kind, [...blenders.keys()])
  throw new ParamError(`unknown blender '${kind}'${hint ? `; did you mean '${hint}'?` : ''} (known: ${[...blenders.keys()].join(', ')})`, { field })
}

/**
 * An unfitted blender of `kind` with `options` validated (defaults applied, unknown names rejected).
 * @example
 * const blender = getBlender('weighted', { weights: 'caruana' })
 * const model = await blender.fit(oof, y, { task: 'regression', nClasses: 1, metric: 'rmse' })
 */
export function getBlender(kind: string, options: Readonly<Record<string, unknown>> = {}, field = 'blend'): Blender {
  const spec = getBlenderSpec(kind, `${field}.method`)
  return spec.create(parseParams(spec.options, {}, options, field))
}

/**
 * Kinds of every registered blender, in registration order.
 * @example blenderKinds() // ['mean', 'weighted', 'stack', 'vote']
 */
export function blenderKinds(): string[] {
  return [...blenders.keys()]
}
