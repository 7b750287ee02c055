/**
 * The search space: checked hyperparameter ranges and the map between a point (range name to
 * value) and the unit cube every strategy searches in. One cube dimension per range, scaled as
 * SageMaker scales it, so "uniform in the cube" is "uniform in the scaled space" and a model that
 * works in the cube sees log-scaled ranges as it should.
 *
 * The encoding of each range in its dimension u in [0, 1]:
 * - continuous: u = (t(x) - t(min)) / (t(max) - t(min)), where t is the scaling's transform
 *   (identity, ln x, or ln(1 - x) for ReverseLogarithmic, which is dense near 1);
 * - integer: the same over the relaxed interval [min - 0.5, max + 0.5], so every integer owns a
 *   cell of the dimension (of equal width under Linear scaling) and decoding rounds to the nearest
 *   integer: a uniform u gives a uniform (or log-uniform) integer;
 * - categorical: value i of k owns the cell [i/k, (i+1)/k) and encodes to its centre (i + 0.5)/k.
 *   (The Gaussian process does not use this ordering: it one-hot encodes categoricals, see
 *   model/features.ts.)
 */
import { ParamError } from '../errors.js'
import type { Rng } from '../rng.js'
import { closestName } from '../text/closest.js'
import type { CategoricalRange, ParameterRange, ParamValue, Params, Scaling } from './types.js'

/** SageMaker's limit on the values of one categorical range. */
export const MAX_CATEGORICAL_VALUES = 30

/** A scaling after `Auto` has been resolved. */
export type ResolvedScaling = Exclude<Scaling, 'Auto'>

/** `Auto` resolves to Logarithmic when a range is positive and spans at least this ratio. */
export const AUTO_LOG_RATIO = 100

const SCALINGS: readonly Scaling[] = ['Auto', 'Linear', 'Logarithmic', 'ReverseLogarithmic']
const TYPES = ['continuous', 'integer', 'categorical'] as const

/** A numeric dimension: its range's transform and the (relaxed) interval in transformed units. */
interface NumericDim {
  readonly kind: 'numeric'
  readonly range: ParameterRange & { readonly type: 'continuous' | 'integer' }
  readonly scaling: ResolvedScaling
  readonly integer: boolean
  /** t(lo) and t(hi - lo) where [lo, hi] is [min, max], relaxed by 0.5 for integers. */
  readonly t0: number
  readonly span: number
}

interface CategoricalDim {
  readonly kind: 'categorical'
  readonly range: CategoricalRange
}

type Dim = NumericDim | CategoricalDim

/** Checked ranges, ready to encode, decode and sample. Build one with {@link createSpace}. */
export interface SearchSpace {
  readonly ranges: readonly ParameterRange[]
  /** Cube dimensions: one per range. */
  readonly dims: number
  /** The scaling each range is searched with (`Auto` resolved; null for categoricals). */
  readonly scalings: readonly (ResolvedScaling | null)[]
  /** @internal per-dimension transforms */
  readonly layout: readonly Dim[]
}

/**
 * The scaling a numeric range is searched with. `Auto` is Logarithmic when the range is positive
 * and max / min >= {@link AUTO_LOG_RATIO} (it spans two orders of magnitude or more), else Linear.
 * @example
 * resolveScaling({ name: 'eta', type: 'continuous', min: 0.001, max: 0.5, scaling: 'Auto' }) // 'Logarithmic'
 * resolveScaling({ name: 'depth', type: 'integer', min: 2, max: 10, scaling: 'Auto' })      // 'Linear'
 */
export function resolveScaling(range: ParameterRange & { readonly type: 'continuous' | 'integer' }): ResolvedScaling {
  if (range.scaling !== 'Auto') return range.scaling
  return range.min > 0 && range.max / range.min >= AUTO_LOG_RATIO ? 'Logarithmic' : 'Linear'
}

