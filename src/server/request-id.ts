/**
 * Request ids: the caller's `x-request-id` when it sends a sane one (so a trace crosses services),
 * else a new UUID. Every response echoes it and every log line about the request carries it.
 */

const SANE = /^[\x21-\x7e]{1,200}$/

/**
 * The request's id: its `x-request-id` header when printable ASCII of at most 200 characters, else a random UUID.
 * @example
 * requestId(new Request('http://x/', { headers: { 'x-request-id': 'abc-1' } })) // 'abc-1'
 */
export function requestId(request: Request): string {
  const given = request.headers.get('x-request-id')
  return given !== null && SANE.test(given) ? given : crypto.randomUUID()
}
