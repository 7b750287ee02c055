import { strategyConformanceSuite } from './testing/conformance.js'

strategyConformanceSuite('Random')
strategyConformanceSuite('Grid', { discrete: true, seeded: false })
strategyConformanceSuite('Bayesian', { beatsRandom: 'function' })
strategyConformanceSuite('Bayesian', { label: 'discrete', discrete: true })
strategyConformanceSuite('Hyperband', { beatsRandom: 'budget', options: { hyperband: { minResource: 1, maxResource: 27 } } })
