import { describe, expect, it } from 'vitest'
import { Endpoint, type EndpointEvent } from './endpoint.js'
import { HttpError } from './errors.js'
import type { ServedModel } from './served-model.js'

/** Stand-ins for loaded models: the endpoint only passes them around. */
function fakeModel(source: string): ServedModel {
  return { source } as ServedModel
}

function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void; reject: (e: unknown) => void } {
  let resolve!: (v: T) => void
  let reject!: (e: unknown) => void
  const promise = new Promise<T>((a, b) => {
    resolve = a
    reject = b
  })
  return { promise, resolve, reject }
}

describe('Endpoint', () => {
  it('refuses at once beyond max concurrency, with Retry-After, and takes traffic again when a slot frees', () => {
    const ep = new Endpoint('e', { load: async () => fakeModel('a'), maxConcurrency: 2, idleTimeoutS: Infinity })
    ep.acquire()
    ep.acquire()
    let refused: unknown
    try {
      ep.acquire()
    } catch (err) {
      refused = err
    }
    expect(refused).toBeInstanceOf(HttpError)
    expect(refused).toMatchObject({ status: 429, code: 'too_many_requests', headers: { 'retry-after': '1' } })
    ep.release()
    ep.acquire()
    expect(ep.running).toBe(2)
    expect(ep.stats().throttled).toBe(1)
  })

  it('loads once for any number of concurrent cold invocations, and reports the cold start', async () => {
    const events: EndpointEvent[] = []
    let loads = 0
    const gate = deferred<ServedModel>()
    const ep = new Endpoint(
      'e',
      {
        load: () => {
          loads++
          return gate.promise
        },
        maxConcurrency: 10,
        idleTimeoutS: Infinity,
      },
      (e) => events.push(e),
    )
    const waiting = [ep.ready(), ep.ready(), ep.ready()]
    gate.resolve(fakeModel('a'))
    const models = await Promise.all(waiting)
    expect(new Set(models).size).toBe(1)
    expect(loads).toBe(1)
    expect(events.map((e) => e.type)).toEqual(['cold_start'])
    expect(ep.stats()).toMatchObject({ loaded: true, coldStarts: 1, source: 'a' })
  })

  it('answers 503 when the model cannot load, and tries again on the next invocation', async () => {
    let fail = true
    const ep = new Endpoint('e', { load: async () => (fail ? Promise.reject(new Error('disk gone')) : fakeModel('a')), maxConcurrency: 1, idleTimeoutS: Infinity })
    await expect(ep.ready()).rejects.toMatchObject({ status: 503, message: /disk gone/ })
    fail = false
    await expect(ep.ready()).resolves.toMatchObject({ source: 'a' })
  })

  it('moves traffic only once the new model has loaded; a failed update leaves the old model serving', async () => {
    const ep = new Endpoint('e', { load: async () => fakeModel('old'), maxConcurrency: 5, idleTimeoutS: Infinity })
    const held = await ep.ready()
    const next = deferred<ServedModel>()
    const updating = ep.update({ load: () => next.promise, maxConcurrency: 5, idleTimeoutS: Infinity })
    expect((await ep.ready()).source).toBe('old')
    next.resolve(fakeModel('new'))
    await updating
    expect((await ep.ready()).source).toBe('new')
    expect(held.source).toBe('old')
    await expect(ep.update({ load: async () => Promise.reject(new Error('tampered')), maxConcurrency: 5, idleTimeoutS: Infinity })).rejects.toThrow('tampered')
    expect((await ep.ready()).source).toBe('new')
  })

  it('unloads after the idle timeout, not while an invocation runs', async () => {
    const ep = new Endpoint('e', { load: async () => fakeModel('a'), maxConcurrency: 5, idleTimeoutS: 0.05 })
    ep.acquire()
    await ep.ready()
    await new Promise((r) => setTimeout(r, 120))
    expect(ep.current).not.toBeNull()
    ep.release()
    await new Promise((r) => setTimeout(r, 150))
    expect(ep.current).toBeNull()
  })
})
