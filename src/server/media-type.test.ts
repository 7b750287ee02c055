import { describe, expect, it } from 'vitest'
import { acceptFormat, bodyType } from './media-type.js'

describe('content negotiation', () => {
  it('reads the body format and the header parameter of text/csv from Content-Type', () => {
    expect(bodyType(undefined)).toEqual({ format: 'csv' })
    expect(bodyType('text/csv')).toEqual({ format: 'csv' })
    expect(bodyType('Text/CSV; charset=utf-8; header=present')).toEqual({ format: 'csv', header: true })
    expect(bodyType('text/csv;header=absent')).toEqual({ format: 'csv', header: false })
    expect(bodyType('application/json; charset=utf-8')).toEqual({ format: 'json' })
    for (const t of ['application/jsonlines', 'application/x-jsonlines', 'application/x-ndjson']) expect(bodyType(t).format).toBe('jsonl')
    expect(() => bodyType('application/x-www-form-urlencoded')).toThrow(expect.objectContaining({ status: 415 }))
  })

  it('picks the acceptable format of highest quality, JSON by default, 406 when none', () => {
    expect(acceptFormat(null)).toBe('json')
    expect(acceptFormat('*/*')).toBe('json')
    expect(acceptFormat('text/csv')).toBe('csv')
    expect(acceptFormat('application/json;q=0.5, text/csv')).toBe('csv')
    expect(acceptFormat('text/html, application/jsonlines;q=0.2')).toBe('jsonl')
    expect(acceptFormat('text/*')).toBe('csv')
    expect(() => acceptFormat('image/png, text/html')).toThrow(expect.objectContaining({ status: 406, code: 'not_acceptable' }))
  })
})
