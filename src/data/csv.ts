/**
 * CSV to {@link Frame}: a byte-level parser over Uint8Array chunks, the hot path of data loading.
 *
 * Format (RFC 4180 plus what real files do): a header row names the columns; fields are separated
 * by one ASCII delimiter; a field that starts with `"` is quoted and may hold delimiters, line
 * breaks and doubled quotes (`""` for `"`); records end with LF, CRLF or a lone CR (old Mac files,
 * as Python's `csv` and pandas read them); a UTF-8 byte order mark at the very start of the input
 * is skipped, and one anywhere else is data; blank lines are skipped. Quoting does not change a value: `"1.5"` is a number and
 * `"NA"` is missing. Missing tokens (see {@link DEFAULT_MISSING}) are compared case-insensitively.
 *
 * Why bytes and not strings: a numeric field is parsed straight from its bytes (a plain decimal
 * with at most 15 significant digits is exact as `digits / 10^k`); only other spellings and text
 * fields are decoded. Input arrives in chunks; a record cut by a chunk boundary is parsed again
 * once the rest has arrived, and nothing is kept per field beyond the typed column buffers.
 */
import { DataError, ParamError, type Location } from '../errors.js'
import { makeFrame, type ColumnType, type Frame } from './frame.js'
import {
  checkOverrides,
  ColumnBuilder,
  DEFAULT_MISSING,
  FMT_MAX_FIXED,
  MissingTokens,
  parseNumericText,
  typeMap,
  type ColumnTypes,
} from './infer.js'

/**
 * How to read a CSV input.
 * @example
 * const options: CsvOptions = { delimiter: ';', types: { zip: 'categorical' }, missing: ['', '?'], file: 'in.csv' }
 */
export interface CsvOptions {
  /** Field separator, one ASCII character other than a quote or a line break. Default `,`. */
  delimiter?: string
  /** Pins column types instead of inferring them. */
  types?: ColumnTypes
  /** Text read as missing, case-insensitively. Default {@link DEFAULT_MISSING}. */
  missing?: readonly string[]
  /** Column names for input without a header row: the first row is then data. */
  names?: readonly string[]
  /** Name of the input (a file path), reported in errors. */
  file?: string
  /** Expected input size in bytes, if known: column buffers are then sized once, up front. */
  sizeHint?: number
  /**
   * Called with the column names once they are known (header read, or `names` given), before any
   * row and before `types` is checked against them. Throw to refuse the input, say when a column
   * the caller needs is absent.
   */
  onHeader?: (names: readonly string[]) => void
}

const QUOTE = 0x22
const LF = 0x0a
const CR = 0x0d
const MINUS = 0x2d
const DOT = 0x2e
const ZERO = 0x30
const EMPTY = new Uint8Array(0)
/** Exact powers of ten: `m / POW10[k]` is correctly rounded while m < 2^53 and k <= 22. */
const POW10 = Float64Array.from({ length: 23 }, (_, k) => 10 ** k)

/** Staged format of a field that is not a plain decimal. */
const NOT_FAST = 255
/** Staged format of a plain decimal too long (or oddly spelled, as `-0` or `007`) for the fast path. */
const LONG_DECIMAL = 254

const PLAIN = 0
const QUOTED = 1
const ESCAPED = 2

/**
 * Incremental CSV parser: feed byte chunks with {@link CsvParser.push}, then call
 * {@link CsvParser.finish}. Chunks may split records, fields and UTF-8 sequences anywhere.
 * @example
 * const p = new CsvParser({ file: 'in.csv' })
 * p.push(new TextEncoder().encode('x,y\n1,a\n'))
 * const frame = p.finish() // x numeric, y categorical
 */
