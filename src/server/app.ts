/**
 * The serving app: a Hono app, so a web-standard `fetch(Request) => Response` handler that runs on
 * Node (see `startServer`) or any serverless JavaScript runtime. One model behind SageMaker's
 * container contract (`GET /ping`, `POST /invocations`), or named endpoints with serverless
 * behaviour (`/endpoints/NAME`), and the Open Inference Protocol (`/v2/...`) and `/metrics` in both.
 * Every route answers errors as `{"error": CODE, "message": TEXT}` and echoes the request id.
 */
import { Hono, type Context } from 'hono'
import { packageVersion } from '../package.js'
import { checkBearer } from './auth.js'
import { MicroBatcher, type BatchingOptions } from './batcher.js'
import { readBody } from './body.js'
import { Endpoint, type EndpointEvent } from './endpoint.js'
import { errorResponse, HttpError } from './errors.js'
import { resolveHandlers, type Handlers } from './handlers.js'
import { invoke, type InvocationDeps } from './invocation.js'
import { createLogger, type Logger } from './logger.js'
import { ServerMetrics } from './metrics.js'
import { OIP_HANDLERS, oipMetadata } from './oip.js'
import type { EndpointRegistry } from './registry.js'
import { requestId } from './request-id.js'
import { ServedModel } from './served-model.js'

/** SageMaker's real-time payload limit, our default: 6 MiB. */
export const DEFAULT_BODY_LIMIT = 6 * 1024 * 1024
/** SageMaker's invocation timeout, our default: 60 s. */
export const DEFAULT_TIMEOUT_MS = 60_000
/** The largest endpoint settings body `PUT /endpoints/NAME` reads. */
const SETTINGS_LIMIT = 64 * 1024

/** How to build the app. Give `model` (one model) or `registry` (named endpoints). */
export interface AppOptions {
  /** One model: a `model.tar.gz` path (loaded at once, `/ping` is 200 when done) or a model already loaded. */
  readonly model?: string | ServedModel
  /** The single model's name on the Open Inference Protocol routes. Default `model`. */
  readonly modelName?: string
  /** The single model's concurrency bound (429 beyond). Default: none. */
  readonly maxConcurrency?: number
  /** Named endpoints (`consort serve --endpoints`). */
  readonly registry?: EndpointRegistry
  /** Custom input, predict and output steps (SageMaker's input_fn, predict_fn, output_fn). */
  readonly handlers?: Partial<Handlers>
  /** Largest invocation body in bytes (413 beyond). Default 6 MiB. */
  readonly bodyLimitBytes?: number
  /** Invocation timeout in ms (504 beyond). Default 60 000. */
  readonly timeoutMs?: number
  /** Bearer token the management routes (PUT and DELETE /endpoints/NAME) require. */
  readonly token?: string
  /** Whether this app serves the management routes; false answers them 403. Default true. */
  readonly management?: boolean
  /** Micro-batching of concurrent small invocations; off by default. */
  readonly batching?: BatchingOptions
  readonly logger?: Logger
  readonly metrics?: ServerMetrics
  /** More routes served beside these on every address (the dashboard's `/ui/` and `/api/`). */
  readonly extraRoutes?: Hono
}

/** The built app and what a host needs around it. */
export interface ServingApp {
  /** The Hono app with every route. */
  readonly hono: Hono
  /** The app as a fetch handler: every route. */
  readonly fetch: (request: Request) => Response | Promise<Response>
  /** The same app without the management routes (403), for a listener other hosts can reach. */
  readonly publicFetch: (request: Request) => Response | Promise<Response>
  readonly metrics: ServerMetrics
  readonly logger: Logger
  /** The single model's endpoint, in single-model mode. */
  readonly endpoint?: Endpoint
  readonly registry?: EndpointRegistry
  /** Resolves when the single model is loaded (at once for named endpoints); rejects if it cannot load. */
  ready(): Promise<void>
  /** Marks the app as shutting down: `/ping` and the readiness routes answer 503. */
  drain(): void
  /** Unloads every model. */
  close(): void
}

/**
 * Builds the serving app.
 * @example
 * const app = createApp({ model: 'model.tar.gz' })
 * await app.ready()
 * const res = await app.fetch(new Request('http://localhost/invocations', { method: 'POST', headers: { 'content-type': 'text/csv' }, body: '0.03,1,...' }))
 */
