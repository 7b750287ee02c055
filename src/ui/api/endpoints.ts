/**
 * Endpoints as the dashboard shows them: their settings from the tracking store, and their status
 * and history from the usage samples the serving processes write there (see
 * server/usage-sampler.ts): loaded or not, cold starts, concurrency in use, invocations and
 * p50/p99 latency over time.
 */
import type { EndpointRecord, EndpointUsageSample, TrackingStore } from '../../store/tracking/store.js'

/** An endpoint's status, summed over the serving processes that sampled it. */
export interface EndpointStatusView {
  /** Whether a serving process's latest sample had the model loaded. */
  readonly loaded: boolean
  readonly invocations: number
  readonly errors: number
  readonly throttled: number
  readonly cold_starts: number
  /** Invocations running at the serving processes' latest samples. */
  readonly in_flight: number
  readonly p50_ms: number | null
  readonly p99_ms: number | null
  readonly last_sample_at: string | null
}

/** One endpoint of `GET /api/endpoints`. */
export interface EndpointView {
  readonly name: string
  readonly model: string
  readonly artifact: string
  readonly memory_size_mb: number
  readonly max_concurrency: number
  readonly idle_timeout_s: number
  readonly created_at: string
  readonly updated_at: string
  readonly status: EndpointStatusView
}

/** One sample of `GET /api/endpoints/NAME/usage`. */
export interface UsageView {
  readonly at: string
  readonly server: string
  readonly invocations: number
  readonly errors: number
  readonly throttled: number
  readonly cold_starts: number
  readonly loaded: boolean
  readonly in_flight: number
  readonly p50_ms: number | null
  readonly p99_ms: number | null
}

/**
 * The view of an endpoint from its record and its samples (oldest first).
 * @example endpointView(store.getEndpoint('churn')!, store.listEndpointUsage('churn')).status.loaded
 */
export function endpointView(record: EndpointRecord, samples: readonly EndpointUsageSample[]): EndpointView {
  const latest = new Map<string, EndpointUsageSample>()
  let invocations = 0
  let errors = 0
  let throttled = 0
  let coldStarts = 0
  for (const s of samples) {
    invocations += s.invocations
    errors += s.errors
    throttled += s.throttled
    coldStarts += s.coldStarts
    latest.set(s.server, s)
  }
  const last = samples.at(-1) ?? null
  const current = [...latest.values()]
  return {
    name: record.name,
    model: record.model,
    artifact: record.artifact,
    memory_size_mb: record.memorySizeMb,
    max_concurrency: record.maxConcurrency,
    idle_timeout_s: record.idleTimeoutS,
    created_at: record.createdAt,
    updated_at: record.updatedAt,
    status: {
      loaded: current.some((s) => s.loaded),
      invocations,
      errors,
      throttled,
      cold_starts: coldStarts,
      in_flight: current.reduce((n, s) => n + s.inFlight, 0),
      p50_ms: last?.p50Ms ?? null,
      p99_ms: last?.p99Ms ?? null,
      last_sample_at: last?.at ?? null,
    },
  }
}

/**
 * Every endpoint of the store with its status.
 * @example listEndpointViews(store).map((e) => e.status.cold_starts)
 */
export function listEndpointViews(store: TrackingStore): EndpointView[] {
  return store.listEndpoints().map((r) => endpointView(r, store.listEndpointUsage(r.name)))
}

/**
 * A sample in the API's snake_case.
 * @example store.listEndpointUsage('churn').map(usageView)
 */
export function usageView(s: EndpointUsageSample): UsageView {
  return {
    at: s.at,
    server: s.server,
    invocations: s.invocations,
    errors: s.errors,
    throttled: s.throttled,
    cold_starts: s.coldStarts,
    loaded: s.loaded,
    in_flight: s.inFlight,
    p50_ms: s.p50Ms,
    p99_ms: s.p99Ms,
  }
}
