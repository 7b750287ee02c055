import { readFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { ParamError } from '../../errors.js'
import { loadSpec } from './load.js'
import { parseSpecText } from './parse.js'

const here = dirname(fileURLToPath(import.meta.url))
const yamlFile = join(here, 'fixtures', 'ensemble.yaml')
const jsonFile = join(here, 'fixtures', 'ensemble.json')

async function loadError(path: string, set: string[] = []): Promise<ParamError> {
  const error: unknown = await loadSpec(path, { set }).then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(ParamError)
  return error as ParamError
}

describe('loadSpec', () => {
  it("reads the issue's example and resolves the channel against the spec's folder", async () => {
    const spec = await loadSpec(yamlFile)
    expect(spec).toEqual({
      kind: 'ensemble',
      name: 'diabetes',
      task: 'regression',
      target: 'target',
      channels: { train: join(here, 'fixtures', 'data', 'tiny.csv') },
      types: {},
      cv: { folds: 5, stratified: 'auto', seed: 42 },
      metric: 'rmse',
      members: {
        xgb: { learner: 'gbdt', params: { max_depth: 5, eta: 0.3, num_round: 100 } },
        cat: { learner: 'oblivious', params: { depth: 5, learning_rate: 0.3, iterations: 100 } },
      },
      imports: {},
      hyperparameters: { eta: 0.3, max_depth: 5 },
      blend: { method: 'mean', options: {} },
      final: 'refit',
    })
    // The resolved path is a file that exists, whatever the working directory.
    if (spec.kind === 'ensemble') await expect(readFile(spec.channels.train, 'utf8')).resolves.toContain('target')
  })

  it('reads the JSON equivalent to the same spec', async () => {
    expect(await loadSpec(jsonFile)).toEqual(await loadSpec(yamlFile))
  })

  it('tells the format from the content, not only the extension', () => {
    const json = '{"name": "d", "target": "y", "channels": {"train": "t.csv"}, "members": {"m": {"learner": "linear"}}}'
    const spec = parseSpecText(json, { file: 'spec.txt', baseDir: '/specs' })
    expect(spec.kind === 'ensemble' && spec.channels.train).toBe('/specs/t.csv')
  })

  it('fills in the documented defaults', () => {
    const spec = parseSpecText('name: d\ntarget: y\nchannels: { train: /data/t.csv }\nmembers: { m: { learner: gbdt } }\n')
    expect(spec).toMatchObject({
      cv: { folds: 5, stratified: 'auto', seed: 0 },
      hyperparameters: {},
      blend: { method: 'mean', options: {} },
      final: 'refit',
      members: { m: { learner: 'gbdt', params: {} } },
      channels: { train: '/data/t.csv' },
    })
    expect(spec).not.toHaveProperty('task')
    expect(spec).not.toHaveProperty('metric')
  })

  it('passes blend options through', () => {
    const spec = parseSpecText('name: d\ntarget: y\nchannels: { train: t.csv }\nmembers: { m: { learner: gbdt } }\nblend: { method: stack, passthrough: true }\n')
    expect(spec.kind === 'ensemble' && spec.blend).toEqual({ method: 'stack', options: { passthrough: true } })
  })

  it('names a missing file', async () => {
    const error = await loadError(join(here, 'fixtures', 'nope.yaml'))
    expect(error.message).toContain('no such file')
    expect(error.location.file).toContain('nope.yaml')
  })
})

describe('--set overrides', () => {
  it('sets numbers, booleans and strings, creating missing objects', async () => {
    const spec = await loadSpec(yamlFile, {
      set: ['members.xgb.params.eta=0.2', 'cv.folds=3', 'cv.stratified=false', 'members.rf.learner=random_forest', 'members.rf.params.n_estimators=50', 'name=other'],
    })
    if (spec.kind !== 'ensemble') throw new Error('expected an ensemble')
    expect(spec.members.xgb.params.eta).toBe(0.2)
    expect(spec.cv).toEqual({ folds: 3, stratified: false, seed: 42 })
    expect(spec.members.rf).toEqual({ learner: 'random_forest', params: { n_estimators: 50 } })
    expect(spec.name).toBe('other')
  })

  it('rejects a path through a scalar, naming the path', async () => {
    const error = await loadError(yamlFile, ['name.first=x'])
    expect(error.location.field).toBe('name')
    expect(error.message).toContain("'name'")
  })

  it('rejects a value the schema rejects, saying it came from --set', async () => {
    const error = await loadError(yamlFile, ['cv.folds=1'])
    expect(error.location).toMatchObject({ file: yamlFile, field: 'cv.folds' })
    expect(error.message).toContain('--set cv.folds=1')
  })

  it('rejects malformed arguments', async () => {
    expect((await loadError(yamlFile, ['cv.folds'])).message).toContain('key=value')
    expect((await loadError(yamlFile, ['cv..folds=2'])).message).toContain('empty segment')
  })

  it('suggests the closest field for a mistyped override', async () => {
    const error = await loadError(yamlFile, ['members.xgb.params.etaa=0.2'])
    expect(error.message).toContain("did you mean 'eta'?")
    expect(error.location.field).toBe('members.xgb.params.etaa')
  })
})
