/**
 * The learner registry: built-in families and any a user registers, found by kind. Every entry
 * runs the same conformance suite. Registering a learner also teaches the runtime's model
 * registry to rebuild its models, so bundles holding them load.
 */
import { ParamError } from '../errors.js'
import { modelKinds, registerModelKind } from '../runtime/models/registry.js'
import { closestName } from '../text/closest.js'
import { parseParams } from './params.js'
import type { LearnerSpec } from './types.js'

const learners = new Map<string, LearnerSpec>()

/**
 * Adds a learner family; its kind must be new.
 * @example registerLearner(myLearnerSpec)
 */
export function registerLearner(spec: LearnerSpec): void {
  if (learners.has(spec.kind)) throw new Error(`learner '${spec.kind}' is already registered`)
  learners.set(spec.kind, spec)
  // The built-in learners' models are the runtime's own; a new kind brings its loader.
  if (!modelKinds().includes(spec.kind)) registerModelKind(spec.kind, (state) => spec.fromState(state))
}

/** The learner of `kind`; an unknown kind is a ParamError naming the closest known one. */
export function getLearner(kind: string, field = 'learner'): LearnerSpec {
  const spec = learners.get(kind)
  if (spec) return spec
  const hint = closestName(kind, [...learners.keys()])
  throw new ParamError(`unknown learner '${kind}'${hint ? `; did you mean '${hint}'?` : ''} (known: ${[...learners.keys()].join(', ')})`, { field })
}

/** Kinds of every registered learner, in registration order. */
export function learnerKinds(): string[] {
  return [...learners.keys()]
}

/** Validates raw parameters for `spec` (aliases folded, defaults applied, unknown names rejected). */
export function parseLearnerParams(spec: LearnerSpec, raw: Readonly<Record<string, unknown>>, where = 'params'): Record<string, unknown> {
  return parseParams(spec.params, spec.aliases, raw, where, spec.requires) as Record<string, unknown>
}

