import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { consort } from '../../cli/testing/run.js'
import { saveBundle } from '../../store/artifact/bundle.js'
import { importOnnx } from './import-onnx.js'

const FIXTURES = join(import.meta.dirname, 'fixtures')
const dir = mkdtempSync(join(tmpdir(), 'consort-onnx-cli-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('an imported ONNX member in consort predict', () => {
  it('blends an onnxruntime member and an imported tree ensemble like any members', async () => {
    const load = (name: string) => JSON.parse(readFileSync(join(FIXTURES, `${name}.expected.json`), 'utf8'))
    const gbr = load('gbr-diabetes')
    const mlp = load('mlp-diabetes')
    const features: string[] = gbr.features
    const model = (name: string) => importOnnx(new Uint8Array(readFileSync(join(FIXTURES, `${name}.onnx`))), { file: `${name}.onnx`, featureNames: features })
    const [trees, onnx] = [await model('gbr-diabetes'), await model('mlp-diabetes')]
    expect([trees.kind, onnx.kind]).toEqual(['imported_trees', 'onnx'])
    const path = join(dir, 'model.tar.gz')
    await saveBundle(path, {
      manifest: {
        task: 'regression',
        features: features.map((name) => ({ name, type: 'numeric' as const })),
        blender: { kind: 'mean' },
        metrics: {},
        provenance: { dataFingerprint: 'sha256:none', spec: { name: 'onnx' }, timings: {} },
      },
      members: [
        { name: 'gbr', state: trees.toState() },
        { name: 'mlp', state: onnx.toState() },
      ],
      blenderState: { kind: 'mean', version: 1, task: 'regression', nMembers: 2, nOutputs: 1 },
    })
    const csv = join(dir, 'rows.csv')
    writeFileSync(csv, [features.join(','), ...gbr.rows.map((r: number[]) => r.join(','))].join('\n') + '\n')
    const out = join(dir, 'predictions.csv')
    const run = await consort(['predict', '--model', path, '--input', csv, '--output', out])
    expect(run.stderr).not.toMatch(/error/)
    expect(run.code).toBe(0)
    const lines = readFileSync(out, 'utf8').trim().split('\n')
    const values = lines.slice(1).map((l) => Number(l.split(',')[0]))
    expect(values.length).toBe(gbr.rows.length)
    values.forEach((v, i) => expect(v).toBeCloseTo((gbr.expected[i][0] + mlp.expected[i][0]) / 2, 3))
  }, 60_000)
})
