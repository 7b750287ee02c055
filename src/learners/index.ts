/**
 * The built-in learners, registered on first import. Import learners from here so the registry
 * is complete.
 */
import { gbdtLearner } from './gbdt/spec.js'
import { learnerKinds, registerLearner } from './registry.js'

if (!learnerKinds().includes(gbdtLearner.kind)) registerLearner(gbdtLearner)

export { getLearner, learnerKinds, modelFromState, parseLearnerParams, registerLearner } from './registry.js'
export type { EvalSet, FitContext, LearnerSpec, Model, ModelState, Task, TrainingData } from './types.js'
