/**
 * The hot path of the commonest invocation: a CSV body of plain decimal numbers, one value per
 * feature, no header, for a model whose features are all numeric (one row, or a few hundred).
 * It is read straight into the feature columns in one pass over the bytes, without setting up a
 * general parser. Anything else (a quote, a missing value, text, a different field count, another
 * spelling of a number) returns null, and the general CSV reader, with its exact errors, takes over.
 */
import { makeFrame, numericColumn, type Frame } from '../data/frame.js'

const COMMA = 0x2c
const LF = 0x0a
const CR = 0x0d
const MINUS = 0x2d
const DOT = 0x2e
const ZERO = 0x30
const POW10 = Float64Array.from({ length: 23 }, (_, k) => 10 ** k)

/**
 * The frame of a plain numeric CSV body with `names.length` fields per row, or null when the body
 * is anything else (see the file comment).
 * @example
 * plainNumericCsv(new TextEncoder().encode('1.5,2\n3,4\n'), ['a', 'b'])?.nRows // 2
 */
export function plainNumericCsv(body: Uint8Array, names: readonly string[]): Frame | null {
  const nF = names.length
  const n = body.length
  if (nF === 0 || n === 0) return null
  // Rows: count line ends (a final line without one counts too).
  let rows = 0
  for (let i = 0; i < n; i++) if (body[i] === LF) rows++
  if (body[n - 1] !== LF) rows++
  const values = new Float64Array(rows * nF)
  let p = 0
  let row = 0
  while (p < n) {
    for (let j = 0; j < nF; j++) {
      const negative = body[p] === MINUS
      if (negative) p++
      const intStart = p
      let m = 0
      while (p < n) {
        const d = body[p] - ZERO
        if (d < 0 || d > 9) break
        m = m * 10 + d
        p++
      }
      const intDigits = p - intStart
      if (intDigits === 0 || (intDigits > 1 && body[intStart] === ZERO)) return null
      let decimals = 0
      if (p < n && body[p] === DOT) {
        const fracStart = ++p
        while (p < n) {
          const d = body[p] - ZERO
          if (d < 0 || d > 9) break
          m = m * 10 + d
          p++
        }
        decimals = p - fracStart
        if (decimals === 0 || decimals > 22) return null
      }
      // Exact as digits / 10^k only below 2^53, and below 10^15 with decimals (as the CSV reader's rule).
      if (m >= 1e15 && (decimals > 0 || m > Number.MAX_SAFE_INTEGER)) return null
      if (negative && m === 0) return null
      const x = decimals === 0 ? m : m / POW10[decimals]
      values[row * nF + j] = negative ? -x : x
      const c = p < n ? body[p] : LF
      if (j < nF - 1) {
        if (c !== COMMA) return null
        p++
      } else {
        if (c === CR) {
          p++
          if (p < n && body[p] !== LF) return null
        } else if (c !== LF) return null
        p++
      }
    }
    row++
  }
  if (row !== rows) return null
  const columns = names.map((name, j) => {
    const col = new Float64Array(rows)
    for (let i = 0; i < rows; i++) col[i] = values[i * nF + j]
    return numericColumn(name, col)
  })
  return makeFrame(columns)
}
