import { describe, expect, it } from 'vitest'
import { ParamError } from '../../errors.js'
import { parseSpec, parseSpecText } from './parse.js'

const BASE = `name: diabetes
target: target
channels: { train: data/tiny.csv }
members:
  xgb: { learner: gbdt, params: { max_depth: 5 } }
  cat:
    learner: oblivious
    params:
      depth: 5
`

function textError(text: string, file = 'ensemble.yaml'): ParamError {
  try {
    parseSpecText(text, { file })
  } catch (e) {
    expect(e).toBeInstanceOf(ParamError)
    return e as ParamError
  }
  throw new Error('expected a ParamError')
}

describe('unknown fields', () => {
  it('at the top level, with file, line and column', () => {
    const text = BASE.replace('members:', 'memebers:')
    const error = textError(text)
    expect(error.message).toContain("unknown field 'memebers'; did you mean 'members'?")
    expect(error.location).toEqual({ file: 'ensemble.yaml', line: 4, column: 1, field: 'memebers' })
  })

  it('inside a flow mapping', () => {
    const error = textError(BASE + 'cv: { folds: 3, sead: 1 }\n')
    expect(error.message).toContain("unknown field 'sead'; did you mean 'seed'?")
    expect(error.location).toEqual({ file: 'ensemble.yaml', line: 10, column: 17, field: 'cv.sead' })
  })

  it('inside a member', () => {
    const error = textError(BASE.replace('    learner: oblivious', '    lerner: oblivious'))
    expect(error.message).toContain("unknown field 'lerner'; did you mean 'learner'?")
    expect(error.location).toEqual({ file: 'ensemble.yaml', line: 7, column: 5, field: 'members.cat.lerner' })
  })

  it('in the estimator', () => {
    const error = textError('name: s\nestimator:\n  entry_point: train.py\n  channels: { train: data }\n  hyperparams: {}\n')
    expect(error.message).toContain("did you mean 'hyperparameters'?")
    expect(error.location).toMatchObject({ line: 5, column: 3, field: 'estimator.hyperparams' })
  })

  it('in JSON, with positions too', () => {
    const error = textError('{\n  "name": "d",\n  "target": "y",\n  "chanels": {"train": "t.csv"}\n}', 'spec.json')
    expect(error.message).toContain("did you mean 'channels'?")
    expect(error.location).toEqual({ file: 'spec.json', line: 4, column: 3, field: 'chanels' })
  })
})

describe('learners and their params', () => {
  it('suggests the closest learner kind', () => {
    const error = textError(BASE.replace('learner: gbdt', 'learner: gbtd'))
    expect(error.message).toContain("unknown learner 'gbtd'; did you mean 'gbdt'?")
    expect(error.location).toMatchObject({ file: 'ensemble.yaml', line: 5, field: 'members.xgb.learner' })
  })

  it('suggests the closest member parameter, at its line', () => {
    const error = textError(BASE.replace('      depth: 5', '      dpeth: 5'))
    expect(error.message).toContain("unknown parameter 'dpeth'; did you mean 'depth'?")
    expect(error.location).toEqual({ file: 'ensemble.yaml', line: 9, column: 7, field: 'members.cat.params.dpeth' })
  })

  it('rejects an out-of-range member parameter at its value', () => {
    const error = textError(BASE.replace('max_depth: 5', 'max_depth: 99'))
    expect(error.location).toMatchObject({ line: 5, field: 'members.xgb.params.max_depth' })
  })
})

