import { describe, expect, it } from 'vitest'
import { kFold, stratifiedKFold } from '../data/splits.js'
import { getLearner, parseLearnerParams } from '../learners/index.js'
import { syntheticFrame } from '../learners/testing/conformance.js'
import { prepareTrainingData } from '../learners/training-data.js'
import { ConsortError } from '../errors.js'
import { outOfFold, type MemberPlan } from './oof.js'

const member = (name: string, kind: string, params: Record<string, unknown>): MemberPlan => {
  const learner = getLearner(kind)
  return { name, learner, params: parseLearnerParams(learner, params) }
}

describe('outOfFold', () => {
  it('predicts every row with the fold model that did not see it, for every member', async () => {
    const { frame, y } = syntheticFrame(200, 'regression')
    const data = prepareTrainingData(frame)
    const folds = kFold(200, 4, 1)
    const members = [member('xgb', 'gbdt', { num_round: 20, max_depth: 3 }), member('lin', 'linear', {})]
    const result = await outOfFold(data, y, folds, members, { task: 'regression', nClasses: 1, metrics: ['rmse', 'r2'] })
    expect(result.map((r) => r.name)).toEqual(['xgb', 'lin'])
    for (const r of result) {
      expect(r.models).toHaveLength(4)
      expect(r.foldScores).toHaveLength(4)
      // The OOF prediction of a held-out row equals its fold model's prediction.
      const f = folds[2]
      const pred = r.models[2].predict(frame)
      for (const row of f.test) expect(r.oof[row]).toBe(pred[row])
      expect(r.pooled.rmse).toBeGreaterThan(0)
    }
  })

  it('keeps class probabilities for classifiers', async () => {
    const { frame, y } = syntheticFrame(240, 'multiclass')
    const data = prepareTrainingData(frame)
    const folds = stratifiedKFold(y, 3, 0)
    const [r] = await outOfFold(data, y, folds, [member('rf', 'random_forest', { n_estimators: 5 })], { task: 'multiclass', nClasses: 3, metrics: ['accuracy', 'mlogloss'] })
    expect(r.nOutputs).toBe(3)
    for (let i = 0; i < 240; i++) expect(r.oof[3 * i] + r.oof[3 * i + 1] + r.oof[3 * i + 2]).toBeCloseTo(1, 9)
    expect(r.pooled.accuracy).toBeGreaterThan(0.5)
  })

  it('refuses folds that do not hold every row out exactly once', async () => {
    const { frame, y } = syntheticFrame(50, 'regression')
    const data = prepareTrainingData(frame)
    const folds = kFold(50, 5, 0)
    const plan = [member('lin', 'linear', {})]
    const opts = { task: 'regression' as const, nClasses: 1, metrics: ['rmse'] }
    await expect(outOfFold(data, y, folds.slice(1), plan, opts)).rejects.toBeInstanceOf(ConsortError)
    await expect(outOfFold(data, y, [...folds, folds[0]], plan, opts)).rejects.toBeInstanceOf(ConsortError)
    await expect(outOfFold(data, y, folds, [], opts)).rejects.toBeInstanceOf(ConsortError)
  })
})
