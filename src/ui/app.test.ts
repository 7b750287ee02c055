import { rmSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TrackingStore } from '../store/tracking/store.js'
import { createDashboard, type Dashboard } from './app.js'
import { runDashboardJobs, type DashboardFixture } from './testing/fixture.js'

let fx: DashboardFixture
let store: TrackingStore
let ui: Dashboard
const invoked: string[] = []

beforeAll(async () => {
  fx = await runDashboardJobs()
  store = TrackingStore.open(fx.tracking)
  store.putEndpoint({ name: 'diabetes', model: fx.training.job, artifact: fx.training.artifact, memorySizeMb: 1024, maxConcurrency: 2, idleTimeoutS: 60 })
  store.recordEndpointUsage([
    { endpoint: 'diabetes', at: '2026-01-01T00:00:00.000Z', server: 'a', invocations: 3, errors: 1, throttled: 0, coldStarts: 1, loaded: true, inFlight: 1, maxConcurrency: 2, p50Ms: 2, p99Ms: 7 },
    { endpoint: 'diabetes', at: '2026-01-01T00:00:05.000Z', server: 'b', invocations: 2, errors: 0, throttled: 1, coldStarts: 1, loaded: false, inFlight: 0, maxConcurrency: 2, p50Ms: 3, p99Ms: 9 },
  ])
  ui = createDashboard({
    store,
    token: 'secret',
    pollMs: 20,
    invoke: async (name, request) => {
      invoked.push(`${name} ${await request.text()}`)
      return Response.json({ predictions: [1] })
    },
  })
}, 120_000)
afterAll(() => {
  store?.close()
  if (fx) rmSync(fx.dir, { recursive: true, force: true })
})

const get = async (path: string, init?: RequestInit): Promise<{ status: number; body: Record<string, unknown> }> => {
  const res = await ui.fetch(new Request(`http://localhost${path}`, init))
  return { status: res.status, body: (await res.json()) as Record<string, unknown> }
}