export class CsvParser {
  private readonly delimiter: number
  private readonly types: Map<string, ColumnType>
  private readonly missing: MissingTokens
  private readonly fastNumbers: boolean
  private readonly file: string | undefined
  private readonly sizeHint: number
  private readonly onHeader: ((names: readonly string[]) => void) | undefined
  /** Bytes of input scanned so far and data rows committed, to estimate the row count. */
  private scanned = 0
  private rows = 0
  private reserved = false
  /** Reused to join a leftover record with the next chunk. */
  private work: Uint8Array = EMPTY
  // ignoreBOM: only the input's first three bytes can be a byte order mark (skipped in scan); a
  // U+FEFF at the start of a field is data and must survive decoding.
  private readonly fatal = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })
  /** Unparsed bytes: the start of a record not yet complete. */
  private carry: Uint8Array = EMPTY
  private pending: Uint8Array[] = []
  private pendingBytes = 0
  /** Physical line (1-based) where the next record starts. */
  private line = 1
  private bomChecked = false
  private done = false
  private names: string[] | null = null
  private builders: ColumnBuilder[] = []
  // The fields of the record being parsed: content byte ranges and how they were quoted.
  private starts = new Int32Array(16)
  private ends = new Int32Array(16)
  private kinds = new Uint8Array(16)
  /** Each field's value if a short plain decimal, and its count of decimals (else LONG_DECIMAL or NOT_FAST). */
  private numbers = new Float64Array(16)
  private formats = new Uint8Array(16)

  constructor(options: CsvOptions = {}) {
    this.delimiter = delimiterByte(options.delimiter ?? ',')
    this.types = typeMap(options.types)
    this.missing = new MissingTokens(options.missing ?? DEFAULT_MISSING)
    // A token such as "-999" must be looked up before a number is taken as a number.
    this.fastNumbers = !this.missing.hasNumericToken
    this.file = options.file
    this.sizeHint = options.sizeHint ?? 0
    this.onHeader = options.onHeader
    if (options.names !== undefined) this.setNames([...options.names], 0)
  }

  /**
   * Parses every complete record in `chunk` (and earlier leftovers); keeps the incomplete tail.
   * The parser may hold on to `chunk` until a later call, so the caller must not reuse its memory.
   */
  push(chunk: Uint8Array): void {
    if (this.done) throw new Error('CsvParser.push after finish')
    if (chunk.length === 0) return
    // One array type in the hot loop (a Buffer is a Uint8Array subclass with another shape).
    if (chunk.constructor !== Uint8Array) chunk = new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length)
    this.pending.push(chunk)
    this.pendingBytes += chunk.length
    // Re-scan a long unfinished record only when the new bytes at least match its length, which
    // keeps the total work linear however small the chunks are.
    if (this.pendingBytes < this.carry.length) return
    this.scan(this.takeBuffer(), false)
  }

  /** Parses what is left as the end of input and returns the frame. */
  finish(): Frame {
    if (this.done) throw new Error('CsvParser.finish called twice')
    this.scan(this.takeBuffer(), true)
    this.done = true
    if (this.names === null) throw new DataError('empty input: no header row', this.at({ line: 1 }))
    return makeFrame(this.builders.map((b) => b.build()))
  }

  /** Data rows parsed since the start or the last {@link CsvParser.takeRows}. */
  get bufferedRows(): number {
    return this.builders.length === 0 ? 0 : this.builders[0].length
  }

  /**
   * The complete records parsed so far as a frame, and a fresh start for the columns, so a large
   * input can be processed in bounded frames (feed a chunk, take the rows, repeat; `finish`
   * returns the rest). Types pinned by `types` hold in every frame; inferred types and category
   * dictionaries are each frame's own. Line numbers in errors still count from the start of the
   * input. Null while the header row has not been read.
   * @example
   * p.push(chunk)
   * if (p.bufferedRows >= 10_000) handle(p.takeRows()!)
   */
  takeRows(): Frame | null {
    if (this.done) throw new Error('CsvParser.takeRows after finish')
    if (this.names === null) return null
    const frame = makeFrame(this.builders.map((b) => b.build()))
    this.builders = this.names.map((name) => new ColumnBuilder(name, this.types.get(name)))
    return frame
  }

  private takeBuffer(): Uint8Array {
    const parts = this.carry.length > 0 ? [this.carry, ...this.pending] : this.pending
    this.pending = []
    this.pendingBytes = 0
    this.carry = EMPTY
    if (parts.length === 1) return parts[0]
    let size = 0
    for (const p of parts) size += p.length
    if (size > this.work.length) this.work = new Uint8Array(Math.max(size, 2 * this.work.length))
    let offset = 0
    for (const p of parts) {
      this.work.set(p, offset)
      offset += p.length
    }
    return this.work.subarray(0, size)
  }

  private scan(buf: Uint8Array, final: boolean): void {
    const n = buf.length
    let pos = 0
    if (!this.bomChecked) {
      if (n < 3 && !final) {
        this.carry = buf.slice()
        return
      }
      if (n >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) pos = 3
      this.bomChecked = true
    }
    while (pos < n) {
      const next = this.record(buf, pos, n, final)
      if (next < 0) break
      pos = next
    }
    this.scanned += pos
    if (!this.reserved && this.rows > 0 && this.sizeHint > this.scanned) this.reserve()
    // Copy the tail so a small leftover does not pin a whole chunk in memory.
    this.carry = pos < n ? buf.slice(pos) : EMPTY
  }

  /**
   * Splits one record starting at `start` into fields and commits it. Returns the position after
   * its line break, or -1 when the record may continue past the bytes at hand.
   */
  private record(buf: Uint8Array, start: number, n: number, final: boolean): number {
    const delimiter = this.delimiter
    const limit = this.names === null ? Infinity : this.names.length
    let p = start
    let count = 0
    let quoted = false
    let next: number
    let { starts, ends, kinds, numbers, formats } = this
    for (;;) {
      if (count === limit) throw this.error(`too many fields: expected ${limit}`, buf, start, p, count)
      if (count === starts.length) {
        this.growFields(count * 2)
        ;({ starts, ends, kinds, numbers, formats } = this)
      }
      let endOfRecord = true
      if (p < n && buf[p] === QUOTE) {
        quoted = true
        let q = p + 1
        let kind = QUOTED
        for (;;) {
          while (q < n && buf[q] !== QUOTE) q++
          if (q >= n) {
            if (!final) return -1
            throw this.error('unterminated quoted field', buf, start, p, count)
          }
          if (q + 1 < n && buf[q + 1] === QUOTE) {
            kind = ESCAPED
            q += 2
            continue
          }
          break
        }
        const a = q + 1
        if (a >= n) {
          if (!final) return -1
          next = n
        } else if (buf[a] === delimiter) {
          next = a + 1
          endOfRecord = false
        } else if (buf[a] === LF) {
          next = a + 1
        } else if (buf[a] === CR) {
          next = this.afterCr(buf, a, n, final)
          if (next < 0) return -1
        } else {
          throw this.error('unexpected character after closing quote', buf, start, a, count)
        }
        starts[count] = p + 1
        ends[count] = q
        kinds[count] = kind
        formats[count] = NOT_FAST
      } else {
        // Read the field as a plain decimal while looking for its end, so numeric tables are
        // parsed in one pass; whether it was one is decided once the end is known.
        let q = p
        const negative = q < n && buf[q] === MINUS
        if (negative) q++
        const intStart = q
        let m = 0
        while (q < n) {
          const d = buf[q] - ZERO
          if (d < 0 || d > 9) break
          m = m * 10 + d
          q++
        }
        const intDigits = q - intStart
        let decimals = 0
        let dot = false
        if (q < n && buf[q] === DOT) {
          dot = true
          const fracStart = ++q
          while (q < n) {
            const d = buf[q] - ZERO
            if (d < 0 || d > 9) break
            m = m * 10 + d
            q++
          }
          decimals = q - fracStart
        }
        const numberEnd = q
        let c = 0
        while (q < n) {
          c = buf[q]
          if (c === delimiter || c === LF || c === CR) break
          if (c === QUOTE) throw this.error('quote inside an unquoted field', buf, start, q, count)
          q++
        }
        const end = q
        if (q >= n) {
          if (!final) return -1
          next = n
        } else if (c === CR) {
          next = this.afterCr(buf, q, n, final)
          if (next < 0) return -1
        } else {
          next = q + 1
          endOfRecord = c === LF
        }
        starts[count] = p
        ends[count] = end
        kinds[count] = PLAIN
        if (end !== numberEnd || intDigits + decimals === 0) formats[count] = NOT_FAST
        else if (!isFastDecimal(buf[intStart], intDigits, dot, decimals, m, negative)) formats[count] = LONG_DECIMAL
        else {
          formats[count] = decimals
          const x = decimals === 0 ? m : m / POW10[decimals]
          numbers[count] = negative ? -x : x
        }
      }
      count++
      if (endOfRecord) break
      p = next
    }
    const blank = count === 1 && kinds[0] === PLAIN && starts[0] === ends[0]
    if (!blank) {
      if (this.names === null) this.header(buf, start, count)
      else this.row(buf, start, count)
    }
    this.line += quoted ? countLineBreaks(buf, start, next) : isLineEnd(buf, next - 1) ? 1 : 0
    return next
  }

  /**
   * The position after a record ending in the CR at `cr`: past its LF for CRLF, past the CR alone
   * otherwise. -1 when the CR is the last byte at hand and an LF may still follow it.
   */
  private afterCr(buf: Uint8Array, cr: number, n: number, final: boolean): number {
    if (cr + 1 < n) return buf[cr + 1] === LF ? cr + 2 : cr + 1
    return final ? n : -1
  }

  /** Sizes the columns for the rows the rest of the input likely holds (plus a little slack). */
  private reserve(): void {
    this.reserved = true
    const rows = Math.ceil(((this.sizeHint * this.rows) / this.scanned) * 1.03) + 64
    for (const b of this.builders) b.reserve(rows)
  }

  private header(buf: Uint8Array, start: number, count: number): void {
    const names: string[] = []
    for (let j = 0; j < count; j++) names.push(this.text(buf, start, j))
    this.setNames(names, start, buf)
  }

  private setNames(names: string[], start: number, buf?: Uint8Array): void {
    const seen = new Set<string>()
    for (let j = 0; j < names.length; j++) {
      if (seen.has(names[j])) {
        const message = `duplicate column name '${names[j]}'`
        if (buf === undefined) throw new ParamError(message, { column: j + 1, field: names[j] })
        const line = this.line + countLineBreaks(buf, start, this.starts[j])
        throw new DataError(message, this.at({ line, column: j + 1, field: names[j] }))
      }
      seen.add(names[j])
    }
    this.onHeader?.(names)
    checkOverrides(this.types, names, this.file)
    this.names = names
    this.builders = names.map((name) => new ColumnBuilder(name, this.types.get(name)))
    this.growFields(Math.max(1, names.length))
  }

  private row(buf: Uint8Array, start: number, count: number): void {
    const names = this.names!
    if (count < names.length) {
      throw new DataError(
        `too few fields: expected ${names.length}, found ${count}`,
        this.at({ line: this.line, column: count + 1, field: names[count] }),
      )
    }
    this.rows++
    const builders = this.builders
    const fast = this.fastNumbers
    const { starts, ends, numbers, formats } = this
    for (let j = 0; j < count; j++) {
      const b = builders[j]
      if (!b.categorical) {
        const format = formats[j]
        if (fast && format <= FMT_MAX_FIXED) {
          b.appendNumber(numbers[j], format)
          continue
        }
        if (fast && format === LONG_DECIMAL) {
          // Already known to be a decimal: only its value is left to find, which Number() does exactly.
          const text = asciiText(buf, starts[j], ends[j])
          b.appendNumberWithText(Number(text), text)
          continue
        }
        if (starts[j] === ends[j]) {
          b.appendMissing()
          continue
        }
      }
      this.slowField(b, buf, start, j)
    }
  }

  /** Any field the byte-level number parser did not take: decode it, then classify the text. */
  private slowField(b: ColumnBuilder, buf: Uint8Array, start: number, j: number): void {
    const text = this.text(buf, start, j)
    if (this.missing.has(text)) {
      b.appendMissing()
      return
    }
    if (!b.categorical) {
      const x = parseNumericText(text)
      if (x !== undefined) {
        b.appendNumberWithText(x, text)
        return
      }
      if (b.numericOnly) {
        throw this.error(`'${clip(text)}' is not a number (the column is numeric)`, buf, start, this.starts[j], j)
      }
    }
    b.appendText(text)
  }

  /** Field `j` of the current record as a string (unescaped, UTF-8 checked). */
  private text(buf: Uint8Array, start: number, j: number): string {
    let bytes = buf
    let s = this.starts[j]
    let e = this.ends[j]
    if (this.kinds[j] === ESCAPED) {
      bytes = unescapeQuotes(buf, s, e)
      s = 0
      e = bytes.length
    }
    let i = s
    while (i < e && bytes[i] < 0x80) i++
    if (i === e) return asciiText(bytes, s, e)
    try {
      return this.fatal.decode(bytes.subarray(s, e))
    } catch {
      throw this.error('invalid UTF-8', buf, start, this.starts[j], j)
    }
  }

  private growFields(size: number): void {
    const starts = new Int32Array(size)
    const ends = new Int32Array(size)
    const kinds = new Uint8Array(size)
    const numbers = new Float64Array(size)
    const formats = new Uint8Array(size)
    const keep = Math.min(size, this.starts.length)
    starts.set(this.starts.subarray(0, keep))
    ends.set(this.ends.subarray(0, keep))
    kinds.set(this.kinds.subarray(0, keep))
    numbers.set(this.numbers.subarray(0, keep))
    formats.set(this.formats.subarray(0, keep))
    this.starts = starts
    this.ends = ends
    this.kinds = kinds
    this.numbers = numbers
    this.formats = formats
  }

  /** A DataError at byte `p` of the record starting at `start`, in field `j` (0-based). */
  private error(message: string, buf: Uint8Array, start: number, p: number, j: number): DataError {
    const line = this.line + countLineBreaks(buf, start, p)
    return new DataError(message, this.at({ line, column: j + 1, field: this.names?.[j] }))
  }

  private at(loc: Location): Location {
    const out: Location = { ...loc }
    if (this.file !== undefined) out.file = this.file
    if (out.field === undefined) delete out.field
    return out
  }
}

