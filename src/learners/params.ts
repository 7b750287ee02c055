/**
 * Parameter parsing shared by every learner: aliases folded onto canonical names, unknown names
 * rejected with the closest valid one, values validated by the learner's zod schema (the single
 * source of names, defaults, bounds and help text).
 */
import type { z } from 'zod'
import { ParamError } from '../errors.js'
import { closestName } from '../text/closest.js'

/** Maps each alias to its canonical parameter name. */
export type Aliases = Readonly<Record<string, string>>

/**
 * Options that act only when a boolean switch is on, each mapped to its switch: one set while its
 * switch is off would do nothing, so it is refused rather than silently ignored.
 */
export type Requires = Readonly<Record<string, string>>

/**
 * Validates raw user parameters against `schema`; returns the parsed parameters with defaults.
 * Never mutates `raw`.
 * @example parseParams(gbdtParams, gbdtAliases, { learning_rate: 0.1 }) // { eta: 0.1, ... }
 */
export function parseParams<S extends z.ZodObject>(
  schema: S,
  aliases: Aliases,
  raw: Readonly<Record<string, unknown>>,
  where = 'params',
  requires: Requires = {},
): z.infer<S> {
  const known = Object.keys(schema.shape)
  const canonical = new Map<string, unknown>()
  const givenAs = new Map<string, string>()
  for (const key of Object.keys(raw)) {
    const name = Object.prototype.hasOwnProperty.call(aliases, key) ? aliases[key] : key
    if (!known.includes(name)) {
      const hint = closestName(key, [...known, ...Object.keys(aliases)])
      throw new ParamError(`unknown parameter '${key}'${hint ? `; did you mean '${hint}'?` : ''}`, { field: `${where}.${key}` })
    }
    if (givenAs.has(name)) {
      throw new ParamError(`'${key}' and '${givenAs.get(name)}' both set '${name}'`, { field: `${where}.${key}` })
    }
    givenAs.set(name, key)
    canonical.set(name, raw[key])
  }
  const result = schema.safeParse(Object.fromEntries(canonical))
  if (!result.success) {
    const issue = result.error.issues[0]
    const path = issue.path.map(String)
    const field = path.length > 0 ? `${where}.${givenAs.get(path[0]) ?? path[0]}` : where
    throw new ParamError(issue.message, { field })
  }
  const parsed = result.data as Record<string, unknown>
  for (const [name, key] of givenAs) {
    const needed = requires[name]
    if (needed !== undefined && parsed[needed] !== true) {
      throw new ParamError(`'${key}' acts only with ${needed}: true, which is not set`, { field: `${where}.${key}` })
    }
  }
  return result.data
}
