/**
 * The built-in learners, registered on first import. Import learners from here so the registry
 * is complete.
 */
import { extraTreesLearner, randomForestLearner } from './forest/spec.js'
import { gbdtLearner } from './gbdt/spec.js'
import { linearLearner } from './linear/spec.js'
import { obliviousLearner } from './oblivious/spec.js'
import { learnerKinds, registerLearner } from './registry.js'
import type { LearnerSpec } from './types.js'

const BUILT_IN: readonly LearnerSpec[] = [gbdtLearner, obliviousLearner, randomForestLearner, extraTreesLearner, linearLearner] as LearnerSpec[]
for (const spec of BUILT_IN) if (!learnerKinds().includes(spec.kind)) registerLearner(spec)

/**
 * Whether `spec` is one of the built-in learners, which every worker thread knows; a learner a
 * user registers exists only in the thread that registered it.
 * @example isBuiltInLearner(getLearner('gbdt')) // true
 */
export function isBuiltInLearner(spec: LearnerSpec): boolean {
  return BUILT_IN.includes(spec)
}

export { getLearner, learnerKinds, parseLearnerParams, registerLearner } from './registry.js'
export { modelFromState } from '../runtime/models/registry.js'
export type { EvalSet, FitContext, LearnerSpec, Model, ModelState, Task, TrainingData } from './types.js'
