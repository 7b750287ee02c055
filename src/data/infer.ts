/**
 * Column type inference shared by the readers (CSV, JSON Lines, Parquet).
 *
 * A column starts numeric and stays numeric while every non-missing value is a number. The first
 * text value turns it categorical: the values seen so far become categories, spelled as they were
 * in the input. Categories are numbered in first-seen order. A `types` override pins a column's
 * type instead: a numeric column then rejects text, a categorical one keeps numbers as text.
 *
 * Turning numbers back into their original text without keeping every field as a string: each
 * value records one byte saying how its text is re-derived from the float (`toFixed(k)` for a
 * short plain decimal, `String(x)` where the input had no text, as in JSON). Any other spelling
 * (long decimals, exponents, `-0`, `007`) is kept as bytes in one arena per column, about one byte
 * per character, until the column is finished: checking whether `String(x)` would give it back
 * costs more than the copy. So memory stays proportional to the input at worst, and to one byte
 * per value for the usual short decimals.
 */
import { ParamError } from '../errors.js'
import { categoricalColumn, MISSING_CODE, numericColumn, type Column, type ColumnType } from './frame.js'

export { DEFAULT_MISSING, MissingTokens, parseNumericText } from '../text/cell.js'

/**
 * Per-column type overrides, keyed by column name. A plain object is read through its own
 * enumerable entries only, so a column named `__proto__` or `toString` is just a name.
 * @example
 * const types: ColumnTypes = { zip: 'categorical', price: 'numeric' }
 */
export type ColumnTypes = ReadonlyMap<string, ColumnType> | Readonly<Record<string, ColumnType>>

/**
 * Normalises a {@link ColumnTypes} value into a Map, rejecting unknown type names.
 * @example
 * typeMap({ zip: 'categorical' }).get('zip') // 'categorical'
 */
export function typeMap(types: ColumnTypes | undefined): Map<string, ColumnType> {
  const entries: [string, unknown][] =
    types === undefined ? [] : types instanceof Map ? [...types.entries()] : Object.entries(types)
  const out = new Map<string, ColumnType>()
  for (const [name, type] of entries) {
    if (type !== 'numeric' && type !== 'categorical') {
      throw new ParamError(`type of column '${name}' must be 'numeric' or 'categorical', got ${JSON.stringify(type)}`)
    }
    out.set(name, type)
  }
  return out
}

/**
 * Throws a ParamError when an override names a column the input does not have (usually a typo).
 * @example
 * checkOverrides(new Map([['x', 'numeric']]), ['x', 'y']) // fine
 */
export function checkOverrides(types: ReadonlyMap<string, ColumnType>, names: Iterable<string>, file?: string): void {
  const known = new Set(names)
  for (const name of types.keys()) {
    if (!known.has(name)) {
      throw new ParamError(`type override names column '${name}', which the input does not have`, { file })
    }
  }
}

/**
 * Text format codes for {@link ColumnBuilder.appendNumber}: 0..100 mean `x.toFixed(code)` gives
 * the original text back.
 * @example
 * builder.appendNumber(2.5, 2) // the text was "2.50"
 */
export const FMT_MAX_FIXED = 100
/**
 * Format code: the text is `String(x)`, for inputs whose numbers have no text of their own (JSON).
 * @example
 * builder.appendNumber(0.1, FMT_SHORTEST) // text "0.1" should the column turn categorical
 */
export const FMT_SHORTEST = 254
/** The original text is kept verbatim in the builder's arena. */
const FMT_RAW = 255

const INITIAL_CAPACITY = 1024

/**
 * Grows one column value by value, numeric until a text value arrives (or pinned by an override).
 * @example
 * const b = new ColumnBuilder('size')
 * b.appendNumber(1.5, 1) // text "1.5"
 * b.appendMissing()
 * b.appendText('large') // now categorical: categories ['1.5', 'large']
 * b.build() // { type: 'categorical', codes: Int32Array [0, -1, 1], ... }
 */
export class ColumnBuilder {
  readonly name: string
  readonly override: ColumnType | undefined
  length = 0
  private capacity = INITIAL_CAPACITY
  private values: Float64Array | null
  private formats: Uint8Array | null
  private rawBytes: Uint8Array | null = null
  private rawEnds: Int32Array | null = null
  private rawCount = 0
  private codes: Int32Array | null = null
  private readonly index = new Map<string, number>()
  private readonly categories: string[] = []

  constructor(name: string, override?: ColumnType) {
    this.name = name
    this.override = override
    const categorical = override === 'categorical'
    this.values = categorical ? null : new Float64Array(this.capacity)
    // Only a column that may still turn categorical needs to remember how its numbers were spelled.
    this.formats = override === undefined ? new Uint8Array(this.capacity) : null
    if (categorical) this.codes = new Int32Array(this.capacity)
  }

  /** True once the column holds codes: text values go to {@link appendText}. */
  get categorical(): boolean {
    return this.codes !== null
  }

  /** True when the column is pinned numeric, so a text value is an error for the caller to raise. */
  get numericOnly(): boolean {
    return this.override === 'numeric'
  }

  /** Appends a number whose text is re-derived by `fmt` (0..100 for toFixed, or FMT_SHORTEST). */
  appendNumber(x: number, fmt: number): void {
    if (this.codes !== null) {
      this.appendText(fmt === FMT_SHORTEST ? String(x) : x.toFixed(fmt))
      return
    }
    if (this.length === this.capacity) this.grow()
    this.values![this.length] = x
    if (this.formats !== null) this.formats[this.length] = fmt
    this.length++
  }