/**
 * Throws a ParamError (field `ranges.<name>`) for the first invalid range:
 * - no ranges, a missing or repeated name, an unknown type or scaling (with the closest valid one);
 * - numeric bounds that are not finite numbers, or integer bounds that are not integers;
 * - continuous ranges need min < max; integer ranges need min <= max (min = max fixes the value);
 * - Logarithmic needs min > 0; ReverseLogarithmic is for continuous ranges in [0, 1) only
 *   (0 <= min < max < 1), as SageMaker requires;
 * - categorical ranges need 1 to 30 values (SageMaker's limit), each a finite number, a string or
 *   a boolean, none repeated.
 * @example
 * checkRanges([{ name: 'eta', type: 'continuous', min: 0.5, max: 0.1, scaling: 'Linear' }])
 * // ParamError: field 'ranges.eta': min (0.5) must be less than max (0.1)
 */
export function checkRanges(ranges: readonly ParameterRange[], field = 'ranges'): void {
  if (!Array.isArray(ranges) || ranges.length === 0) throw new ParamError('at least one hyperparameter range is needed', { field })
  const seen = new Set<string>()
  ranges.forEach((range, i) => {
    const name: unknown = (range as { name?: unknown } | null)?.name
    if (typeof name !== 'string' || name === '') throw new ParamError('a range needs a non-empty name', { field: `${field}[${i}]` })
    const at = { field: `${field}.${name}` }
    if (seen.has(name)) throw new ParamError(`the range '${name}' is defined twice`, at)
    seen.add(name)
    const type: unknown = range.type
    if (type === 'categorical') return checkCategorical(range as CategoricalRange, at)
    if (type !== 'continuous' && type !== 'integer') {
      const hint = closestName(String(type), TYPES)
      throw new ParamError(`unknown range type '${String(type)}'${hint ? `; did you mean '${hint}'?` : ''} (known: ${TYPES.join(', ')})`, at)
    }
    checkNumeric(range as ParameterRange & { type: 'continuous' | 'integer' }, at)
  })
}

function checkNumeric(range: ParameterRange & { readonly type: 'continuous' | 'integer' }, at: { field: string }): void {
  const { min, max, scaling } = range
  if (typeof min !== 'number' || !Number.isFinite(min)) throw new ParamError(`min must be a finite number, got ${String(min)}`, at)
  if (typeof max !== 'number' || !Number.isFinite(max)) throw new ParamError(`max must be a finite number, got ${String(max)}`, at)
  if (!SCALINGS.includes(scaling)) {
    const hint = closestName(String(scaling), SCALINGS)
    throw new ParamError(`unknown scaling '${String(scaling)}'${hint ? `; did you mean '${hint}'?` : ''} (known: ${SCALINGS.join(', ')})`, at)
  }
  if (range.type === 'integer') {
    if (!Number.isInteger(min) || !Number.isInteger(max)) throw new ParamError(`an integer range needs integer bounds, got [${min}, ${max}]`, at)
    if (min > max) throw new ParamError(`min (${min}) must not exceed max (${max})`, at)
  } else if (min >= max) {
    throw new ParamError(`min (${min}) must be less than max (${max}) for a continuous range`, at)
  }
  if (scaling === 'Logarithmic' && min <= 0) throw new ParamError(`Logarithmic scaling needs min > 0, got ${min}`, at)
  if (scaling === 'ReverseLogarithmic') {
    if (range.type !== 'continuous') throw new ParamError('ReverseLogarithmic scaling is for continuous ranges only', at)
    if (min < 0 || max >= 1) throw new ParamError(`ReverseLogarithmic scaling needs 0 <= min < max < 1, got [${min}, ${max}]`, at)
  }
}

function checkCategorical(range: CategoricalRange, at: { field: string }): void {
  const values: unknown = range.values
  if (!Array.isArray(values) || values.length === 0) throw new ParamError('a categorical range needs at least one value', at)
  if (values.length > MAX_CATEGORICAL_VALUES) {
    throw new ParamError(`a categorical range takes at most ${MAX_CATEGORICAL_VALUES} values, got ${values.length}`, at)
  }
  const seen = new Set<ParamValue>()
  for (const v of values as unknown[]) {
    const ok = typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v))
    if (!ok) throw new ParamError(`a categorical value must be a finite number, a string or a boolean, got ${String(v)}`, at)
    if (seen.has(v)) throw new ParamError(`the value ${JSON.stringify(v)} is listed twice`, at)
    seen.add(v)
  }
}

