import { learnerConformanceSuite } from '../testing/conformance.js'
import { extraTreesLearner, randomForestLearner } from './spec.js'

learnerConformanceSuite(randomForestLearner, { params: { n_estimators: 10 }, seedParam: 'random_state' })
learnerConformanceSuite(extraTreesLearner, { params: { n_estimators: 10 }, seedParam: 'random_state' })