  /** Appends a number whose original text no format reproduces; the text must be ASCII. */
  appendNumberWithText(x: number, text: string): void {
    if (this.codes !== null) {
      this.appendText(text)
      return
    }
    if (this.formats !== null) this.keepRaw(text)
    if (this.length === this.capacity) this.grow()
    this.values![this.length] = x
    if (this.formats !== null) this.formats[this.length] = FMT_RAW
    this.length++
  }

  appendMissing(): void {
    if (this.length === this.capacity) this.grow()
    if (this.codes !== null) this.codes[this.length] = MISSING_CODE
    else this.values![this.length] = NaN
    this.length++
  }

  /** Appends `count` missing values (JSON Lines: a key first seen after `count` rows). */
  appendMissingRun(count: number): void {
    for (let i = 0; i < count; i++) this.appendMissing()
  }

  /** Appends a category; a numeric column not pinned by an override turns categorical first. */
  appendText(text: string): void {
    if (this.codes === null) {
      if (this.override === 'numeric') throw new Error(`column '${this.name}' is pinned numeric`)
      this.toCategorical()
    }
    if (this.length === this.capacity) this.grow()
    this.codes![this.length++] = this.intern(text)
  }

  /** Makes room for `rows` values in all, so a reader that can estimate its row count grows once. */
  reserve(rows: number): void {
    if (rows > this.capacity) this.resize(rows)
  }

  /** The finished column, its array trimmed to the row count. */
  build(): Column {
    if (this.codes !== null) return categoricalColumn(this.name, trim(this.codes, this.length), this.categories)
    return numericColumn(this.name, trim(this.values!, this.length))
  }

  private intern(text: string): number {
    let code = this.index.get(text)
    if (code === undefined) {
      code = this.categories.length
      this.categories.push(text)
      this.index.set(text, code)
    }
    return code
  }

  private grow(): void {
    this.resize(this.capacity * 2)
  }

  private resize(capacity: number): void {
    if (this.values !== null) this.values = growColumn(this.values, capacity)
    if (this.formats !== null) this.formats = growArray(this.formats, capacity)
    if (this.codes !== null) this.codes = growColumn(this.codes, capacity)
    this.capacity = capacity
  }

  private keepRaw(text: string): void {
    if (this.rawBytes === null || this.rawEnds === null) {
      this.rawBytes = new Uint8Array(Math.max(256, text.length * 2))
      this.rawEnds = new Int32Array(64)
    }
    const start = this.rawCount === 0 ? 0 : this.rawEnds[this.rawCount - 1]
    let bytes = this.rawBytes
    if (start + text.length > bytes.length) bytes = this.rawBytes = growArray(bytes, 2 * (start + text.length))
    for (let i = 0; i < text.length; i++) bytes[start + i] = text.charCodeAt(i)
    if (this.rawCount === this.rawEnds.length) this.rawEnds = growArray(this.rawEnds, this.rawCount * 2)
    this.rawEnds[this.rawCount++] = start + text.length
  }

  /** Re-spells every number seen so far as its original text and switches to codes. */
  private toCategorical(): void {
    const values = this.values!
    const formats = this.formats!
    const codes = growColumn(new Int32Array(0), this.capacity)
    let raw = 0
    for (let i = 0; i < this.length; i++) {
      const x = values[i]
      if (Number.isNaN(x)) {
        codes[i] = MISSING_CODE
        continue
      }
      const fmt = formats[i]
      let text: string
      if (fmt === FMT_RAW) {
        const start = raw === 0 ? 0 : this.rawEnds![raw - 1]
        text = asciiText(this.rawBytes!, start, this.rawEnds![raw])
        raw++
      } else {
        text = fmt === FMT_SHORTEST ? String(x) : x.toFixed(fmt)
      }
      codes[i] = this.intern(text)
    }
    this.codes = codes
    this.values = null
    this.formats = null
    this.rawBytes = null
    this.rawEnds = null
  }
}

function asciiText(bytes: Uint8Array, start: number, end: number): string {
  let text = ''
  for (let i = start; i < end; i++) text += String.fromCharCode(bytes[i])
  return text
}

/**
 * A view when little would be wasted (a copy costs time and fresh memory), else a tight copy.
 */
function trim<T extends Float64Array | Int32Array>(a: T, length: number): T {
  if (length === a.length) return a
  if (a.length - length <= a.length / 16) return a.subarray(0, length) as T
  // A copy stays where the column was: a shared column stays shared.
  return a.buffer instanceof SharedArrayBuffer ? sharedArray(a.subarray(0, length) as T, length) : (a.slice(0, length) as T)
}

/** Columns of at least this many bytes live in shared memory from the start. */
const SHARED_COLUMN_BYTES = 1 << 20

/**
 * A column's values or codes at a larger capacity. A large column is allocated in shared memory,
 * so the worker threads that bin it or fit on it read it in place instead of from a copy.
 */
function growColumn<T extends Float64Array | Int32Array>(a: T, capacity: number): T {
  return capacity * a.BYTES_PER_ELEMENT < SHARED_COLUMN_BYTES ? growArray(a, capacity) : sharedArray(a, capacity)
}

/** `a` copied to the start of a new shared array of `length` elements. */
function sharedArray<T extends Float64Array | Int32Array>(a: T, length: number): T {
  const Kind = a.constructor as new (buffer: SharedArrayBuffer, byteOffset: number, length: number) => T
  const out = new Kind(new SharedArrayBuffer(length * a.BYTES_PER_ELEMENT), 0, length)
  out.set(a)
  return out
}

function growArray<T extends Float64Array | Uint8Array | Int32Array>(a: T, capacity: number): T {
  const out = new (a.constructor as new (n: number) => T)(capacity)
  out.set(a)
  return out
}
