/**
 * The bytes of one member's state. Plain fields go to a JSON header; every typed array goes to a
 * raw little-endian section the header points at (dtype, offset, length), so tree tables stay
 * compact binary instead of JSON per node. Decoding rebuilds exactly what was encoded: NaN, -0 and
 * infinities included, in plain numbers and in arrays. Decoding only parses; it never runs code.
 *
 * Layout: `CSTS` | u32 codec version | u32 header length | header JSON | zero padding to 8 |
 * array sections, each starting at a multiple of 8, in header order. No Buffer or other Node-only
 * API, so bundles decode in browsers and serverless runtimes too.
 */
import { BundleError } from '../../errors.js'

/** Typed-array element types the codec stores. */
export type Dtype = 'int8' | 'uint8' | 'uint8c' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'float32' | 'float64' | 'bigint64' | 'biguint64'

type AnyTypedArray =
  | Int8Array
  | Uint8Array
  | Uint8ClampedArray
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | Float32Array
  | Float64Array
  | BigInt64Array
  | BigUint64Array

interface TypedArrayClass {
  readonly BYTES_PER_ELEMENT: number
  new (length: number): AnyTypedArray
  new (buffer: ArrayBuffer, byteOffset: number, length: number): AnyTypedArray
}

const CLASSES: Readonly<Record<Dtype, TypedArrayClass>> = {
  int8: Int8Array,
  uint8: Uint8Array,
  uint8c: Uint8ClampedArray,
  int16: Int16Array,
  uint16: Uint16Array,
  int32: Int32Array,
  uint32: Uint32Array,
  float32: Float32Array,
  float64: Float64Array,
  bigint64: BigInt64Array,
  biguint64: BigUint64Array,
}

const MAGIC = 'CSTS'
const CODEC_VERSION = 1
const PREAMBLE = 12
const ALIGN = 8
const LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1
const UTF8 = new TextDecoder('utf-8', { fatal: true })

/** Where one typed array sits in the data sections. */
interface ArraySection {
  readonly dtype: Dtype
  readonly offset: number
  readonly length: number
}

/** JSON a state encodes to: tags are objects with one `$`-key; user keys starting with `$` get one more `$`. */
type Json = null | boolean | number | string | Json[] | { [key: string]: Json }

/**
 * Encodes plain data with typed arrays (a ModelState, say) to bytes.
 * Refuses what is not plain data: functions, symbols, class instances, Maps, ArrayBuffers.
 * @example
 * const bytes = encodeState({ kind: 'linear', version: 1, coef: Float64Array.of(1, -0, NaN) })
 */
export function encodeState(value: unknown): Uint8Array {
  const arrays: AnyTypedArray[] = []
  const sections: ArraySection[] = []
  let offset = 0
  const encode = (v: unknown, path: string): Json => {
    if (v === null || typeof v === 'boolean' || typeof v === 'string') return v
    if (typeof v === 'number') return encodeNumber(v)
    if (typeof v === 'bigint') return { $bigint: v.toString() }
    if (v === undefined) return { $undefined: 1 }
    if (ArrayBuffer.isView(v)) {
      const dtype = dtypeOf(v, path)
      const ta = v as AnyTypedArray
      sections.push({ dtype, offset, length: ta.length })
      arrays.push(ta)
      offset = align(offset + ta.byteLength)
      return { $array: sections.length - 1 }
    }
    if (Array.isArray(v)) {
      const out: Json[] = []
      for (let i = 0; i < v.length; i++) out.push(encode(v[i], `${path}[${i}]`))
      return out
    }
    if (typeof v === 'object') {
      const proto: unknown = Object.getPrototypeOf(v)
      if (proto !== Object.prototype && proto !== null) throw new TypeError(`cannot encode ${path}: not plain data (${describe(v)})`)
      const out: { [key: string]: Json } = {}
      for (const [key, item] of Object.entries(v)) {
        if (item === undefined) continue
        defineKey(out, key.startsWith('$') ? `$${key}` : key, encode(item, `${path}.${key}`))
      }
      return out
    }
    throw new TypeError(`cannot encode ${path}: ${typeof v}`)
  }
  const header = new TextEncoder().encode(JSON.stringify({ value: encode(value, 'state'), arrays: sections }))
  const dataStart = align(PREAMBLE + header.length)
  const out = new Uint8Array(dataStart + offset)
  const view = new DataView(out.buffer)
  for (let i = 0; i < MAGIC.length; i++) out[i] = MAGIC.charCodeAt(i)
  view.setUint32(4, CODEC_VERSION, true)
  view.setUint32(8, header.length, true)
  out.set(header, PREAMBLE)
  arrays.forEach((ta, i) => writeLittleEndian(out, dataStart + sections[i].offset, ta))
  return out
}

/**
 * Decodes bytes from {@link encodeState}; malformed input is a BundleError (with `file` as its
 * location when given; code `unsupported_bundle_version` for a newer codec). Every typed array is
 * a fresh copy, not a view into `bytes`.
 * @example const state = decodeState(bytes, 'members/xgb.state') as ModelState
 */
