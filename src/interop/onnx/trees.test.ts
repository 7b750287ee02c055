import { describe, expect, it } from 'vitest'
import type { Frame } from '../../data/frame.js'
import { importOnnx } from './import-onnx.js'
import { AttributeType, DataType, encodeModel, type AttributeProto, type NodeProto } from './proto.js'

const text = new TextEncoder()
const ints = (name: string, v: number[]): AttributeProto => ({ name, type: AttributeType.INTS, ints: v })
const floats = (name: string, v: number[]): AttributeProto => ({ name, type: AttributeType.FLOATS, floats: v })
const strings = (name: string, v: string[]): AttributeProto => ({ name, type: AttributeType.STRINGS, strings: v.map((s) => text.encode(s)) })

/** One stump per (mode, missing-tracks-true) pair on feature 0 at threshold t; leaf weights tell the branch (true: 2^k, false: 0). */
function stumps(t: number, wrapped: boolean): Uint8Array {
  const modes = ['BRANCH_LEQ', 'BRANCH_LT', 'BRANCH_GTE', 'BRANCH_GT']
  const trees = modes.flatMap((m) => [[m, 0], [m, 1]] as const)
  const a: Record<string, number[]> = { treeids: [], nodeids: [], featureids: [], values: [], truenodeids: [], falsenodeids: [], tracks: [], wt: [], wn: [], wv: [] }
  const nodeModes: string[] = []
  trees.forEach(([mode, tracks], k) => {
    const add = (field: string, ...v: number[]) => a[field]!.push(...v)
    for (const [id, m] of [[0, mode], [1, 'LEAF'], [2, 'LEAF']] as const) {
      const split = id === 0
      add('treeids', k)
      add('nodeids', id)
      add('featureids', 0)
      add('values', split ? t : 0)
      add('truenodeids', split ? 1 : 0)
      add('falsenodeids', split ? 2 : 0)
      add('tracks', split ? tracks : 0)
      nodeModes.push(m)
    }
    add('wt', k, k)
    add('wn', 1, 2)
    add('wv', 2 ** k, 0)
  })
  const op: NodeProto = {
    opType: 'TreeEnsembleRegressor',
    domain: 'ai.onnx.ml',
    input: [wrapped ? 'x1' : 'x'],
    output: ['y'],
    attribute: [
      ints('nodes_treeids', a.treeids!), ints('nodes_nodeids', a.nodeids!), ints('nodes_featureids', a.featureids!), floats('nodes_values', a.values!),
      strings('nodes_modes', nodeModes), ints('nodes_truenodeids', a.truenodeids!), ints('nodes_falsenodeids', a.falsenodeids!),
      ints('nodes_missing_value_tracks_true', a.tracks!), ints('target_treeids', a.wt!), ints('target_nodeids', a.wn!), ints('target_ids', a.wt!.map(() => 0)),
      floats('target_weights', a.wv!), { name: 'n_targets', type: AttributeType.INT, i: 1 },
    ],
  }
  const tensor = (name: string, width: number) => ({ name, type: { tensorType: { elemType: DataType.FLOAT, shape: { dim: [{ dimParam: 'N' }, { dimValue: width }] } } } })
  // Wrapped: an Add of zero before the operator, which the converter does not accept, so onnxruntime runs it.
  const nodes: NodeProto[] = wrapped ? [{ opType: 'Add', input: ['x', 'zero'], output: ['x1'] }, op] : [op]
  return encodeModel({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 17 }, { domain: 'ai.onnx.ml', version: 1 }],
    graph: { name: 'stumps', node: nodes, initializer: wrapped ? [{ name: 'zero', dims: [1], dataType: DataType.FLOAT, floatData: [0] }] : [], input: [tensor('x', 1)], output: [tensor('y', 1)] },
  })
}

/** The float32 (bits 32) or float64 next to a non-zero `v` in direction `dir`. */
function next(v: number, dir: 1 | -1, bits: 32 | 64): number {
  if (bits === 32) {
    const a = new Float32Array([v])
    new Int32Array(a.buffer)[0] += (v > 0 ? 1 : -1) * dir
    return a[0]!
  }
  const a = new Float64Array([v])
  new BigInt64Array(a.buffer)[0] += (v > 0 ? 1n : -1n) * BigInt(dir)
  return a[0]!
}

describe('tree conversion against onnxruntime', () => {
  it.each([0.1, -2.5, 1e-39, 16777217])('splits values around %s as onnxruntime does, NaN included, in every mode', async (t) => {
    const t32 = Math.fround(t)
    const xs = [NaN, t, t32, next(t32, 1, 32), next(t32, -1, 32), next(t32, 1, 64), next(t32, -1, 64), (t32 + next(t32, 1, 32)) / 2, (t32 + next(t32, -1, 32)) / 2]
    xs.push(...xs.slice(5).flatMap((x) => [next(x, 1, 64), next(x, -1, 64)]))
    const frame: Frame = { nRows: xs.length, columns: [{ name: 'x', type: 'numeric', values: Float64Array.from(xs) }], schema: { fields: [{ name: 'x', type: 'numeric' }] } }
    const native = await importOnnx(stumps(t, false), { file: 'stumps.onnx', featureNames: ['x'] })
    const ort = await importOnnx(stumps(t, true), { file: 'stumps-ort.onnx', featureNames: ['x'] })
    expect([native.kind, ort.kind]).toEqual(['imported_trees', 'onnx'])
    const a = native.predict(frame)
    const b = ort.predict(frame)
    xs.forEach((x, i) => expect(a[i], `x = ${x}`).toBe(b[i]))
  })
})
