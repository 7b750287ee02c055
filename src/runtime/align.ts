/**
 * Lining an incoming frame up with the features a model was trained on: the feature columns are
 * picked by name and put in training order (other columns, such as the target, are ignored), and
 * categorical codes are moved from the frame's own dictionary onto the training dictionary.
 *
 * Why the remap matters: a reader numbers categories in first-seen order, so the same category
 * gets a different code in every file (and in every chunk of a streamed file). `gbdt` and the
 * forests compare codes as numbers against thresholds learned on the training codes, so a code
 * must mean the category it meant at training. Categories the model never saw become missing
 * (-1), which every learner handles as it handles a missing value.
 */
import { categoricalColumn, MISSING_CODE, makeFrame, type CategoricalColumn, type Column, type Field, type Frame } from '../data/frame.js'
import { DataError, type Location } from '../errors.js'

/** One categorical feature's training dictionary, indexed for lookups by category text. */
interface Dictionary {
  readonly categories: readonly string[]
  readonly index: ReadonlyMap<string, number>
}

/**
 * Aligns frames to a fixed list of training features; the dictionaries are indexed once, so
 * aligning many frames (chunks of a file, requests to an endpoint) costs one pass over each.
 * @example
 * const aligner = new FeatureAligner([{ name: 'x', type: 'numeric' }, { name: 'c', type: 'categorical', categories: ['a', 'b'] }])
 * const frame = aligner.align(parseCsv('c,y,x\nb,0,1.5\nz,1,2\n'), 'in.csv')
 * // columns x, c; c's codes [1, -1] ('z' was never seen in training), categories ['a', 'b']
 */
export class FeatureAligner {
  readonly features: readonly Field[]
  private readonly dictionaries: readonly (Dictionary | null)[]

  constructor(features: readonly Field[]) {
    this.features = features
    this.dictionaries = features.map((f) => {
      if (f.type !== 'categorical') return null
      const categories = f.categories ?? []
      return { categories, index: new Map(categories.map((c, i) => [c, i])) }
    })
  }

  /**
   * The training features of `frame`, in training order, with training codes. A missing feature
   * column, or text where the model reads numbers, is a DataError naming the column (and `file`,
   * when given). A numeric column where the model expects categories is matched by each value's
   * shortest spelling (`String(x)`, so `3` matches the category `'3'`).
   */
  align(frame: Frame, file?: string): Frame {
    const byName = new Map<string, Column>()
    for (const c of frame.columns) byName.set(c.name, c)
    const where = (field: string): Location => (file === undefined ? { field } : { file, field })
    const columns = this.features.map((f, j): Column => {
      const col = byName.get(f.name)
      if (col === undefined) {
        throw new DataError(`no column '${f.name}' (the model needs: ${this.features.map((g) => g.name).join(', ')})`, where(f.name))
      }
      const dictionary = this.dictionaries[j]
      if (dictionary === null) {
        if (col.type === 'numeric') return col
        throw new DataError(`column '${f.name}' holds text such as '${clip(col.categories[0] ?? '')}', but the model reads it as numeric`, where(f.name))
      }
      return categoricalColumn(f.name, col.type === 'categorical' ? remapCodes(col, dictionary) : codesOfNumbers(col.values, dictionary), dictionary.categories)
    })
    return makeFrame(columns)
  }
}

/** The column's codes in the training dictionary; its own codes when the dictionaries agree. */
function remapCodes(col: CategoricalColumn, dictionary: Dictionary): Int32Array {
  const map = new Int32Array(col.categories.length)
  let identity = true
  for (let k = 0; k < map.length; k++) {
    map[k] = dictionary.index.get(col.categories[k]) ?? MISSING_CODE
    if (map[k] !== k) identity = false
  }
  if (identity) return col.codes
  const codes = col.codes
  const out = new Int32Array(codes.length)
  for (let i = 0; i < codes.length; i++) out[i] = codes[i] < 0 ? MISSING_CODE : map[codes[i]]
  return out
}

/** Training codes of numbers read as category text; a cache keeps it one lookup per distinct value. */
function codesOfNumbers(values: Float64Array, dictionary: Dictionary): Int32Array {
  const out = new Int32Array(values.length)
  const seen = new Map<number, number>()
  for (let i = 0; i < values.length; i++) {
    const v = values[i]
    if (Number.isNaN(v)) {
      out[i] = MISSING_CODE
      continue
    }
    let code = seen.get(v)
    if (code === undefined) {
      code = dictionary.index.get(String(v)) ?? MISSING_CODE
      seen.set(v, code)
    }
    out[i] = code
  }
  return out
}

/** Long values are cut in messages so one bad cell does not flood a log. */
function clip(text: string): string {
  return text.length > 40 ? text.slice(0, 37) + '...' : text
}
