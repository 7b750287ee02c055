/**
 * A spec's members as fit plans: shared hyperparameters bound, every parameter validated by its
 * learner's schema. Inside a job the job owns the threads (`--workers`, `--threads`: fits side by
 * side on one thread each, or one after another on every core), so a member that sets its
 * learner's thread parameter is refused rather than silently overridden.
 */
import type { MemberPlan } from '../ensemble/oof.js'
import { ParamError } from '../errors.js'
import { getLearner, parseLearnerParams } from '../learners/index.js'
import { bindMembers, type BindableSpec } from './spec/index.js'

/**
 * One plan per member of `spec`, in spec order.
 * @throws ParamError naming the field of an unknown learner or parameter, a value out of bounds, or a thread parameter.
 * @example memberPlans(spec) // [{ name: 'xgb', learner: gbdtLearner, params: { eta: 0.3, ... } }, ...]
 */
export function memberPlans(spec: BindableSpec): MemberPlan[] {
  const bound = bindMembers(spec)
  return Object.entries(spec.members).map(([name, m]) => {
    const learner = getLearner(m.learner, `members.${name}.learner`)
    const raw = bound[name]
    const threadParam = learner.threadParam
    if (threadParam !== undefined) {
      for (const key of Object.keys(raw.params)) {
        const canonical = Object.prototype.hasOwnProperty.call(learner.aliases, key) ? learner.aliases[key] : key
        if (canonical !== threadParam) continue
        const field = raw.shared.includes(key) ? `hyperparameters.${key}` : `members.${name}.params.${key}`
        throw new ParamError(`'${key}' sets ${learner.kind}'s threads, which belong to the job: use --workers (fits side by side) or --threads (threads of each fit) instead`, { field })
      }
    }
    return { name, learner, params: parseLearnerParams(learner, raw.params, `members.${name}.params`) }
  })
}
