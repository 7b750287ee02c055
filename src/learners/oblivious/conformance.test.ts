import { learnerConformanceSuite } from '../testing/conformance.js'
import { obliviousLearner } from './spec.js'

learnerConformanceSuite(obliviousLearner, {
  params: { iterations: 30, depth: 4, learning_rate: 0.2 },
  seedParam: 'random_seed',
  randomParams: { bagging_temperature: 1, rsm: 0.7 },
})
