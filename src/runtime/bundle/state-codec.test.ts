import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { BundleError } from '../../errors.js'
import { decodeState, encodeState } from './state-codec.js'

/** Same value, same types, same bits: NaN payload aside, -0 and NaN must survive. */
function expectExact(actual: unknown, expected: unknown): void {
  if (ArrayBuffer.isView(expected)) {
    expect(Object.getPrototypeOf(actual)).toBe(Object.getPrototypeOf(expected))
    const a = actual as Uint8Array
    const e = expected as Uint8Array
    expect(Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(e.buffer, e.byteOffset, e.byteLength))).toBe(true)
  } else if (Array.isArray(expected)) {
    expect(Array.isArray(actual)).toBe(true)
    expect((actual as unknown[]).length).toBe(expected.length)
    expected.forEach((v, i) => expectExact((actual as unknown[])[i], v))
  } else if (typeof expected === 'object' && expected !== null) {
    const keys = Object.keys(expected).filter((k) => (expected as Record<string, unknown>)[k] !== undefined)
    expect(Object.keys(actual as object).sort()).toEqual(keys.sort())
    for (const k of keys) expectExact((actual as Record<string, unknown>)[k], (expected as Record<string, unknown>)[k])
  } else {
    expect(Object.is(actual, expected)).toBe(true)
  }
}

const doubles = fc.double()
const typedArray = fc.oneof(
  fc.float64Array(),
  fc.float32Array(),
  fc.int32Array(),
  fc.uint32Array(),
  fc.int16Array(),
  fc.uint16Array(),
  fc.int8Array(),
  fc.uint8Array(),
  fc.uint8ClampedArray(),
  fc.bigInt64Array(),
  fc.bigUint64Array(),
)
const { state } = fc.letrec((tie) => ({
  state: fc.oneof({ depthSize: 'small', withCrossShrink: true }, tie('leaf'), tie('array'), tie('object')),
  leaf: fc.oneof(doubles, fc.string(), fc.boolean(), fc.constant(null), typedArray, fc.bigInt()),
  array: fc.array(tie('state'), { maxLength: 4 }),
  object: fc.dictionary(fc.oneof(fc.string(), fc.constantFrom('$array', '$$x', '$number', '__proto__', 'constructor')), tie('state'), { maxKeys: 4 }),
}))

describe('state codec', () => {
  it('round-trips random plain data with typed arrays exactly', () => {
    fc.assert(
      fc.property(state, (value) => {
        expectExact(decodeState(encodeState(value)), value)
      }),
      { numRuns: 300 },
    )
  })

  it('keeps NaN, -0 and infinities in fields and arrays, and copies arrays out', () => {
    const value = { kind: 'k', version: 1, a: NaN, b: -0, c: [Infinity, -Infinity, -0], f: Float64Array.of(NaN, -0, 1e-310), u: Uint8Array.of(0, 255) }
    const bytes = encodeState(value)
    const back = decodeState(bytes) as typeof value
    expectExact(back, value)
    expect(back.f.buffer).not.toBe(bytes.buffer)
  })

  it('keeps a __proto__ key as data, never as the prototype', () => {
    const value = JSON.parse('{"__proto__": {"polluted": true}}') as object
    const back = decodeState(encodeState(value)) as Record<string, unknown>
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype)
    expect(Object.keys(back)).toEqual(['__proto__'])
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('refuses what is not plain data', () => {
    expect(() => encodeState({ f: () => 1 })).toThrow(TypeError)
    expect(() => encodeState({ m: new Map() })).toThrow(/not plain data/)
    expect(() => encodeState({ b: Buffer.from('x') })).toThrow(/not a typed array/)
  })

  it('refuses malformed bytes with a BundleError', () => {
    const good = encodeState({ a: Float64Array.of(1, 2), b: 'x' })
    const cases: Uint8Array[] = [new Uint8Array(0), Buffer.from('nope'), good.subarray(0, good.length - 8), Buffer.concat([good, Buffer.alloc(8)])]
    const badTag = Buffer.from(good)
    badTag.write('$arrax', badTag.indexOf('$array'), 'latin1')
    cases.push(badTag)
    for (const bytes of cases) expect(() => decodeState(bytes, 'm.state')).toThrow(BundleError)
  })

  it('names a newer codec version as unsupported, not as corrupt', () => {
    const newer = encodeState({ a: 1 })
    new DataView(newer.buffer).setUint32(4, 2, true)
    expect(() => decodeState(newer, 'm.state')).toThrow(expect.objectContaining({ code: 'unsupported_bundle_version', message: expect.stringMatching(/m\.state: state encoding version 2 is newer/) }))
    const older = encodeState({ a: 1 })
    new DataView(older.buffer).setUint32(4, 0, true)
    expect(() => decodeState(older)).toThrow(expect.objectContaining({ code: 'invalid_bundle' }))
  })
})
