/**
 * An endpoint's settings as `PUT /endpoints/NAME` and `consort endpoints create` take them, with
 * SageMaker Serverless's bounds and defaults: `memory_size_mb` 1024-6144 in 1 GB steps (default
 * 2048), `max_concurrency` 1-200 (default 5), and our `idle_timeout_s` (default 300 s) after which
 * an idle endpoint unloads its model. Endpoint names follow SageMaker's rule.
 */
import { ParamError } from '../errors.js'

/** An endpoint's settings. */
export interface EndpointConfig {
  /** A `model.tar.gz` path, or the id of a training or tuning job. */
  readonly model: string
  readonly memorySizeMb: number
  readonly maxConcurrency: number
  readonly idleTimeoutS: number
}

/** SageMaker Serverless's bounds, and the defaults of its SDK. */
export const ENDPOINT_LIMITS = {
  memoryMin: 1024,
  memoryMax: 6144,
  memoryStep: 1024,
  memoryDefault: 2048,
  concurrencyMin: 1,
  concurrencyMax: 200,
  concurrencyDefault: 5,
  idleDefaultS: 300,
  idleMaxS: 7 * 24 * 3600,
} as const

const NAME = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/
const KEYS = new Set(['model', 'memory_size_mb', 'max_concurrency', 'idle_timeout_s'])

/**
 * Checks an endpoint name: 1-63 letters, digits and hyphens, starting and ending with a letter or digit.
 * @throws ParamError naming the rule.
 * @example
 * checkEndpointName('churn-v2')
 */
export function checkEndpointName(name: string): void {
  if (!NAME.test(name)) throw new ParamError(`endpoint name '${name.slice(0, 80)}' must be 1-63 letters, digits and hyphens, starting and ending with a letter or digit`, { field: 'name' })
}

/**
 * The settings in a request body (snake_case keys as SageMaker's API), over `base` (the endpoint's
 * current settings on an update) or the defaults. `model` is required when there is no base.
 * @throws ParamError naming the field for an unknown key, a wrong type or a value out of bounds.
 * @example
 * parseEndpointConfig({ model: 'out/model.tar.gz', max_concurrency: 8 })
 * // { model: 'out/model.tar.gz', memorySizeMb: 2048, maxConcurrency: 8, idleTimeoutS: 300 }
 */
export function parseEndpointConfig(body: unknown, base?: EndpointConfig): EndpointConfig {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new ParamError('the endpoint settings must be a JSON object')
  const o = body as Record<string, unknown>
  for (const key of Object.keys(o)) {
    if (!KEYS.has(key)) throw new ParamError(`unknown setting '${key}' (settings: ${[...KEYS].join(', ')})`, { field: key })
  }
  const model = o.model ?? base?.model
  if (typeof model !== 'string' || model.trim() === '') throw new ParamError("'model' must name a model.tar.gz or a training or tuning job id", { field: 'model' })
  const config: EndpointConfig = {
    model,
    memorySizeMb: integer(o, 'memory_size_mb', base?.memorySizeMb ?? ENDPOINT_LIMITS.memoryDefault),
    maxConcurrency: integer(o, 'max_concurrency', base?.maxConcurrency ?? ENDPOINT_LIMITS.concurrencyDefault),
    idleTimeoutS: number(o, 'idle_timeout_s', base?.idleTimeoutS ?? ENDPOINT_LIMITS.idleDefaultS),
  }
  checkEndpointConfig(config)
  return config
}

/**
 * Checks settings against the bounds above.
 * @throws ParamError naming the field.
 * @example
 * checkEndpointConfig({ model: 'm.tar.gz', memorySizeMb: 1500, maxConcurrency: 5, idleTimeoutS: 60 }) // throws: 1 GB steps
 */
export function checkEndpointConfig(c: EndpointConfig): void {
  const L = ENDPOINT_LIMITS
  if (!Number.isInteger(c.memorySizeMb) || c.memorySizeMb < L.memoryMin || c.memorySizeMb > L.memoryMax || c.memorySizeMb % L.memoryStep !== 0) {
    throw new ParamError(`memory_size_mb must be one of 1024, 2048, 3072, 4096, 5120, 6144 (SageMaker Serverless's sizes), got ${c.memorySizeMb}`, { field: 'memory_size_mb' })
  }
  if (!Number.isInteger(c.maxConcurrency) || c.maxConcurrency < L.concurrencyMin || c.maxConcurrency > L.concurrencyMax) {
    throw new ParamError(`max_concurrency must be an integer from ${L.concurrencyMin} to ${L.concurrencyMax}, got ${c.maxConcurrency}`, { field: 'max_concurrency' })
  }
  if (!(c.idleTimeoutS > 0 && c.idleTimeoutS <= L.idleMaxS)) {
    throw new ParamError(`idle_timeout_s must be a number of seconds above 0 and at most ${L.idleMaxS}, got ${c.idleTimeoutS}`, { field: 'idle_timeout_s' })
  }
}

function integer(o: Record<string, unknown>, key: string, fallback: number): number {
  const v = o[key] ?? fallback
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new ParamError(`'${key}' must be an integer, got ${JSON.stringify(v)}`, { field: key })
  return v
}

function number(o: Record<string, unknown>, key: string, fallback: number): number {
  const v = o[key] ?? fallback
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ParamError(`'${key}' must be a number, got ${JSON.stringify(v)}`, { field: key })
  return v
}
