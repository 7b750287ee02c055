import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { Frame } from '../../data/frame.js'
import { BundleError, ParamError } from '../../errors.js'
import { modelFromState } from '../../runtime/models/registry.js'
import type { Model } from '../../runtime/models/types.js'
import { loadBundle, saveBundle } from '../../store/artifact/bundle.js'
import { importOnnx } from './import-onnx.js'
import { decodeModel, encodeModel, type ModelProto } from './proto.js'

const FIXTURES = join(import.meta.dirname, 'fixtures')
const dir = mkdtempSync(join(tmpdir(), 'consort-onnx-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

interface Fixture {
  bytes: Uint8Array
  features: string[]
  rows: number[][]
  expected: number[][]
}

function fixture(name: string): Fixture {
  const json = JSON.parse(readFileSync(join(FIXTURES, `${name}.expected.json`), 'utf8'))
  return { bytes: new Uint8Array(readFileSync(join(FIXTURES, `${name}.onnx`))), ...json }
}

function frameOf(features: readonly string[], rows: number[][]): Frame {
  return {
    nRows: rows.length,
    columns: features.map((name, f) => ({ name, type: 'numeric' as const, values: Float64Array.from(rows, (r) => r[f]!) })),
    schema: { fields: features.map((name) => ({ name, type: 'numeric' as const })) },
  }
}

/** Largest relative difference, against max(|expected|, 1e-3) so near-zero probabilities compare absolutely. */
function maxRelative(got: Float64Array, expected: number[][]): number {
  const flat = expected.flat()
  expect(got.length).toBe(flat.length)
  let worst = 0
  flat.forEach((e, i) => (worst = Math.max(worst, Math.abs(got[i]! - e) / Math.max(Math.abs(e), 1e-3))))
  return worst
}

async function imported(name: string): Promise<{ model: Model; fx: Fixture }> {
  const fx = fixture(name)
  return { model: await importOnnx(fx.bytes, { file: `${name}.onnx`, featureNames: fx.features }), fx }
}

const CASES: [string, string, string, number][] = [
  // fixture, kind, task, outputs
  ['gbr-diabetes', 'imported_trees', 'regression', 1],
  ['rf-iris', 'imported_trees', 'multiclass', 3],
  ['et-breast-cancer', 'imported_trees', 'binary', 1],
  ['linear-diabetes', 'linear', 'regression', 1],
  ['scaler-ridge-diabetes', 'linear', 'regression', 1],
  ['logistic-iris', 'linear', 'multiclass', 3],
  ['mlp-diabetes', 'onnx', 'regression', 1],
]

describe('importOnnx', () => {
  it.each(CASES)('converts %s into a %s model matching scikit-learn to 1e-5', async (name, kind, task, nOutputs) => {
    const { model, fx } = await imported(name)
    expect(model.kind).toBe(kind)
    expect(model.task).toBe(task)
    expect(model.nOutputs).toBe(nOutputs)
    expect(model.featureNames).toEqual(fx.features)
    expect(maxRelative(model.predict(frameOf(fx.features, fx.rows)), fx.expected)).toBeLessThan(1e-5)
  })

  it.each(CASES.filter(([, kind]) => kind !== 'onnx'))('predicts %s as onnxruntime does on the same graph', async (name) => {
    const fx = fixture(name)
    const { model } = await imported(name)
    const viaOrt = await onOnnxruntime(fx, name)
    const frame = frameOf(fx.features, fx.rows)
    const a = model.predict(frame)
    const b = viaOrt.predict(frame)
    let worst = 0
    a.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - b[i]!) / Math.max(Math.abs(b[i]!), 1e-3))))
    expect(worst).toBeLessThan(1e-5)
  })

  it.each(CASES)('saves %s in model.tar.gz and loads it back predicting the same', async (name) => {
    const { model, fx } = await imported(name)
    const path = join(dir, `${name}.tar.gz`)
    await saveBundle(path, {
      manifest: {
        task: model.task,
        features: fx.features.map((n) => ({ name: n, type: 'numeric' as const })),
        blender: { kind: 'mean' },
        metrics: {},
        provenance: { dataFingerprint: 'sha256:test', spec: { name }, timings: {} },
      },
      members: [{ name: 'imported', state: model.toState() }],
    })
    const loaded = await loadBundle(path)
    const again = modelFromState(loaded.members[0]!.state)
    const frame = frameOf(fx.features, fx.rows)
    expect(again.kind).toBe(model.kind)
    expect(again.predict(frame)).toEqual(model.predict(frame))
  })

  it('names features f0, f1... when none are given and the width is fixed', async () => {
    const fx = fixture('gbr-diabetes')
    const model = await importOnnx(fx.bytes, { file: 'gbr.onnx' })
    expect(model.featureNames).toEqual(fx.features.map((_, f) => `f${f}`))
  })

  it('refuses feature names that do not fit the input, naming the file', async () => {
    const fx = fixture('gbr-diabetes')
    await expect(importOnnx(fx.bytes, { file: 'gbr.onnx', featureNames: ['a', 'b'] })).rejects.toThrow(ParamError)
    await expect(importOnnx(fx.bytes, { file: 'gbr.onnx', featureNames: ['a', 'b'] })).rejects.toThrow(/gbr\.onnx.*2 feature names are given, but the ONNX graph's input 'input' has 10 columns/)
  })

  it('refuses bad files clearly', async () => {
    await expect(importOnnx(new TextEncoder().encode('not a model at all'), { file: 'x.onnx' })).rejects.toThrow(BundleError)
    const fx = fixture('gbr-diabetes')
    await expect(importOnnx(fx.bytes.subarray(0, 1000), { file: 'cut.onnx' })).rejects.toThrow(/^cut\.onnx.*not a readable ONNX model/)
    await expect(importOnnx(encodeModel({ irVersion: 8 }), { file: 'nograph.onnx' })).rejects.toThrow(/nograph\.onnx.*has no graph/)
    // A tree pointing at a node that does not exist.
    const m = decodeModel(fx.bytes)
    const attr = m.graph!.node![0]!.attribute!.find((a) => a.name === 'nodes_truenodeids')!
    attr.ints![0] = 9999
    await expect(importOnnx(encodeModel(m), { file: 'broken.onnx', featureNames: fx.features })).rejects.toThrow(/broken\.onnx, field 'graph\.node\[0\]\.nodes_truenodeids'.*points to node 9999/)
    // An input that is not a matrix of floats.
    const s = decodeModel(fx.bytes)
    s.graph!.input![0]!.type!.tensorType!.elemType = 7
    await expect(importOnnx(encodeModel(s), { file: 'ints.onnx' })).rejects.toThrow(/ints\.onnx.*are not one float tensor \[N, F\]/)
  })

  it('keeps a tree ensemble with an EQ split as an onnx member, saying why', async () => {
    const fx = fixture('gbr-diabetes')
    const m = decodeModel(fx.bytes)
    const modes = m.graph!.node![0]!.attribute!.find((a) => a.name === 'nodes_modes')!
    const at = modes.strings!.findIndex((s) => new TextDecoder().decode(s) === 'BRANCH_LEQ')
    modes.strings![at] = new TextEncoder().encode('BRANCH_EQ')
    const model = await importOnnx(encodeModel(m), { file: 'eq.onnx', featureNames: fx.features })
    expect(model.kind).toBe('onnx')
    expect((model.toState() as unknown as { reason: string }).reason).toMatch(/BRANCH_EQ/)
    expect(model.predict(frameOf(fx.features, fx.rows)).length).toBe(fx.rows.length)
  })
})