export function createApp(options: AppOptions): ServingApp {
  if ((options.model === undefined) === (options.registry === undefined)) throw new TypeError('createApp needs a model or a registry of endpoints, not both')
  const logger = options.logger ?? createLogger()
  const metrics = options.metrics ?? new ServerMetrics()
  const onEvent = (e: EndpointEvent): void => {
    if (e.type === 'cold_start') metrics.coldStart(e.endpoint, e.ms / 1000)
    if (e.type === 'load_failed') logger.error(e, 'model load failed')
    else logger.info(e, e.type.replace('_', ' '))
  }
  const modelName = options.modelName ?? 'model'
  let endpoint: Endpoint | undefined
  let loaded: Promise<void> = Promise.resolve()
  if (options.model !== undefined) {
    const model = options.model
    endpoint = new Endpoint(
      modelName,
      { load: () => (typeof model === 'string' ? ServedModel.load(model) : Promise.resolve(model)), maxConcurrency: options.maxConcurrency ?? Infinity, idleTimeoutS: Infinity },
      onEvent,
    )
    loaded = endpoint.ready().then(() => undefined)
    loaded.catch(() => undefined)
  }
  const registry = options.registry
  metrics.observeEndpoints(() => {
    if (endpoint !== undefined) return [{ name: endpoint.name, loaded: endpoint.current !== null, inFlight: endpoint.running }]
    return registry!.list().map((v) => ({ name: v.name, loaded: v.status.loaded, inFlight: v.status.inFlight }))
  })
  const deps: InvocationDeps = {
    handlers: resolveHandlers(options.handlers),
    bodyLimitBytes: options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    metrics,
    logger,
    batcher: options.batching === undefined ? undefined : new MicroBatcher(options.batching),
  }
  const oipDeps: InvocationDeps = { ...deps, handlers: OIP_HANDLERS as unknown as Handlers, batcher: undefined }
  const state = { draining: false }
  const context: RouteContext = { endpoint, registry, deps, oipDeps, state, modelName, token: options.token, logger, metrics, extra: options.extraRoutes }
  const full = routes(context, options.management !== false)
  const restricted = options.management === false ? full : routes(context, false)
  return {
    hono: full,
    fetch: (request) => full.fetch(request),
    publicFetch: (request) => restricted.fetch(request),
    metrics,
    logger,
    endpoint,
    registry,
    ready: () => loaded,
    drain: () => {
      state.draining = true
    },
    close: () => {
      endpoint?.unload()
      registry?.closeAll()
    },
  }
}

interface RouteContext {
  readonly endpoint: Endpoint | undefined
  readonly registry: EndpointRegistry | undefined
  readonly deps: InvocationDeps
  readonly oipDeps: InvocationDeps
  readonly state: { draining: boolean }
  readonly modelName: string
  readonly token: string | undefined
  readonly logger: Logger
  readonly metrics: ServerMetrics
  readonly extra: Hono | undefined
}

