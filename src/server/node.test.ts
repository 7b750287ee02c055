import { mkdtempSync, rmSync } from 'node:fs'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIABETES_ROW, trainDiabetesModel } from '../cli/testing/serving.js'
import type { Frame } from '../data/frame.js'
import { TrackingStore } from '../store/tracking/store.js'
import { createApp } from './app.js'
import { silentLogger } from './logger.js'
import { resolveModelRef } from './model-ref.js'
import { startServer, type RunningServer } from './node.js'
import { EndpointRegistry } from './registry.js'
import type { ServedModel } from './served-model.js'

const dir = mkdtempSync(join(tmpdir(), 'consort-node-'))
let modelA: string
let modelB: string
const servers: RunningServer[] = []

beforeAll(async () => {
  ;[modelA, modelB] = await Promise.all([trainDiabetesModel(dir, { rounds: 5, name: 'a' }), trainDiabetesModel(dir, { rounds: 30, name: 'b' })])
})
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()))
  rmSync(dir, { recursive: true, force: true })
})

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

async function serve(options: Parameters<typeof createApp>[0], listen: Parameters<typeof startServer>[1] = {}): Promise<RunningServer> {
  const app = createApp({ logger: silentLogger(), ...options })
  await app.ready()
  const server = await startServer(app, { port: 0, ...listen })
  servers.push(server)
  return server
}

function csv(url: string, body: string | Uint8Array = DIABETES_ROW, path = '/invocations'): Promise<Response> {
  return fetch(url + path, { method: 'POST', headers: { 'content-type': 'text/csv' }, body })
}

