/**
 * Typed errors. Every error a user can cause is a {@link ConsortError}: it says what and where,
 * carries a machine-readable {@link ErrorCode}, and maps to exit code 2 on the CLI (bad input or
 * usage) or an HTTP 4xx on the server. No Node-only imports: the inference runtime throws these too.
 */

/** Where in an input the problem was found. Every field is optional; give what is known. */
export interface Location {
  file?: string
  line?: number
  /** 1-based row of a batch of rows (a request's instances), when there are no lines to count. */
  row?: number
  column?: number
  field?: string
}

/**
 * What kind of mistake an error reports, for programs that map errors (a server to HTTP statuses,
 * a client to a retry or not):
 * - `invalid_input`: malformed data (a ragged row, text in a numeric column, a bad blend input);
 * - `invalid_parameter`: an invalid parameter or spec value;
 * - `not_found`: a file that is not there;
 * - `invalid_bundle`: a model bundle that is corrupt, tampered with or inconsistent;
 * - `unsupported_bundle_version`: a model bundle (or a state in it) written by a newer format.
 * @example
 * const status = err instanceof ConsortError && err.code === 'not_found' ? 404 : 400
 */
export type ErrorCode = 'invalid_input' | 'invalid_parameter' | 'not_found' | 'invalid_bundle' | 'unsupported_bundle_version'

/**
 * Every {@link ErrorCode}, for exhaustive mappings and their tests.
 * @example
 * ERROR_CODES.includes('not_found') // true
 */
export const ERROR_CODES: readonly ErrorCode[] = ['invalid_input', 'invalid_parameter', 'not_found', 'invalid_bundle', 'unsupported_bundle_version']

/**
 * Base class of every error caused by bad input or usage.
 * @example
 * throw new ConsortError('the bag has no models', { field: 'models' })
 */
export class ConsortError extends Error {
  readonly location: Location
  /** The message without its location, so the error can be rebuilt in another thread. */
  readonly detail: string
  readonly code: ErrorCode
  constructor(message: string, location: Location = {}, code: ErrorCode = 'invalid_input') {
    super(formatLocation(location) + message)
    this.name = 'ConsortError'
    this.location = location
    this.detail = message
    this.code = code
  }
}

/**
 * Malformed data: a ragged row, a bad quote, a string in a numeric column, invalid UTF-8.
 * Code `invalid_input` unless told otherwise (`not_found` for a missing file).
 * @example
 * throw new DataError("'abc' is not a number", { row: 3, field: 'bmi' })
 */
export class DataError extends ConsortError {
  constructor(message: string, location: Location = {}, code: ErrorCode = 'invalid_input') {
    super(message, location, code)
    this.name = 'DataError'
  }
}

/**
 * An invalid parameter or spec value: unknown name, out of bounds, wrong type. Code `invalid_parameter`.
 * @example
 * throw new ParamError('eta must be positive', { field: 'members.xgb.params.eta' })
 */
export class ParamError extends ConsortError {
  constructor(message: string, location: Location = {}, code: ErrorCode = 'invalid_parameter') {
    super(message, location, code)
    this.name = 'ParamError'
  }
}

/**
 * A model bundle that cannot be used: corrupt, tampered with, inconsistent (code `invalid_bundle`),
 * or written by a newer format than this version reads (code `unsupported_bundle_version`). It is
 * malformed data, so a DataError, with a code of its own.
 * @example
 * throw new BundleError('sha256 mismatch for members/000-xgb.state', { file: 'model.tar.gz' })
 */
export class BundleError extends DataError {
  constructor(message: string, location: Location = {}, code: 'invalid_bundle' | 'unsupported_bundle_version' = 'invalid_bundle') {
    super(message, location, code)
    this.name = 'BundleError'
  }
}

/**
 * A file-system error (an error with a Node `code` such as `ENOENT`) as a DataError saying what
 * went wrong with which file; a missing file has code `not_found`.
 * @example throw fileError('train.csv', err) // "train.csv: cannot read file: no such file"
 */
export function fileError(path: string, err: unknown): DataError {
  const code = (err as { code?: unknown }).code
  const reason =
    code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'is a directory' : String((err as Error).message)
  return new DataError(`cannot read file: ${reason}`, { file: path }, code === 'ENOENT' ? 'not_found' : 'invalid_input')
}

function formatLocation(loc: Location): string {
  const parts: string[] = []
  if (loc.file !== undefined) parts.push(loc.file)
  if (loc.line !== undefined) parts.push(`line ${loc.line}`)
  if (loc.row !== undefined) parts.push(`row ${loc.row}`)
  if (loc.column !== undefined) parts.push(`column ${loc.column}`)
  if (loc.field !== undefined) parts.push(`field '${loc.field}'`)
  return parts.length > 0 ? parts.join(', ') + ': ' : ''
}