/**
 * Parses a whole CSV input held in memory: a string, bytes, or bytes in chunks.
 * @example
 * const frame = parseCsv('x,colour\n1.5,red\nNA,blue\n')
 * frame.columns[0] // { name: 'x', type: 'numeric', values: Float64Array [1.5, NaN] }
 * frame.columns[1] // { name: 'colour', type: 'categorical', codes: Int32Array [0, 1], categories: ['red', 'blue'] }
 */
export function parseCsv(input: string | Uint8Array | Iterable<Uint8Array>, options: CsvOptions = {}): Frame {
  if (typeof input === 'string') input = new TextEncoder().encode(input)
  const parser = new CsvParser(input instanceof Uint8Array ? { sizeHint: input.length, ...options } : options)
  if (input instanceof Uint8Array) parser.push(input)
  else for (const chunk of input) parser.push(chunk)
  return parser.finish()
}

/**
 * Parses a CSV byte stream (a file stream, a request body) without holding it in memory.
 * @example
 * const frame = await parseCsvStream(createReadStream('train.csv'), { file: 'train.csv' })
 */
export async function parseCsvStream(input: AsyncIterable<Uint8Array>, options: CsvOptions = {}): Promise<Frame> {
  const parser = new CsvParser(options)
  for await (const chunk of input) parser.push(chunk)
  return parser.finish()
}

