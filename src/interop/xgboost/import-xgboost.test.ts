import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { makeFrame, numericColumn } from '../../data/frame.js'
import { BundleError, DataError } from '../../errors.js'
import { GbdtModel } from '../../runtime/models/gbdt.js'
import { importXgboost, importXgboostText } from './import-xgboost.js'

const FIXTURES = join(import.meta.dirname, 'fixtures')

interface Expected {
  featureNames: string[]
  rows: (number | null)[][]
  margin: number[][]
  prediction: number[][]
}

const read = (name: string) => readFileSync(join(FIXTURES, name), 'utf8')
const expectedOf = (c: string) => JSON.parse(read(`${c}.expected.json`)) as Expected

function frameOf(e: Expected) {
  return makeFrame(e.featureNames.map((name, f) => numericColumn(name, Float64Array.from(e.rows, (r) => r[f] ?? NaN))))
}

/** |a - b| within 1e-5 of |b|, with a floor for values near zero. */
function expectClose(actual: Float64Array, expected: number[], what: string) {
  expect(actual.length, what).toBe(expected.length)
  let worst = 0
  for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(actual[i] - expected[i]) / Math.max(Math.abs(expected[i]), 1e-2))
  expect(worst, what).toBeLessThan(1e-5)
}

const CASES = ['regression', 'poisson', 'gamma', 'tweedie', 'dart', 'early-stop', 'binary', 'logitraw', 'reg-logistic', 'multiclass', 'softmax-forest']

