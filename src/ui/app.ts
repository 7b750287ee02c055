/**
 * The dashboard: a Hono app (a web-standard `fetch` handler) that serves the pages under `/ui/`
 * and the JSON they read under `/api/`, from the tracking store alone, so it shows the same
 * whether `consort serve` or `consort ui` runs it, and after a restart. Read-only by default;
 * the actions (deleting an endpoint) need a management token configured and sent as a bearer
 * token. Predictions from the endpoint page go through the host's serving app.
 */
import { Hono } from 'hono'
import { packageVersion } from '../package.js'
import { checkBearer } from '../server/auth.js'
import type { TrackingStore } from '../store/tracking/store.js'
import { assetResponse, vendorResponse } from './assets.js'
import { compareJobs } from './api/compare.js'
import { endpointView, listEndpointViews, usageView } from './api/endpoints.js'
import { answer, HttpError, positiveInt } from './api/errors.js'
import { jobEvents } from './api/events.js'
import { jobDetail } from './api/job-detail.js'
import { jobSummary } from './api/job-summary.js'

/** How the dashboard reaches what is not in the store. */
export interface DashboardOptions {
  /** The tracking store it reads (the caller opens and closes it). */
  readonly store: TrackingStore
  /** Answers an invocation of endpoint `name` with its members' predictions; absent: the form is off (503). */
  readonly invoke?: (name: string, request: Request) => Promise<Response>
  /** Deletes endpoint `name` (unloading it where it is served); the store's record by default. */
  readonly deleteEndpoint?: (name: string) => Promise<void>
  /** The management token the actions need; without one, actions are refused (403). */
  readonly token?: string
  /** How often the live events poll the store, in ms. Default 1000. */
  readonly pollMs?: number
}

/** The built dashboard. */
export interface Dashboard {
  readonly hono: Hono
  readonly fetch: (request: Request) => Response | Promise<Response>
}

const KINDS = new Set(['training', 'tuning'])

/**
 * Builds the dashboard over `options.store`.
 * @example
 * const ui = createDashboard({ store: TrackingStore.open() })
 * const res = await ui.fetch(new Request('http://localhost/api/jobs'))
 */
export function createDashboard(options: DashboardOptions): Dashboard {
  const { store } = options
  const app = new Hono()
  const pollMs = options.pollMs ?? 1000
  const job = (id: string) => {
    const j = store.getJob(id)
    if (j === undefined) throw new HttpError('not_found', `no job '${id}'`)
    return j
  }
  const endpoint = (name: string) => {
    const e = store.getEndpoint(name)
    if (e === undefined) throw new HttpError('not_found', `no endpoint '${name}'`)
    return e
  }

  app.get('/', (c) => c.redirect('/ui/'))
  app.get('/ui', (c) => c.redirect('/ui/'))
  app.get('/ui/', () => assetResponse('index.html')!)
  app.get('/ui/vendor/:file', (c) => vendorResponse(c.req.param('file')) ?? notFound(c.req.path))
  app.get('/ui/:file', (c) => assetResponse(c.req.param('file')) ?? notFound(c.req.path))

  app.get('/api/info', (c) => c.json({ version: packageVersion(), actions: (options.token ?? '') !== '', predictions: options.invoke !== undefined }))
  app.get('/api/jobs', (c) =>
    answer(() => {
      const kind = c.req.query('kind')
      if (kind !== undefined && !KINDS.has(kind)) throw new HttpError('invalid_input', `query parameter 'kind' must be training or tuning, got '${kind}'`)
      const limit = positiveInt(c.req.query('limit'), 'limit', 200, 1000)
      const parent = c.req.query('parent')
      // Trials' training jobs are listed under their tuning job, not among the user's own jobs.
      const jobs = store
        .listJobs(parent === undefined ? 100_000 : limit, parent)
        .filter((j) => (kind === undefined || j.kind === kind) && (parent !== undefined || j.parentId === null || c.req.query('trials') === 'true'))
        .slice(0, limit)
      return c.json({ jobs: jobs.map(jobSummary) })
    }),
  )
  app.get('/api/jobs/:id', (c) => answer(async () => c.json(await jobDetail(store, job(c.req.param('id'))))))
  app.get('/api/jobs/:id/events', (c) => answer(() => jobEvents(c, store, c.req.param('id'), pollMs)))
  app.get('/api/compare', (c) => answer(() => c.json(compareJobs(store, (c.req.query('ids') ?? '').split(',')))))

  app.get('/api/endpoints', (c) => answer(() => c.json({ endpoints: listEndpointViews(store) })))
  app.get('/api/endpoints/:name', (c) => answer(() => c.json(endpointView(endpoint(c.req.param('name')), store.listEndpointUsage(c.req.param('name'))))))
  app.get('/api/endpoints/:name/usage', (c) =>
    answer(() => {
      const name = endpoint(c.req.param('name')).name
      const since = c.req.query('since') ?? ''
      if (since !== '' && Number.isNaN(Date.parse(since))) throw new HttpError('invalid_input', `query parameter 'since' must be an ISO time, got '${since}'`)
      const limit = positiveInt(c.req.query('limit'), 'limit', 2000, 20_000)
      return c.json({ endpoint: name, samples: store.listEndpointUsage(name, since === '' ? '' : new Date(since).toISOString(), limit).map(usageView) })
    }),
  )
  app.post('/api/endpoints/:name/invocations', (c) =>
    answer(async () => {
      const name = endpoint(c.req.param('name')).name
      if (options.invoke === undefined) throw new HttpError('unavailable', 'this dashboard serves no endpoints: run it from consort ui or consort serve --endpoints')
      return options.invoke(name, c.req.raw)
    }),
  )
  app.delete('/api/endpoints/:name', (c) =>
    answer(async () => {
      if ((options.token ?? '') === '') throw new HttpError('forbidden', 'the dashboard is read-only: start it with --token (or $CONSORT_TOKEN) to allow actions')
      checkBearer(c.req.raw, options.token)
      const name = endpoint(c.req.param('name')).name
      if (options.deleteEndpoint !== undefined) await options.deleteEndpoint(name)
      else store.deleteEndpoint(name)
      return c.json({ name, deleted: true })
    }),
  )
  app.all('/api/*', (c) => notFound(`${c.req.method} ${c.req.path}`))
  return { hono: app, fetch: (request) => app.fetch(request) }
}

function notFound(what: string): Response {
  return new Response(JSON.stringify({ error: 'not_found', message: `no route ${what}` }), { status: 404, headers: { 'content-type': 'application/json' } })
}
