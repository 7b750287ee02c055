import { learnerConformanceSuite } from '../testing/conformance.js'
import { gbdtLearner } from './spec.js'

learnerConformanceSuite(gbdtLearner, { params: { num_round: 10, max_depth: 3 }, seedParam: 'seed', randomParams: { subsample: 0.7, colsample_bynode: 0.5 } })
