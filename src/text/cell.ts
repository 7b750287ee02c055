/**
 * How the text of one cell reads, the same for every reader and for prediction input: which text
 * means "missing" and which text is a number. Shared by the data readers (CSV, JSON Lines,
 * Parquet) and the inference runtime, so a request is read by the rules its training file was.
 */

/**
 * Text that means "missing", compared case-insensitively after trimming spaces and tabs.
 * An empty or blank field is always missing.
 * @example
 * parseCsv(text, { missing: [...DEFAULT_MISSING, '?'] })
 */
export const DEFAULT_MISSING: readonly string[] = ['', 'na', 'n/a', '#n/a', '<na>', 'nan', '-nan', 'null', 'none']

/**
 * Case-insensitive set of missing-value tokens.
 * @example
 * const m = new MissingTokens(DEFAULT_MISSING)
 * m.has(' NA ') // true
 * m.has('nab') // false
 */
export class MissingTokens {
  private readonly tokens: Set<string>
  private readonly maxLength: number
  /** True when some token reads as a number (say `-999`), so numbers must be checked against the set. */
  readonly hasNumericToken: boolean

  constructor(tokens: readonly string[] = DEFAULT_MISSING) {
    this.tokens = new Set(tokens.map((t) => trimBlank(t).toLowerCase()))
    this.tokens.add('')
    this.maxLength = Math.max(...[...this.tokens].map((t) => t.length))
    this.hasNumericToken = [...this.tokens].some((t) => parseNumericText(t) !== undefined)
  }

  has(text: string): boolean {
    // Text longer than every token can only be one with blanks around it ('   NA'); skip the
    // trimming and lower-casing for the rest.
    if (text.length > this.maxLength && !isBlank(text.charCodeAt(0)) && !isBlank(text.charCodeAt(text.length - 1))) return false
    const trimmed = trimBlank(text)
    return trimmed.length <= this.maxLength && this.tokens.has(trimmed.toLowerCase())
  }
}

function isBlank(c: number): boolean {
  return c === 0x20 || c === 0x09
}

/** Trims spaces and tabs only (`String.prototype.trim` also eats line breaks and Unicode spaces). */
function trimBlank(text: string): string {
  let s = 0
  let e = text.length
  while (s < e && (text.charCodeAt(s) === 0x20 || text.charCodeAt(s) === 0x09)) s++
  while (e > s && (text.charCodeAt(e - 1) === 0x20 || text.charCodeAt(e - 1) === 0x09)) e--
  return s === 0 && e === text.length ? text : text.slice(s, e)
}

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/
const INFINITY = /^([+-]?)(?:inf|infinity)$/i

/**
 * Reads text as a number when it is a decimal (optional sign, digits, point, exponent) or an
 * infinity (`inf`, `-Infinity`, any case), with spaces or tabs around it allowed. Returns
 * undefined for anything else, including hex, `1_000` and NaN (NaN is a missing token instead).
 * The value is exactly `Number(text)` for decimals.
 * @example
 * parseNumericText(' 1.5e3 ') // 1500
 * parseNumericText('-inf') // -Infinity
 * parseNumericText('0x10') // undefined
 */
export function parseNumericText(text: string): number | undefined {
  const t = trimBlank(text)
  if (DECIMAL.test(t)) return Number(t)
  const inf = INFINITY.exec(t)
  if (inf !== null) return inf[1] === '-' ? -Infinity : Infinity
  return undefined
}