describe('values', () => {
  it('suggests the closest metric, task, blend method and final', () => {
    expect(textError(BASE + 'metric: rmes\n').message).toContain("did you mean 'rmse'?")
    expect(textError(BASE + 'task: regresion\n').message).toContain("did you mean 'regression'?")
    expect(textError(BASE + 'blend: { method: meen }\n').location.field).toBe('blend.method')
    expect(textError(BASE + 'final: bagg\n').message).toContain("did you mean 'bag'?")
    const option = textError(BASE + 'blend: { method: weighted, wieghts: caruana }\n')
    expect(option.message).toContain("did you mean 'weights'?")
    expect(option.location.field).toBe('blend.wieghts')
  })

  it('names a missing required field', () => {
    const error = textError(BASE.replace('target: target\n', ''))
    expect(error.message).toContain('missing required field')
    expect(error.location.field).toBe('target')
  })

  it('rejects a channel whose extension no reader knows', () => {
    const error = textError(BASE.replace('data/tiny.csv', 'data/tiny.xlsx'))
    expect(error.message).toContain('tiny.xlsx')
    expect(error.location).toMatchObject({ line: 3, field: 'channels.train' })
  })

  it('rejects an empty members map and bad member names', () => {
    expect(textError('name: d\ntarget: y\nchannels: { train: t.csv }\nmembers: {}\n').message).toContain('at least one member')
    expect(textError('name: d\ntarget: y\nchannels: { train: t.csv }\nmembers: { "a b": { learner: gbdt } }\n').location.field).toContain('members')
  })

  it('rejects a mapping that is not a spec', () => {
    expect(textError('- 1\n- 2\n').message).toContain('mapping')
    expect(textError('name: d\n').message).toContain("missing 'members'")
  })
})

describe('syntax', () => {
  it('reports YAML syntax errors with line and column', () => {
    const error = textError('name: d\nmembers: { xgb: [ }\n')
    expect(error.location.file).toBe('ensemble.yaml')
    expect(error.location.line).toBeGreaterThanOrEqual(2)
    expect(error.location.column).toBeGreaterThanOrEqual(1)
  })

  it('reports duplicate keys', () => {
    expect(textError('name: a\nname: b\n').message).toContain('unique')
  })

  it('does not let __proto__ pollute prototypes', () => {
    const error = textError('__proto__: { polluted: yes }\n' + BASE)
    expect(error.message).toContain("unknown field '__proto__'")
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    const nested = textError(BASE.replace('params: { max_depth: 5 }', 'params: { __proto__: { polluted: 1 } }'))
    expect(nested).toBeInstanceOf(ParamError)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(() => parseSpecText(BASE, { set: ['__proto__.polluted=1'] })).toThrow(ParamError)
    expect(() => parseSpecText(BASE, { set: ['members.xgb.__proto__.polluted=1'] })).toThrow(ParamError)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })
})

describe('script mode', () => {
  const SCRIPT = `name: custom
estimator:
  entry_point: train.py
  source_dir: src
  hyperparameters: { epochs: 3 }
  metric_definitions: [{ Name: validation-rmse, Regex: "validation-rmse:([0-9.]+)" }]
  channels: { train: data/train }
`

  it('parses the estimator block and resolves its folders', () => {
    const spec = parseSpecText(SCRIPT, { baseDir: '/jobs' })
    expect(spec).toEqual({
      kind: 'script',
      name: 'custom',
      estimator: {
        entry_point: 'train.py',
        source_dir: '/jobs/src',
        hyperparameters: { epochs: 3 },
        metric_definitions: [{ Name: 'validation-rmse', Regex: 'validation-rmse:([0-9.]+)' }],
        channels: { train: '/jobs/data/train' },
      },
    })
  })

  it('rejects an invalid metric regex at its list entry', () => {
    const error = textError(SCRIPT.replace('validation-rmse:([0-9.]+)', 'rmse:(['))
    expect(error.message).toContain('regular expression')
    expect(error.location).toMatchObject({ line: 6, field: 'estimator.metric_definitions.0.Regex' })
  })

  it('rejects members and estimator together', () => {
    const error = textError(BASE + SCRIPT.replace('name: custom\n', ''))
    expect(error.message).toContain("either 'members'")
    expect(error.message).toContain('not both')
    expect(error.location).toMatchObject({ file: 'ensemble.yaml', line: 10, column: 1, field: 'estimator' })
  })
})

describe('parseSpec', () => {
  it('validates in-memory specs, naming the file but no position', () => {
    try {
      parseSpec({ name: 'd', target: 'y', channels: { train: 't.csv' }, members: { m: { learner: 'gbdt' } }, finl: 'bag' }, { file: 'inline' })
      throw new Error('expected a ParamError')
    } catch (e) {
      expect(e).toBeInstanceOf(ParamError)
      expect((e as ParamError).location).toEqual({ file: 'inline', field: 'finl' })
      expect((e as ParamError).message).toContain("did you mean 'final'?")
    }
  })
})