function transform(scaling: ResolvedScaling, x: number): number {
  return scaling === 'Linear' ? x : scaling === 'Logarithmic' ? Math.log(x) : Math.log1p(-x)
}

function inverse(scaling: ResolvedScaling, t: number): number {
  return scaling === 'Linear' ? t : scaling === 'Logarithmic' ? Math.exp(t) : -Math.expm1(t)
}

/**
 * Checks `ranges` ({@link checkRanges}) and builds the space over them.
 * @example
 * const space = createSpace([
 *   { name: 'eta', type: 'continuous', min: 0.01, max: 0.3, scaling: 'Logarithmic' },
 *   { name: 'max_depth', type: 'integer', min: 2, max: 8, scaling: 'Linear' },
 *   { name: 'grow_policy', type: 'categorical', values: ['depthwise', 'lossguide'] },
 * ])
 * space.dims // 3
 */
export function createSpace(ranges: readonly ParameterRange[], field = 'ranges'): SearchSpace {
  checkRanges(ranges, field)
  const layout: Dim[] = ranges.map((range) => {
    if (range.type === 'categorical') return { kind: 'categorical', range }
    const scaling = resolveScaling(range)
    const integer = range.type === 'integer'
    const lo = integer ? range.min - 0.5 : range.min
    const hi = integer ? range.max + 0.5 : range.max
    const t0 = transform(scaling, lo)
    return { kind: 'numeric', range, scaling, integer, t0, span: transform(scaling, hi) - t0 }
  })
  return {
    ranges: [...ranges],
    dims: ranges.length,
    scalings: layout.map((d) => (d.kind === 'numeric' ? d.scaling : null)),
    layout,
  }
}

/**
 * The cube coordinates of `params` (a Float64Array of `space.dims` values in [0, 1]). Numeric
 * values outside their range are clamped to it.
 *
 * @throws ParamError when a range's value is missing, of the wrong type, or not among a
 *   categorical range's values.
 * @example
 * encode(space, { eta: 0.01, max_depth: 8, grow_policy: 'lossguide' }) // Float64Array [0, 0.928..., 0.75]
 */
export function encode(space: SearchSpace, params: Params, out = new Float64Array(space.dims)): Float64Array {
  for (let j = 0; j < space.dims; j++) {
    const dim = space.layout[j]
    const v = params[dim.range.name]
    if (dim.kind === 'categorical') {
      const i = dim.range.values.indexOf(v as ParamValue)
      if (i < 0) throw new ParamError(`${JSON.stringify(v)} is not one of ${JSON.stringify(dim.range.values)}`, { field: dim.range.name })
      out[j] = (i + 0.5) / dim.range.values.length
    } else {
      if (typeof v !== 'number' || Number.isNaN(v)) throw new ParamError(`expected a number, got ${JSON.stringify(v)}`, { field: dim.range.name })
      const x = Math.min(dim.range.max, Math.max(dim.range.min, v))
      const u = (transform(dim.scaling, x) - dim.t0) / dim.span
      out[j] = Math.min(1, Math.max(0, u))
    }
  }
  return out
}

/**
 * The point at cube coordinates `u` (clamped to [0, 1]): numeric values mapped back through their
 * scaling and clamped to their range, integers rounded, categoricals picked by cell.
 * @example
 * decode(space, [0, 1, 0.2]) // { eta: 0.01, max_depth: 8, grow_policy: 'depthwise' }
 */
export function decode(space: SearchSpace, u: ArrayLike<number>): Params {
  const out: Record<string, ParamValue> = {}
  for (let j = 0; j < space.dims; j++) out[space.layout[j].range.name] = decodeDim(space.layout[j], u[j])
  return out
}

function decodeDim(dim: Dim, raw: number): ParamValue {
  const u = raw >= 1 ? 1 : raw > 0 ? raw : 0
  if (dim.kind === 'categorical') {
    const k = dim.range.values.length
    return dim.range.values[Math.min(k - 1, Math.floor(u * k))]
  }
  if (!dim.integer && (u === 0 || u === 1)) return u === 0 ? dim.range.min : dim.range.max // exact ends, whatever the transform's rounding
  let x = inverse(dim.scaling, dim.t0 + u * dim.span)
  if (dim.integer) x = Math.round(x)
  return Math.min(dim.range.max, Math.max(dim.range.min, x)) + 0 // + 0 turns -0 into 0
}