/**
 * Whether digits read as `-?(0|[1-9][0-9]*)(\.[0-9]+)?` give exactly `Number(text)` as
 * `m / 10^decimals`: true while m stays below 2^53 (and below 10^15 with decimals, so the text
 * is also `x.toFixed(decimals)`, which is how a column that turns categorical gets its original
 * spelling back). Other spellings ("-0", ".5", "1e3", "007", huge or long numbers) go through the
 * decoded text instead.
 */
function isFastDecimal(first: number, intDigits: number, dot: boolean, decimals: number, m: number, negative: boolean): boolean {
  if (intDigits === 0 || (intDigits > 1 && first === ZERO)) return false
  if (dot && (decimals === 0 || decimals > 22)) return false
  if (m >= 1e15 && (decimals > 0 || m > Number.MAX_SAFE_INTEGER)) return false
  return !(negative && m === 0)
}

/** Line breaks in `buf[from, to)`: each LF, CRLF or lone CR counts once. */
function countLineBreaks(buf: Uint8Array, from: number, to: number): number {
  let n = 0
  for (let i = from; i < to; i++) if (isLineEnd(buf, i)) n++
  return n
}

/** Whether byte `i` ends a line: an LF, or a CR not followed by an LF. */
function isLineEnd(buf: Uint8Array, i: number): boolean {
  return buf[i] === LF || (buf[i] === CR && buf[i + 1] !== LF)
}

