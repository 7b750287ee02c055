import { blenderConformanceSuite } from './testing/conformance.js'

blenderConformanceSuite('mean', { notWorseThanWorst: true, identity: true })
// NNLS keeps its exact least-squares weight for regression, which rescales a single member.
blenderConformanceSuite('weighted', { label: 'nnls', notWorseThanWorst: true, identity: ['binary', 'multiclass'] })
blenderConformanceSuite('weighted', { label: 'caruana', options: { weights: 'caruana', iterations: 20 }, notWorseThanWorst: true, identity: true })
blenderConformanceSuite('stack', { notWorseThanWorst: true })
blenderConformanceSuite('stack', { label: 'passthrough', options: { passthrough: true }, notWorseThanWorst: true })
blenderConformanceSuite('vote', { label: 'soft', identity: true })
blenderConformanceSuite('vote', { label: 'hard', options: { voting: 'hard' } })
