import { describe, expect, it } from 'vitest'
import { getLearner, learnerKinds, modelFromState, parseLearnerParams } from './index.js'
import { prepareTrainingData } from './training-data.js'
import { syntheticFrame } from './testing/conformance.js'

describe('learner registry', () => {
  it('holds every built-in learner', () => {
    expect(learnerKinds()).toEqual(['gbdt', 'oblivious', 'random_forest', 'extra_trees', 'linear'])
  })

  it('names the closest learner for a typo', () => {
    expect(() => getLearner('random_forrest')).toThrow(/did you mean 'random_forest'/)
  })

  it('rebuilds any model from its state by kind', async () => {
    const { frame, y } = syntheticFrame(120, 'regression')
    const data = prepareTrainingData(frame)
    for (const kind of learnerKinds()) {
      const spec = getLearner(kind)
      const small: Record<string, Record<string, unknown>> = { gbdt: { num_round: 5 }, oblivious: { iterations: 5 }, random_forest: { n_estimators: 3 }, extra_trees: { n_estimators: 3 } }
      const model = await spec.fit(data, y, parseLearnerParams(spec, small[kind] ?? {}), { task: 'regression', nClasses: 1, seed: 1, threads: 1 })
      expect(modelFromState(structuredClone(model.toState())).predict(frame)).toEqual(model.predict(frame))
    }
  })
})
