/**
 * Errors across threads: structured cloning keeps an error's message but not its class or
 * location, so a worker sends this plain form and the caller rebuilds the same typed error (a
 * ParamError stays a ParamError, exit code 2, with its file and field).
 */
import { ConsortError, DataError, type Location, ParamError } from '../errors.js'

/** An error as plain data. */
export interface ErrorData {
  readonly name: string
  readonly message: string
  readonly location?: Location
  readonly stack?: string
}

/**
 * The plain form of any thrown value.
 * @example port.postMessage({ type: 'failed', error: errorToData(err) })
 */
export function errorToData(err: unknown): ErrorData {
  if (err instanceof ConsortError) return { name: err.name, message: err.detail, location: err.location, stack: err.stack }
  if (err instanceof Error) return { name: err.name, message: err.message, stack: err.stack }
  return { name: 'Error', message: String(err) }
}

/**
 * Rebuilds the error a worker sent: ConsortError classes with their location, anything else as
 * an Error with the worker's stack kept for debugging.
 * @example throw errorFromData(reply.error)
 */
export function errorFromData(data: ErrorData): Error {
  const Kind = data.name === 'DataError' ? DataError : data.name === 'ParamError' ? ParamError : data.name === 'ConsortError' ? ConsortError : null
  const err = Kind ? new Kind(data.message, data.location) : new Error(data.message)
  if (!Kind && data.name !== 'Error') err.name = data.name
  if (data.stack !== undefined) err.stack = data.stack
  return err
}
