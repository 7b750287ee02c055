/**
 * JSON and JSON Lines request bodies to a frame in the model's terms. JSON takes the shapes users
 * of SageMaker, TensorFlow Serving and MLflow send:
 *
 * | body | read as |
 * |---|---|
 * | `{"instances": [[...], ...]}`, `{"inputs": [[...], ...]}`, `[[...], ...]` | rows, by position |
 * | `[...]` (numbers and strings), `{"instances": [...]}` | one row, by position |
 * | `[{"col": v}, ...]`, `{"instances": [{...}]}`, `{"dataframe_records": [...]}` | records, by name |
 * | `{"inputs": {"col": [...]}}` | columns, by name |
 * | `{"dataframe_split": {"columns": [...], "data": [[...]]}}` | rows of named columns |
 * | `{"col": v, ...}` | one record |
 *
 * JSON Lines holds one row (an array) or one record (an object) per line. By position, a row must
 * have one value per feature; by name, extra keys are ignored and a key missing from a record is a
 * missing value, but a feature no record names is an error.
 */
import type { Frame } from '../data/frame.js'
import { DataError } from '../errors.js'
import type { ServedModel } from './served-model.js'
import { describe, ValueFrame } from './value-frame.js'

const decoder = new TextDecoder('utf-8', { fatal: true })

/**
 * Parses a JSON body for `model` (see the table above).
 * @throws DataError (a 400) for invalid JSON, an unknown shape, or a bad row (named with its column).
 * @example
 * const frame = jsonFrame(new TextEncoder().encode('{"instances": [[0.03, 1, 2]]}'), model)
 */
export function jsonFrame(body: Uint8Array, model: ServedModel): Frame {
  return valueFrame(parseJson(decodeUtf8(body), ''), model)
}

/**
 * Parses a JSON Lines body for `model`: one array (a row by position) or one object (a record by
 * name) per line; blank lines are skipped.
 * @example
 * const frame = jsonlFrame(new TextEncoder().encode('{"age": 0.03, "bmi": 0.06}\n'), model)
 */
export function jsonlFrame(body: Uint8Array, model: ServedModel): Frame {
  const text = decodeUtf8(body)
  const items: unknown[] = []
  const lines: number[] = []
  let start = text.charCodeAt(0) === 0xfeff ? 1 : 0
  let line = 0
  while (start <= text.length) {
    let end = text.indexOf('\n', start)
    if (end < 0) end = text.length
    line++
    const piece = text.slice(start, end)
    if (piece.trim() !== '') {
      items.push(parseJson(piece, `line ${line}: `))
      lines.push(line)
    }
    start = end + 1
  }
  if (items.length === 0) throw new DataError('the body holds no JSON lines')
  const byName = !Array.isArray(items[0])
  items.forEach((item, i) => {
    if (Array.isArray(item) === byName || item === null || typeof item !== 'object') {
      throw new DataError(`line ${lines[i]}: expected ${byName ? 'an object (a record)' : 'an array (a row)'} like the first line, found ${describe(item)}`)
    }
  })
  return byName ? recordsFrame(items as Record<string, unknown>[], model, 'line', lines) : rowsFrame(items as unknown[][], model, 'line', lines)
}

/**
 * A frame from any of the JSON shapes in the table above, already parsed.
 * @example
 * const frame = valueFrame({ inputs: { age: [0.03], bmi: [0.06] } }, model)
 */
export function valueFrame(v: unknown, model: ServedModel): Frame {
  if (Array.isArray(v)) return listFrame(v, model)
  if (v === null || typeof v !== 'object') throw new DataError(`expected a JSON object or array, found ${describe(v)}`)
  const o = v as Record<string, unknown>
  if (Object.hasOwn(o, 'instances')) return listFrame(o.instances, model, 'instances')
  if (Object.hasOwn(o, 'inputs')) {
    const inputs = o.inputs
    if (inputs !== null && typeof inputs === 'object' && !Array.isArray(inputs)) return columnsFrame(inputs as Record<string, unknown>, model)
    return listFrame(inputs, model, 'inputs')
  }
  if (Object.hasOwn(o, 'dataframe_records')) return listFrame(o.dataframe_records, model, 'dataframe_records')
  if (Object.hasOwn(o, 'dataframe_split')) return splitFrame(o.dataframe_split, model)
  return recordsFrame([o], model, 'row')
}

function listFrame(list: unknown, model: ServedModel, field = ''): Frame {
  const where = field === '' ? '' : `'${field}' `
  if (!Array.isArray(list)) throw new DataError(`${where}must be an array of rows or records, found ${describe(list)}`)
  if (list.length === 0) throw new DataError(`${where || 'the body '}holds no rows`)
  const first = list[0]
  if (list.every((x) => x === null || typeof x !== 'object')) return rowsFrame([list], model, 'row')
  if (Array.isArray(first)) {
    list.forEach((row, i) => {
      if (!Array.isArray(row)) throw new DataError(`row ${i + 1}: expected an array like the first row, found ${describe(row)}`)
    })
    return rowsFrame(list as unknown[][], model, 'row')
  }
  if (first !== null && typeof first === 'object') {
    list.forEach((rec, i) => {
      if (rec === null || typeof rec !== 'object' || Array.isArray(rec)) throw new DataError(`row ${i + 1}: expected an object like the first row, found ${describe(rec)}`)
    })
    return recordsFrame(list as Record<string, unknown>[], model, 'row')
  }
  throw new DataError(`${where}must hold rows (arrays) or records (objects), found ${describe(first)}`)
}

