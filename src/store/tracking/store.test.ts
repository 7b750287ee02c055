import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, describe, expect, it } from 'vitest'
import { TrackingStore } from './store.js'

const dir = mkdtempSync(join(tmpdir(), 'consort-store-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('TrackingStore', () => {
  it('records a job from InProgress to Completed, and another to Failed, and lists them newest first', () => {
    const store = TrackingStore.open(join(dir, '.consort'))
    store.createJob({ id: 'a', kind: 'training', name: 'diabetes', spec: { name: 'diabetes' } })
    expect(store.getJob('a')!.status).toBe('InProgress')
    const resources = { wallSeconds: 1.5, cpuSeconds: 2.9, peakRssBytes: 1 << 27, bytesRead: 38000, dataReads: 1 }
    const done = store.completeJob('a', { metrics: { 'cv:rmse': 54.2 }, timings: { total: 1.5 }, resources, artifact: 'out/model.tar.gz', dataFingerprint: 'abc' })
    expect(done).toMatchObject({ status: 'Completed', metrics: { 'cv:rmse': 54.2 }, resources, artifact: 'out/model.tar.gz', dataFingerprint: 'abc', spec: { name: 'diabetes' } })
    store.createJob({ id: 'b', kind: 'training', name: 'wine', spec: {} })
    expect(store.endJob('b', 'Failed', "no target column 'y'", { wallSeconds: 0.1 })).toMatchObject({
      status: 'Failed',
      failureReason: "no target column 'y'",
      resources: { wallSeconds: 0.1 },
    })
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

  it('migrates a store written before jobs recorded their resources', () => {
    const old = join(dir, 'old')
    const store = TrackingStore.open(old)
    store.close()
    // Roll the file back to the first schema, holding one job.
    const db = new Database(join(old, 'tracking.db'))
    db.exec('ALTER TABLE jobs DROP COLUMN resources')
    db.pragma('user_version = 1')
    db.prepare("INSERT INTO jobs (id, kind, name, status, created_at, updated_at, spec) VALUES ('x', 'training', 'x', 'Completed', 't', 't', '{}')").run()
    db.close()
    const reopened = TrackingStore.open(old)
    expect(reopened.getJob('x')).toMatchObject({ status: 'Completed', resources: {} })
    reopened.close()
  })
})