/**
 * Snaps cube coordinates in place to the coordinates of the point they decode to (the centre of an
 * integer's or a category's cell; continuous coordinates are kept), so a model scores the point
 * that would actually run.
 * @example
 * const u = Float64Array.of(0.5, 0.51, 0.1); snap(space, u) // u[1] is max_depth 5's coordinate
 */
export function snap(space: SearchSpace, u: Float64Array): Float64Array {
  for (let j = 0; j < space.dims; j++) {
    const dim = space.layout[j]
    const c = u[j] >= 1 ? 1 : u[j] > 0 ? u[j] : 0
    if (dim.kind === 'categorical') {
      const k = dim.range.values.length
      u[j] = (Math.min(k - 1, Math.floor(c * k)) + 0.5) / k
    } else if (dim.integer) {
      const x = decodeDim(dim, c) as number
      u[j] = Math.min(1, Math.max(0, (transform(dim.scaling, x) - dim.t0) / dim.span))
    } else {
      u[j] = c
    }
  }
  return u
}

/**
 * A point drawn uniformly in the scaled space (uniform cube coordinates, decoded).
 * @example
 * sampleUniform(space, new Rng(1)) // { eta: 0.042..., max_depth: 3, grow_policy: 'lossguide' }
 */
export function sampleUniform(space: SearchSpace, rng: Rng): Params {
  const u = new Float64Array(space.dims)
  for (let j = 0; j < space.dims; j++) u[j] = rng.next()
  return decode(space, u)
}

/**
 * Whether `params` gives every range a value it can take (right type, within bounds, integral
 * for integer ranges, listed for categorical ones). Extra names are ignored.
 * @example
 * inSpace(space, { eta: 0.1, max_depth: 3.5, grow_policy: 'depthwise' }) // false: 3.5 is not an integer
 */
export function inSpace(space: SearchSpace, params: Params): boolean {
  for (const range of space.ranges) {
    const v = params[range.name]
    if (range.type === 'categorical') {
      if (!range.values.includes(v)) return false
    } else {
      if (typeof v !== 'number' || !(v >= range.min && v <= range.max)) return false
      if (range.type === 'integer' && !Number.isInteger(v)) return false
    }
  }
  return true
}

/**
 * The canonical key of a point: its values in range order as JSON (a string and a number that
 * look alike stay apart; -0 is 0; names outside the space are ignored). Two points are the same
 * trial configuration exactly when their keys are equal.
 * @example
 * pointKey(space, { max_depth: 3, grow_policy: 'lossguide', eta: 0.1 }) // '[0.1,3,"lossguide"]'
 */
export function pointKey(space: SearchSpace, params: Params): string {
  return JSON.stringify(space.ranges.map((r) => params[r.name] ?? null))
}

/**
 * How many distinct points the space has: the product of the integer and categorical ranges'
 * sizes, or Infinity when a range is continuous.
 * @example
 * discreteSize(createSpace([{ name: 'd', type: 'integer', min: 1, max: 4, scaling: 'Linear' }])) // 4
 */
export function discreteSize(space: SearchSpace): number {
  let size = 1
  for (const range of space.ranges) {
    if (range.type === 'continuous') return Infinity
    size *= range.type === 'integer' ? range.max - range.min + 1 : range.values.length
  }
  return size
}

/**
 * The `index`-th point of a discrete space in enumeration order: ranges in order, the last one
 * varying fastest (as Python's itertools.product), integers ascending, categoricals as listed.
 * @example
 * pointAt(space2x3, 4) // the second value of the first range with the second of the last
 */
export function pointAt(space: SearchSpace, index: number): Params {
  const out: Record<string, ParamValue> = {}
  let rest = index
  for (let j = space.dims - 1; j >= 0; j--) {
    const range = space.ranges[j]
    if (range.type === 'continuous') throw new Error('pointAt needs a discrete space')
    const k = range.type === 'integer' ? range.max - range.min + 1 : range.values.length
    const i = rest % k
    rest = Math.floor(rest / k)
    out[range.name] = range.type === 'integer' ? range.min + i : range.values[i]
  }
  return out
}