describe('importXgboost', () => {
  for (const c of CASES) {
    for (const format of ['1.7', '2.x']) {
      it(`predicts as XGBoost does: ${c} (${format} format)`, () => {
        const e = expectedOf(c)
        const file = format === '1.7' ? `${c}.model.json` : `${c}.v2.model.json`
        const model = importXgboostText(read(file), { file, ...(c === 'poisson' && { featureNames: e.featureNames }) })
        const frame = frameOf(e)
        expectClose(model.predictMargin(frame), e.margin.flat(), `${c} margins`)
        const predicted = model.predict(frame)
        if (c === 'softmax-forest') {
          // multi:softmax predicts labels: the class of largest probability.
          const k = model.nOutputs
          const labels = e.prediction.map((_, r) => [...predicted.subarray(r * k, (r + 1) * k)].reduce((best, p, j, a) => (p > a[best] ? j : best), 0))
          expect(labels).toEqual(e.prediction.flat())
        } else if (c === 'logitraw') {
          // XGBoost's predictions are the margins; a binary member predicts P(class 1).
          expectClose(predicted, e.prediction.flat().map((m) => 1 / (1 + Math.exp(-m))), c)
        } else {
          expectClose(predicted, e.prediction.flat(), `${c} predictions`)
        }
      })
    }
  }

  it('reads the task, link, feature names and best iteration', () => {
    const m = importXgboostText(read('multiclass.model.json'), { file: 'm.json' })
    expect([m.kind, m.task, m.link, m.nOutputs, m.objective]).toEqual(['gbdt', 'multiclass', 'softmax', 3, 'multi:softprob'])
    expect(m.featureNames).toEqual(['sepal_length', 'sepal_width', 'petal_length', 'petal_width'])
    const early = JSON.parse(read('early-stop.model.json'))
    const best = Number(early.learner.attributes.best_iteration)
    const stopped = importXgboost(early, { file: 'm.json' })
    expect(stopped.bestIteration).toBe(best)
    expect(stopped.ensemble.treeStart.length).toBe(best + 1)
    expect([...stopped.importance('weight').values()].every((v) => v > 0)).toBe(true)
  })

  it('round-trips through its state like a trained gbdt', () => {
    const e = expectedOf('binary')
    const m = importXgboostText(read('binary.model.json'), { file: 'm.json' })
    const again = GbdtModel.fromState(structuredClone(m.toState()))
    expect(again.predict(frameOf(e))).toEqual(m.predict(frameOf(e)))
  })

  it('reads 2.x base scores given as a list', () => {
    const json = JSON.parse(read('binary.model.json'))
    json.learner.learner_model_param.base_score = '[3E-1]'
    const a = importXgboost(json, { file: 'm.json' })
    expect(a.ensemble.baseMargin[0]).toBeCloseTo(Math.log(0.3 / 0.7), 6)
  })

  describe('refuses what it cannot represent, naming the file and field', () => {
    const base = () => JSON.parse(read('regression.model.json'))
    const refuse = (json: unknown, message: RegExp, field: string, options: { featureNames?: string[] } = {}) => {
      let error: unknown
      try {
        importXgboost(json, { file: 'm.json', ...options })
      } catch (e) {
        error = e
      }
      expect(error).toBeInstanceOf(DataError)
      expect((error as DataError).message).toMatch(message)
      expect((error as DataError).location).toMatchObject({ file: 'm.json', field })
    }
    it('categorical splits', () => {
      const json = base()
      json.learner.gradient_booster.model.trees[2].split_type[0] = 1
      refuse(json, /categorical splits/, 'learner.gradient_booster.model.trees[2].split_type[0]')
    })
    it('multi-target trees and models', () => {
      const json = base()
      json.learner.gradient_booster.model.trees[0].tree_param.size_leaf_vector = '3'
      refuse(json, /multi-target/, 'learner.gradient_booster.model.trees[0].tree_param.size_leaf_vector')
      const multi = base()
      multi.learner.learner_model_param.num_target = '2'
      refuse(multi, /multi-target/, 'learner.learner_model_param.num_target')
    })
    it('unknown objectives and boosters', () => {
      const json = base()
      json.learner.objective.name = 'rank:pairwise'
      refuse(json, /objective 'rank:pairwise' does not import/, 'learner.objective.name')
      const linear = base()
      linear.learner.gradient_booster = { name: 'gblinear', model: { weights: [] } }
      refuse(linear, /booster 'gblinear'/, 'learner.gradient_booster.name')
    })
    it('malformed trees and fields', () => {
      const json = base()
      json.learner.gradient_booster.model.trees[1].left_children[0] = 0
      refuse(json, /not a node of this tree/, 'learner.gradient_booster.model.trees[1].left_children')
      const short = base()
      short.learner.gradient_booster.model.trees[0].split_conditions.pop()
      refuse(short, /expected \d+ values/, 'learner.gradient_booster.model.trees[0].split_conditions')
      const noParam = base()
      delete noParam.learner.learner_model_param
      refuse(noParam, /is missing/, 'learner.learner_model_param')
      const badBase = base()
      badBase.learner.learner_model_param.base_score = 'half'
      refuse(badBase, /expected a number/, 'learner.learner_model_param.base_score')
      const logistic = JSON.parse(read('binary.model.json'))
      logistic.learner.learner_model_param.base_score = '1.5'
      refuse(logistic, /out of range/, 'learner.learner_model_param.base_score')
    })
    it('missing or mismatched feature names', () => {
      const json = JSON.parse(read('poisson.model.json'))
      refuse(json, /has no feature names/, 'learner.feature_names')
      refuse(json, /3 feature names given for the model's 10/, 'learner.feature_names', { featureNames: ['a', 'b', 'c'] })
      refuse(base(), /differ from the model's own/, 'learner.feature_names', { featureNames: expectedOf('regression').featureNames.toReversed() })
    })
    it('malformed JSON', () => {
      expect(() => importXgboostText('{"learner": ', { file: 'm.json' })).toThrow(/m\.json: not valid JSON/)
    })
  })

  it('names the cause with the BundleError class for model contents', () => {
    const json = JSON.parse(read('regression.model.json'))
    json.learner.objective.name = 'survival:cox'
    expect(() => importXgboost(json, { file: 'm.json' })).toThrow(BundleError)
  })
})
