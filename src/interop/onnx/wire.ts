/**
 * The protocol-buffers wire format, as much of it as ONNX files use: varints (int32, int64, enums),
 * fixed32 floats, fixed64 doubles and length-delimited fields (strings, bytes, sub-messages and
 * packed repeated scalars). No zigzag: onnx.proto has no sint fields. Groups are not read (no
 * ONNX message has one). Pure and isomorphic: a Uint8Array in, a Uint8Array out.
 */

/** The four wire types of the fields this reader knows. */
export const WIRE = { VARINT: 0, FIXED64: 1, LEN: 2, FIXED32: 5 } as const

/**
 * Why bytes could not be read: the message path is added by the caller, which knows it.
 * @example
 * try { new WireReader(new Uint8Array([0x80])).varint() } catch (e) { (e as WireFault).message } // 'truncated varint'
 */
export class WireFault extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'WireFault'
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true })

/**
 * A cursor over protobuf bytes. Every read checks its bounds and throws a {@link WireFault}.
 * @example
 * const r = new WireReader(new Uint8Array([0x08, 0x96, 0x01]))
 * r.tag() // { field: 1, wire: 0 }
 * r.varint() // 150
 */
export class WireReader {
  pos: number
  constructor(
    readonly bytes: Uint8Array,
    start = 0,
    readonly end = bytes.length,
  ) {
    this.pos = start
  }

  /** Whether bytes remain before `end`. */
  more(): boolean {
    return this.pos < this.end
  }

  /** A field key: its number and wire type. */
  tag(): { field: number; wire: number } {
    const key = this.varint()
    const field = Math.floor(key / 8)
    if (field < 1 || field > 0x1fffffff) throw new WireFault(`invalid field number ${field}`)
    return { field, wire: key % 8 }
  }

  /**
   * An unsigned varint of up to 64 bits as a number; a value past 2^53 is refused (int64 in ONNX
   * holds counts, sizes and ids, never that large), and a sign-extended negative int64 is read by
   * {@link int64}.
   */
  varint(): number {
    const b = this.bytes
    let value = 0
    let scale = 1
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new WireFault('truncated varint')
      const byte = b[this.pos++]!
      value += (byte & 0x7f) * scale
      if (byte < 0x80) {
        if (value > Number.MAX_SAFE_INTEGER) throw new WireFault(`integer ${value} is beyond 2^53`)
        return value
      }
      scale *= 128
    }
    throw new WireFault('varint longer than 10 bytes')
  }

  /** A signed int64 (two's complement on 10 bytes when negative), refused beyond ±2^53. */
  int64(): number {
    const b = this.bytes
    let last = this.pos
    while (last < this.end && last - this.pos < 10 && b[last]! >= 0x80) last++
    // Up to 8 bytes holds 56 bits, never negative: the number path suffices.
    if (last - this.pos < 8) return this.varint()
    let value = 0n
    let shift = 0n
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new WireFault('truncated varint')
      const byte = b[this.pos++]!
      value |= BigInt(byte & 0x7f) << shift
      shift += 7n
      if (byte < 0x80) {
        const signed = BigInt.asIntN(64, value)
        if (signed > BigInt(Number.MAX_SAFE_INTEGER) || signed < BigInt(Number.MIN_SAFE_INTEGER)) {
          throw new WireFault(`integer ${signed} is beyond 2^53`)
        }
        return Number(signed)
      }
    }
    throw new WireFault('varint longer than 10 bytes')
  }

  /** A signed int32 (negative values arrive sign-extended to 10 bytes). */
  int32(): number {
    const v = this.int64()
    if (v < -(2 ** 31) || v >= 2 ** 31) throw new WireFault(`integer ${v} does not fit in int32`)
    return v
  }

  /** A little-endian float32, widened to a number exactly. */
  float(): number {
    if (this.end - this.pos < 4) throw new WireFault('truncated float')
    const v = new DataView(this.bytes.buffer, this.bytes.byteOffset + this.pos, 4).getFloat32(0, true)
    this.pos += 4
    return v
  }

  /** A little-endian float64. */
  double(): number {
    if (this.end - this.pos < 8) throw new WireFault('truncated double')
    const v = new DataView(this.bytes.buffer, this.bytes.byteOffset + this.pos, 8).getFloat64(0, true)
    this.pos += 8
    return v
  }

  /** The bounds of a length-delimited field's payload; the cursor moves past it. */
  span(): { start: number; end: number } {
    const length = this.varint()
    if (length > this.end - this.pos) throw new WireFault(`length ${length} runs past the end (${this.end - this.pos} bytes left)`)
    const start = this.pos
    this.pos += length
    return { start, end: this.pos }
  }

  /** A length-delimited field's payload, copied (the result does not pin the file's buffer). */
  bytesField(): Uint8Array {
    const { start, end } = this.span()
    return this.bytes.slice(start, end)
  }

  /** A length-delimited UTF-8 string. */
  string(): string {
    const { start, end } = this.span()
    try {
      return utf8.decode(this.bytes.subarray(start, end))
    } catch {
      throw new WireFault('string is not valid UTF-8')
    }
  }

  /** Skip a field of an unknown number. */
  skip(wire: number): void {
    if (wire === WIRE.VARINT) this.varint64Skip()
    else if (wire === WIRE.FIXED64) this.advance(8)
    else if (wire === WIRE.LEN) this.span()
    else if (wire === WIRE.FIXED32) this.advance(4)
    else throw new WireFault(`unsupported wire type ${wire}`)
  }

  private varint64Skip(): void {
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new WireFault('truncated varint')
      if (this.bytes[this.pos++]! < 0x80) return
    }
    throw new WireFault('varint longer than 10 bytes')
  }

  private advance(n: number): void {
    if (this.end - this.pos < n) throw new WireFault('truncated field')
    this.pos += n
  }
}

