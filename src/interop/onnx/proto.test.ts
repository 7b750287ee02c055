import { describe, expect, it } from 'vitest'
import { BundleError, ParamError } from '../../errors.js'
import { AttributeType, DataType, decodeModel, encodeModel, type ModelProto } from './proto.js'
import { WIRE, WireWriter } from './wire.js'

/** `inner` as field `field` (length-delimited) of a new message. */
function nested(field: number, inner: Uint8Array): Uint8Array {
  const w = new WireWriter()
  w.tag(field, WIRE.LEN)
  w.bytes(inner)
  return w.finish()
}

/** A model whose graph's first node has the one attribute `attribute` (its encoded bytes). */
function modelOfAttribute(attribute: Uint8Array): Uint8Array {
  return nested(7, nested(1, nested(5, attribute)))
}

const model: ModelProto = {
  irVersion: 8,
  producerName: 'consort',
  opsetImport: [{ domain: '', version: 17 }, { domain: 'ai.onnx.ml', version: 3 }],
  metadataProps: [{ key: 'k', value: 'v' }],
  graph: {
    name: 'g',
    node: [
      {
        opType: 'TreeEnsembleRegressor',
        domain: 'ai.onnx.ml',
        input: ['X'],
        output: ['Y'],
        attribute: [
          { name: 'nodes_values', type: AttributeType.FLOATS, floats: [0.5, -1.25, 3] },
          { name: 'nodes_treeids', type: AttributeType.INTS, ints: [0, 1, -1, 2 ** 40] },
          { name: 'post_transform', type: AttributeType.STRING, s: new TextEncoder().encode('NONE') },
          { name: 'base_values_as_tensor', type: AttributeType.TENSOR, t: { dims: [2], dataType: DataType.DOUBLE, doubleData: [0.1, 1e-300] } },
        ],
      },
    ],
    initializer: [{ name: 'W', dims: [2, 1], dataType: DataType.FLOAT, rawData: new Uint8Array([0, 0, 128, 63, 0, 0, 0, 64]) }],
    input: [{ name: 'X', type: { tensorType: { elemType: DataType.FLOAT, shape: { dim: [{ dimParam: 'N' }, { dimValue: 10 }] } } } }],
    output: [{ name: 'Y', type: { tensorType: { elemType: DataType.FLOAT, shape: { dim: [{ dimParam: 'N' }, { dimValue: 1 }] } } } }],
  },
}

