/**
 * The `linear` learner: ridge, logistic and softmax regression with scikit-learn's parameter names,
 * standardisation and one-hot encoding built into the model.
 * @example
 * const model = await linearLearner.fit(prepareTrainingData(frame), y, parseParams(linearParams, linearAliases, { C: 0.5 }),
 *   { task: 'binary', nClasses: 2 })
 * const p = model.predict(testFrame) // P(class 1) per row
 */
export { LinearModel, type LinearFitInfo, type LinearState } from '../../runtime/models/linear.js'
export { linearAliases, linearParams, type LinearParams } from './params.js'
export { linearLearner, resolveAlpha } from './spec.js'
