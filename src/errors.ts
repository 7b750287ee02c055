/**
 * Typed errors. Every error a user can cause is a {@link ConsortError}: it says what and where,
 * and maps to exit code 2 on the CLI (bad input or usage) or an HTTP 4xx on the server.
 */

/** Where in an input the problem was found. Every field is optional; give what is known. */
export interface Location {
  file?: string
  line?: number
  column?: number
  field?: string
}

/** Base class of every error caused by bad input or usage. */
export class ConsortError extends Error {
  readonly location: Location
  /** The message without its location, so the error can be rebuilt in another thread. */
  readonly detail: string
  constructor(message: string, location: Location = {}) {
    super(formatLocation(location) + message)
    this.name = 'ConsortError'
    this.location = location
    this.detail = message
  }
}

/** Malformed data: a ragged row, a bad quote, a string in a numeric column, invalid UTF-8. */
export class DataError extends ConsortError {
  constructor(message: string, location: Location = {}) {
    super(message, location)
    this.name = 'DataError'
  }
}

/** An invalid parameter or spec value: unknown name, out of bounds, wrong type. */
export class ParamError extends ConsortError {
  constructor(message: string, location: Location = {}) {
    super(message, location)
    this.name = 'ParamError'
  }
}

function formatLocation(loc: Location): string {
  const parts: string[] = []
  if (loc.file !== undefined) parts.push(loc.file)
  if (loc.line !== undefined) parts.push(`line ${loc.line}`)
  if (loc.column !== undefined) parts.push(`column ${loc.column}`)
  if (loc.field !== undefined) parts.push(`field '${loc.field}'`)
  return parts.length > 0 ? parts.join(', ') + ': ' : ''
}
