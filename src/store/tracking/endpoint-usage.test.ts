import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { EndpointUsageSample } from './endpoint-usage.js'
import { TrackingStore } from './store.js'

const dir = mkdtempSync(join(tmpdir(), 'consort-usage-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const sample = (at: string, over: Partial<EndpointUsageSample> = {}): EndpointUsageSample => ({
  endpoint: 'churn',
  at,
  server: 's1',
  invocations: 2,
  errors: 0,
  throttled: 0,
  coldStarts: 0,
  loaded: true,
  inFlight: 0,
  maxConcurrency: 4,
  p50Ms: 1.5,
  p99Ms: 3,
  ...over,
})

describe('endpoint usage', () => {
  it('keeps samples across openings, oldest first, filtered by endpoint and time, and an unbounded concurrency as Infinity', () => {
    const store = TrackingStore.open(dir)
    store.recordEndpointUsage([
      sample('2026-01-01T00:00:10.000Z', { coldStarts: 1, p50Ms: null, p99Ms: null }),
      sample('2026-01-01T00:00:00.000Z', { loaded: false, maxConcurrency: Infinity }),
      sample('2026-01-01T00:00:05.000Z', { endpoint: 'other' }),
    ])
    store.close()
    const again = TrackingStore.open(dir)
    const rows = again.listEndpointUsage('churn')
    expect(rows.map((r) => r.at)).toEqual(['2026-01-01T00:00:00.000Z', '2026-01-01T00:00:10.000Z'])
    expect(rows[0]).toMatchObject({ loaded: false, maxConcurrency: Infinity })
    expect(rows[1]).toMatchObject({ coldStarts: 1, p50Ms: null, loaded: true, maxConcurrency: 4 })
    expect(again.listEndpointUsage('churn', '2026-01-01T00:00:01.000Z').length).toBe(1)
    expect(again.listEndpointUsage('churn', '', 1).map((r) => r.at)).toEqual(['2026-01-01T00:00:10.000Z'])
    expect(again.listEndpointUsage('nobody')).toEqual([])
    again.close()
  })
})
