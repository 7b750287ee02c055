import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { takeRows, type Frame } from '../data/frame.js'
import { parseCsv } from '../data/csv.js'
import { readFrame } from '../data/read.js'
import { BundleError } from '../errors.js'
import { trainTestModel, type TestModel } from '../jobs/testing/models.js'
import { loadBundle } from '../store/artifact/bundle.js'
import { EnsemblePredictor } from './predictor.js'

const dir = mkdtempSync(join(tmpdir(), 'consort-predictor-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

let trained: TestModel
let model: EnsemblePredictor
let frame: Frame
const bits = (a: Float64Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length * 2))

beforeAll(async () => {
  trained = await trainTestModel(dir, 'mixed')
  model = await EnsemblePredictor.fromBytes(new Uint8Array(readFileSync(trained.model)), { file: 'mixed.tar.gz' })
  frame = await readFrame(trained.data)
})

describe('EnsemblePredictor', () => {
  it('predicts from the bytes exactly what the members and the blend of the bundle predict', async () => {
    const bundle = await loadBundle(trained.model)
    const reference = new EnsemblePredictor(bundle)
    expect(model.memberNames).toEqual(['xgb', 'cat', 'lin'])
    expect(model.featureNames).toEqual(bundle.manifest.features.map((f) => f.name))
    expect(bits(model.predict(frame))).toEqual(bits(reference.predict(frame)))
  })

  it('gives each member\'s prediction beside the blend, and empty arrays for no rows', () => {
    const { prediction, members } = model.predictMembers(frame)
    const x = model.align(frame)
    expect(bits(prediction)).toEqual(bits(model.predict(frame)))
    members.forEach((p, i) => expect(bits(p)).toEqual(bits(model.members[i].predict(x))))
    const none = model.predictMembers(takeRows(frame, []))
    expect([none.prediction.length, none.members.map((m) => m.length)]).toEqual([0, [0, 0, 0]])
  })

  it('predicts rows given as arrays by header names, or as records, the same as the parsed file', () => {
    const lines = readFileSync(trained.data, 'utf8').trim().split('\n').slice(0, 21)
    const header = lines[0].split(',')
    const arrays = lines.slice(1).map((l) => l.split(','))
    const records = arrays.map((r) => Object.fromEntries(header.map((h, j) => [h, r[j]])))
    const expected = model.predict(parseCsv(lines.join('\n') + '\n', { types: model.columnTypes }))
    expect(bits(model.predict(model.frameFromRows(arrays, { names: header })))).toEqual(bits(expected))
    expect(bits(model.predict(model.frameFromRows(records)))).toEqual(bits(expected))
    const positional = arrays.map((r) => model.featureNames.map((n) => r[header.indexOf(n)]))
    expect(bits(model.predict(model.frameFromRows(positional)))).toEqual(bits(expected))
  })

  it('refuses a bundle whose parts disagree, naming the part', async () => {
    const bundle = await loadBundle(trained.model)
    const broken = { ...bundle, blenderState: { ...(bundle.blenderState as object), nMembers: 2 } }
    expect(() => new EnsemblePredictor(broken, 'm.tar.gz')).toThrow(BundleError)
    expect(() => new EnsemblePredictor(broken, 'm.tar.gz')).toThrow(/m\.tar\.gz, field 'blender': the blend expects 2 members, the bundle has 3/)
    const badMember = { ...bundle, members: [{ name: 'xgb', state: { ...bundle.members[0].state, version: 7 } }, ...bundle.members.slice(1)] }
    expect(() => new EnsemblePredictor(badMember, 'm.tar.gz')).toThrow(expect.objectContaining({ code: 'unsupported_bundle_version', location: { file: 'm.tar.gz', field: 'members.0.version' } }))
  })
})
