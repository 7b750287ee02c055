/**
 * Content negotiation for invocations: which parser reads a request's `Content-Type`, and which
 * format answers its `Accept`. Parsed headers are cached, since clients send the same few strings
 * on every request.
 */
import { HttpError } from './errors.js'

/** Formats the server reads and writes. */
export type MediaFormat = 'csv' | 'json' | 'jsonl'

/** The format of a request body and its parameters (`header=present` on text/csv). */
export interface BodyType {
  readonly format: MediaFormat
  /** RFC 4180's `header` parameter of text/csv: true for `present`, false for `absent`, undefined when not said. */
  readonly header?: boolean
}

const CONTENT_TYPES: Readonly<Record<string, MediaFormat>> = {
  'text/csv': 'csv',
  'application/csv': 'csv',
  'application/json': 'json',
  'application/jsonlines': 'jsonl',
  'application/x-jsonlines': 'jsonl',
  'application/jsonl': 'jsonl',
  'application/x-ndjson': 'jsonl',
  'application/ndjson': 'jsonl',
}

/** The media type each output format is answered with. */
export const MEDIA_TYPE: Readonly<Record<MediaFormat, string>> = {
  csv: 'text/csv',
  json: 'application/json',
  jsonl: 'application/jsonlines',
}

const CACHE_LIMIT = 256
const bodyCache = new Map<string, BodyType>()
const acceptCache = new Map<string, MediaFormat>()

/**
 * The format of a request body from its `Content-Type`; none means CSV (SageMaker's usual default).
 * @throws HttpError `unsupported_media_type` (415) for any other type.
 * @example
 * bodyType('text/csv; header=present') // { format: 'csv', header: true }
 */
export function bodyType(contentType: string | null | undefined): BodyType {
  if (contentType === null || contentType === undefined || contentType === '') return { format: 'csv' }
  const cached = bodyCache.get(contentType)
  if (cached !== undefined) return cached
  const [type, ...params] = contentType.split(';').map((s) => s.trim().toLowerCase())
  const format = CONTENT_TYPES[type]
  if (format === undefined) {
    throw new HttpError('unsupported_media_type', `cannot read Content-Type '${clip(contentType)}'; send text/csv, application/json or application/jsonlines`)
  }
  let header: boolean | undefined
  for (const p of params) {
    if (p === 'header=present') header = true
    else if (p === 'header=absent') header = false
  }
  const out: BodyType = header === undefined ? { format } : { format, header }
  remember(bodyCache, contentType, out)
  return out
}

/**
 * The answer's format from an `Accept` header: the acceptable type of highest quality that the
 * server writes; JSON when absent or `*\/*`.
 * @throws HttpError `not_acceptable` (406) when nothing acceptable can be written.
 * @example
 * acceptFormat('text/csv, application/json;q=0.5') // 'csv'
 */
export function acceptFormat(accept: string | null | undefined): MediaFormat {
  if (accept === null || accept === undefined || accept === '') return 'json'
  const cached = acceptCache.get(accept)
  if (cached !== undefined) return cached
  let best: MediaFormat | undefined
  let bestQ = 0
  for (const part of accept.split(',')) {
    const [type, ...params] = part.split(';').map((s) => s.trim().toLowerCase())
    let q = 1
    for (const p of params) if (p.startsWith('q=')) q = Number(p.slice(2))
    if (!(q > bestQ)) continue
    const format = type === '*/*' || type === 'application/*' ? 'json' : type === 'text/*' ? 'csv' : CONTENT_TYPES[type]
    if (format === undefined) continue
    best = format
    bestQ = q
  }
  if (best === undefined) throw new HttpError('not_acceptable', `cannot answer in '${clip(accept)}'; accept application/json, text/csv or application/jsonlines`)
  remember(acceptCache, accept, best)
  return best
}

function remember<T>(cache: Map<string, T>, key: string, value: T): void {
  if (cache.size >= CACHE_LIMIT) cache.clear()
  cache.set(key, value)
}

function clip(text: string): string {
  return text.length > 60 ? text.slice(0, 57) + '...' : text
}
