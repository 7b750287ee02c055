/**
 * Rows of a request to a frame of the model's features: rows as arrays are matched to the
 * features by position, or by name when the column names are given (a CSV header); rows as
 * records (JSON objects) by their keys. Cells follow the rules training read them by: for a
 * numeric feature, numbers, numeric text, booleans (1/0), and missing for null, an absent key or
 * a missing token (`NA`, empty...); for a categorical feature, text, numbers and booleans spelled
 * as text, coded straight into the training dictionary, where an unseen category is missing, as
 * in training. A ragged row, an unknown shape, or text in a numeric column is a DataError naming
 * the row and the column. The frame comes out aligned (training order and codes).
 */
import { categoricalColumn, makeFrame, MISSING_CODE, numericColumn, type Column, type Field, type Frame } from '../data/frame.js'
import { DataError, type Location } from '../errors.js'
import { DEFAULT_MISSING, MissingTokens, parseNumericText } from '../text/cell.js'

/**
 * One input row: values by position (an array), or by column name (a record).
 * @example const rows: InputRow[] = [[0.03, 'red'], { x: 0.03, colour: 'red' }]
 */
export type InputRow = readonly unknown[] | Readonly<Record<string, unknown>>

/** Options of {@link InputMapper.frame}. */
export interface RowsOptions {
  /** Names of the values of array rows, in order (a CSV header); without it, array rows follow the training order. */
  readonly names?: readonly string[]
  /** Number of the first row in messages (default 1; say 2 for a CSV body after its header). */
  readonly firstRow?: number
  /** Whether messages count rows or lines (default rows). */
  readonly unit?: 'row' | 'line'
}

const MISSING = new MissingTokens(DEFAULT_MISSING)

/**
 * Maps input rows to frames for one model's features; built once per model (dictionaries are
 * indexed once), then used for every request.
 * @example
 * const mapper = new InputMapper([{ name: 'x', type: 'numeric' }, { name: 'c', type: 'categorical', categories: ['a', 'b'] }])
 * mapper.frame([[1.5, 'b'], ['NA', 'z']]) // x [1.5, NaN]; c codes [1, -1]
 * mapper.frame([['b', '2']], { names: ['c', 'x'] }) // by name
 */
export class InputMapper {
  readonly features: readonly Field[]
  private readonly dictionaries: readonly (ReadonlyMap<string, number> | null)[]

  constructor(features: readonly Field[]) {
    this.features = features
    this.dictionaries = features.map((f) => (f.type === 'categorical' ? new Map((f.categories ?? []).map((c, i) => [c, i])) : null))
  }

  /** The frame of `rows` (all arrays or all records), in the features' order with training codes. */
  frame(rows: readonly InputRow[], options: RowsOptions = {}): Frame {
    const cells = new Cells(this, rows.length, options)
    if (rows.length > 0) {
      if (Array.isArray(rows[0])) this.fromArrays(rows, cells, options.names)
      else this.fromRecords(rows, cells)
    }
    return cells.build()
  }

