/**
 * The `redis://HOST:PORT[/DB]` address of the Redis that carries a tuning job's trials.
 */
import { ParamError } from '../../errors.js'

/** A parsed Redis address. */
export interface RedisAddress {
  readonly host: string
  readonly port: number
  readonly db: number
  readonly username?: string
  readonly password?: string
  /** The address as given, without its password, for messages. */
  readonly display: string
}

/**
 * Parses `redis://[USER:PASSWORD@]HOST[:PORT][/DB]` (port 6379 and db 0 by default).
 * @param field the option or spec field the address came from, named in errors
 * @throws ParamError naming the field and saying what is wrong.
 * @example parseRedisUrl('redis://10.0.0.5:6379', '--redis') // { host: '10.0.0.5', port: 6379, db: 0, ... }
 */
export function parseRedisUrl(text: string, field: string): RedisAddress {
  let url: URL
  try {
    url = new URL(text)
  } catch {
    throw new ParamError(`'${text}' is not a Redis address; give redis://HOST:PORT`, { field })
  }
  if (url.protocol !== 'redis:') throw new ParamError(`'${text}' is not a Redis address (scheme '${url.protocol.replace(/:$/, '')}'); give redis://HOST:PORT`, { field })
  if (url.hostname === '') throw new ParamError(`'${text}' names no host; give redis://HOST:PORT`, { field })
  const port = url.port === '' ? 6379 : Number(url.port)
  const path = url.pathname.replace(/^\//, '')
  const db = path === '' ? 0 : Number(path)
  if (!Number.isInteger(db) || db < 0) throw new ParamError(`'${text}': the database '${path}' is not a number; give redis://HOST:PORT/DB`, { field })
  if (url.search !== '' || url.hash !== '') throw new ParamError(`'${text}': a Redis address takes no query or fragment`, { field })
  const username = url.username === '' ? undefined : decodeURIComponent(url.username)
  const password = url.password === '' ? undefined : decodeURIComponent(url.password)
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1')
  return { host, port, db, username, password, display: `redis://${url.host}${db === 0 ? '' : `/${db}`}` }
}
