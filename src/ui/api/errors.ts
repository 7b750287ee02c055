/**
 * The dashboard API's errors: the serving app's JSON shape `{"error": CODE, "message": TEXT}`
 * with its status codes, so a bad id or query is a 4xx that says what and where, never a 500.
 */
import { errorResponse, HttpError } from '../../server/errors.js'

export { HttpError }

/**
 * Runs a route's body and answers any error it throws as JSON.
 * @example app.get('/api/jobs/:id', (c) => answer(() => c.json(describe(c.req.param('id')))))
 */
export async function answer(fn: () => Response | Promise<Response>): Promise<Response> {
  try {
    return await fn()
  } catch (err) {
    return errorResponse(err)
  }
}

/**
 * A positive integer query parameter, `fallback` when absent.
 * @throws HttpError `invalid_input` naming the parameter.
 * @example positiveInt(c.req.query('limit'), 'limit', 100, 1000)
 */
export function positiveInt(text: string | undefined, name: string, fallback: number, max: number): number {
  if (text === undefined || text === '') return fallback
  const n = Number(text)
  if (!Number.isInteger(n) || n < 1 || n > max) throw new HttpError('invalid_input', `query parameter '${name}' must be an integer from 1 to ${max}, got '${text}'`)
  return n
}
