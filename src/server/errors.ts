/**
 * Every failure the server answers with, as one JSON shape `{"error": CODE, "message": TEXT}`: an
 * {@link HttpError} carries its status and code; bad input (a `ConsortError`) is a 400 and never a
 * 500, so a client can always tell its own mistakes from the server's.
 */
import { ConsortError, ParamError } from '../errors.js'

/**
 * The machine-readable codes of the server's errors, and their statuses.
 * @example
 * ERROR_STATUS.too_many_requests // 429
 */
export const ERROR_STATUS = {
  invalid_input: 400,
  invalid_parameter: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  not_acceptable: 406,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  model_invalid: 422,
  insufficient_memory: 422,
  too_many_requests: 429,
  internal: 500,
  unavailable: 503,
  timeout: 504,
} as const

/** One of {@link ERROR_STATUS}'s codes, or a code carried by a library error. */
export type ServerErrorCode = keyof typeof ERROR_STATUS | (string & {})

/**
 * Statuses of the codes the library's errors carry (`ConsortError.code`); any other code of a
 * library error is a 400.
 * @example
 * LIBRARY_CODE_STATUS.invalid_bundle // 422
 */
export const LIBRARY_CODE_STATUS: Readonly<Record<string, number>> = {
  invalid_input: 400,
  invalid_parameter: 400,
  not_found: 404,
  invalid_bundle: 422,
  unsupported_bundle_version: 422,
}

/**
 * An error with the HTTP status and code to answer it with (and extra headers, such as
 * `Retry-After` on a 429).
 * @example
 * throw new HttpError('not_found', "no endpoint 'churn'")
 */
export class HttpError extends Error {
  readonly status: number
  readonly code: ServerErrorCode
  readonly headers: Readonly<Record<string, string>>
  constructor(code: keyof typeof ERROR_STATUS, message: string, headers: Readonly<Record<string, string>> = {}) {
    super(message)
    this.name = 'HttpError'
    this.status = ERROR_STATUS[code]
    this.code = code
    this.headers = headers
  }
}

/**
 * What the server answers for `err`: an {@link HttpError} as it is; a `ConsortError` (bad input,
 * parameters or bundle) with its own `code` (`invalid_input` or `invalid_parameter` when it has
 * none) and that code's status in {@link LIBRARY_CODE_STATUS}, 400 by default; anything else as a
 * 500 `internal` (a bug of the server, never of the input).
 * @example
 * const { status, body } = describeError(new DataError('bad row', { line: 3 })) // 400, { error: 'invalid_input', ... }
 */
export function describeError(err: unknown): { status: number; body: { error: ServerErrorCode; message: string }; headers: Readonly<Record<string, string>> } {
  if (err instanceof HttpError) return { status: err.status, body: { error: err.code, message: err.message }, headers: err.headers }
  if (err instanceof ConsortError) {
    const own = (err as { code?: unknown }).code
    const code = typeof own === 'string' && own !== '' ? own : err instanceof ParamError ? 'invalid_parameter' : 'invalid_input'
    return { status: LIBRARY_CODE_STATUS[code] ?? 400, body: { error: code, message: err.message }, headers: {} }
  }
  const message = err instanceof Error ? err.message : String(err)
  return { status: 500, body: { error: 'internal', message: `internal error: ${message}` }, headers: {} }
}

/**
 * The JSON response for `err` (see {@link describeError}).
 * @example
 * return errorResponse(new HttpError('unavailable', 'the model is loading'))
 */
export function errorResponse(err: unknown, extraHeaders: Readonly<Record<string, string>> = {}): Response {
  const { status, body, headers } = describeError(err)
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers, ...extraHeaders } })
}
