/**
 * A CSV request body to a frame in the model's terms, with the byte-level CSV parser. The header
 * row is optional: the first record is a header when it names at least one of the model's
 * features and holds no number (or when `Content-Type: text/csv; header=present` says so); columns
 * are then matched by name, in any order, extra ones ignored. Without a header, fields are the
 * features in training order, and a row with another count is an error naming its line.
 */
import { CsvParser, parseCsv } from '../data/csv.js'
import type { ColumnType, Frame } from '../data/frame.js'
import { parseNumericText } from '../data/infer.js'
import { DataError } from '../errors.js'
import { plainNumericCsv } from './numeric-csv.js'
import type { ServedModel } from './served-model.js'

const STOP = Symbol('header read')

/**
 * Parses a CSV body for `model`. `header` forces the header decision (from the content type's
 * `header` parameter); by default it is detected.
 * @throws DataError (a 400) naming the line and column of a bad row, or the missing feature columns.
 * @example
 * const frame = csvFrame(new TextEncoder().encode('0.03,1,...\n'), model)
 */
export function csvFrame(body: Uint8Array, model: ServedModel, header?: boolean): Frame {
  if (header !== true && model.allNumeric) {
    const plain = plainNumericCsv(body, model.featureNames)
    if (plain !== null) return plain
  }
  const names = header === false ? null : firstRecord(body, header === true)
  if (names === null) {
    const frame = parseCsv(body, { names: model.featureNames, types: model.columnTypes })
    if (frame.nRows === 0) throw new DataError('the body holds no rows')
    return frame
  }
  const types = new Map<string, ColumnType>()
  for (const n of names) {
    const t = model.columnTypes.get(n)
    if (t !== undefined) types.set(n, t)
  }
  if (types.size < model.featureNames.length) {
    const missing = model.featureNames.filter((n) => !types.has(n))
    throw new DataError(`the header has no column ${missing.map((n) => `'${n}'`).join(', ')} (the model needs: ${model.featureNames.join(', ')})`, { line: 1 })
  }
  const frame = parseCsv(body, { types })
  if (frame.nRows === 0) throw new DataError('the body holds a header and no rows')
  return frame

  function firstRecord(bytes: Uint8Array, forced: boolean): readonly string[] | null {
    if (!forced && !mayBeHeader(bytes)) return null
    let found: readonly string[] | null = null
    try {
      const p = new CsvParser({
        onHeader: (fields) => {
          found = fields
          throw STOP
        },
      })
      p.push(bytes)
      p.finish()
    } catch (err) {
      // A first record too malformed to read is left to the real parse to report.
      if (err !== STOP && forced) throw err
    }
    if (found === null) return null
    if (forced) return found
    const fields: readonly string[] = found
    return fields.some((f) => model.featureIndex.has(f)) && fields.every((f) => parseNumericText(f) === undefined) ? fields : null
  }
}

/**
 * Whether the body's first byte (after a byte order mark and blank lines) may start a header:
 * not a digit, sign, dot or delimiter, the start of every numeric row.
 */
function mayBeHeader(bytes: Uint8Array): boolean {
  let i = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0
  while (i < bytes.length && (bytes[i] === 0x0a || bytes[i] === 0x0d)) i++
  if (i >= bytes.length) return false
  const c = bytes[i]
  return !((c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2b || c === 0x2e || c === 0x2c)
}
