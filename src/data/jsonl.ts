/**
 * JSON Lines to {@link Frame}: one JSON object per line, its keys are columns.
 *
 * Columns are the union of keys, in first-seen order; a key absent from a line is missing there,
 * as is `null`. Numbers are numeric, strings categorical (a column with both is categorical, its
 * numbers spelled by `String(x)`), booleans the categories `true` / `false`. Strings are taken
 * literally: `"NA"` is a category, only `null` or an absent key is missing. Nested objects and
 * arrays are errors. Blank lines are skipped; a UTF-8 byte order mark is skipped.
 */
import { DataError, type Location } from '../errors.js'
import { makeFrame, type ColumnType, type Frame } from './frame.js'
import { checkOverrides, ColumnBuilder, FMT_SHORTEST, parseNumericText, typeMap, type ColumnTypes } from './infer.js'

/**
 * How to read a JSON Lines input.
 * @example
 * const options: JsonlOptions = { types: { id: 'categorical' }, file: 'rows.jsonl' }
 */
export interface JsonlOptions {
  /** Pins column types: numeric columns accept numeric strings, categorical ones keep numbers as text. */
  types?: ColumnTypes
  /** Name of the input (a file path), reported in errors. */
  file?: string
}

const LF = 0x0a

/**
 * Incremental JSON Lines parser: {@link JsonlParser.push} byte chunks, then
 * {@link JsonlParser.finish}. Chunks may split lines and UTF-8 sequences anywhere.
 * @example
 * const p = new JsonlParser()
 * p.push(new TextEncoder().encode('{"x": 1, "y": "a"}\n{"x": null}\n'))
 * p.finish().nRows // 2
 */
