/**
 * Errors across threads: structured cloning keeps an error's message but not its class, code or
 * location, so a worker sends this plain form and the caller rebuilds the same typed error (a
 * ParamError stays a ParamError, exit code 2, with its file, field and code).
 */
import { BundleError, ConsortError, DataError, type ErrorCode, type Location, ParamError } from '../errors.js'

/** An error as plain data. */
export interface ErrorData {
  readonly name: string
  readonly message: string
  readonly location?: Location
  readonly code?: ErrorCode
  readonly stack?: string
}

/**
 * The plain form of any thrown value.
 * @example port.postMessage({ type: 'failed', error: errorToData(err) })
 */
export function errorToData(err: unknown): ErrorData {
  if (err instanceof ConsortError) return { name: err.name, message: err.detail, location: err.location, code: err.code, stack: err.stack }
  if (err instanceof Error) return { name: err.name, message: err.message, stack: err.stack }
  return { name: 'Error', message: String(err) }
}

type Rebuild = (message: string, location: Location | undefined, code: ErrorCode | undefined) => ConsortError

/** How each ConsortError class is rebuilt; the sent code wins over the class's default. */
const CLASSES: Readonly<Record<string, Rebuild>> = {
  ConsortError: (m, l, c) => new ConsortError(m, l, c),
  DataError: (m, l, c) => new DataError(m, l, c),
  ParamError: (m, l, c) => new ParamError(m, l, c),
  BundleError: (m, l, c) => new BundleError(m, l, c === 'unsupported_bundle_version' ? c : 'invalid_bundle'),
}

/**
 * Rebuilds the error a worker sent: ConsortError classes with their location and code, anything
 * else as an Error with the worker's stack kept for debugging.
 * @example throw errorFromData(reply.error)
 */
export function errorFromData(data: ErrorData): Error {
  const rebuild = Object.hasOwn(CLASSES, data.name) ? CLASSES[data.name] : null
  const err = rebuild ? rebuild(data.message, data.location, data.code) : new Error(data.message)
  if (!rebuild && data.name !== 'Error') err.name = data.name
  if (data.stack !== undefined) err.stack = data.stack
  return err
}
