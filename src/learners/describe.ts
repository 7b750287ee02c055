/**
 * Parameter documentation generated from a learner's zod schema, the single source of its names,
 * defaults, bounds and help: what `consort learners KIND` prints and what tuning ranges check.
 */
import { z } from 'zod'
import type { LearnerSpec } from './types.js'

/** One parameter as a person reads it. */
export interface ParamDoc {
  readonly name: string
  readonly aliases: readonly string[]
  /** The default as text, or '' when unset (the learner decides from the task or data). */
  readonly default: string
  /** Allowed values as text: an interval, a list, or a type. */
  readonly values: string
  readonly help: string
}

interface JsonSchema {
  type?: string
  enum?: readonly unknown[]
  anyOf?: readonly JsonSchema[]
  default?: unknown
  description?: string
  minimum?: number
  maximum?: number
  exclusiveMinimum?: number
  exclusiveMaximum?: number
}

/**
 * The documentation of every parameter of `spec`, in schema order.
 * @example describeParams(gbdtLearner).find((p) => p.name === 'eta')?.values // '(0, 1]'
 */
export function describeParams(spec: LearnerSpec): ParamDoc[] {
  const json = z.toJSONSchema(spec.params, { io: 'input', unrepresentable: 'any' }) as { properties?: Record<string, JsonSchema> }
  const properties = json.properties ?? {}
  return Object.keys(spec.params.shape).map((name) => {
    const p = properties[name] ?? {}
    return {
      name,
      aliases: Object.keys(spec.aliases).filter((alias) => spec.aliases[alias] === name),
      default: p.default === undefined ? '' : String(p.default),
      values: valuesOf(p),
      help: p.description ?? '',
    }
  })
}

function valuesOf(p: JsonSchema): string {
  if (p.anyOf) return p.anyOf.map(valuesOf).join(' | ')
  if (p.enum) return p.enum.map(String).join(', ')
  if (p.type === 'number' || p.type === 'integer') {
    const lo = p.exclusiveMinimum !== undefined ? `(${p.exclusiveMinimum}` : p.minimum !== undefined && p.minimum > Number.MIN_SAFE_INTEGER ? `[${p.minimum}` : ''
    const hi = p.exclusiveMaximum !== undefined ? `${p.exclusiveMaximum})` : p.maximum !== undefined && p.maximum < Number.MAX_SAFE_INTEGER ? `${p.maximum}]` : ''
    const kind = p.type === 'integer' ? 'integer' : 'number'
    if (lo && hi) return `${kind} in ${lo}, ${hi}`
    if (lo) return `${kind} ${lo.startsWith('(') ? '>' : '>='} ${lo.slice(1)}`
    if (hi) return `${kind} ${hi.endsWith(')') ? '<' : '<='} ${hi.slice(0, -1)}`
    return kind
  }
  return p.type ?? 'any'
}