/** The content of a quoted field with each `""` turned into `"`. */
function unescapeQuotes(buf: Uint8Array, s: number, e: number): Uint8Array {
  const out = new Uint8Array(e - s)
  let n = 0
  for (let i = s; i < e; i++) {
    out[n++] = buf[i]
    if (buf[i] === QUOTE) i++
  }
  return out.subarray(0, n)
}

const asciiDecoder = new TextDecoder('utf-8')

function asciiText(bytes: Uint8Array, s: number, e: number): string {
  // Short fields: building the string directly beats a decoder call.
  if (e - s <= 16) {
    let text = ''
    for (let i = s; i < e; i++) text += String.fromCharCode(bytes[i])
    return text
  }
  return asciiDecoder.decode(bytes.subarray(s, e))
}

function delimiterByte(delimiter: string): number {
  const c = delimiter.charCodeAt(0)
  if (delimiter.length !== 1 || c >= 0x80 || c === QUOTE || c === LF || c === CR) {
    throw new ParamError(`delimiter must be one ASCII character other than a quote or line break, got ${JSON.stringify(delimiter)}`)
  }
  return c
}

/** Long values are cut in messages so one bad cell does not flood a log. */
function clip(text: string): string {
  return text.length > 40 ? text.slice(0, 37) + '...' : text
}
