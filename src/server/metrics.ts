/**
 * The server's Prometheus metrics (prom-client), on `GET /metrics`: invocations, errors by code,
 * a latency histogram, cold starts and their duration, loaded models and invocations in flight.
 * Each server has its own registry (no global state), and the per-endpoint children are cached so
 * counting an invocation costs a few additions.
 *
 * prom-client takes a good part of the server's start-up to import, so it is imported only once
 * the server has something to count (shortly after its first event) or is scraped: what happens
 * before is queued and replayed, so no event is lost and a container's first invocation does not
 * wait for it.
 */
import type { Counter, Histogram, Registry } from 'prom-client'

type Prom = typeof import('prom-client')

/** prom-client's content type of the text format. */
const CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8'
/** Milliseconds after the first event before prom-client is imported. */
const IMPORT_DELAY_MS = 250

/** What the gauges read at scrape time: each endpoint's name, whether loaded, and its running invocations. */
export type EndpointGaugeSource = () => Iterable<{ readonly name: string; readonly loaded: boolean; readonly inFlight: number }>

/** Latency buckets in seconds: sub-millisecond steps for the hot path, up to the 60 s timeout. */
const LATENCY_BUCKETS = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60]

interface Children {
  readonly invocations: Counter.Internal
  readonly latency: Histogram.Internal<'endpoint'>
}

/**
 * The metrics of one server.
 * @example
 * const metrics = new ServerMetrics()
 * metrics.invoked('model', 0.0004)
 * await metrics.text() // '# HELP consort_invocations_total ...'
 */
export class ServerMetrics {
  private impl: PromMetrics | null = null
  private loading: Promise<PromMetrics> | null = null
  private queue: ((m: PromMetrics) => void)[] = []
  private timer: ReturnType<typeof setTimeout> | null = null
  private source: EndpointGaugeSource = () => []
  private gather: (() => Promise<unknown[]>) | null = null

  /** Sets what the loaded-models and in-flight gauges read at scrape time. */
  observeEndpoints(source: EndpointGaugeSource): void {
    this.source = source
  }

  /** Counts one invocation of `endpoint` that took `seconds`, and its error code when it failed. */
  invoked(endpoint: string, seconds: number, errorCode?: string): void {
    if (this.impl !== null) this.impl.invoked(endpoint, seconds, errorCode)
    else this.later((m) => m.invoked(endpoint, seconds, errorCode))
  }

  /** Counts a cold start of `endpoint` that took `seconds`. */
  coldStart(endpoint: string, seconds: number): void {
    if (this.impl !== null) this.impl.coldStart(endpoint, seconds)
    else this.later((m) => m.coldStart(endpoint, seconds))
  }

  /**
   * Makes `text()` report the sum over several processes: `gather` returns each one's `json()`
   * (this process's included), as the serving workers of a cluster do.
   */
  gatherWith(gather: () => Promise<unknown[]>): void {
    this.gather = gather
  }

  /** The metrics in Prometheus's text format (summed over the processes of `gatherWith`, if set). */
  async text(): Promise<string> {
    const m = await this.load()
    if (this.gather === null) return m.registry.metrics()
    const shares = (await this.gather()) as Parameters<typeof m.prom.AggregatorRegistry.aggregate>[0]
    return m.prom.AggregatorRegistry.aggregate(shares).metrics()
  }

  /** This process's metrics as prom-client's JSON, the form `gatherWith` sums. */
  async json(): Promise<unknown> {
    return (await this.load()).registry.getMetricsAsJSON()
  }

  get contentType(): string {
    return CONTENT_TYPE
  }

  private later(event: (m: PromMetrics) => void): void {
    this.queue.push(event)
    if (this.timer === null && this.loading === null) {
      this.timer = setTimeout(() => void this.load(), IMPORT_DELAY_MS)
      this.timer.unref?.()
    }
  }

  private load(): Promise<PromMetrics> {
    if (this.timer !== null) clearTimeout(this.timer)
    this.timer = null
    this.loading ??= import('prom-client').then((prom) => {
      const m = new PromMetrics(prom, () => this.source())
      for (const event of this.queue) event(m)
      this.queue = []
      this.impl = m
      return m
    })
    return this.loading
  }
}

/** The prom-client side of {@link ServerMetrics}. */
class PromMetrics {
  readonly registry: Registry
  private readonly invocations: Counter<'endpoint'>
  private readonly errors: Counter<'endpoint' | 'code'>
  private readonly latency: Histogram<'endpoint'>
  private readonly coldStarts: Counter<'endpoint'>
  private readonly coldStartSeconds: Histogram<'endpoint'>
  private readonly children = new Map<string, Children>()

  constructor(
    readonly prom: Prom,
    source: EndpointGaugeSource,
  ) {
    const { Counter, Gauge, Histogram, Registry } = prom
    this.registry = new Registry()
    const registers = [this.registry]
    this.invocations = new Counter({ name: 'consort_invocations_total', help: 'Invocations answered, by endpoint (errors included).', labelNames: ['endpoint'], registers })
    this.errors = new Counter({ name: 'consort_errors_total', help: 'Invocations answered with an error, by endpoint and error code.', labelNames: ['endpoint', 'code'], registers })
    this.latency = new Histogram({
      name: 'consort_invocation_duration_seconds',
      help: 'Time from the start of an invocation to its answer, by endpoint.',
      labelNames: ['endpoint'],
      buckets: LATENCY_BUCKETS,
      registers,
    })
    this.coldStarts = new Counter({ name: 'consort_cold_starts_total', help: 'Model loads on an invocation of a cold endpoint.', labelNames: ['endpoint'], registers })
    this.coldStartSeconds = new Histogram({
      name: 'consort_cold_start_seconds',
      help: 'Duration of cold starts (read, verify, decode and check the model).',
      labelNames: ['endpoint'],
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    })
    new Gauge({
      name: 'consort_models_loaded',
      help: 'Endpoints whose model is in memory.',
      registers,
      collect() {
        let n = 0
        for (const e of source()) if (e.loaded) n++
        this.set(n)
      },
    })
    new Gauge({
      name: 'consort_invocations_in_flight',
      help: 'Invocations running now, by endpoint.',
      labelNames: ['endpoint'],
      registers,
      collect() {
        this.reset()
        for (const e of source()) this.set({ endpoint: e.name }, e.inFlight)
      },
    })
  }

  invoked(endpoint: string, seconds: number, errorCode?: string): void {
    let c = this.children.get(endpoint)
    if (c === undefined) {
      c = { invocations: this.invocations.labels(endpoint), latency: this.latency.labels(endpoint) }
      this.children.set(endpoint, c)
    }
    c.invocations.inc()
    c.latency.observe(seconds)
    if (errorCode !== undefined) this.errors.inc({ endpoint, code: errorCode })
  }

  coldStart(endpoint: string, seconds: number): void {
    this.coldStarts.inc({ endpoint })
    this.coldStartSeconds.observe({ endpoint }, seconds)
  }
}
