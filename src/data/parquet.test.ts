import { describe, expect, it } from 'vitest'
import { DataError, ParamError } from '../errors.js'
import { parseParquet } from './parquet.js'
import { plain } from './testing/frames.js'

// ---- A minimal Parquet writer, for fixtures ---------------------------------------------------
// hyparquet only reads, so the tests build their files: one data page per column chunk, PLAIN
// encoding, no compression, metadata in Thrift's compact protocol. What hyparquet accepts here is
// what any conforming writer produces for such simple files.

type ParquetKind = 'DOUBLE' | 'FLOAT' | 'INT32' | 'INT64' | 'BOOLEAN' | 'UTF8' | 'TIMESTAMP_MILLIS'
type Value = number | bigint | string | boolean | null
interface FixtureColumn {
  name: string
  kind: ParquetKind
  optional?: boolean
  values: Value[]
}

const PHYSICAL: Record<ParquetKind, number> = { BOOLEAN: 0, INT32: 1, INT64: 2, FLOAT: 4, DOUBLE: 5, UTF8: 6, TIMESTAMP_MILLIS: 2 }
const CONVERTED: Partial<Record<ParquetKind, number>> = { UTF8: 0, TIMESTAMP_MILLIS: 9 }
const T_I32 = 5
const T_I64 = 6
const T_BINARY = 8
const T_LIST = 9
const T_STRUCT = 12

/** Thrift compact protocol, just the parts Parquet metadata needs. */
class Compact {
  readonly out: number[] = []
  private last: number[] = [0]

  private varint(v: bigint): void {
    while (v >= 0x80n) {
      this.out.push(Number(v & 0x7fn) | 0x80)
      v >>= 7n
    }
    this.out.push(Number(v))
  }
  private zigzag(v: number | bigint): void {
    const b = BigInt(v)
    this.varint(b >= 0n ? b << 1n : (-b << 1n) - 1n)
  }
  private field(id: number, type: number): void {
    const delta = id - this.last[this.last.length - 1]
    if (delta > 0 && delta <= 15) this.out.push((delta << 4) | type)
    else {
      this.out.push(type)
      this.zigzag(id)
    }
    this.last[this.last.length - 1] = id
  }
  i32(id: number, v: number): this {
    this.field(id, T_I32)
    this.zigzag(v)
    return this
  }
  i64(id: number, v: number | bigint): this {
    this.field(id, T_I64)
    this.zigzag(v)
    return this
  }
  string(id: number, s: string): this {
    this.field(id, T_BINARY)
    const bytes = new TextEncoder().encode(s)
    this.varint(BigInt(bytes.length))
    this.out.push(...bytes)
    return this
  }
  struct(id: number, body: (c: this) => void): this {
    this.field(id, T_STRUCT)
    this.body(body)
    return this
  }
  body(body: (c: this) => void): this {
    this.last.push(0)
    body(this)
    this.out.push(0)
    this.last.pop()
    return this
  }
  list<T>(id: number, elementType: number, items: readonly T[], write: (c: this, item: T) => void): this {
    this.field(id, T_LIST)
    if (items.length < 15) this.out.push((items.length << 4) | elementType)
    else {
      this.out.push(0xf0 | elementType)
      this.varint(BigInt(items.length))
    }
    for (const item of items) write(this, item)
    return this
  }
  listI32(id: number, items: readonly number[]): this {
    return this.list(id, T_I32, items, (c, v) => c.zigzag(v))
  }
  listString(id: number, items: readonly string[]): this {
    return this.list(id, T_BINARY, items, (c, s) => {
      const bytes = new TextEncoder().encode(s)
      c.varint(BigInt(bytes.length))
      c.out.push(...bytes)
    })
  }
}

function plainValues(kind: ParquetKind, values: Value[]): number[] {
  const out: number[] = []
  const view = new DataView(new ArrayBuffer(8))
  const push = (n: number): void => {
    out.push(...new Uint8Array(view.buffer, 0, n))
  }
  if (kind === 'BOOLEAN') {
    for (let i = 0; i < values.length; i += 8) {
      let byte = 0
      for (let b = 0; b < 8 && i + b < values.length; b++) if (values[i + b]) byte |= 1 << b
      out.push(byte)
    }
    return out
  }
  for (const v of values) {
    if (kind === 'DOUBLE') {
      view.setFloat64(0, v as number, true)
      push(8)
    } else if (kind === 'FLOAT') {
      view.setFloat32(0, v as number, true)
      push(4)
    } else if (kind === 'INT32') {
      view.setInt32(0, v as number, true)
      push(4)
    } else if (kind === 'INT64' || kind === 'TIMESTAMP_MILLIS') {
      view.setBigInt64(0, BigInt(v as number | bigint), true)
      push(8)
    } else {
      const bytes = new TextEncoder().encode(v as string)
      view.setInt32(0, bytes.length, true)
      push(4)
      out.push(...bytes)
    }
  }
  return out
}

