/**
 * Where a model exported to ONNX reads its input columns: the graph input `X` (the manifest's
 * features in order), or, for a stacked blend's meta-model, the members' predictions plus the
 * features it passes through. Categorical columns hold the manifest's category codes as float64,
 * NaN for missing (the layout `EnsemblePredictor` gives its members after aligning a frame).
 */
import type { GraphBuilder } from './graph.js'

/**
 * Named float64 columns in a graph.
 * @example const { tensor, index } = columns.matrix(['age', 'bmi'])
 */
export interface Columns {
  /**
   * A [N, w] tensor holding the named columns, and the position of each name in it (a name may
   * sit anywhere in a wider tensor, so tree splits can point at it without a copy).
   */
  matrix(names: readonly string[]): { readonly tensor: string; readonly index: readonly number[] }
  /** The categories a categorical column's codes index, or undefined for a numeric column. */
  categories(name: string): readonly string[] | undefined
}

/** One named column of a {@link Columns}: its tensor and the position in it. */
export interface NamedColumn {
  readonly name: string
  /** A [N, 1] float64 tensor, or a wider one with `column` set. */
  readonly tensor: string
  readonly column: number
  readonly categories?: readonly string[]
}

/**
 * Columns read from one [N, F] input tensor whose columns are `fields` in order.
 * @example const columns = inputColumns(g, 'X', manifest.features)
 */
export function inputColumns(g: GraphBuilder, x: string, fields: readonly { name: string; categories?: readonly string[] }[]): Columns {
  const position = new Map(fields.map((f, i) => [f.name, i]))
  return {
    matrix: (names) => ({ tensor: x, index: names.map((n) => at(position, n)) }),
    categories: (name) => fields[at(position, name)].categories,
  }
}

/**
 * Columns gathered from several tensors (a stack's meta-features), concatenated when asked for.
 * @example const meta = namedColumns(g, [{ name: 'member0', tensor: p0, column: 0 }])
 */
export function namedColumns(g: GraphBuilder, cols: readonly NamedColumn[]): Columns {
  const byName = new Map(cols.map((c) => [c.name, c]))
  const get = (name: string): NamedColumn => {
    const c = byName.get(name)
    if (c === undefined) throw new RangeError(`no column '${name}' among ${[...byName.keys()].join(', ')}`)
    return c
  }
  return {
    matrix: (names) => {
      const parts = names.map((n) => {
        const c = get(n)
        return g.op('Gather', [c.tensor, g.int64s([c.column], [1])], { axis: 1 })
      })
      return { tensor: parts.length === 1 ? parts[0] : g.op('Concat', parts, { axis: 1 }), index: names.map((_, i) => i) }
    },
    categories: (name) => get(name).categories,
  }
}

function at(position: ReadonlyMap<string, number>, name: string): number {
  const i = position.get(name)
  if (i === undefined) throw new RangeError(`no column '${name}' among ${[...position.keys()].join(', ')}`)
  return i
}
