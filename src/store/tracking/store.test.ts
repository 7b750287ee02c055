import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { TrackingStore } from './store.js'

const dir = mkdtempSync(join(tmpdir(), 'consort-store-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('TrackingStore', () => {
  it('records a job from InProgress to Completed, and another to Failed, and lists them newest first', () => {
    const store = TrackingStore.open(join(dir, '.consort'))
    store.createJob({ id: 'a', kind: 'training', name: 'diabetes', spec: { name: 'diabetes' } })
    expect(store.getJob('a')!.status).toBe('InProgress')
    const done = store.completeJob('a', { metrics: { 'cv:rmse': 54.2 }, timings: { total: 1.5 }, artifact: 'out/model.tar.gz', dataFingerprint: 'abc' })
    expect(done).toMatchObject({ status: 'Completed', metrics: { 'cv:rmse': 54.2 }, artifact: 'out/model.tar.gz', dataFingerprint: 'abc', spec: { name: 'diabetes' } })
    store.createJob({ id: 'b', kind: 'training', name: 'wine', spec: {} })
    expect(store.endJob('b', 'Failed', "no target column 'y'")).toMatchObject({ status: 'Failed', failureReason: "no target column 'y'" })
    expect(store.listJobs().map((j) => j.id)).toEqual(['b', 'a'])
    store.close()
  })

  it('keeps its records across openings, and refuses a duplicate job id', () => {
    const store = TrackingStore.open(join(dir, '.consort'))
    expect(store.getJob('a')!.status).toBe('Completed')
    expect(() => store.createJob({ id: 'a', kind: 'training', name: 'x', spec: {} })).toThrow()
    expect(store.getJob('missing')).toBeUndefined()
    store.close()
  })
})
