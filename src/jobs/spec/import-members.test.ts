import { describe, expect, it } from 'vitest'
import { ParamError } from '../../errors.js'
import { parseSpecText } from './parse.js'

const SPEC = `name: mixed
target: target
channels: { train: data/train.csv }
members:
  gb: { learner: gbdt, params: { max_depth: 3 } }
  xgb: { learner: import, path: models/xgb.json }
`

function errorOf(text: string): ParamError {
  try {
    parseSpecText(text, { file: '/specs/ensemble.yaml' })
  } catch (e) {
    expect(e).toBeInstanceOf(ParamError)
    return e as ParamError
  }
  throw new Error('expected a ParamError')
}

describe('learner: import members', () => {
  it('are kept apart from the trained members, their paths relative to the spec', () => {
    const spec = parseSpecText(SPEC.replace('models/xgb.json }', 'models/xgb.json, features: [a, b] }'), { file: '/specs/ensemble.yaml' })
    if (spec.kind !== 'ensemble') throw new Error('expected an ensemble')
    expect(Object.keys(spec.members)).toEqual(['gb'])
    expect(spec.imports).toEqual({ xgb: { path: '/specs/models/xgb.json', features: ['a', 'b'] } })
    expect(spec.channels.train).toBe('/specs/data/train.csv')
  })

  it('need a path, take no params, and a trained member takes no path', () => {
    let e = errorOf(SPEC.replace('{ learner: import, path: models/xgb.json }', '{ learner: import }'))
    expect(e.message).toContain('an imported member needs the path of its model file')
    expect(e.location).toMatchObject({ file: '/specs/ensemble.yaml', line: 6, field: 'members.xgb.path' })
    e = errorOf(SPEC.replace('path: models/xgb.json }', 'path: m.json, params: { eta: 1 } }'))
    expect(e.message).toContain('it takes no params')
    expect(e.location.field).toBe('members.xgb.params')
    e = errorOf(SPEC.replace('params: { max_depth: 3 } }', 'path: m.json }'))
    expect(e.message).toContain("'path' belongs to an imported member")
    expect(e.location.field).toBe('members.gb.path')
  })

  it('blend by mean, vote or given weights with no holdout', () => {
    for (const blend of ['{ method: mean }', '{ method: vote }', '{ method: weighted, weights: { gb: 0.3, xgb: 0.7 } }']) {
      expect(parseSpecText(SPEC + `blend: ${blend}\n`, { file: '/specs/ensemble.yaml' }).kind).toBe('ensemble')
    }
  })

  it('refuse a learnt blend without a holdout channel, before any work', () => {
    for (const blend of ['{ method: stack }', '{ method: weighted }', '{ method: weighted, weights: caruana }']) {
      const e = errorOf(SPEC + `blend: ${blend}\n`)
      expect(e.message).toContain('add a holdout channel (channels.holdout)')
      expect(e.location).toMatchObject({ field: 'channels', line: 3 })
    }
    const spec = parseSpecText(SPEC.replace('{ train: data/train.csv }', '{ train: data/train.csv, holdout: data/holdout.csv }') + 'blend: { method: stack }\n', { file: '/specs/ensemble.yaml' })
    expect(spec.kind === 'ensemble' && spec.channels.holdout).toBe('/specs/data/holdout.csv')
  })

  it('check given weights against the member names', () => {
    let e = errorOf(SPEC + 'blend: { method: weighted, weights: { gb: 0.3, xgboost: 0.7 } }\n')
    expect(e.message).toContain("no member 'xgboost'")
    expect(e.location.field).toBe('blend.weights.xgboost')
    e = errorOf(SPEC + 'blend: { method: weighted, weights: { gb: 1 } }\n')
    expect(e.message).toContain("member 'xgb' has no weight")
    e = errorOf(SPEC + 'blend: { method: weighted, weights: { gb: -1, xgb: 1 } }\n')
    expect(e.location.field).toMatch(/^blend\.weights/)
  })

  it('may make up the whole ensemble', () => {
    const spec = parseSpecText(SPEC.replace('  gb: { learner: gbdt, params: { max_depth: 3 } }\n', ''), { file: '/specs/ensemble.yaml' })
    expect(spec.kind === 'ensemble' && [Object.keys(spec.members), Object.keys(spec.imports)]).toEqual([[], ['xgb']])
  })
})