/** Definition levels (1 = present) as one bit-packed run, length-prefixed as data page v1 wants. */
function definitionLevels(values: Value[]): number[] {
  const groups = Math.ceil(values.length / 8)
  const run: number[] = []
  let header = (groups << 1) | 1
  while (header >= 0x80) {
    run.push((header & 0x7f) | 0x80)
    header >>>= 7
  }
  run.push(header)
  for (let g = 0; g < groups; g++) {
    let byte = 0
    for (let b = 0; b < 8; b++) if (values[g * 8 + b] !== null && g * 8 + b < values.length) byte |= 1 << b
    run.push(byte)
  }
  return [run.length & 0xff, (run.length >> 8) & 0xff, 0, 0, ...run]
}

/**
 * Writes a Parquet file; `groupSize` rows per row group. A column named `nested.x` is written
 * inside a struct `nested`, to test what the reader refuses.
 */
function writeParquet(columns: FixtureColumn[], groupSize = Infinity): Uint8Array {
  const nRows = columns[0].values.length
  const bytes: number[] = [...new TextEncoder().encode('PAR1')]
  const groups: { columns: { offset: number; size: number; rows: number; column: FixtureColumn }[]; rows: number }[] = []
  for (let start = 0; start < Math.max(nRows, 1); start += groupSize) {
    const end = Math.min(nRows, start + groupSize)
    const chunks = columns.map((column) => {
      const values = column.values.slice(start, end)
      const page = [...(column.optional ? definitionLevels(values) : []), ...plainValues(column.kind, values.filter((v) => v !== null))]
      const header = new Compact()
        .body((c) =>
          c
            .i32(1, 0)
            .i32(2, page.length)
            .i32(3, page.length)
            .struct(5, (d) => d.i32(1, values.length).i32(2, 0).i32(3, 3).i32(4, 3)),
        )
        .out.slice()
      const offset = bytes.length
      bytes.push(...header, ...page)
      return { offset, size: header.length + page.length, rows: values.length, column }
    })
    groups.push({ columns: chunks, rows: end - start })
  }
  const leaf = (c: Compact, column: FixtureColumn, name: string): void => {
    c.body((e) => {
      e.i32(1, PHYSICAL[column.kind]).i32(3, column.optional ? 1 : 0).string(4, name)
      if (CONVERTED[column.kind] !== undefined) e.i32(6, CONVERTED[column.kind]!)
    })
  }
  const schema: ((c: Compact) => void)[] = []
  const topLevel = [...new Set(columns.map((c) => c.name.split('.')[0]))]
  schema.push((c) => c.body((e) => e.string(4, 'schema').i32(5, topLevel.length)))
  for (const column of columns) {
    const [group, name] = column.name.split('.')
    if (name === undefined) schema.push((c) => leaf(c, column, group))
    else {
      schema.push((c) => c.body((e) => e.i32(3, 1).string(4, group).i32(5, 1)))
      schema.push((c) => leaf(c, column, name))
    }
  }
  const footer = new Compact()
    .body((m) =>
      m
        .i32(1, 1)
        .list(2, T_STRUCT, schema, (c, write) => write(c))
        .i64(3, nRows)
        .list(4, T_STRUCT, groups, (c, g) =>
          c.body((rg) =>
            rg
              .list(1, T_STRUCT, g.columns, (cc, chunk) =>
                cc.body((cch) =>
                  cch.i64(2, chunk.offset).struct(3, (md) =>
                    md
                      .i32(1, PHYSICAL[chunk.column.kind])
                      .listI32(2, [0, 3])
                      .listString(3, chunk.column.name.split('.'))
                      .i32(4, 0)
                      .i64(5, chunk.rows)
                      .i64(6, chunk.size)
                      .i64(7, chunk.size)
                      .i64(9, chunk.offset),
                  ),
                ),
              )
              .i64(2, g.columns.reduce((s, c) => s + c.size, 0))
              .i64(3, g.rows),
          ),
        ),
    )
    .out.slice()
  bytes.push(...footer, footer.length & 0xff, (footer.length >> 8) & 0xff, (footer.length >> 16) & 0xff, 0)
  bytes.push(...new TextEncoder().encode('PAR1'))
  return Uint8Array.from(bytes)
}

// ---- Tests ------------------------------------------------------------------------------------

async function errorOf(run: () => Promise<unknown>): Promise<DataError> {
  try {
    await run()
  } catch (err) {
    if (err instanceof DataError) return err
    throw err
  }
  throw new Error('expected a DataError')
}

const mixed: FixtureColumn[] = [
  { name: 'x', kind: 'DOUBLE', optional: true, values: [1.5, null, -0.25, NaN, 1e300] },
  { name: 'i', kind: 'INT32', values: [1, -2, 3, 2147483647, 0] },
  { name: 'big', kind: 'INT64', values: [1n, -5n, 2n ** 53n + 1n, 0n, 42n] },
  { name: 'f', kind: 'FLOAT', values: [0.5, 1, -2, 3.25, 0] },
  { name: 'flag', kind: 'BOOLEAN', optional: true, values: [true, false, null, true, false] },
  { name: 'city', kind: 'UTF8', optional: true, values: ['Zürich', 'Oslo', null, 'Zürich', ''] },
  { name: 'when', kind: 'TIMESTAMP_MILLIS', values: [0, 86_400_000, 1_700_000_000_000, -1000, 5] },
]