function routes(r: RouteContext, management: boolean): Hono {
  const app = new Hono()
  const single = r.endpoint
  const registry = r.registry

  /** The endpoint `name` names on the OIP routes. */
  const oipEndpoint = (name: string): Endpoint => {
    const e = single !== undefined ? (name === r.modelName ? single : undefined) : registry!.get(name)
    if (e === undefined) throw new HttpError('not_found', `no model '${name}'${single !== undefined ? ` (this server's model is '${r.modelName}')` : ''}`)
    return e
  }
  const serverReady = (): boolean => !r.state.draining && (single === undefined || single.current !== null)

  app.get('/ping', (c) => (serverReady() ? c.body(null, 200) : c.body(null, 503)))
  app.get('/metrics', async (c) => c.body(await r.metrics.text(), 200, { 'content-type': r.metrics.contentType }))

  app.post('/invocations', (c) => {
    const id = requestId(c.req.raw)
    if (single === undefined) return errorResponse(new HttpError('not_found', 'this server hosts named endpoints: POST /endpoints/NAME/invocations'), { 'x-request-id': id })
    return invoke(single, c.req.raw, membersAsked(c), id, r.deps)
  })

  // Open Inference Protocol (KServe V2).
  app.get('/v2', (c) => c.json({ name: 'consort', version: packageVersion(), extensions: [] }))
  app.get('/v2/health/live', (c) => c.json({ live: true }))
  app.get('/v2/health/ready', (c) => c.json({ ready: serverReady() }, serverReady() ? 200 : 503))
  const metadata = (c: Context) =>
    answer(c, async () => {
      const e = oipEndpoint(c.req.param('name')!)
      return c.json(oipMetadata(e.name, await e.ready()))
    })
  const modelReady = (c: Context) =>
    answer(c, async () => {
      const e = oipEndpoint(c.req.param('name')!)
      // A named endpoint loads on demand, so it is ready whenever it exists.
      const ready = !r.state.draining && (single === undefined || e.current !== null)
      return c.json({ name: e.name, ready }, ready ? 200 : 503)
    })
  const infer = (c: Context) => {
    const id = requestId(c.req.raw)
    let e: Endpoint
    try {
      e = oipEndpoint(c.req.param('name')!)
    } catch (err) {
      return errorResponse(err, { 'x-request-id': id })
    }
    return invoke(e, c.req.raw, false, id, r.oipDeps)
  }
  app.get('/v2/models/:name', metadata)
  app.get('/v2/models/:name/versions/:version', metadata)
  app.get('/v2/models/:name/ready', modelReady)
  app.get('/v2/models/:name/versions/:version/ready', modelReady)
  app.post('/v2/models/:name/infer', infer)
  app.post('/v2/models/:name/versions/:version/infer', infer)

  if (registry !== undefined) {
    app.get('/endpoints', (c) => answer(c, async () => c.json({ endpoints: registry.list() })))
    app.get('/endpoints/:name', (c) => answer(c, async () => c.json(registry.describe(c.req.param('name')))))
    app.post('/endpoints/:name/invocations', (c) => {
      const id = requestId(c.req.raw)
      const e = registry.get(c.req.param('name'))
      if (e === undefined) return errorResponse(new HttpError('not_found', `no endpoint '${c.req.param('name')}'`), { 'x-request-id': id })
      return invoke(e, c.req.raw, membersAsked(c), id, r.deps)
    })
    const manage = (c: Context, fn: () => Promise<Response>) =>
      answer(c, async () => {
        if (!management) throw new HttpError('forbidden', 'endpoints are managed on the server’s local management address (127.0.0.1 by default)')
        checkBearer(c.req.raw, r.token)
        return fn()
      })
    app.put('/endpoints/:name', (c) =>
      manage(c, async () => {
        const bytes = await readBody(c.req.raw, SETTINGS_LIMIT)
        let body: unknown
        try {
          body = JSON.parse(new TextDecoder().decode(bytes))
        } catch (err) {
          throw new HttpError('invalid_input', `the endpoint settings are not JSON: ${(err as Error).message}`)
        }
        const { created, view } = await registry.put(c.req.param('name')!, body)
        r.logger.info({ endpoint: view.name, model: view.model, artifact: view.artifact, created }, created ? 'endpoint created' : 'endpoint updated')
        return c.json(view, created ? 201 : 200)
      }),
    )
    app.delete('/endpoints/:name', (c) =>
      manage(c, async () => {
        await registry.delete(c.req.param('name')!)
        r.logger.info({ endpoint: c.req.param('name') }, 'endpoint deleted')
        return c.json({ name: c.req.param('name'), deleted: true })
      }),
    )
  }

  if (r.extra !== undefined) app.route('/', r.extra)
  app.notFound((c) => errorResponse(new HttpError('not_found', `no route ${c.req.method} ${new URL(c.req.url).pathname}`), { 'x-request-id': requestId(c.req.raw) }))
  app.onError((err, c) => {
    const id = requestId(c.req.raw)
    r.logger.error({ requestId: id, err }, 'request failed')
    return errorResponse(err, { 'x-request-id': id })
  })
  return app
}

/** Runs a route, answering its errors as JSON; the request id is echoed either way. */
async function answer(c: Context, fn: () => Promise<Response>): Promise<Response> {
  const id = requestId(c.req.raw)
  let res: Response
  try {
    res = await fn()
  } catch (err) {
    return errorResponse(err, { 'x-request-id': id })
  }
  res.headers.set('x-request-id', id)
  return res
}

function membersAsked(c: Context): boolean {
  const v = c.req.query('members')
  return v === 'true' || v === '1'
}