/**
 * A growing byte buffer that writes protobuf fields.
 * @example
 * const w = new WireWriter()
 * w.tag(1, 0); w.varint(150)
 * w.finish() // Uint8Array [0x08, 0x96, 0x01]
 */
export class WireWriter {
  private buf = new Uint8Array(256)
  private view = new DataView(this.buf.buffer)
  private len = 0

  private room(n: number): void {
    if (this.len + n <= this.buf.length) return
    let size = this.buf.length * 2
    while (size < this.len + n) size *= 2
    const next = new Uint8Array(size)
    next.set(this.buf.subarray(0, this.len))
    this.buf = next
    this.view = new DataView(next.buffer)
  }

  /** A field key. */
  tag(field: number, wire: number): void {
    this.varint(field * 8 + wire)
  }

  /** A non-negative integer as a varint (up to 2^53). */
  varint(v: number): void {
    this.room(10)
    while (v >= 0x80) {
      this.buf[this.len++] = (v % 128) | 0x80
      v = Math.floor(v / 128)
    }
    this.buf[this.len++] = v
  }

  /** A signed integer: a negative one sign-extended to 10 bytes, as protobuf writes int32 and int64. */
  int64(v: number): void {
    if (v >= 0) return this.varint(v)
    let u = BigInt.asUintN(64, BigInt(v))
    this.room(10)
    while (u >= 0x80n) {
      this.buf[this.len++] = Number(u & 0x7fn) | 0x80
      u >>= 7n
    }
    this.buf[this.len++] = Number(u)
  }

  /** A little-endian float32 (the value rounded to float32). */
  float(v: number): void {
    this.room(4)
    this.view.setFloat32(this.len, v, true)
    this.len += 4
  }

  /** A little-endian float64. */
  double(v: number): void {
    this.room(8)
    this.view.setFloat64(this.len, v, true)
    this.len += 8
  }

  /** Length-delimited bytes. */
  bytes(b: Uint8Array): void {
    this.varint(b.length)
    this.room(b.length)
    this.buf.set(b, this.len)
    this.len += b.length
  }

  /** Length-delimited UTF-8 text. */
  string(s: string): void {
    this.bytes(new TextEncoder().encode(s))
  }

  /** The bytes written so far (a copy the writer no longer touches). */
  finish(): Uint8Array {
    return this.buf.slice(0, this.len)
  }
}
