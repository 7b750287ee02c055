import { learnerConformanceSuite } from '../testing/conformance.js'
import { linearLearner } from './spec.js'

learnerConformanceSuite(linearLearner)
