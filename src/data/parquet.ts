/**
 * Parquet to {@link Frame}, decoded by hyparquet one column and one row group at a time.
 *
 * Types follow the file's: floats and integers (64-bit ones through `Number`, so beyond 2^53
 * they round), decimals and timestamps (milliseconds since the epoch) are numeric; strings and
 * booleans (`true` / `false`) are categorical; null and float NaN are missing. Nested columns
 * (struct, list, map) and binary values are errors. A `types` override can pin a string column
 * numeric (each value must then read as a number) or a numeric column categorical.
 */
import { parquetMetadataAsync, parquetScan, parquetSchema, type AsyncBuffer, type FileMetaData } from 'hyparquet'
import { DataError, type Location } from '../errors.js'
import { makeFrame, type Frame } from './frame.js'
import { checkOverrides, ColumnBuilder, FMT_SHORTEST, parseNumericText, typeMap, type ColumnTypes } from './infer.js'

/**
 * How to read a Parquet input.
 * @example
 * const options: ParquetOptions = { columns: ['age', 'city'], types: { zip: 'categorical' } }
 */
export interface ParquetOptions {
  /** Pins column types instead of taking them from the file. */
  types?: ColumnTypes
  /** Read only these columns, in this order. Default: every column. */
  columns?: readonly string[]
  /** Name of the input (a file path), reported in errors. */
  file?: string
}

/**
 * Reads a Parquet file held in memory or behind an {@link AsyncBuffer} (random access, such as
 * hyparquet's `asyncBufferFromFile`, which reads only the byte ranges needed).
 * @example
 * const frame = await parseParquet(await readFile('train.parquet'), { file: 'train.parquet' })
 */
export async function parseParquet(input: Uint8Array | ArrayBuffer | AsyncBuffer, options: ParquetOptions = {}): Promise<Frame> {
  const at = (loc: Location): Location => (options.file === undefined ? loc : { file: options.file, ...loc })
  const file = asyncBuffer(input)
  const types = typeMap(options.types)
  let metadata: FileMetaData
  try {
    metadata = await parquetMetadataAsync(file)
  } catch (err) {
    throw new DataError(`not a readable Parquet file: ${(err as Error).message}`, at({}))
  }
  const top = parquetSchema(metadata).children
  const available = top.map((c) => c.element.name)
  const names = options.columns === undefined ? available : [...options.columns]
  for (const name of names) {
    const node = top.find((c) => c.element.name === name)
    if (node === undefined) throw new DataError(`no column '${name}' (columns: ${available.join(', ')})`, at({ field: name }))
    if (node.children.length > 0 || node.element.repetition_type === 'REPEATED') {
      throw new DataError('nested columns (struct, list, map) are not supported', at({ field: name }))
    }
  }
  checkOverrides(types, names, options.file)

  const scan = await parquetScan({ file, metadata, columns: names })
  const columns = []
  for (const name of names) {
    const b = new ColumnBuilder(name, types.get(name))
    let row = 0
    for (const range of scan.ranges) {
      let data: ArrayLike<unknown>
      try {
        data = await scan.readColumn({ column: name, rowStart: range.rowStart, rowEnd: range.rowEnd })
      } catch (err) {
        throw new DataError(`cannot decode column: ${(err as Error).message}`, at({ field: name }))
      }
      for (let i = 0; i < data.length; i++, row++) {
        const problem = append(b, data[i])
        if (problem !== undefined) throw new DataError(`row ${row + 1}: ${problem}`, at({ field: name }))
      }
    }
    columns.push(b.build())
  }
  return makeFrame(columns)
}

/** Adds one decoded value; returns what is wrong with it, if anything. */
function append(b: ColumnBuilder, v: unknown): string | undefined {
  if (v === null || v === undefined) b.appendMissing()
  else if (typeof v === 'number') {
    if (Number.isNaN(v)) b.appendMissing()
    else b.appendNumber(v, FMT_SHORTEST)
  } else if (typeof v === 'bigint') {
    const x = Number(v)
    // Past 2^53 the float is not the integer: keep the exact digits should the column become text.
    if (BigInt(x) === v) b.appendNumber(x, FMT_SHORTEST)
    else b.appendNumberWithText(x, v.toString())
  } else if (typeof v === 'string') {
    if (!b.numericOnly) b.appendText(v)
    else {
      const x = parseNumericText(v)
      if (x === undefined) return `${JSON.stringify(v.length > 40 ? v.slice(0, 37) + '...' : v)} is not a number (the column is numeric)`
      b.appendNumber(x, FMT_SHORTEST)
    }
  } else if (typeof v === 'boolean') {
    if (b.numericOnly) b.appendNumber(v ? 1 : 0, FMT_SHORTEST)
    else b.appendText(v ? 'true' : 'false')
  } else if (v instanceof Date) {
    const t = v.getTime()
    if (Number.isNaN(t)) b.appendMissing()
    else b.appendNumber(t, FMT_SHORTEST)
  } else {
    return `values of type ${v instanceof Uint8Array ? 'binary' : typeof v} are not supported`
  }
  return undefined
}

function asyncBuffer(input: Uint8Array | ArrayBuffer | AsyncBuffer): AsyncBuffer {
  if (input instanceof ArrayBuffer) return { byteLength: input.byteLength, slice: (s, e) => input.slice(s, e) }
  if (input instanceof Uint8Array) {
    return {
      byteLength: input.byteLength,
      slice: (s, e) => {
        const part = input.subarray(s, e)
        return part.buffer.slice(part.byteOffset, part.byteOffset + part.byteLength) as ArrayBuffer
      },
    }
  }
  return input
}