export class JsonlParser {
  private readonly types: Map<string, ColumnType>
  private readonly file: string | undefined
  // ignoreBOM: the mark is skipped by hand on line 1 only; elsewhere U+FEFF is data (and not JSON whitespace).
  private readonly fatal = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })
  private readonly builders = new Map<string, ColumnBuilder>()
  /** The start of a line not yet ended, possibly spread over several chunks. */
  private partial: Uint8Array[] = []
  private line = 0
  private rows = 0
  private done = false

  constructor(options: JsonlOptions = {}) {
    this.types = typeMap(options.types)
    this.file = options.file
  }

  /** Parses every complete line in `chunk` (and earlier leftovers). */
  push(chunk: Uint8Array): void {
    if (this.done) throw new Error('JsonlParser.push after finish')
    let s = 0
    for (;;) {
      const i = chunk.indexOf(LF, s)
      if (i < 0) break
      const piece = chunk.subarray(s, i)
      this.parseLine(this.partial.length === 0 ? piece : concat([...this.partial, piece]))
      this.partial = []
      s = i + 1
    }
    // Copy the tail so a short leftover does not pin the whole chunk.
    if (s < chunk.length) this.partial.push(chunk.slice(s))
  }

  /** Rows parsed since the start or the last {@link JsonlParser.takeRows}. */
  get bufferedRows(): number {
    return this.rows
  }

  /**
   * The complete lines parsed so far as a frame, and a fresh start for the columns, so a large
   * input can be processed in bounded frames. Every key seen so far in the input is a column
   * (all missing where these rows lack it); types pinned by `types` hold in every frame, inferred
   * types and category dictionaries are each frame's own. Line numbers in errors still count from
   * the start of the input. Rows with no keys at all make a frame with no columns, so read
   * {@link JsonlParser.bufferedRows} first when that matters.
   * @example
   * p.push(chunk)
   * if (p.bufferedRows >= 10_000) handle(p.takeRows())
   */
  takeRows(): Frame {
    if (this.done) throw new Error('JsonlParser.takeRows after finish')
    const frame = makeFrame([...this.builders.values()].map((b) => b.build()))
    for (const [key, b] of this.builders) this.builders.set(key, new ColumnBuilder(key, b.override))
    this.rows = 0
    return frame
  }

  /** Parses the last line (if it has no line break) and returns the frame. */
  finish(): Frame {
    if (this.done) throw new Error('JsonlParser.finish called twice')
    if (this.partial.length > 0) this.parseLine(concat(this.partial))
    this.partial = []
    this.done = true
    if (this.builders.size === 0 && this.rows === 0) throw new DataError('empty input: no JSON objects', this.at({}))
    checkOverrides(this.types, this.builders.keys(), this.file)
    return makeFrame([...this.builders.values()].map((b) => b.build()))
  }

  private parseLine(bytes: Uint8Array): void {
    this.line++
    let end = bytes.length
    if (end > 0 && bytes[end - 1] === 0x0d) end--
    const start = this.line === 1 && end >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0
    let text: string
    try {
      text = this.fatal.decode(bytes.subarray(start, end))
    } catch {
      throw new DataError('invalid UTF-8', this.at({ line: this.line }))
    }
    if (text.trim() === '') return
    let value: unknown
    try {
      value = JSON.parse(text)
    } catch (err) {
      throw new DataError(`invalid JSON: ${(err as Error).message}`, this.at({ line: this.line }))
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new DataError(`expected a JSON object, found ${describe(value)}`, this.at({ line: this.line }))
    }
    // JSON.parse makes every key an own property, "__proto__" included, and Object.entries
    // reads own properties only; the columns live in a Map.
    for (const [key, v] of Object.entries(value)) this.append(this.builder(key), key, v)
    this.rows++
    for (const b of this.builders.values()) if (b.length < this.rows) b.appendMissing()
  }

  private builder(key: string): ColumnBuilder {
    let b = this.builders.get(key)
    if (b === undefined) {
      b = new ColumnBuilder(key, this.types.get(key))
      b.appendMissingRun(this.rows)
      this.builders.set(key, b)
    }
    return b
  }

  private append(b: ColumnBuilder, key: string, v: unknown): void {
    if (v === null) b.appendMissing()
    else if (typeof v === 'number') b.appendNumber(v, FMT_SHORTEST)
    else if (typeof v === 'string') {
      if (!b.numericOnly) b.appendText(v)
      else {
        const x = parseNumericText(v)
        if (x === undefined) {
          throw new DataError(`${JSON.stringify(v)} is not a number (the column is numeric)`, this.at({ line: this.line, field: key }))
        }
        b.appendNumber(x, FMT_SHORTEST)
      }
    } else if (typeof v === 'boolean') {
      if (b.numericOnly) b.appendNumber(v ? 1 : 0, FMT_SHORTEST)
      else b.appendText(v ? 'true' : 'false')
    } else {
      throw new DataError(`nested ${describe(v)} values are not supported`, this.at({ line: this.line, field: key }))
    }
  }

  private at(loc: Location): Location {
    return this.file === undefined ? loc : { file: this.file, ...loc }
  }
}

/**
 * Parses a whole JSON Lines input held in memory: a string, bytes, or bytes in chunks.
 * @example
 * const frame = parseJsonl('{"x": 1.5, "y": "a"}\n{"y": "b"}\n')
 * frame.columns[0] // { name: 'x', type: 'numeric', values: Float64Array [1.5, NaN] }
 */
export function parseJsonl(input: string | Uint8Array | Iterable<Uint8Array>, options: JsonlOptions = {}): Frame {
  const parser = new JsonlParser(options)
  if (typeof input === 'string') parser.push(new TextEncoder().encode(input))
  else if (input instanceof Uint8Array) parser.push(input)
  else for (const chunk of input) parser.push(chunk)
  return parser.finish()
}

/**
 * Parses a JSON Lines byte stream (a file stream, a request body) line by line.
 * @example
 * const frame = await parseJsonlStream(createReadStream('rows.jsonl'), { file: 'rows.jsonl' })
 */
export async function parseJsonlStream(input: AsyncIterable<Uint8Array>, options: JsonlOptions = {}): Promise<Frame> {
  const parser = new JsonlParser(options)
  for await (const chunk of input) parser.push(chunk)
  return parser.finish()
}

function describe(v: unknown): string {
  if (v === null) return 'null'
  if (Array.isArray(v)) return 'array'
  return typeof v
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]
  let size = 0
  for (const p of parts) size += p.length
  const out = new Uint8Array(size)
  let offset = 0
  for (const p of parts) {
    out.set(p, offset)
    offset += p.length
  }
  return out
}
