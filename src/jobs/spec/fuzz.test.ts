import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ParamError } from '../../errors.js'
import { parseSpec, parseSpecText } from './parse.js'

const FIELDS = ['name', 'task', 'target', 'channels', 'train', 'validation', 'cv', 'folds', 'stratified', 'seed', 'metric',
  'members', 'xgb', 'learner', 'params', 'gbdt', 'oblivious', 'eta', 'max_depth', 'depth', 'hyperparameters', 'blend',
  'method', 'final', 'estimator', 'entry_point', 'channels', 'metric_definitions', 'Name', 'Regex', '__proto__', 'constructor']

/** Objects built from the spec's own vocabulary, so the fuzzer reaches the deep checks. */
const specLike = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom('mean', 'auto', 'rmse', 'gbdt', 'oblivious', 'train.csv', 'x.xlsx', 'regression', '(', ''),
    fc.double(),
    fc.integer({ min: -3, max: 10 }),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 3 }),
    tie('object'),
  ),
  object: fc.dictionary(fc.oneof(fc.constantFrom(...FIELDS), fc.string({ maxLength: 6 })), tie('value'), { maxKeys: 6 }),
}))

function onlyParamErrors(run: () => unknown): void {
  try {
    run()
  } catch (e) {
    if (!(e instanceof ParamError)) throw e
  }
}

describe('fuzz', () => {
  it('random spec-like objects give a spec or a ParamError, nothing else', () => {
    fc.assert(
      fc.property(specLike.object, fc.array(fc.string({ maxLength: 12 }), { maxLength: 2 }), (data, set) => {
        onlyParamErrors(() => parseSpec(data, { file: 'fuzz.yaml', baseDir: '/specs' }))
        onlyParamErrors(() => parseSpecText(JSON.stringify(data), { file: 'fuzz.json', set }))
      }),
      { numRuns: 300 },
    )
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('random YAML-ish text gives a spec or a ParamError, nothing else', () => {
    const token = fc.constantFrom('name', 'members', ':', ' ', '\n', '  ', '- ', '{', '}', '[', ']', ',', '"', "'", '&a', '*a', '#', '!!str', 'gbdt', '1', '---', '?', '|')
    fc.assert(
      fc.property(fc.array(token, { maxLength: 40 }).map((t) => t.join('')), (text) => {
        onlyParamErrors(() => parseSpecText(text, { file: 'fuzz.yaml' }))
      }),
      { numRuns: 500 },
    )
  })
})
