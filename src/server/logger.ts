/**
 * The server's JSON log lines (pino): one object per line on stderr (stdout stays free for a
 * command's results), each request's lines carrying its request id. Lifecycle events (start, model
 * loads, cold starts, unloads, swaps, shutdown) and failed requests are logged at `info` and
 * above; every request at `debug`, which is off by default because a log line per request costs
 * more than a prediction.
 */
import { pino, type Logger } from 'pino'

export type { Logger } from 'pino'

/** Log levels, quietest last. */
export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent'

/**
 * A JSON logger writing to `fd` (stderr by default).
 * @example
 * const log = createLogger('info')
 * log.info({ endpoint: 'churn', ms: 41 }, 'cold start')
 */
export function createLogger(level: LogLevel = 'info', fd = 2): Logger {
  return pino({ level, base: { service: 'consort' }, timestamp: pino.stdTimeFunctions.isoTime }, pino.destination({ dest: fd, sync: true }))
}

/**
 * A logger that writes nothing (library users who do not want logs, tests).
 * @example
 * createApp({ model, logger: silentLogger() })
 */
export function silentLogger(): Logger {
  return pino({ level: 'silent' })
}
