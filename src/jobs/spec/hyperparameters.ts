/**
 * Shared hyperparameters: `hyperparameters: { eta: 0.3, max_depth: 5 }` binds each value to every
 * member whose learner knows the name, canonically or as an alias (`eta` is gbdt's `eta` and
 * oblivious's alias of `learning_rate`). A member's own params win over shared values.
 */
import { ParamError } from '../../errors.js'
import { getLearner, type LearnerSpec } from '../../learners/index.js'
import { closestName } from '../../text/closest.js'
import type { HyperValue, MemberSpec } from './types.js'

/** What the binder needs of a spec; a {@link MembersSpec} fits. */
export interface BindableSpec {
  members: Readonly<Record<string, MemberSpec>>
  hyperparameters: Readonly<Record<string, HyperValue>>
}

/** A member's effective raw params and which of them came from shared hyperparameters. */
export interface BoundMember {
  params: Record<string, unknown>
  /** Names taken from `hyperparameters:` (each is also a key of `params`). */
  shared: string[]
}

/**
 * Each member's effective raw params: its own params plus every shared value its learner accepts
 * and it does not set itself (under any alias). Raw means as written: validate with
 * `parseLearnerParams`. A shared name that no member accepts is a ParamError at
 * `hyperparameters.<name>` suggesting the closest parameter any member knows.
 * @example
 * bindHyperparameters({
 *   members: { xgb: { learner: 'gbdt', params: { eta: 0.1 } }, cat: { learner: 'oblivious', params: {} } },
 *   hyperparameters: { eta: 0.3, max_depth: 4 },
 * })
 * // { xgb: { eta: 0.1, max_depth: 4 }, cat: { eta: 0.3, max_depth: 4 } }
 */
export function bindHyperparameters(spec: BindableSpec): Record<string, Record<string, unknown>> {
  const bound = bindMembers(spec)
  return Object.fromEntries(Object.entries(bound).map(([name, member]) => [name, member.params]))
}

/** {@link bindHyperparameters} with the origin of each value, for error messages. */
export function bindMembers(spec: BindableSpec): Record<string, BoundMember> {
  const learners = new Map<string, LearnerSpec>()
  for (const [name, member] of Object.entries(spec.members)) learners.set(name, getLearner(member.learner, `members.${name}.learner`))
  const result: Record<string, BoundMember> = {}
  for (const [name, member] of Object.entries(spec.members)) result[name] = { params: { ...member.params }, shared: [] }
  for (const [key, value] of Object.entries(spec.hyperparameters)) {
    let accepted = false
    for (const [name, member] of Object.entries(spec.members)) {
      const learner = learners.get(name)!
      const target = canonical(learner, key)
      if (target === undefined) continue
      accepted = true
      const ownSetting = Object.keys(member.params).some((own) => canonical(learner, own) === target)
      if (ownSetting) continue
      Object.defineProperty(result[name].params, key, { value, writable: true, enumerable: true, configurable: true })
      result[name].shared.push(key)
    }
    if (!accepted) {
      const known = new Set<string>()
      for (const learner of learners.values()) for (const n of [...Object.keys(learner.params.shape), ...Object.keys(learner.aliases)]) known.add(n)
      const hint = closestName(key, known)
      throw new ParamError(`unknown shared hyperparameter '${key}': no member takes it${hint ? `; did you mean '${hint}'?` : ''}`, {
        field: `hyperparameters.${key}`,
      })
    }
  }
  return result
}

/** The canonical parameter `key` names for `learner`, or undefined when it knows no such name. */
function canonical(learner: LearnerSpec, key: string): string | undefined {
  if (Object.prototype.hasOwnProperty.call(learner.aliases, key)) return learner.aliases[key]
  return Object.prototype.hasOwnProperty.call(learner.params.shape, key) ? key : undefined
}