export function decodeState(bytes: Uint8Array, file?: string): unknown {
  const where = file === undefined ? {} : { file }
  const fail = (why: string): never => {
    throw new BundleError(`invalid state encoding: ${why}`, where)
  }
  const buf = bytes
  if (buf.length < PREAMBLE || String.fromCharCode(buf[0], buf[1], buf[2], buf[3]) !== MAGIC) fail('bad magic')
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength)
  const version = view.getUint32(4, true)
  if (version > CODEC_VERSION) {
    throw new BundleError(`state encoding version ${version} is newer than this version of consort reads (${CODEC_VERSION}); upgrade consort`, where, 'unsupported_bundle_version')
  }
  if (version !== CODEC_VERSION) fail(`unsupported codec version ${version}`)
  const headerLength = view.getUint32(8, true)
  if (headerLength > buf.length - PREAMBLE) fail('header beyond the end')
  let header: unknown
  try {
    header = JSON.parse(UTF8.decode(buf.subarray(PREAMBLE, PREAMBLE + headerLength)))
  } catch {
    return fail('header is not JSON')
  }
  if (!isRecord(header) || !Array.isArray(header.arrays) || !('value' in header)) return fail('header lacks value or arrays')
  const dataStart = align(PREAMBLE + headerLength)
  let expected = 0
  const arrays = header.arrays.map((s: unknown, i: number): AnyTypedArray => {
    if (!isRecord(s) || typeof s.dtype !== 'string' || !Object.hasOwn(CLASSES, s.dtype)) return fail(`array ${i}: bad dtype`)
    const { offset, length } = s
    if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || (length as number) < 0) return fail(`array ${i}: bad offset or length`)
    if (offset !== expected) return fail(`array ${i}: offset ${String(offset)} out of sequence`)
    const Class = CLASSES[s.dtype as Dtype]
    const byteLength = (length as number) * Class.BYTES_PER_ELEMENT
    if (dataStart + expected + byteLength > buf.length) return fail(`array ${i}: beyond the end`)
    const ta = readLittleEndian(buf, dataStart + expected, Class, length as number)
    expected = align(expected + byteLength)
    return ta
  })
  if (dataStart + expected !== buf.length) fail('length does not match the sections')
  const used = new Set<number>()
  const decode = (v: unknown): unknown => {
    if (v === null || typeof v === 'boolean' || typeof v === 'string' || typeof v === 'number') return v
    if (Array.isArray(v)) return v.map(decode)
    if (!isRecord(v)) return fail('unexpected JSON value')
    const keys = Object.keys(v)
    if (keys.length === 1 && keys[0].startsWith('$') && !keys[0].startsWith('$$')) return decodeTag(keys[0], v[keys[0]])
    const out: Record<string, unknown> = {}
    for (const key of keys) {
      if (key.startsWith('$') && !key.startsWith('$$')) fail(`unknown tag '${key}'`)
      defineKey(out, key.startsWith('$$') ? key.slice(1) : key, decode(v[key]))
    }
    return out
  }
  const decodeTag = (tag: string, arg: unknown): unknown => {
    switch (tag) {
      case '$array': {
        if (typeof arg !== 'number' || !Number.isInteger(arg) || arg < 0 || arg >= arrays.length || used.has(arg)) return fail('bad array reference')
        used.add(arg)
        return arrays[arg]
      }
      case '$number':
        if (arg === 'NaN') return NaN
        if (arg === 'Infinity') return Infinity
        if (arg === '-Infinity') return -Infinity
        if (arg === '-0') return -0
        return fail('bad special number')
      case '$bigint':
        if (typeof arg !== 'string' || !/^-?\d+$/.test(arg)) return fail('bad bigint')
        return BigInt(arg)
      case '$undefined':
        return undefined
      default:
        return fail(`unknown tag '${tag}'`)
    }
  }
  const value = decode(header.value)
  if (used.size !== arrays.length) fail('unreferenced array section')
  return value
}

function encodeNumber(v: number): Json {
  if (Number.isNaN(v)) return { $number: 'NaN' }
  if (v === Infinity) return { $number: 'Infinity' }
  if (v === -Infinity) return { $number: '-Infinity' }
  if (Object.is(v, -0)) return { $number: '-0' }
  return v
}

function dtypeOf(v: ArrayBufferView, path: string): Dtype {
  for (const [dtype, Class] of Object.entries(CLASSES) as [Dtype, TypedArrayClass][]) {
    if (Object.getPrototypeOf(v) === Class.prototype) return dtype
  }
  throw new TypeError(`cannot encode ${path}: ${describe(v)} is not a typed array`)
}

function writeLittleEndian(out: Uint8Array, at: number, ta: AnyTypedArray): void {
  const bytes = new Uint8Array(ta.buffer, ta.byteOffset, ta.byteLength)
  out.set(bytes, at)
  if (!LITTLE_ENDIAN) swapBytes(out.subarray(at, at + ta.byteLength), ta.BYTES_PER_ELEMENT)
}

function readLittleEndian(buf: Uint8Array, at: number, Class: TypedArrayClass, length: number): AnyTypedArray {
  const ta = new Class(length)
  const bytes = new Uint8Array(ta.buffer, ta.byteOffset, ta.byteLength)
  bytes.set(buf.subarray(at, at + ta.byteLength))
  if (!LITTLE_ENDIAN) swapBytes(bytes, Class.BYTES_PER_ELEMENT)
  return ta
}

/** Reverses the bytes of each element in place (big-endian hosts only). */
function swapBytes(bytes: Uint8Array, width: number): void {
  if (width === 1) return
  for (let i = 0; i < bytes.length; i += width) bytes.subarray(i, i + width).reverse()
}

/** Sets an own property even for `__proto__`, which plain assignment would treat as the prototype. */
function defineKey(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true })
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function align(n: number): number {
  return Math.ceil(n / ALIGN) * ALIGN
}

function describe(v: object): string {
  const ctor = (v as { constructor?: { name?: unknown } }).constructor
  return typeof ctor?.name === 'string' ? ctor.name : 'object'
}