describe('the server on real sockets', () => {
  it('keeps at most max_concurrency invocations in flight: 200 at once against 8 give 8 answers and 192 429s, none lost', async () => {
    let running = 0
    let peak = 0
    const store = TrackingStore.open(join(dir, 'c1'))
    const registry = new EndpointRegistry(store, { resolve: (ref) => resolveModelRef(ref, store), bodyLimitBytes: 1 << 20 })
    const server = await serve({
      registry,
      handlers: {
        predict: async (x, model: ServedModel) => {
          running++
          peak = Math.max(peak, running)
          await sleep(1500)
          running--
          return model.predict(x as Frame)
        },
      },
    })
    const put = await fetch(`${server.url}/endpoints/busy`, { method: 'PUT', body: JSON.stringify({ model: modelA, max_concurrency: 8 }) })
    expect(put.status).toBe(201)
    // Warm the model up, so the burst does not wait for a cold start.
    expect((await csv(server.url, DIABETES_ROW, '/endpoints/busy/invocations')).status).toBe(200)
    const t0 = performance.now()
    const responses = await Promise.all(Array.from({ length: 200 }, () => csv(server.url, DIABETES_ROW, '/endpoints/busy/invocations')))
    const statuses = responses.map((r) => r.status)
    expect(statuses.filter((s) => s === 200)).toHaveLength(8)
    expect(statuses.filter((s) => s === 429)).toHaveLength(192)
    expect(peak).toBe(8)
    const bodies = await Promise.all(responses.map((r) => r.text()))
    const refused = statuses.indexOf(429)
    expect(responses[refused].headers.get('retry-after')).toBe('1')
    expect(JSON.parse(bodies[refused])).toMatchObject({ error: 'too_many_requests' })
    // 429s are immediate: the whole burst takes about one slow invocation, not 25 of them.
    expect(performance.now() - t0).toBeLessThan(4000)
    const status = (await (await fetch(`${server.url}/endpoints/busy`)).json()) as { status: { invocations: number; throttled: number } }
    expect(status.status).toMatchObject({ invocations: 201, throttled: 192 })
    store.close()
  })

  it('moves traffic to an updated model under load with no failed request', async () => {
    const store = TrackingStore.open(join(dir, 'c2'))
    const registry = new EndpointRegistry(store, { resolve: (ref) => resolveModelRef(ref, store), bodyLimitBytes: 1 << 20 })
    const server = await serve({ registry })
    expect((await fetch(`${server.url}/endpoints/live`, { method: 'PUT', body: JSON.stringify({ model: modelA, max_concurrency: 50 }) })).status).toBe(201)
    const seen = new Map<string, number>()
    const failures: string[] = []
    let stop = false
    const client = async () => {
      while (!stop) {
        const res = await csv(server.url, DIABETES_ROW, '/endpoints/live/invocations')
        const text = await res.text()
        if (res.status !== 200) failures.push(`${res.status} ${text}`)
        else seen.set(text, (seen.get(text) ?? 0) + 1)
      }
    }
    const clients = Array.from({ length: 8 }, client)
    await sleep(200)
    const update = await fetch(`${server.url}/endpoints/live`, { method: 'PUT', body: JSON.stringify({ model: modelB }) })
    expect(update.status).toBe(200)
    await sleep(200)
    stop = true
    await Promise.all(clients)
    expect(failures).toEqual([])
    expect(seen.size).toBe(2)
    store.close()
  })

  it('answers 413 to huge bodies, declared or streamed, and keeps answering', async () => {
    const server = await serve({ model: modelA, bodyLimitBytes: 64 * 1024 })
    const big = new TextEncoder().encode(`${DIABETES_ROW}\n`.repeat(5000))
    const declared = await csv(server.url, big)
    expect(declared.status).toBe(413)
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < 10; i++) c.enqueue(big.subarray(0, 16 * 1024))
        c.close()
      },
    })
    const chunked = await fetch(server.url + '/invocations', { method: 'POST', headers: { 'content-type': 'text/csv' }, body: stream, duplex: 'half' } as RequestInit)
    expect(chunked.status).toBe(413)
    expect(await chunked.json()).toMatchObject({ error: 'payload_too_large' })
    expect((await csv(server.url)).status).toBe(200)
  })

  it('is not held up by a slow client, and drops it after the request timeout', async () => {
    const server = await serve({ model: modelA }, { requestTimeoutMs: 600 })
    const { port } = server
    const socket = connect(port, '127.0.0.1')
    let reply = ''
    let closed = false
    socket.setEncoding('utf8').on('data', (d: string) => (reply += d))
    socket.on('close', () => (closed = true))
    await new Promise<void>((r) => socket.once('connect', () => r()))
    socket.write(`POST /invocations HTTP/1.1\r\nHost: x\r\nContent-Type: text/csv\r\nContent-Length: ${DIABETES_ROW.length}\r\n\r\n${DIABETES_ROW.slice(0, 5)}`)
    const t0 = performance.now()
    for (let i = 0; i < 20; i++) expect((await csv(server.url)).status).toBe(200)
    expect(performance.now() - t0).toBeLessThan(500)
    for (let i = 0; i < 40 && !closed; i++) await sleep(50)
    expect(closed).toBe(true)
    expect(reply === '' || reply.startsWith('HTTP/1.1 408')).toBe(true)
    expect((await csv(server.url)).status).toBe(200)
  })

  it('answers fuzzed CSV and JSON bodies with 200 or a 4xx, never a 5xx, and keeps answering', async () => {
    const server = await serve({ model: modelA })
    const field = fc.oneof(fc.double().map(String), fc.integer().map(String), fc.string({ maxLength: 6 }), fc.constantFrom('', 'NA', '"1,2"', '"', '""', '1e999', '-'))
    const row = fc.array(field, { minLength: 0, maxLength: 13 }).map((cells) => cells.join(','))
    const csvBody = fc.oneof(
      fc.array(row, { minLength: 0, maxLength: 4 }).map((rows) => rows.join(fc.sample(fc.constantFrom('\n', '\r\n', '\r'), 1)[0])),
      fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b).toString('latin1')),
    )
    const jsonBody = fc.oneof(
      fc.jsonValue().map((v) => JSON.stringify(v)),
      fc.jsonValue().map((v) => JSON.stringify({ instances: [v] })),
      fc.array(fc.oneof(fc.double(), fc.string(), fc.constant(null)), { maxLength: 12 }).map((r) => JSON.stringify({ instances: [r] })),
      fc.string().map((s) => `{"inputs": ${s}`),
    )
    const statuses = new Set<number>()
    await fc.assert(
      fc.asyncProperty(fc.oneof(csvBody.map((b) => ['text/csv', b] as const), jsonBody.map((b) => ['application/json', b] as const), jsonBody.map((b) => ['application/jsonlines', b] as const)), async ([type, body]) => {
        const res = await fetch(server.url + '/invocations', { method: 'POST', headers: { 'content-type': type }, body })
        statuses.add(res.status)
        const text = await res.text()
        expect(res.status === 200 || (res.status >= 400 && res.status < 500), `${res.status} ${text} for ${JSON.stringify(body)}`).toBe(true)
        if (res.status !== 200) expect(JSON.parse(text)).toMatchObject({ error: expect.any(String), message: expect.any(String) })
      }),
      { numRuns: 300 },
    )
    expect(statuses.has(400)).toBe(true)
    expect((await fetch(server.url + '/ping')).status).toBe(200)
    expect((await csv(server.url)).status).toBe(200)
  })

  it('drains on close: requests in flight finish, /ping turns 503, new connections are refused', async () => {
    const server = await serve({
      model: modelA,
      handlers: {
        predict: async (x, model: ServedModel) => {
          await sleep(300)
          return model.predict(x as Frame)
        },
      },
    })
    servers.pop()
    const inFlight = csv(server.url)
    await sleep(50)
    const closing = server.close()
    const res = await inFlight
    expect(res.status).toBe(200)
    expect(res.headers.get('connection')).toBe('close')
    await closing
    await expect(fetch(server.url + '/ping')).rejects.toThrow()
  })

  it('serves the management routes only on the local management address when the main one is public', async () => {
    const store = TrackingStore.open(join(dir, 'c3'))
    const registry = new EndpointRegistry(store, { resolve: (ref) => resolveModelRef(ref, store), bodyLimitBytes: 1 << 20 })
    const server = await serve({ registry }, { host: '0.0.0.0', managementPort: 0 })
    expect(server.managementUrl).not.toBe(server.url)
    const body = JSON.stringify({ model: modelA })
    expect((await fetch(`http://127.0.0.1:${server.port}/endpoints/m`, { method: 'PUT', body })).status).toBe(403)
    expect((await fetch(`${server.managementUrl}/endpoints/m`, { method: 'PUT', body })).status).toBe(201)
    expect((await csv(`http://127.0.0.1:${server.port}`, DIABETES_ROW, '/endpoints/m/invocations')).status).toBe(200)
    store.close()
  })
})
