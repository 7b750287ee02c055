/**
 * `--set key=value` overrides: dotted paths into the spec, values read as YAML scalars, applied
 * to a copy of the spec before it is validated (so an override gets the same checks as the file).
 */
import { parse as parseYaml } from 'yaml'
import { ParamError } from '../../errors.js'

/** One parsed `--set` argument. */
export interface Override {
  /** The argument as given, for error messages. */
  readonly text: string
  readonly path: readonly string[]
  readonly value: unknown
}

/**
 * Parses `key=value`: the key is a dotted path, the value a YAML scalar (`0.2` is a number,
 * `true` a boolean, `null` null, anything else a string; an empty value is the empty string).
 * @example
 * parseOverride('members.xgb.params.eta=0.2') // { text, path: ['members', 'xgb', 'params', 'eta'], value: 0.2 }
 */
export function parseOverride(text: string): Override {
  const eq = text.indexOf('=')
  if (eq <= 0) throw new ParamError(`--set expects key=value, got '${text}'`, { field: text })
  const key = text.slice(0, eq).trim()
  const path = key.split('.')
  if (path.some((segment) => segment.length === 0)) {
    throw new ParamError(`--set '${text}': empty segment in the path '${key}'`, { field: key })
  }
  return { text, path, value: scalar(text.slice(eq + 1)) }
}

function scalar(raw: string): unknown {
  if (raw.trim() === '') return ''
  try {
    const value: unknown = parseYaml(raw)
    // Flow collections and multi-line constructs are not scalars: keep the text as written.
    return value === null || ['number', 'boolean', 'string'].includes(typeof value) ? value : raw
  } catch {
    return raw
  }
}

/**
 * Returns a copy of `data` with every override applied in order, creating missing intermediate
 * objects. A path through a scalar or an array index that is not a number is a ParamError naming
 * the path. `data` itself is never changed.
 * @example
 * applyOverrides({ cv: { folds: 5 } }, ['cv.folds=3', 'members.xgb.params.eta=0.2'])
 * // { cv: { folds: 3 }, members: { xgb: { params: { eta: 0.2 } } } }
 */
export function applyOverrides(data: unknown, set: readonly string[]): unknown {
  let root: unknown = clone(data ?? {})
  for (const text of set) {
    const override = parseOverride(text)
    root = assign(root, override)
  }
  return root
}

function assign(root: unknown, { text, path, value }: Override): unknown {
  if (!isContainer(root)) throw new ParamError(`--set '${text}': the spec is not a mapping`, { field: path.join('.') })
  let node: Record<string, unknown> | unknown[] = root
  for (let i = 0; i < path.length; i++) {
    const segment = path[i]
    const where = path.slice(0, i + 1).join('.')
    const last = i === path.length - 1
    if (Array.isArray(node)) {
      const index = Number(segment)
      if (!Number.isInteger(index) || index < 0 || index > node.length) {
        throw new ParamError(`--set '${text}': '${path.slice(0, i).join('.')}' is a list; '${segment}' is not an index in it`, { field: where })
      }
      if (last) node[index] = value
      else {
        if (node[index] === undefined) node[index] = {}
        node = descend(node[index], text, where)
      }
      continue
    }
    if (last) {
      define(node, segment, value)
    } else {
      if (!Object.prototype.hasOwnProperty.call(node, segment) || node[segment] === undefined || node[segment] === null) define(node, segment, {})
      node = descend(node[segment], text, where)
    }
  }
  return root
}

function descend(child: unknown, text: string, where: string): Record<string, unknown> | unknown[] {
  if (!isContainer(child)) {
    throw new ParamError(`--set '${text}': '${where}' is ${JSON.stringify(child)}, not a mapping, so it has no fields`, { field: where })
  }
  return child
}

// defineProperty, not assignment: a key such as `__proto__` becomes an ordinary own field
// (which validation then rejects) instead of replacing the object's prototype.
function define(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true })
}

function isContainer(value: unknown): value is Record<string, unknown> | unknown[] {
  return typeof value === 'object' && value !== null
}

function clone(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(clone)
  if (isContainer(value)) {
    const source = value as Record<string, unknown>
    const copy: Record<string, unknown> = {}
    for (const key of Object.keys(source)) define(copy, key, clone(source[key]))
    return copy
  }
  return value
}