  /** Array rows, by position or through `names`. */
  private fromArrays(rows: readonly InputRow[], cells: Cells, names: readonly string[] | undefined): void {
    const nF = this.features.length
    // Position in the row of each feature.
    const source = names === undefined ? Int32Array.from({ length: nF }, (_, j) => j) : this.positions(names)
    const width = names === undefined ? nF : names.length
    const what = names === undefined ? `the model's ${nF} features (${this.features.map((f) => f.name).join(', ')})` : `the ${width} column names`
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]
      if (!Array.isArray(row)) throw cells.rowError(i, 'not an array like the rows before it')
      if (row.length !== width) throw cells.rowError(i, `${row.length} values where ${width} are expected: ${what}`)
      for (let j = 0; j < nF; j++) cells.set(i, j, row[source[j]])
    }
  }

  /** Where each feature is among `names`; a feature absent or named twice is a DataError. */
  private positions(names: readonly string[]): Int32Array {
    const at = new Map<string, number>()
    names.forEach((n, k) => at.set(n, at.has(n) ? -1 : k))
    return Int32Array.from(this.features, (f) => {
      const k = at.get(f.name)
      if (k === undefined) throw new DataError(`no column '${f.name}' (the model needs: ${this.features.map((g) => g.name).join(', ')})`, { field: f.name })
      if (k < 0) throw new DataError(`column '${f.name}' is named twice`, { field: f.name })
      return k
    })
  }

  /** Record rows, by key: an absent key is missing, a feature no row names is a DataError. */
  private fromRecords(rows: readonly InputRow[], cells: Cells): void {
    const nF = this.features.length
    const seen = new Uint8Array(nF)
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]
      if (typeof row !== 'object' || row === null || Array.isArray(row)) throw cells.rowError(i, 'not an object like the rows before it')
      const record = row as Readonly<Record<string, unknown>>
      for (let j = 0; j < nF; j++) {
        const name = this.features[j].name
        if (!Object.hasOwn(record, name)) continue
        seen[j] = 1
        cells.set(i, j, record[name])
      }
    }
    const absent = this.features.find((_, j) => seen[j] === 0)
    if (absent !== undefined) throw new DataError(`no row has the key '${absent.name}' (the model needs: ${this.features.map((f) => f.name).join(', ')})`, { field: absent.name })
  }

  /** Training code of a category value; unseen is missing. */
  code(j: number, text: string): number {
    return this.dictionaries[j]!.get(text) ?? MISSING_CODE
  }

  isCategorical(j: number): boolean {
    return this.dictionaries[j] !== null
  }
}

/** The typed columns of one frame being filled, and errors that name a cell. */
class Cells {
  private readonly numbers: (Float64Array | null)[]
  private readonly codes: (Int32Array | null)[]
  private readonly firstRow: number
  private readonly unit: 'row' | 'line'

  constructor(
    private readonly mapper: InputMapper,
    nRows: number,
    options: RowsOptions,
  ) {
    const nF = mapper.features.length
    this.numbers = Array.from({ length: nF }, (_, j) => (mapper.isCategorical(j) ? null : new Float64Array(nRows).fill(NaN)))
    this.codes = Array.from({ length: nF }, (_, j) => (mapper.isCategorical(j) ? new Int32Array(nRows).fill(MISSING_CODE) : null))
    this.firstRow = options.firstRow ?? 1
    this.unit = options.unit ?? 'row'
  }

  /** Sets row `i`, feature `j` from an input value (undefined and null are missing). */
  set(i: number, j: number, v: unknown): void {
    const numbers = this.numbers[j]
    if (numbers !== null) {
      if (typeof v === 'number') numbers[i] = v
      else if (v === null || v === undefined) numbers[i] = NaN
      else if (typeof v === 'string') {
        const x = MISSING.has(v) ? NaN : parseNumericText(v)
        if (x === undefined) throw this.cellError(i, j, `${describe(v)} is not a number (the column is numeric)`)
        numbers[i] = x
      } else if (typeof v === 'boolean') numbers[i] = v ? 1 : 0
      else throw this.cellError(i, j, `${describe(v)} is not a number (the column is numeric)`)
      return
    }
    if (v === null || v === undefined) return
    let text: string
    if (typeof v === 'string') text = v
    else if (typeof v === 'number') text = String(v)
    else if (typeof v === 'boolean') text = v ? 'true' : 'false'
    else throw this.cellError(i, j, `${describe(v)} is not a category (the column is categorical)`)
    this.codes[j]![i] = this.mapper.code(j, text)
  }

  rowError(i: number, message: string): DataError {
    return new DataError(message, this.where(i))
  }

  cellError(i: number, j: number, message: string): DataError {
    return new DataError(message, { ...this.where(i), field: this.mapper.features[j].name })
  }

  build(): Frame {
    const columns = this.mapper.features.map((f, j): Column => {
      const numbers = this.numbers[j]
      return numbers !== null ? numericColumn(f.name, numbers) : categoricalColumn(f.name, this.codes[j]!, f.categories ?? [])
    })
    return makeFrame(columns)
  }

  private where(i: number): Location {
    return this.unit === 'line' ? { line: i + this.firstRow } : { row: i + this.firstRow }
  }
}

/** How an input value is named in messages (long text is cut, so one bad cell cannot flood a log). */
function describe(v: unknown): string {
  if (v === null) return 'null'
  if (Array.isArray(v)) return 'an array'
  if (typeof v === 'object') return 'an object'
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? v.slice(0, 37) + '...' : v)
  return String(v)
}
