import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIABETES_ROW, trainDiabetesModel } from '../cli/testing/serving.js'
import { TrackingStore } from '../store/tracking/store.js'
import { createApp, type ServingApp } from './app.js'
import { silentLogger } from './logger.js'
import { resolveModelRef } from './model-ref.js'
import { EndpointRegistry, type EndpointView } from './registry.js'

const dir = mkdtempSync(join(tmpdir(), 'consort-endpoints-'))
let store: TrackingStore
let modelA: string
let modelB: string
let app: ServingApp

beforeAll(async () => {
  ;[modelA, modelB] = await Promise.all([trainDiabetesModel(dir, { rounds: 5, name: 'a' }), trainDiabetesModel(dir, { rounds: 30, name: 'b' })])
  store = TrackingStore.open(join(dir, '.consort'))
  app = createApp({ registry: registry(), logger: silentLogger(), token: 'secret' })
})
afterAll(() => {
  app.close()
  store.close()
  rmSync(dir, { recursive: true, force: true })
})

function registry(s = store): EndpointRegistry {
  return new EndpointRegistry(s, { resolve: (ref) => resolveModelRef(ref, s, dir), bodyLimitBytes: 6 * 1024 * 1024 })
}

const auth = { authorization: 'Bearer secret', 'content-type': 'application/json' }

async function put(name: string, body: unknown, headers: Record<string, string> = auth): Promise<Response> {
  return app.hono.request(`/endpoints/${name}`, { method: 'PUT', headers, body: JSON.stringify(body) })
}

async function invoke(name: string): Promise<Response> {
  return app.hono.request(`/endpoints/${name}/invocations`, { method: 'POST', headers: { 'content-type': 'text/csv' }, body: DIABETES_ROW })
}

async function describeEndpoint(name: string): Promise<EndpointView> {
  return (await (await app.hono.request(`/endpoints/${name}`)).json()) as EndpointView
}

