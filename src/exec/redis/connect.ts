/**
 * Connections to the Redis that carries trials. Before any trial the address is checked once, with
 * no retries: unreachable or evicting Redis is refused with a message that says what and where.
 * After that, connections reconnect with backoff for as long as it takes, and a command waits for
 * the connection instead of failing, so a Redis restart delays trials but loses none.
 */
import { Redis, type RedisOptions } from 'ioredis'
import { ConsortError } from '../../errors.js'
import type { RedisAddress } from './redis-url.js'

/** Redis that cannot be used: unreachable, or with a setting that could lose queued trials. */
export class RedisUnusableError extends ConsortError {
  constructor(message: string, field: string) {
    super(message, { field }, 'invalid_input')
    this.name = 'RedisUnusableError'
  }
}

/** Longest wait between two reconnection attempts. */
const MAX_BACKOFF_MS = 5000

/**
 * ioredis options for long-lived connections to `address`: unlimited retries per command and
 * reconnection with a backoff growing to 5 s (what BullMQ's workers require).
 * @example new Queue('trials', { connection: connectionOptions(address) })
 */
export function connectionOptions(address: RedisAddress): RedisOptions {
  return {
    host: address.host,
    port: address.port,
    db: address.db,
    ...(address.username !== undefined && { username: address.username }),
    ...(address.password !== undefined && { password: address.password }),
    maxRetriesPerRequest: null,
    retryStrategy: (attempt: number) => Math.min(100 * 2 ** Math.min(attempt, 10), MAX_BACKOFF_MS),
  }
}

/**
 * Connects once to `address` and checks that it can hold a queue: reachable, and with
 * `maxmemory-policy noeviction` (an evicting Redis may drop queued trials or their locks).
 * @param field the option the address came from, named in errors
 * @throws RedisUnusableError saying which address failed and why.
 * @example await checkRedis(parseRedisUrl('redis://127.0.0.1:6379', '--redis'), '--redis')
 */
export async function checkRedis(address: RedisAddress, field: string, timeoutMs = 3000): Promise<void> {
  const client = new Redis({ ...connectionOptions(address), lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: timeoutMs, enableOfflineQueue: false })
  client.on('error', () => undefined)
  try {
    try {
      await client.connect()
    } catch (err) {
      throw new RedisUnusableError(`cannot reach Redis at ${address.display}: ${err instanceof Error ? err.message : String(err)}`, field)
    }
    const info = await client.info('memory')
    const policy = /^maxmemory_policy:(\S+)/m.exec(info)?.[1]
    if (policy !== 'noeviction') {
      throw new RedisUnusableError(
        `Redis at ${address.display} runs with maxmemory-policy ${policy ?? 'unknown'}; queued trials need noeviction (set 'maxmemory-policy noeviction' in redis.conf, or run CONFIG SET maxmemory-policy noeviction)`,
        field,
      )
    }
  } finally {
    client.disconnect()
  }
}
