/**
 * One endpoint's serverless behaviour: its model loads on the first invocation (a cold start,
 * timed), unloads after `idleTimeoutS` without traffic (scale to zero), and at most
 * `maxConcurrency` invocations run at once; one more is refused at once (the caller answers 429),
 * so nothing queues without bound. An update loads and checks the new model before any request
 * sees it (blue/green): requests already running finish on the model they started with, and a
 * model that fails to load leaves the old one serving.
 */
import { HttpError } from './errors.js'
import { LatencyWindow } from './latency.js'
import type { ServedModel } from './served-model.js'

/** How an endpoint loads its model and how much traffic it takes. */
export interface EndpointSettings {
  /** Loads (and checks) the model; called on a cold start. */
  readonly load: () => Promise<ServedModel>
  /** Invocations running at once; more are refused. Infinity for no bound. */
  readonly maxConcurrency: number
  /** Seconds without an invocation before the model is unloaded; Infinity to keep it. */
  readonly idleTimeoutS: number
}

/** What an endpoint reports to logs and metrics. */
export type EndpointEvent =
  | { readonly type: 'cold_start'; readonly endpoint: string; readonly ms: number; readonly source: string }
  | { readonly type: 'load_failed'; readonly endpoint: string; readonly message: string }
  | { readonly type: 'unloaded'; readonly endpoint: string; readonly idleS: number }
  | { readonly type: 'swapped'; readonly endpoint: string; readonly source: string; readonly ms: number }

/** An endpoint's counters and state, as `GET /endpoints/NAME` shows them. */
export interface EndpointStats {
  readonly loaded: boolean
  readonly source: string | null
  readonly inFlight: number
  readonly invocations: number
  readonly errors: number
  readonly throttled: number
  readonly coldStarts: number
  readonly lastColdStartMs: number | null
  readonly p50Ms: number | null
  readonly p99Ms: number | null
  readonly lastInvocation: string | null
}

/**
 * A named endpoint (see the file comment).
 * @example
 * const ep = new Endpoint('churn', { load: () => ServedModel.load('model.tar.gz'), maxConcurrency: 8, idleTimeoutS: 300 })
 * ep.acquire()
 * try { (await ep.ready()).predict(frame) } finally { ep.release() }
 */
export class Endpoint {
  readonly name: string
  private settings: EndpointSettings
  private readonly onEvent: (event: EndpointEvent) => void
  private model: ServedModel | null = null
  private loading: Promise<ServedModel> | null = null
  /** Bumped by every update and unload, so a load that finishes late cannot install a stale model. */
  private generation = 0
  private idleTimer: ReturnType<typeof setTimeout> | null = null
  private inFlight = 0
  private invocations = 0
  private errors = 0
  private throttled = 0
  private coldStarts = 0
  private lastColdStartMs: number | null = null
  private lastInvocation = 0
  private readonly latency = new LatencyWindow()
  private closed = false

  constructor(name: string, settings: EndpointSettings, onEvent: (event: EndpointEvent) => void = () => {}) {
    this.name = name
    this.settings = settings
    this.onEvent = onEvent
  }

  /** The model when loaded, else null. */
  get current(): ServedModel | null {
    return this.model
  }

  get maxConcurrency(): number {
    return this.settings.maxConcurrency
  }

  /** Invocations running now. */
  get running(): number {
    return this.inFlight
  }

  /**
   * Takes one of the endpoint's invocation slots, or throws HttpError `too_many_requests` (429,
   * `Retry-After: 1`) at once when all are taken. Pair with {@link Endpoint.release}.
   * @example
   * ep.acquire(); try { ... } finally { ep.release() }
   */
  acquire(): void {
    if (this.closed) throw new HttpError('unavailable', `endpoint '${this.name}' is deleted`)
    if (this.inFlight >= this.settings.maxConcurrency) {
      this.throttled++
      throw new HttpError('too_many_requests', `endpoint '${this.name}' is running its maximum of ${this.settings.maxConcurrency} concurrent invocations`, { 'retry-after': '1' })
    }
    this.inFlight++
  }

  /** Gives a slot back once its invocation's work has ended (which may be after its answer, on a timeout). */
  release(): void {
    this.inFlight--
    this.lastInvocation = Date.now()
    if (this.idleTimer === null) this.armIdleTimer()
  }

  /** Counts an answered invocation (an error when `ok` is false) and its latency. */
  record(ok: boolean, ms: number): void {
    this.invocations++
    if (!ok) this.errors++
    this.latency.record(ms)
  }