/**
 * The fixture's graph imported as an onnx member: an `Add` of zero before its operator is not a
 * wrapper the converter accepts, so the graph runs on onnxruntime as it is (its ZipMap, whose
 * sequence of maps onnxruntime-node cannot return, replaced by the probabilities it wraps).
 */
async function onOnnxruntime(fx: Fixture, name: string): Promise<Model> {
  const m: ModelProto = decodeModel(withZipMapRemoved(fx.bytes))
  const g = m.graph!
  g.initializer!.push({ name: 'zero', dims: [1], dataType: 1, floatData: [0] })
  g.node!.unshift({ opType: 'Add', input: ['input', 'zero'], output: ['input_plus_zero'] })
  const first = g.node!.find((n) => n.domain === 'ai.onnx.ml' && n.opType !== 'Scaler' && n.opType !== 'ZipMap') ?? g.node![1]!
  const scaler = g.node!.find((n) => n.opType === 'Scaler')
  ;(scaler ?? first).input![0] = 'input_plus_zero'
  const model = await importOnnx(encodeModel(m), { file: `${name}-ort.onnx`, featureNames: fx.features })
  expect(model.kind).toBe('onnx')
  return model
}

/** The graph with a ZipMap output replaced by the probability tensor it wraps (onnxruntime-node returns tensors only). */
function withZipMapRemoved(bytes: Uint8Array): Uint8Array {
  const m = decodeModel(bytes)
  const g = m.graph!
  const zip = g.node!.findIndex((n) => n.opType === 'ZipMap')
  if (zip < 0) return bytes
  const source = g.node![zip]!.input![0]!
  const out = g.node![zip]!.output![0]!
  g.node!.splice(zip, 1)
  const o = g.output!.find((v) => v.name === out)!
  o.name = source
  o.type = { tensorType: { elemType: 1, shape: { dim: [{ dimParam: 'N' }, {}] } } }
  return encodeModel(m)
}
