import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BundleError } from '../../errors.js'
import { trainTestModel, type TestModel } from '../../jobs/testing/models.js'
import { EnsemblePredictor } from '../predictor.js'
import { gunzipChecked } from './gunzip.js'
import { encodeJsonBundle, readJsonBundle } from './json.js'
import { unpackTar } from './tar.js'

const dir = mkdtempSync(join(tmpdir(), 'consort-json-bundle-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
let trained: TestModel
let text: string

beforeAll(async () => {
  trained = await trainTestModel(dir, 'mixed')
  text = encodeJsonBundle(unpackTar(await gunzipChecked(new Uint8Array(readFileSync(trained.model)))))
})

const bits = (a: Float64Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length * 2))

async function refusal(json: string): Promise<BundleError> {
  const e = await readJsonBundle(json, 'model.json').then(() => undefined, (err: unknown) => err)
  expect(e).toBeInstanceOf(BundleError)
  return e as BundleError
}

describe('JSON bundles', () => {
  it('predict bit for bit what the model.tar.gz predicts, every member and the blend', async () => {
    const fromJson = await EnsemblePredictor.fromJson(text, { file: 'model.json' })
    const fromBytes = await EnsemblePredictor.fromBytes(new Uint8Array(readFileSync(trained.model)))
    expect(fromJson.memberNames).toEqual(fromBytes.memberNames)
    const lines = readFileSync(trained.data, 'utf8').trim().split('\n')
    const header = lines[0].split(',')
    const rows = lines.slice(1).map((l) => l.split(','))
    rows[0][header.indexOf('colour')] = 'violet' // unseen category
    rows[1][header.indexOf('bmi')] = '' // missing value
    const a = fromJson.predictMembers(fromJson.frameFromRows(rows, { names: header }))
    const b = fromBytes.predictMembers(fromBytes.frameFromRows(rows, { names: header }))
    expect(bits(a.prediction)).toEqual(bits(b.prediction))
    a.members.forEach((m, i) => expect(bits(m)).toEqual(bits(b.members[i])))
  })

  it('refuse a tampered state, a changed manifest, a missing or extra file, and a newer version, naming the field', async () => {
    const doc = JSON.parse(text) as { version: number; manifest: { members: { file: string; params: Record<string, unknown> }[] }; files: Record<string, string> }
    const name = doc.manifest.members[0].file
    const tampered = structuredClone(doc)
    const bytes = Uint8Array.from(atob(tampered.files[name]), (c) => c.charCodeAt(0))
    bytes[bytes.length - 3] ^= 1
    tampered.files[name] = btoa(String.fromCharCode(...bytes))
    expect((await refusal(JSON.stringify(tampered))).message).toMatch(/sha256 mismatch/)
    const missing = structuredClone(doc)
    delete missing.files[name]
    expect((await refusal(JSON.stringify(missing))).message).toMatch(/missing file/)
    const extra = structuredClone(doc)
    extra.files['extra.bin'] = 'AAAA'
    expect((await refusal(JSON.stringify(extra))).message).toMatch(/unexpected file 'extra.bin'/)
    const badBase64 = structuredClone(doc)
    badBase64.files[name] = '***'
    expect((await refusal(JSON.stringify(badBase64))).location).toEqual({ file: 'model.json', field: `files.${name}` })
    const newer = await refusal(JSON.stringify({ ...doc, version: 2 }))
    expect([newer.code, newer.location.field]).toEqual(['unsupported_bundle_version', 'version'])
    const manifest = structuredClone(doc)
    manifest.manifest.members[0].params = 7 as unknown as Record<string, unknown>
    expect((await refusal(JSON.stringify(manifest))).location.field).toBe('manifest.json.members.0.params')
    expect((await refusal('{"format": "zip"}')).location.field).toBe('format')
    expect((await refusal('not json')).message).toMatch(/not a JSON bundle/)
  })
})
