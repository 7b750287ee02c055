/**
 * The columnar table every part of consort reads: one typed array per column.
 *
 * Numeric columns hold float64 values with NaN for missing. Categorical columns hold int32 codes
 * into a dictionary of category strings, with -1 for missing.
 */

export type ColumnType = 'numeric' | 'categorical'

export interface NumericColumn {
  readonly name: string
  readonly type: 'numeric'
  readonly values: Float64Array
}

export interface CategoricalColumn {
  readonly name: string
  readonly type: 'categorical'
  /** Index into `categories`, -1 for missing. */
  readonly codes: Int32Array
  readonly categories: readonly string[]
}

export type Column = NumericColumn | CategoricalColumn

/** Name, type and (for categoricals) the dictionary of one column: what a model must remember. */
export interface Field {
  readonly name: string
  readonly type: ColumnType
  readonly categories?: readonly string[]
}

export interface Schema {
  readonly fields: readonly Field[]
}

export interface Frame {
  readonly nRows: number
  readonly columns: readonly Column[]
  readonly schema: Schema
}

/** Code used in categorical columns for a missing value. */
export const MISSING_CODE = -1

/**
 * Builds a frame from columns, checking that every column has the same length and unique names.
 * @example
 * const f = makeFrame([numericColumn('x', new Float64Array([1, 2]))])
 */
export function makeFrame(columns: readonly Column[]): Frame {
  const nRows = columns.length === 0 ? 0 : columnLength(columns[0])
  const seen = new Set<string>()
  for (const c of columns) {
    if (columnLength(c) !== nRows) {
      throw new RangeError(`column '${c.name}' has ${columnLength(c)} rows, expected ${nRows}`)
    }
    if (seen.has(c.name)) throw new RangeError(`duplicate column name '${c.name}'`)
    seen.add(c.name)
  }
  const fields: Field[] = columns.map((c) =>
    c.type === 'numeric' ? { name: c.name, type: 'numeric' } : { name: c.name, type: 'categorical', categories: c.categories },
  )
  return { nRows, columns, schema: { fields } }
}

export function numericColumn(name: string, values: Float64Array): NumericColumn {
  return { name, type: 'numeric', values }
}

export function categoricalColumn(name: string, codes: Int32Array, categories: readonly string[]): CategoricalColumn {
  return { name, type: 'categorical', codes, categories }
}

export function columnLength(c: Column): number {
  return c.type === 'numeric' ? c.values.length : c.codes.length
}

/** Looks a column up by name; throws a RangeError naming the available columns when absent. */
export function getColumn(frame: Frame, name: string): Column {
  for (const c of frame.columns) if (c.name === name) return c
  throw new RangeError(`no column '${name}' (columns: ${frame.columns.map((c) => c.name).join(', ')})`)
}

/** A new frame without the named columns (the arrays are shared, not copied). */
export function dropColumns(frame: Frame, names: readonly string[]): Frame {
  const drop = new Set(names)
  return makeFrame(frame.columns.filter((c) => !drop.has(c.name)))
}

/** The rows at `indices`, in that order, as a new frame (arrays copied). */
export function takeRows(frame: Frame, indices: Int32Array | readonly number[]): Frame {
  const n = indices.length
  const columns = frame.columns.map((c): Column => {
    if (c.type === 'numeric') {
      const out = new Float64Array(n)
      for (let i = 0; i < n; i++) out[i] = c.values[indices[i]]
      return numericColumn(c.name, out)
    }
    const out = new Int32Array(n)
    for (let i = 0; i < n; i++) out[i] = c.codes[indices[i]]
    return categoricalColumn(c.name, out, c.categories)
  })
  return makeFrame(columns)
}

/** The value of a cell as a number: numeric value, or categorical code (NaN for missing). */
export function numericView(c: Column): Float64Array {
  if (c.type === 'numeric') return c.values
  const out = new Float64Array(c.codes.length)
  for (let i = 0; i < out.length; i++) out[i] = c.codes[i] < 0 ? NaN : c.codes[i]
  return out
}