/** Rows by position: each must have exactly one value per feature. */
function rowsFrame(rows: readonly unknown[][], model: ServedModel, rowName: string, labels?: readonly number[]): Frame {
  const nF = model.featureNames.length
  const b = new ValueFrame(model, rows.length, rowName)
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]
    const label = labels === undefined ? i + 1 : labels[i]
    if (row.length !== nF) {
      throw new DataError(`${rowName} ${label}: ${row.length} values, the model has ${nF} features (${clipList(model.featureNames)})${row.length > nF ? `; column ${nF + 1} is one too many` : `; column ${row.length + 1} ('${model.featureNames[row.length]}') is missing`}`)
    }
    for (let j = 0; j < nF; j++) b.set(i, j, row[j], label)
  }
  return b.build()
}

/** Records by name: extra keys are ignored, a key absent from a record is missing there. */
function recordsFrame(records: readonly Record<string, unknown>[], model: ServedModel, rowName: string, labels?: readonly number[]): Frame {
  const names = model.featureNames
  const b = new ValueFrame(model, records.length, rowName)
  for (let j = 0; j < names.length; j++) {
    const name = names[j]
    let seen = false
    for (let i = 0; i < records.length; i++) {
      const rec = records[i]
      if (!Object.hasOwn(rec, name)) continue
      seen = true
      b.set(i, j, rec[name], labels === undefined ? i + 1 : labels[i])
    }
    if (!seen) throw new DataError(`no record has the key '${name}' (the model needs: ${clipList(names)})`)
  }
  return b.build()
}

/** `{"col": [values], ...}`: one array per feature, all of one length. */
function columnsFrame(columns: Record<string, unknown>, model: ServedModel): Frame {
  const names = model.featureNames
  let n = -1
  for (const name of names) {
    if (!Object.hasOwn(columns, name)) throw new DataError(`'inputs' has no column '${name}' (the model needs: ${clipList(names)})`)
    const values = columns[name]
    if (!Array.isArray(values)) throw new DataError(`'inputs.${name}' must be an array of values, found ${describe(values)}`)
    if (n < 0) n = values.length
    else if (values.length !== n) throw new DataError(`'inputs.${name}' has ${values.length} values, '${names[0]}' has ${n}`)
  }
  if (n <= 0) throw new DataError("'inputs' holds no rows")
  const b = new ValueFrame(model, n, 'row')
  names.forEach((name, j) => {
    const values = columns[name] as unknown[]
    for (let i = 0; i < n; i++) b.set(i, j, values[i])
  })
  return b.build()
}

/** pandas' split orientation: `{"columns": [...], "data": [[...], ...]}`. */
function splitFrame(split: unknown, model: ServedModel): Frame {
  if (split === null || typeof split !== 'object' || Array.isArray(split)) throw new DataError(`'dataframe_split' must be an object with 'columns' and 'data', found ${describe(split)}`)
  const { columns, data } = split as { columns?: unknown; data?: unknown }
  if (!Array.isArray(columns) || !columns.every((c) => typeof c === 'string')) throw new DataError("'dataframe_split.columns' must be an array of column names")
  if (!Array.isArray(data) || data.length === 0) throw new DataError("'dataframe_split.data' must be a non-empty array of rows")
  const position = model.featureNames.map((name) => {
    const k = columns.indexOf(name)
    if (k < 0) throw new DataError(`'dataframe_split.columns' has no column '${name}' (the model needs: ${clipList(model.featureNames)})`)
    return k
  })
  const b = new ValueFrame(model, data.length, 'row')
  data.forEach((row, i) => {
    if (!Array.isArray(row) || row.length !== columns.length) {
      throw new DataError(`'dataframe_split.data' row ${i + 1}: expected ${columns.length} values, one per column, found ${Array.isArray(row) ? row.length : describe(row)}`)
    }
    position.forEach((k, j) => b.set(i, j, row[k]))
  })
  return b.build()
}

function decodeUtf8(body: Uint8Array): string {
  try {
    return decoder.decode(body)
  } catch {
    throw new DataError('the body is not valid UTF-8')
  }
}

function parseJson(text: string, prefix: string): unknown {
  try {
    return JSON.parse(text)
  } catch (err) {
    throw new DataError(`${prefix}invalid JSON: ${(err as Error).message}`)
  }
}

function clipList(names: readonly string[]): string {
  return names.length > 12 ? names.slice(0, 12).join(', ') + `, ... (${names.length})` : names.join(', ')
}
