import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
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

  it('migrates a store written before jobs recorded their resources, trials and tuning jobs', () => {
    const old = join(dir, 'old')
    mkdirSync(old)
    // The first schema, holding one job.
    const db = new Database(join(old, 'tracking.db'))
    db.exec(`CREATE TABLE jobs (id TEXT PRIMARY KEY, kind TEXT NOT NULL, name TEXT NOT NULL,
      status TEXT NOT NULL CHECK (status IN ('InProgress', 'Completed', 'Failed', 'Stopped')), created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL, spec TEXT NOT NULL, metrics TEXT NOT NULL DEFAULT '{}', timings TEXT NOT NULL DEFAULT '{}',
      artifact TEXT, data_fingerprint TEXT, failure_reason TEXT); CREATE INDEX jobs_created ON jobs (created_at);`)
    db.pragma('user_version = 1')
    db.prepare("INSERT INTO jobs (id, kind, name, status, created_at, updated_at, spec) VALUES ('x', 'training', 'x', 'Completed', 't', 't', '{}')").run()
    db.close()
    const reopened = TrackingStore.open(old)
    expect(reopened.getJob('x')).toMatchObject({ status: 'Completed', resources: {}, parentId: null, details: {} })
    expect(reopened.listTrials('x')).toEqual([])
    reopened.close()
  })

  it('keeps a tuning job\'s trials, links its training jobs, and ends a trial once only', () => {
    const store = TrackingStore.open(join(dir, 'tuning'))
    store.createJob({ id: 't', kind: 'tuning', name: 'tune', spec: {} })
    store.createJob({ id: 't-1', kind: 'training', name: 'tune-1', spec: {}, parentId: 't' })
    store.createJob({ id: 'other', kind: 'training', name: 'x', spec: {} })
    expect(store.listJobs(100, 't').map((j) => j.id)).toEqual(['t-1'])
    expect(store.getJob('t-1')!.parentId).toBe('t')
    store.startTrial('t', 0, { eta: 0.25, max_depth: 3 })
    store.startTrial('t', 1, { eta: 0.2, max_depth: 4 })
    store.updateTrial('t', 0, { trainingJob: 't-1', intermediate: [[0, 55.1]] })
    expect(store.endTrial('t', 0, { state: 'Completed', value: 54.2, intermediate: [[0, 55.1], [1, 53.3]] })).toBe(true)
    // A late duplicate result of the same trial changes nothing.
    expect(store.endTrial('t', 0, { state: 'Failed', reason: 'late' })).toBe(false)
    expect(store.listTrials('t')).toMatchObject([
      { number: 0, state: 'Completed', value: 54.2, trainingJob: 't-1', params: { eta: 0.25, max_depth: 3 }, reason: null },
      { number: 1, state: 'Running', value: null, trainingJob: null },
    ])
    // A trial interrupted by a crash runs again under its number, its old values cleared.
    store.updateTrial('t', 1, { intermediate: [[0, 60]] })
    store.startTrial('t', 1, { eta: 0.2, max_depth: 4 })
    expect(store.listTrials('t')[1]).toMatchObject({ state: 'Running', intermediate: [] })
    store.setDetails('t', { counters: { Completed: 1 } })
    expect(store.getJob('t')!.details).toEqual({ counters: { Completed: 1 } })
    store.endJob('t', 'Stopped', 'killed')
    expect(store.reopenJob('t')).toMatchObject({ status: 'InProgress', failureReason: null })
    store.close()
  })
})