describe('encodeModel / decodeModel', () => {
  it('round-trips every kind of field', () => {
    const back = decodeModel(encodeModel(model), 'm.onnx')
    expect(back.irVersion).toBe(8)
    expect(back.opsetImport).toEqual(model.opsetImport)
    expect(back.metadataProps).toEqual(model.metadataProps)
    const node = back.graph!.node![0]!
    expect(node.opType).toBe('TreeEnsembleRegressor')
    expect(node.attribute![0]!.floats).toEqual([0.5, -1.25, 3])
    expect(node.attribute![1]!.ints).toEqual([0, 1, -1, 2 ** 40])
    expect(new TextDecoder().decode(node.attribute![2]!.s)).toBe('NONE')
    expect(node.attribute![3]!.t!.doubleData).toEqual([0.1, 1e-300])
    expect(back.graph!.initializer![0]!.rawData).toEqual(model.graph!.initializer![0]!.rawData)
    expect(back.graph!.input![0]!.type!.tensorType!.shape!.dim).toEqual([{ dimParam: 'N' }, { dimValue: 10 }])
    expect(encodeModel(back)).toEqual(encodeModel(model))
  })

  it('gives absent repeated fields as empty arrays and leaves absent scalars out', () => {
    const back = decodeModel(encodeModel({ irVersion: 3 }))
    expect(back.opsetImport).toEqual([])
    expect(back.graph).toBeUndefined()
    expect(back.producerName).toBeUndefined()
  })

  it('rounds floats to float32 and keeps doubles whole', () => {
    const back = decodeModel(encodeModel({ graph: { node: [{ attribute: [{ name: 'a', f: 0.1, floats: [0.1] }] }] } }))
    expect(back.graph!.node![0]!.attribute![0]!.f).toBe(Math.fround(0.1))
    expect(back.graph!.node![0]!.attribute![0]!.floats).toEqual([Math.fround(0.1)])
  })

  it('reads packed and unpacked repeated scalars alike, and skips unknown fields', () => {
    // A TensorProto with dims packed (onnx writes them unpacked) and float_data unpacked (onnx packs them).
    const tensor = new WireWriter()
    const dims = new WireWriter()
    dims.varint(2)
    dims.varint(3)
    tensor.tag(1, WIRE.LEN)
    tensor.bytes(dims.finish())
    tensor.tag(4, WIRE.FIXED32)
    tensor.float(1.5)
    tensor.tag(4, WIRE.FIXED32)
    tensor.float(2.5)
    tensor.tag(99, WIRE.FIXED64) // unknown fields of every wire type
    tensor.double(7)
    tensor.tag(98, WIRE.VARINT)
    tensor.int64(-5)
    tensor.tag(97, WIRE.FIXED32)
    tensor.float(1)
    tensor.tag(96, WIRE.LEN)
    tensor.string('skip me')
    const t = decodeModel(modelOfAttribute(nested(5, tensor.finish()))).graph!.node![0]!.attribute![0]!.t!
    expect(t.dims).toEqual([2, 3])
    expect(t.floatData).toEqual([1.5, 2.5])
  })

  it('refuses an int64 beyond 2^53 with the field path', () => {
    // An attribute { name: 'a', ints: [1, 2^60 + 1] }, built by hand: the encoder refuses such a value.
    const big = new Uint8Array([0x81, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x10]) // 2^60 + 1
    const attr = new WireWriter()
    attr.tag(1, WIRE.LEN)
    attr.string('a')
    attr.tag(8, WIRE.VARINT)
    attr.int64(1)
    attr.tag(8, WIRE.VARINT)
    const head = attr.finish()
    const attrBytes = new Uint8Array([...head, ...big])
    expect(() => decodeModel(modelOfAttribute(attrBytes), 'big.onnx')).toThrow(/big\.onnx, field 'graph\.node\[0\]\.attribute\[0\]\.ints\[1\]': not a readable ONNX model: integer 1152921504606846977 is beyond 2\^53$/)
  })

  it('names the file and the field of truncated bytes', () => {
    const bytes = encodeModel(model)
    try {
      decodeModel(bytes.subarray(0, bytes.length - 3), 'cut.onnx')
      expect.unreachable()
    } catch (e) {
      expect(e).toBeInstanceOf(BundleError)
      expect((e as BundleError).location.file).toBe('cut.onnx')
      expect((e as BundleError).location.field).toBe('metadataProps[0]')
    }
    expect(() => decodeModel(new Uint8Array(), 'empty.onnx')).toThrow(/empty\.onnx: not an ONNX model: the file is empty/)
    expect(() => decodeModel(new TextEncoder().encode('{"learner": {}}'), 'model.json')).toThrow(BundleError)
  })

  it('never crashes on truncated or corrupted bytes (fuzz)', () => {
    const bytes = encodeModel(model)
    let seed = 12345
    const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32)
    const tries: Uint8Array[] = []
    for (let n = 0; n < bytes.length; n++) tries.push(bytes.subarray(0, n))
    for (let k = 0; k < 3000; k++) {
      const b = bytes.slice()
      const flips = 1 + Math.floor(rand() * 4)
      for (let j = 0; j < flips; j++) b[Math.floor(rand() * b.length)] = Math.floor(rand() * 256)
      tries.push(b)
    }
    for (let k = 0; k < 500; k++) tries.push(Uint8Array.from({ length: Math.floor(rand() * 64) }, () => Math.floor(rand() * 256)))
    let refused = 0
    for (const b of tries) {
      try {
        decodeModel(b, 'fuzz.onnx')
      } catch (e) {
        expect(e).toBeInstanceOf(BundleError)
        expect((e as Error).message).toMatch(/^fuzz\.onnx/)
        refused++
      }
    }
    expect(refused).toBeGreaterThan(tries.length / 4)
  })

  it('refuses a value of the wrong type on encode with its path', () => {
    expect(() => encodeModel({ graph: { node: [{ attribute: [{ name: 'a', ints: [1.5] }] }] } })).toThrow(ParamError)
    expect(() => encodeModel({ graph: { node: [{ attribute: [{ name: 'a', ints: [1.5] }] }] } })).toThrow(/graph\.node\[0\]\.attribute\[0\]\.ints\[0\]/)
    expect(() => encodeModel({ irVersion: 2 ** 60 })).toThrow(/irVersion/)
  })
})
