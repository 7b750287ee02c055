/**
 * The endpoint usage table of the tracking store: what a serving process saw of each endpoint,
 * sampled every few seconds (invocations, errors, throttles and cold starts since the last
 * sample, the p50/p99 latency of recent invocations, whether the model was loaded and how many
 * invocations were running). The dashboard draws its charts from these rows, so they survive the
 * server and are the same whichever process reads them.
 */

/** One sample of one endpoint, by one serving process. */
export interface EndpointUsageSample {
  readonly endpoint: string
  /** ISO time of the sample. */
  readonly at: string
  /** The serving process that took it (several may serve one store). */
  readonly server: string
  /** Counts since this server's previous sample of the endpoint. */
  readonly invocations: number
  readonly errors: number
  readonly throttled: number
  readonly coldStarts: number
  readonly loaded: boolean
  readonly inFlight: number
  readonly maxConcurrency: number
  /** Latency percentiles of the endpoint's recent invocations, null before the first. */
  readonly p50Ms: number | null
  readonly p99Ms: number | null
}

/** The row as SQLite returns it. */
export interface EndpointUsageRow {
  endpoint: string
  at: string
  server: string
  invocations: number
  errors: number
  throttled: number
  cold_starts: number
  loaded: number
  in_flight: number
  max_concurrency: number
  p50_ms: number | null
  p99_ms: number | null
}

/** The migration that adds the table. */
export const ENDPOINT_USAGE_MIGRATION = `CREATE TABLE endpoint_usage (
     endpoint TEXT NOT NULL,
     at TEXT NOT NULL,
     server TEXT NOT NULL,
     invocations INTEGER NOT NULL,
     errors INTEGER NOT NULL,
     throttled INTEGER NOT NULL,
     cold_starts INTEGER NOT NULL,
     loaded INTEGER NOT NULL,
     in_flight INTEGER NOT NULL,
     max_concurrency REAL NOT NULL,
     p50_ms REAL,
     p99_ms REAL
   );
   CREATE INDEX endpoint_usage_at ON endpoint_usage (endpoint, at);`

/**
 * A stored row as a sample.
 * @example const sample = usageFromRow(row)
 */
export function usageFromRow(r: EndpointUsageRow): EndpointUsageSample {
  return {
    endpoint: r.endpoint,
    at: r.at,
    server: r.server,
    invocations: r.invocations,
    errors: r.errors,
    throttled: r.throttled,
    coldStarts: r.cold_starts,
    loaded: r.loaded === 1,
    inFlight: r.in_flight,
    // SQLite has no Infinity in REAL columns that JSON keeps: an unbounded endpoint is stored as -1.
    maxConcurrency: r.max_concurrency < 0 ? Infinity : r.max_concurrency,
    p50Ms: r.p50_ms,
    p99Ms: r.p99_ms,
  }
}
