import { describe, expect, it } from 'vitest'
import { ParamError } from '../../errors.js'
import { parseRedisUrl } from './redis-url.js'

describe('parseRedisUrl', () => {
  it('reads host, port, database and credentials, with defaults, and never shows the password', () => {
    expect(parseRedisUrl('redis://127.0.0.1:6400', '--redis')).toMatchObject({ host: '127.0.0.1', port: 6400, db: 0, display: 'redis://127.0.0.1:6400' })
    expect(parseRedisUrl('redis://cache', '--redis')).toMatchObject({ host: 'cache', port: 6379, db: 0 })
    const full = parseRedisUrl('redis://me:s%40cret@cache:7000/3', '--redis')
    expect(full).toMatchObject({ host: 'cache', port: 7000, db: 3, username: 'me', password: 's@cret' })
    expect(full.display).not.toContain('cret')
    expect(parseRedisUrl('redis://[::1]:6379', '--redis').host).toBe('::1')
  })

  it('refuses what is not a Redis address, naming the field', () => {
    for (const [text, message] of [
      ['localhost:6379', /not a Redis address/],
      ['http://cache:6379', /scheme 'http'/],
      ['redis://cache:6379/x', /database 'x' is not a number/],
      ['redis://cache:99999', /not a Redis address/],
      ['redis://cache:6379?a=1', /no query/],
    ] as const) {
      const attempt = () => parseRedisUrl(text, '--executor')
      expect(attempt).toThrow(ParamError)
      expect(attempt).toThrow(message)
      expect(attempt).toThrow(/--executor/)
    }
  })
})