  /**
   * The model, loading it first when the endpoint is cold (one load however many invocations
   * wait for it). A load that fails is an HttpError `unavailable` (503); the next call tries again.
   * @example
   * const model = await ep.ready()
   */
  ready(): Promise<ServedModel> {
    if (this.model !== null) return Promise.resolve(this.model)
    if (this.loading !== null) return this.loading
    const generation = this.generation
    const t0 = performance.now()
    const loading = this.settings.load().then(
      (model) => {
        const ms = performance.now() - t0
        if (this.loading === loading) this.loading = null
        if (generation === this.generation && !this.closed) {
          this.model = model
          this.coldStarts++
          this.lastColdStartMs = ms
          this.onEvent({ type: 'cold_start', endpoint: this.name, ms, source: model.source })
          this.lastInvocation = Date.now()
          this.armIdleTimer()
        }
        return model
      },
      (err: unknown) => {
        if (this.loading === loading) this.loading = null
        const message = err instanceof Error ? err.message : String(err)
        this.onEvent({ type: 'load_failed', endpoint: this.name, message })
        throw new HttpError('unavailable', `endpoint '${this.name}' cannot load its model: ${message}`)
      },
    )
    this.loading = loading
    return loading
  }

  /**
   * Blue/green update: loads and checks the model with the new settings' `load` while the old
   * model keeps serving, then moves traffic to it. Invocations already running finish on the old
   * model. If the new model fails to load, the error is thrown and nothing changes. When
   * `warm` is false and the endpoint is cold, the checked model is not kept: the next invocation
   * is a cold start of the new model.
   * @example
   * await ep.update({ ...settings, load: () => ServedModel.load('v2.tar.gz') })
   */
  async update(settings: EndpointSettings, preloaded?: ServedModel): Promise<void> {
    const t0 = performance.now()
    const next = preloaded ?? (await settings.load())
    this.settings = settings
    this.generation++
    this.loading = null
    if (this.model !== null) {
      this.model = next
      this.onEvent({ type: 'swapped', endpoint: this.name, source: next.source, ms: performance.now() - t0 })
    }
    this.armIdleTimer()
  }

  /** Changes the concurrency bound and idle timeout, keeping the model and its loader. */
  setLimits(limits: { maxConcurrency: number; idleTimeoutS: number }): void {
    this.settings = { ...this.settings, ...limits }
    this.armIdleTimer()
  }

  /** Drops the model (the next invocation is a cold start). */
  unload(): void {
    if (this.idleTimer !== null) clearTimeout(this.idleTimer)
    this.idleTimer = null
    this.generation++
    this.loading = null
    if (this.model !== null) {
      this.model = null
      this.onEvent({ type: 'unloaded', endpoint: this.name, idleS: this.lastInvocation === 0 ? 0 : (Date.now() - this.lastInvocation) / 1000 })
    }
  }

  /** Unloads and refuses every later invocation (a deleted endpoint). */
  close(): void {
    this.unload()
    this.closed = true
  }

  /** The endpoint's counters and state. */
  stats(): EndpointStats {
    const p = (q: number): number | null => (this.latency.size === 0 ? null : round(this.latency.percentile(q)))
    return {
      loaded: this.model !== null,
      source: this.model?.source ?? null,
      inFlight: this.inFlight,
      invocations: this.invocations,
      errors: this.errors,
      throttled: this.throttled,
      coldStarts: this.coldStarts,
      lastColdStartMs: this.lastColdStartMs === null ? null : round(this.lastColdStartMs),
      p50Ms: p(0.5),
      p99Ms: p(0.99),
      lastInvocation: this.lastInvocation === 0 ? null : new Date(this.lastInvocation).toISOString(),
    }
  }

  /**
   * (Re)starts the idle timer for a full timeout. It is not reset by each invocation (that would
   * cost a timer per request): when it fires, it unloads if the endpoint has been idle long
   * enough, or waits for the rest of the timeout.
   */
  private armIdleTimer(delayS = this.settings.idleTimeoutS): void {
    if (this.idleTimer !== null) clearTimeout(this.idleTimer)
    this.idleTimer = null
    const s = this.settings.idleTimeoutS
    if (this.model === null || !Number.isFinite(s) || this.closed) return
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null
      const idleS = (Date.now() - this.lastInvocation) / 1000
      if (this.inFlight > 0) this.armIdleTimer()
      else if (idleS >= s - 0.001) this.unload()
      else this.armIdleTimer(s - idleS)
    }, Math.max(1, delayS * 1000))
    this.idleTimer.unref?.()
  }
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000
}
