/**
 * Reading a request body with a size limit: a `Content-Length` over the limit is refused before
 * any byte is read, and a body without one (chunked) is counted as it streams and refused as soon
 * as it passes the limit, so no client can make the server hold more than the limit.
 */
import { HttpError } from './errors.js'

/**
 * The body of `request` as bytes, at most `limit` of them.
 * @throws HttpError `payload_too_large` (413) past the limit.
 * @example
 * const bytes = await readBody(request, 6 * 1024 * 1024)
 */
export async function readBody(request: Request, limit: number): Promise<Uint8Array> {
  const declared = request.headers.get('content-length')
  if (declared !== null) {
    const n = Number(declared)
    if (n > limit) throw tooLarge(limit)
    if (n === 0) return new Uint8Array(0)
    // Not `request.body`: on Node, arrayBuffer() reads the socket directly, a stream costs far more.
    const bytes = new Uint8Array(await request.arrayBuffer())
    if (bytes.length > limit) throw tooLarge(limit)
    return bytes
  }
  const stream = request.body
  if (stream === null) return new Uint8Array(0)
  const reader = stream.getReader()
  const parts: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.length
    if (size > limit) {
      await reader.cancel().catch(() => undefined)
      throw tooLarge(limit)
    }
    parts.push(value)
  }
  if (parts.length === 1) return parts[0]
  const out = new Uint8Array(size)
  let offset = 0
  for (const p of parts) {
    out.set(p, offset)
    offset += p.length
  }
  return out
}

function tooLarge(limit: number): HttpError {
  return new HttpError('payload_too_large', `the body is larger than the limit of ${limit} bytes`)
}