describe('dashboard API', () => {
  it('lists the user’s jobs with objective and cost, trials only under their tuning job', async () => {
    const { body } = await get('/api/jobs')
    const jobs = body.jobs as { id: string; kind: string; objective: { metric: string; value: number }; cpu_seconds: number; duration_s: number; data_reads: number }[]
    expect(jobs.map((j) => j.id).sort()).toEqual([fx.training.job, fx.tuning.job].sort())
    const training = jobs.find((j) => j.kind === 'training')!
    expect(training.objective).toEqual({ metric: 'cv:rmse', value: fx.training.metrics['cv:rmse'] })
    expect(training.cpu_seconds).toBeGreaterThan(0)
    expect(training.data_reads).toBe(1)
    expect(jobs.find((j) => j.kind === 'tuning')!.objective.value).toBe(fx.tuning.best!.objective)
    const trials = (await get(`/api/jobs?parent=${fx.tuning.job}`)).body.jobs as { parent_id: string }[]
    expect(trials).toHaveLength(3)
    expect((await get('/api/jobs?kind=tuning')).body.jobs).toHaveLength(1)
  })

  it('describes a training job: members against the ensemble, folds, blend weights and feature importance', async () => {
    const { status, body } = await get(`/api/jobs/${fx.training.job}`)
    expect(status).toBe(200)
    expect(body.member_metrics).toEqual({ 'cv:rmse': { ensemble: fx.training.metrics['cv:rmse'], xgb: fx.training.metrics['cv:rmse:xgb'], cat: fx.training.metrics['cv:rmse:cat'], lin: fx.training.metrics['cv:rmse:lin'] } })
    const folds = body.folds as Record<string, number[]>
    expect(Object.keys(folds).sort()).toEqual(['cat', 'ensemble', 'lin', 'xgb'])
    expect(folds.ensemble).toHaveLength(3)
    const blender = body.blender as { kind: string; weights: Record<string, number> }
    expect(blender.kind).toBe('weighted')
    // Non-negative weights, one per member, as the model.tar.gz's blender holds them.
    expect(Object.keys(blender.weights)).toEqual(['xgb', 'cat', 'lin'])
    for (const w of Object.values(blender.weights)) expect(w).toBeGreaterThanOrEqual(0)
    const members = body.members as { name: string; importance: { measure: string; values: { feature: string; share: number }[] } }[]
    expect(members.map((m) => [m.name, m.importance.measure])).toEqual([
      ['xgb', 'total_gain'],
      ['cat', 'split_count'],
      ['lin', 'abs_coefficient'],
    ])
    for (const m of members) expect(m.importance.values.reduce((s, v) => s + v.share, 0)).toBeCloseTo(1, 9)
    // bmi and s5 carry most of diabetes' signal: each member ranks one of them first.
    for (const m of members) expect(['bmi', 's5']).toContain(m.importance.values[0].feature)
  })

  it('describes a tuning job: trials with the best so far, ranges, importance, counters and cache hit rate', async () => {
    const { body } = await get(`/api/jobs/${fx.tuning.job}`)
    const tuning = body.tuning as { trials: { number: number; value: number; best_so_far: number; training_job: string }[]; ranges: { name: string }[]; parameter_importance: { param: string }[]; counters: Record<string, number>; cache_hit_rate: number }
    const stored = store.listTrials(fx.tuning.job)
    expect(tuning.trials.map((t) => t.value)).toEqual(stored.map((t) => t.value))
    expect(tuning.trials.map((t) => t.best_so_far)).toEqual(stored.map((_, i) => Math.min(...stored.slice(0, i + 1).map((t) => t.value!))))
    expect(tuning.ranges.map((r) => r.name)).toEqual(['eta', 'max_depth'])
    expect(tuning.parameter_importance.map((p) => p.param).sort()).toEqual(['eta', 'max_depth'])
    expect(tuning.counters.Completed).toBe(3)
    expect(tuning.cache_hit_rate).toBeGreaterThanOrEqual(0)
  })

  it('streams a finished tuning job’s trials and its end as server-sent events', async () => {
    const res = await ui.fetch(new Request(`http://localhost/api/jobs/${fx.tuning.job}/events`))
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/)
    const text = await res.text()
    const events = [...text.matchAll(/^event: (\w+)$/gm)].map((m) => m[1])
    expect(events).toEqual(['status', 'trial', 'trial', 'trial', 'end'])
  })

  it('streams a running tuning job live: new trials and status changes as the store records them', async () => {
    store.createJob({ id: 'live', kind: 'tuning', name: 'live', spec: { objective: { metric: 'cv:rmse', direction: 'minimize' } } })
    store.startTrial('live', 0, { eta: 0.1 })
    const res = await ui.fetch(new Request('http://localhost/api/jobs/live/events'))
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader()
    let text = ''
    const until = async (pattern: RegExp): Promise<void> => {
      while (!pattern.test(text)) {
        const { value, done } = await reader.read()
        if (done) throw new Error(`the stream ended before ${pattern}: ${text}`)
        text += value
      }
    }
    await until(/"state":"Running"/)
    // Another process (the tuning job) records the trial's end and a new trial, then completes.
    store.endTrial('live', 0, { state: 'Completed', value: 50 })
    await until(/"state":"Completed","value":50,"best_so_far":50/)
    store.startTrial('live', 1, { eta: 0.2 })
    store.endTrial('live', 1, { state: 'Completed', value: 60 })
    store.completeJob('live', { metrics: { 'cv:rmse': 50 }, timings: {}, artifact: '' })
    await until(/^event: end$/m)
    expect(text).toContain('"number":1,"state":"Completed","value":60,"best_so_far":50')
    expect([...text.matchAll(/^event: (\w+)$/gm)].map((m) => m[1])).toEqual(['status', 'trial', 'trial', 'status', 'trial', 'end'])
  })

  it('compares jobs side by side with their metrics and parameters', async () => {
    const trial = store.listTrials(fx.tuning.job)[0].trainingJob!
    const { body } = await get(`/api/compare?ids=${fx.training.job},${trial}`)
    const jobs = body.jobs as { params: Record<string, unknown> }[]
    expect(body.metric_names).toContain('cv:rmse:lin')
    expect(jobs[0].params['blend.method']).toBe('weighted')
    expect(jobs[1].params.eta).toBe(store.listTrials(fx.tuning.job)[0].params.eta)
    expect(body.param_names).toContain('xgb.num_round')
  })

  it('shows endpoints with their status summed over serving processes, and their usage over time', async () => {
    const { body } = await get('/api/endpoints')
    const [e] = body.endpoints as { name: string; status: Record<string, unknown> }[]
    expect(e.name).toBe('diabetes')
    // Server a's latest sample had the model loaded and one invocation running.
    expect(e.status).toMatchObject({ loaded: true, invocations: 5, errors: 1, throttled: 1, cold_starts: 2, in_flight: 1, p50_ms: 3, p99_ms: 9 })
    const usage = await get('/api/endpoints/diabetes/usage?since=2026-01-01T00:00:01Z')
    expect((usage.body.samples as unknown[]).length).toBe(1)
  })

  it('forwards a prediction to the host, and deletes an endpoint only with the token', async () => {
    const res = await get('/api/endpoints/diabetes/invocations', { method: 'POST', headers: { 'content-type': 'text/csv' }, body: '1,2' })
    expect(res.body).toEqual({ predictions: [1] })
    expect(invoked).toEqual(['diabetes 1,2'])
    expect((await get('/api/endpoints/diabetes', { method: 'DELETE' })).status).toBe(401)
    expect((await get('/api/endpoints/diabetes', { method: 'DELETE', headers: { authorization: 'Bearer wrong' } })).status).toBe(401)
    const readOnly = createDashboard({ store })
    expect((await readOnly.fetch(new Request('http://localhost/api/endpoints/diabetes', { method: 'DELETE' }))).status).toBe(403)
    expect((await readOnly.fetch(new Request('http://localhost/api/endpoints/diabetes/invocations', { method: 'POST', body: '1' }))).status).toBe(503)
    expect(await get('/api/endpoints/diabetes', { method: 'DELETE', headers: { authorization: 'Bearer secret' } })).toEqual({ status: 200, body: { name: 'diabetes', deleted: true } })
    expect(store.getEndpoint('diabetes')).toBeUndefined()
  })

  it('answers bad input with a JSON 4xx naming the problem', async () => {
    const cases: [string, number, string][] = [
      ['/api/jobs/nope', 404, 'not_found'],
      ['/api/jobs/nope/events', 404, 'not_found'],
      ['/api/jobs?kind=batch', 400, 'invalid_input'],
      ['/api/jobs?limit=0', 400, 'invalid_input'],
      ['/api/jobs?limit=abc', 400, 'invalid_input'],
      ['/api/compare?ids=one', 400, 'invalid_input'],
      [`/api/compare?ids=${fx.training.job},missing`, 404, 'not_found'],
      ['/api/endpoints/none', 404, 'not_found'],
      ['/api/endpoints/none/usage', 404, 'not_found'],
      ['/api/nothing', 404, 'not_found'],
    ]
    for (const [path, status, error] of cases) {
      const res = await get(path)
      expect([path, res.status, res.body.error]).toEqual([path, status, error])
      expect(typeof res.body.message).toBe('string')
    }
    store.putEndpoint({ name: 'again', model: 'x', artifact: 'x', memorySizeMb: 1, maxConcurrency: 1, idleTimeoutS: 1 })
    expect((await get('/api/endpoints/again/usage?since=yesterday')).status).toBe(400)
    expect((await get('/api/endpoints/again/usage?limit=-3')).status).toBe(400)
  })

  it('serves the pages and uPlot from the package, with a policy that keeps every request local', async () => {
    for (const path of ['/ui/', '/ui/job.html', '/ui/tuning.html', '/ui/endpoints.html', '/ui/compare.html', '/ui/dashboard.css', '/ui/vendor/uPlot.esm.js', '/ui/vendor/uPlot.min.css']) {
      const res = await ui.fetch(new Request(`http://localhost${path}`))
      expect([path, res.status]).toEqual([path, 200])
      expect(res.headers.get('content-security-policy')).toContain("default-src 'self'")
    }
    for (const path of ['/ui/..%2Fapp.ts', '/ui/app.ts', '/ui/vendor/package.json']) expect((await ui.fetch(new Request(`http://localhost${path}`))).status).toBe(404)
    expect((await ui.fetch(new Request('http://localhost/'))).headers.get('location')).toBe('/ui/')
  })
})
