/**
 * Samples the named endpoints' counters into the tracking store every few seconds, so the
 * dashboard can chart invocations, latency and cold starts over time from the store alone, after
 * the server has stopped and from another process. A sample records what changed since this
 * process's previous one; an endpoint with nothing new is not written again, so an idle server
 * adds no rows.
 */
import { randomBytes } from 'node:crypto'
import type { EndpointUsageSample } from '../store/tracking/store.js'
import type { EndpointStats } from './endpoint.js'

/** An endpoint as the sampler reads it (a registry's view has these fields). */
export interface SampledEndpoint {
  readonly name: string
  readonly max_concurrency: number
  readonly status: EndpointStats
}

/** Where samples go: the tracking store, or anything with its method. */
export interface UsageSink {
  recordEndpointUsage(samples: readonly EndpointUsageSample[]): void
}

/**
 * Turns successive endpoint stats into usage samples (see the file comment).
 * @example
 * const sampler = new UsageSampler(store, () => registry.list())
 * sampler.start(5000) // ... sampler.stop() takes a last sample
 */
export class UsageSampler {
  /** This process's name in the samples. */
  readonly server = `${process.pid}-${randomBytes(3).toString('hex')}`
  private readonly last = new Map<string, EndpointStats>()
  private timer: ReturnType<typeof setInterval> | null = null

  constructor(
    private readonly sink: UsageSink,
    private readonly endpoints: () => readonly SampledEndpoint[],
  ) {}

  /**
   * Records one sample of every endpoint that changed; returns the samples written. A `final`
   * sample (the server is stopping and unloads every model) writes every endpoint as unloaded.
   */
  sample(now = new Date(), final = false): EndpointUsageSample[] {
    const out: EndpointUsageSample[] = []
    for (const e of this.endpoints()) {
      const s = final ? { ...e.status, loaded: false, inFlight: 0 } : e.status
      const before = this.last.get(e.name)
      const delta = (k: 'invocations' | 'errors' | 'throttled' | 'coldStarts'): number => Math.max(0, s[k] - (before?.[k] ?? 0))
      const counted = delta('invocations') + delta('errors') + delta('throttled') + delta('coldStarts') > 0
      // An endpoint first seen idle and unloaded has nothing to record yet.
      const changed = counted || (before === undefined ? s.loaded || s.inFlight > 0 : s.loaded !== before.loaded || s.inFlight !== before.inFlight)
      this.last.set(e.name, s)
      if (!changed) continue
      out.push({
        endpoint: e.name,
        at: now.toISOString(),
        server: this.server,
        invocations: delta('invocations'),
        errors: delta('errors'),
        throttled: delta('throttled'),
        coldStarts: delta('coldStarts'),
        loaded: s.loaded,
        inFlight: s.inFlight,
        maxConcurrency: e.max_concurrency,
        p50Ms: s.p50Ms,
        p99Ms: s.p99Ms,
      })
    }
    if (out.length > 0) this.sink.recordEndpointUsage(out)
    return out
  }

  /** Samples every `intervalMs` until {@link UsageSampler.stop}; the timer does not keep the process alive. */
  start(intervalMs = 5000): void {
    this.timer ??= setInterval(() => this.sample(), intervalMs)
    this.timer.unref()
  }

  /** Stops sampling, after a last sample so nothing counted is lost, with every model unloaded. */
  stop(): void {
    if (this.timer !== null) clearInterval(this.timer)
    this.timer = null
    this.sample(new Date(), true)
  }
}
