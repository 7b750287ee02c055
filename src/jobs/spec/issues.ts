/**
 * zod issues to ParamErrors in the spec's own words: the field path, "missing required field",
 * and for an unknown field or value the closest valid name.
 */
import { z } from 'zod'
import { closestName } from '../../text/closest.js'
import type { FieldPath } from './source.js'

/** One problem found in a spec, before a location is attached. */
export interface SpecProblem {
  message: string
  path: FieldPath
  /** The problem is the key itself (an unknown field), not its value. */
  onKey: boolean
}

/**
 * Describes the first of `issues` (zod reports them in schema order), unknown fields first: a
 * mistyped field also makes the field it meant missing, and the typo is the better message.
 * `data` is the input that was validated; `schema` is walked to find the fields an unknown one
 * could have meant.
 * @example
 * const result = membersSpecSchema.safeParse(data)
 * if (!result.success) describeIssue(result.error.issues, data, membersSpecSchema)
 */
export function describeIssue(issues: readonly z.core.$ZodIssue[], data: unknown, schema: z.ZodType): SpecProblem {
  const issue = issues.find((i) => i.code === 'unrecognized_keys') ?? issues[0]
  const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol')
  switch (issue.code) {
    case 'unrecognized_keys': {
      const key = issue.keys[0]
      return { message: unknownField(key, fieldsAt(schema, path)), path: [...path, key], onKey: true }
    }
    case 'invalid_value': {
      const given = valueAt(data, path)
      const options = issue.values.filter((v): v is string => typeof v === 'string')
      if (typeof given === 'string' && options.length === issue.values.length) {
        const hint = closestName(given, options)
        return {
          message: `unknown value '${given}'${hint ? `; did you mean '${hint}'?` : ''} (one of: ${options.join(', ')})`,
          path,
          onKey: false,
        }
      }
      return { message: `expected one of: ${issue.values.map(String).join(', ')}`, path, onKey: false }
    }
    case 'invalid_type':
      if (valueAt(data, path) === undefined) return { message: 'missing required field', path, onKey: true }
      return { message: issue.message.replace(/^Invalid input: /, ''), path, onKey: false }
    default:
      return { message: issue.message.replace(/^Invalid input: /, ''), path, onKey: false }
  }
}

/** `unknown field 'x'; did you mean 'y'?`, listing the valid fields when none is close. */
export function unknownField(key: string, known: readonly string[]): string {
  const hint = closestName(key, known)
  if (hint !== undefined) return `unknown field '${key}'; did you mean '${hint}'?`
  return known.length > 0 ? `unknown field '${key}' (valid fields: ${known.join(', ')})` : `unknown field '${key}'`
}

/** The field names an object at `path` in `schema` accepts (none when it is not an object). */
export function fieldsAt(schema: z.ZodType, path: FieldPath): string[] {
  let node: z.ZodType | undefined = schema
  for (const segment of [...path, undefined]) {
    node = unwrap(node)
    if (segment === undefined) break
    if (node instanceof z.ZodObject) node = (node.shape as Record<string, z.ZodType>)[String(segment)]
    else if (node instanceof z.ZodRecord) node = node.valueType as z.ZodType
    else if (node instanceof z.ZodArray) node = node.element as z.ZodType
    else return []
  }
  return node instanceof z.ZodObject ? Object.keys(node.shape) : []
}

function unwrap(node: z.ZodType | undefined): z.ZodType | undefined {
  let current = node
  for (;;) {
    if (current instanceof z.ZodOptional || current instanceof z.ZodDefault) current = current.unwrap() as z.ZodType
    else if (current instanceof z.ZodPipe) current = current.in as z.ZodType
    else return current
  }
}

/** The value at `path`, or undefined; only own properties are followed. */
export function valueAt(data: unknown, path: FieldPath): unknown {
  let node = data
  for (const segment of path) {
    if (typeof node !== 'object' || node === null || !Object.prototype.hasOwnProperty.call(node, segment)) return undefined
    node = (node as Record<string | number, unknown>)[segment]
  }
  return node
}
