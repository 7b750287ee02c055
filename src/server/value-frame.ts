/**
 * Building a model's input frame from decoded JSON values, cell by cell: the shared back end of
 * the JSON, JSON Lines and Open Inference Protocol readers. Numeric features take numbers, numeric
 * strings, booleans (1/0) and null (missing); categorical features take strings, numbers (as
 * `String(x)`), booleans and null, coded straight into the training dictionary (an unseen
 * category is missing, as in training). Anything else is a 400 naming the row and column.
 */
import { categoricalColumn, makeFrame, MISSING_CODE, numericColumn, type Column, type Frame } from '../data/frame.js'
import { parseNumericText } from '../data/infer.js'
import { DataError } from '../errors.js'
import type { ServedModel } from './served-model.js'

const dictionaries = new WeakMap<ServedModel, readonly (ReadonlyMap<string, number> | null)[]>()

/** Each feature's training dictionary indexed by category (null for numeric features), built once per model. */
function dictionariesOf(model: ServedModel): readonly (ReadonlyMap<string, number> | null)[] {
  let out = dictionaries.get(model)
  if (out === undefined) {
    out = model.ensemble.manifest.features.map((f) => (f.type === 'categorical' ? new Map((f.categories ?? []).map((c, i) => [c, i])) : null))
    dictionaries.set(model, out)
  }
  return out
}

/**
 * A frame of `rows` rows in the model's feature order, filled cell by cell with {@link ValueFrame.set}.
 * @example
 * const b = new ValueFrame(model, 2)
 * b.set(0, 0, 1.5); b.set(1, 0, null)
 * const frame = b.build()
 */
export class ValueFrame {
  private readonly model: ServedModel
  private readonly rows: number
  private readonly numbers: (Float64Array | null)[]
  private readonly codes: (Int32Array | null)[]
  private readonly dictionaries: readonly (ReadonlyMap<string, number> | null)[]
  /** What a row is called in messages ('row', 'line'), and the number of the first one. */
  private readonly rowName: string
  private readonly firstRow: number

  constructor(model: ServedModel, rows: number, rowName = 'row', firstRow = 1) {
    this.model = model
    this.rows = rows
    this.dictionaries = dictionariesOf(model)
    this.numbers = this.dictionaries.map((d) => (d === null ? new Float64Array(rows).fill(NaN) : null))
    this.codes = this.dictionaries.map((d) => (d === null ? null : new Int32Array(rows).fill(MISSING_CODE)))
    this.rowName = rowName
    this.firstRow = firstRow
  }

  /**
   * Sets the cell of `row` (0-based) and feature `j` from a JSON value; `rowLabel` overrides the
   * row number in messages.
   * @throws DataError naming the row and column for a value the feature cannot take.
   */
  set(row: number, j: number, v: unknown, rowLabel?: number): void {
    const numbers = this.numbers[j]
    if (numbers !== null) {
      if (typeof v === 'number') numbers[row] = v
      else if (v === null) numbers[row] = NaN
      else if (typeof v === 'string') {
        const x = v.trim() === '' ? NaN : parseNumericText(v)
        if (x === undefined) throw this.error(row, j, `${clip(JSON.stringify(v))} is not a number (the column is numeric)`, rowLabel)
        numbers[row] = x
      } else if (typeof v === 'boolean') numbers[row] = v ? 1 : 0
      else throw this.error(row, j, `${describe(v)} is not a number (the column is numeric)`, rowLabel)
      return
    }
    const codes = this.codes[j]!
    if (v === null) return
    let text: string
    if (typeof v === 'string') text = v
    else if (typeof v === 'number') text = String(v)
    else if (typeof v === 'boolean') text = v ? 'true' : 'false'
    else throw this.error(row, j, `${describe(v)} is not a category (the column is categorical)`, rowLabel)
    codes[row] = this.dictionaries[j]!.get(text) ?? MISSING_CODE
  }

  /** A DataError about the cell of `row` and feature `j`, as `row 3, column 2 ('sex'): ...`. */
  error(row: number, j: number, message: string, rowLabel?: number): DataError {
    return new DataError(`${this.rowName} ${rowLabel ?? row + this.firstRow}, column ${j + 1} ('${this.model.featureNames[j]}'): ${message}`)
  }

  build(): Frame {
    const manifest = this.model.ensemble.manifest
    const columns = this.model.featureNames.map((name, j): Column => {
      const numbers = this.numbers[j]
      return numbers !== null ? numericColumn(name, numbers) : categoricalColumn(name, this.codes[j]!, manifest.features[j].categories ?? [])
    })
    return columns.length === 0 ? makeFrame([]) : makeFrame(columns)
  }

  get nRows(): number {
    return this.rows
  }
}

/** How a JSON value is named in messages. */
export function describe(v: unknown): string {
  if (v === null) return 'null'
  if (Array.isArray(v)) return 'an array'
  if (typeof v === 'object') return 'an object'
  if (typeof v === 'string') return clip(JSON.stringify(v))
  return String(v)
}

function clip(text: string): string {
  return text.length > 40 ? text.slice(0, 37) + '...' : text
}
