/**
 * The bearer token of the management routes (create, update, delete endpoints): when a token is
 * configured, those routes answer 401 without `Authorization: Bearer <token>`. The comparison
 * takes the same time wherever the first difference is.
 */
import { HttpError } from './errors.js'

/**
 * Checks the request's bearer token against `token` (no check when `token` is undefined or empty).
 * @throws HttpError `unauthorized` (401, with `WWW-Authenticate: Bearer`).
 * @example
 * checkBearer(request, process.env.CONSORT_TOKEN)
 */
export function checkBearer(request: Request, token: string | undefined): void {
  if (token === undefined || token === '') return
  const header = request.headers.get('authorization') ?? ''
  const given = header.startsWith('Bearer ') ? header.slice(7).trim() : ''
  if (!sameText(given, token)) {
    throw new HttpError('unauthorized', given === '' ? 'this route needs Authorization: Bearer <token>' : 'the bearer token is wrong', { 'www-authenticate': 'Bearer' })
  }
}

function sameText(a: string, b: string): boolean {
  let diff = a.length ^ b.length
  for (let i = 0; i < b.length; i++) diff |= (a.charCodeAt(i % Math.max(1, a.length)) || 0) ^ b.charCodeAt(i)
  return diff === 0
}