describe('parseParquet', () => {
  it('maps Parquet types to numeric and categorical columns', async () => {
    const f = await parseParquet(writeParquet(mixed))
    expect(f.nRows).toBe(5)
    expect(plain(f)).toEqual([
      { name: 'x', values: [1.5, NaN, -0.25, NaN, 1e300] },
      { name: 'i', values: [1, -2, 3, 2147483647, 0] },
      { name: 'big', values: [1, -5, 2 ** 53, 0, 42] },
      { name: 'f', values: [0.5, 1, -2, 3.25, 0] },
      { name: 'flag', codes: [0, 1, -1, 0, 1], categories: ['true', 'false'] },
      { name: 'city', codes: [0, 1, -1, 0, 2], categories: ['Zürich', 'Oslo', ''] },
      { name: 'when', values: [0, 86_400_000, 1_700_000_000_000, -1000, 5] },
    ])
  })

  it('reads every row group, from bytes or an ArrayBuffer', async () => {
    const values = Array.from({ length: 23 }, (_, i) => i * 0.5)
    const file = writeParquet(
      [
        { name: 'v', kind: 'DOUBLE', values },
        { name: 's', kind: 'UTF8', optional: true, values: values.map((v) => (v % 2 === 0 ? null : `s${v}`)) },
      ],
      5,
    )
    const f = await parseParquet(file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength) as ArrayBuffer)
    expect(f.nRows).toBe(23)
    expect(plain(f)[0]).toEqual({ name: 'v', values })
    const s = f.columns[1]
    expect(s.type === 'categorical' && Array.from(s.codes, (c) => (c < 0 ? null : s.categories[c]))).toEqual(values.map((v) => (v % 2 === 0 ? null : `s${v}`)))
  })

  it('reads the chosen columns in the chosen order', async () => {
    const f = await parseParquet(writeParquet(mixed), { columns: ['city', 'i'] })
    expect(f.columns.map((c) => c.name)).toEqual(['city', 'i'])
    await expect(parseParquet(writeParquet(mixed), { columns: ['nope'] })).rejects.toThrow(DataError)
  })

  it('applies type overrides', async () => {
    const file = writeParquet([
      { name: 'n', kind: 'UTF8', values: ['1.5', ' 2', '-inf'] },
      { name: 'c', kind: 'INT64', values: [1n, 2n ** 60n + 1n, 1n] },
      { name: 'b', kind: 'BOOLEAN', values: [true, false, true] },
    ])
    const f = await parseParquet(file, { types: { n: 'numeric', c: 'categorical', b: 'numeric' } })
    expect(plain(f)).toEqual([
      { name: 'n', values: [1.5, 2, -Infinity] },
      { name: 'c', codes: [0, 1, 0], categories: ['1', '1152921504606846977'] },
      { name: 'b', values: [1, 0, 1] },
    ])
    const err = await errorOf(() => parseParquet(writeParquet([{ name: 'n', kind: 'UTF8', values: ['1', 'x'] }]), { types: { n: 'numeric' }, file: 'p.parquet' }))
    expect(err.location).toEqual({ file: 'p.parquet', field: 'n' })
    expect(err.message).toMatch(/row 2: "x" is not a number/)
    await expect(parseParquet(file, { types: { zz: 'numeric' } })).rejects.toThrow(ParamError)
  })

  it('keeps the exact digits of a large integer column that turns categorical by override', async () => {
    const f = await parseParquet(writeParquet([{ name: 'id', kind: 'INT64', values: [2n ** 63n - 1n] }]), { types: { id: 'categorical' } })
    expect(plain(f)).toEqual([{ name: 'id', codes: [0], categories: ['9223372036854775807'] }])
  })

  it('refuses nested columns, naming them', async () => {
    const file = writeParquet([
      { name: 'a', kind: 'DOUBLE', values: [1] },
      { name: 'nested.x', kind: 'DOUBLE', values: [2] },
    ])
    const err = await errorOf(() => parseParquet(file, { file: 'n.parquet' }))
    expect(err.location).toEqual({ file: 'n.parquet', field: 'nested' })
    expect(err.message).toMatch(/nested/)
    expect(plain(await parseParquet(file, { columns: ['a'] }))).toEqual([{ name: 'a', values: [1] }])
  })

  it('reports a file that is not Parquet, or is cut short', async () => {
    const file = writeParquet(mixed)
    for (const bad of [new TextEncoder().encode('a,b\n1,2\n'), file.subarray(0, file.length - 9), new Uint8Array(0)]) {
      const err = await errorOf(() => parseParquet(bad, { file: 'bad.parquet' }))
      expect(err.location).toEqual({ file: 'bad.parquet' })
    }
  })
})
