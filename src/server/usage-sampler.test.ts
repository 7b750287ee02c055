import { describe, expect, it } from 'vitest'
import type { EndpointStats } from './endpoint.js'
import type { EndpointUsageSample } from '../store/tracking/store.js'
import { UsageSampler, type SampledEndpoint } from './usage-sampler.js'

const stats = (over: Partial<EndpointStats> = {}): EndpointStats => ({
  loaded: false,
  source: null,
  inFlight: 0,
  invocations: 0,
  errors: 0,
  throttled: 0,
  coldStarts: 0,
  lastColdStartMs: null,
  p50Ms: null,
  p99Ms: null,
  lastInvocation: null,
  ...over,
})

describe('UsageSampler', () => {
  it('writes what changed since its previous sample, and nothing for an idle endpoint', () => {
    const written: EndpointUsageSample[][] = []
    let endpoints: SampledEndpoint[] = [{ name: 'a', max_concurrency: 2, status: stats() }]
    const sampler = new UsageSampler({ recordEndpointUsage: (s) => void written.push([...s]) }, () => endpoints)
    // Idle and unloaded from the start: nothing to write.
    expect(sampler.sample(new Date(0))).toEqual([])
    expect(sampler.sample(new Date(1000))).toEqual([])
    endpoints = [{ name: 'a', max_concurrency: 2, status: stats({ loaded: true, invocations: 5, errors: 1, coldStarts: 1, p50Ms: 2, p99Ms: 9 }) }]
    const [s] = sampler.sample(new Date(2000))
    expect(s).toMatchObject({ endpoint: 'a', at: '1970-01-01T00:00:02.000Z', invocations: 5, errors: 1, coldStarts: 1, loaded: true, p50Ms: 2, p99Ms: 9, maxConcurrency: 2 })
    endpoints = [{ name: 'a', max_concurrency: 2, status: stats({ loaded: true, invocations: 7, errors: 1, coldStarts: 1 }) }]
    expect(sampler.sample(new Date(3000))[0]).toMatchObject({ invocations: 2, errors: 0, coldStarts: 0 })
    expect(written).toHaveLength(2)
    expect(new Set(written.flat().map((w) => w.server))).toEqual(new Set([sampler.server]))
  })

  it('takes a last sample when stopped, with the models unloaded', () => {
    const written: EndpointUsageSample[] = []
    const sampler = new UsageSampler({ recordEndpointUsage: (s) => void written.push(...s) }, () => [{ name: 'b', max_concurrency: 1, status: stats({ invocations: 1, loaded: true }) }])
    sampler.start(60_000)
    sampler.sample()
    sampler.stop()
    expect(written.map((w) => [w.invocations, w.loaded])).toEqual([
      [1, true],
      [0, false],
    ])
  })
})