describe('named endpoints', () => {
  it('creates an endpoint that loads on its first invocation (a cold start) and lists and describes it', async () => {
    const res = await put('alpha', { model: modelA, max_concurrency: 4, idle_timeout_s: 60 })
    expect(res.status).toBe(201)
    const created = (await res.json()) as EndpointView
    expect(created).toMatchObject({ name: 'alpha', memory_size_mb: 2048, max_concurrency: 4, idle_timeout_s: 60, status: { loaded: false, coldStarts: 0 } })
    expect(created.memory_estimate_mb).toBeGreaterThan(32)
    expect((await invoke('alpha')).status).toBe(200)
    expect((await invoke('alpha')).status).toBe(200)
    const view = await describeEndpoint('alpha')
    expect(view.status).toMatchObject({ loaded: true, coldStarts: 1, invocations: 2, errors: 0 })
    expect(view.status.lastColdStartMs).toBeGreaterThan(0)
    expect(view.status.p99Ms).toBeGreaterThan(0)
    const list = (await (await app.hono.request('/endpoints')).json()) as { endpoints: EndpointView[] }
    expect(list.endpoints.map((e) => e.name)).toContain('alpha')
    expect(store.getEndpoint('alpha')).toMatchObject({ model: modelA, artifact: modelA, maxConcurrency: 4 })
  })

  it("refuses settings outside SageMaker Serverless's bounds, unknown settings and bad names", async () => {
    const cases: [string, unknown, RegExp][] = [
      ['beta', { model: modelA, memory_size_mb: 1500 }, /memory_size_mb must be one of 1024, 2048/],
      ['beta', { model: modelA, memory_size_mb: 8192 }, /memory_size_mb/],
      ['beta', { model: modelA, max_concurrency: 201 }, /max_concurrency must be an integer from 1 to 200/],
      ['beta', { model: modelA, max_concurrency: 0 }, /max_concurrency/],
      ['beta', { model: modelA, idle_timeout_s: -1 }, /idle_timeout_s/],
      ['beta', { model: modelA, memory: 1024 }, /unknown setting 'memory'/],
      ['beta', { max_concurrency: 2 }, /'model' must name/],
      ['-bad-', { model: modelA }, /endpoint name/],
      ['beta', { model: join(dir, 'missing.tar.gz') }, /neither a model file nor a job id/],
    ]
    for (const [name, body, message] of cases) {
      const res = await put(name, body)
      expect(res.status, JSON.stringify(body)).toBe(400)
      expect(((await res.json()) as { message: string }).message).toMatch(message)
    }
    expect((await app.hono.request('/endpoints/beta')).status).toBe(404)
  })

  it('refuses at create time an endpoint whose model and concurrency do not fit its memory', async () => {
    const res = await put('gamma', { model: modelA, memory_size_mb: 1024, max_concurrency: 100 })
    expect(res.status).toBe(422)
    const body = (await res.json()) as { error: string; message: string }
    expect(body.error).toBe('insufficient_memory')
    expect(body.message).toMatch(/needs about \d+ MB .* more than its memory_size_mb of 1024/)
    expect(store.getEndpoint('gamma')).toBeUndefined()
    expect((await put('gamma', { model: modelA, memory_size_mb: 3072, max_concurrency: 100 })).status).toBe(201)
  })

  it("deploys a training job's model, or a tuning job's best training job's", async () => {
    store.createJob({ id: 'train-1', kind: 'training', name: 't', spec: {} })
    store.completeJob('train-1', { metrics: {}, timings: {}, artifact: modelB })
    store.createJob({ id: 'tune-1', kind: 'tuning', name: 'u', spec: {} })
    store.setDetails('tune-1', { best: { job: 'train-1' } })
    const fromTraining = (await (await put('delta', { model: 'train-1' })).json()) as EndpointView
    expect(fromTraining.artifact).toBe(modelB)
    const fromTuning = (await (await put('epsilon', { model: 'tune-1' })).json()) as EndpointView
    expect(fromTuning).toMatchObject({ model: 'tune-1', artifact: modelB })
    expect((await invoke('epsilon')).status).toBe(200)
  })

  it('unloads an idle endpoint (scale to zero) and loads it again on the next invocation', async () => {
    expect((await put('idle', { model: modelA, idle_timeout_s: 0.15 })).status).toBe(201)
    expect((await invoke('idle')).status).toBe(200)
    expect((await describeEndpoint('idle')).status.loaded).toBe(true)
    await new Promise((r) => setTimeout(r, 400))
    expect((await describeEndpoint('idle')).status.loaded).toBe(false)
    expect((await invoke('idle')).status).toBe(200)
    expect((await describeEndpoint('idle')).status).toMatchObject({ loaded: true, coldStarts: 2 })
  })

  it('updates blue/green, and refuses a tampered artifact while the old model keeps serving', async () => {
    expect((await put('swap', { model: modelA })).status).toBe(201)
    const before = await (await invoke('swap')).json()
    const tampered = join(dir, 'tampered.tar.gz')
    copyFileSync(modelB, tampered)
    const bytes = readFileSync(tampered)
    bytes[Math.floor(bytes.length / 2)] ^= 0xff
    writeFileSync(tampered, bytes)
    const refused = await put('swap', { model: tampered })
    expect(refused.status).toBeGreaterThanOrEqual(400)
    expect(refused.status).toBeLessThan(500)
    expect(await (await invoke('swap')).json()).toEqual(before)
    expect(await describeEndpoint('swap')).toMatchObject({ model: modelA, status: { source: modelA } })
    const updated = await put('swap', { model: modelB })
    expect(updated.status).toBe(200)
    expect(((await updated.json()) as EndpointView).status).toMatchObject({ loaded: true, source: modelB })
    expect(await (await invoke('swap')).json()).not.toEqual(before)
    expect((await describeEndpoint('swap')).status.coldStarts).toBe(1)
  })

  it('guards the management routes with the bearer token, and serves none on the public fetch', async () => {
    expect((await put('zeta', { model: modelA }, { 'content-type': 'application/json' })).status).toBe(401)
    expect((await put('zeta', { model: modelA }, { authorization: 'Bearer wrong' })).status).toBe(401)
    const pub = await app.publicFetch(new Request('http://x/endpoints/zeta', { method: 'PUT', headers: auth, body: JSON.stringify({ model: modelA }) }))
    expect(pub.status).toBe(403)
    expect((await app.publicFetch(new Request('http://x/endpoints'))).status).toBe(200)
  })

  it('deletes an endpoint: its invocations then get 404', async () => {
    expect((await put('gone', { model: modelA })).status).toBe(201)
    expect((await app.hono.request('/endpoints/gone', { method: 'DELETE', headers: auth })).status).toBe(200)
    expect((await invoke('gone')).status).toBe(404)
    expect((await app.hono.request('/endpoints/gone', { method: 'DELETE', headers: auth })).status).toBe(404)
    expect(store.getEndpoint('gone')).toBeUndefined()
  })

  it('keeps endpoints in the tracking store: a new server has them, cold', () => {
    const again = registry(store)
    expect(again.list().map((e) => e.name)).toEqual(expect.arrayContaining(['alpha', 'delta', 'swap']))
    expect(again.describe('alpha').status.loaded).toBe(false)
  })
})
