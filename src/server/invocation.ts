/**
 * One invocation, from request to response: take a slot of the endpoint (429 at once when none is
 * free), read the body within the limit (413), wait for the model (a cold start when the endpoint
 * is cold), then the input, predict and output handlers, all within the invocation timeout (504).
 * Every answer, error or not, is counted in the endpoint's status and the server's metrics, and
 * carries the request id.
 */
import type { Frame } from '../data/frame.js'
import type { MicroBatcher } from './batcher.js'
import { readBody } from './body.js'
import type { Endpoint } from './endpoint.js'
import { describeError, HttpError } from './errors.js'
import { defaultInput, defaultOutput, defaultPredict, type Handlers, type InvocationContext } from './handlers.js'
import type { Logger } from './logger.js'
import { acceptFormat } from './media-type.js'
import type { ServerMetrics } from './metrics.js'
import type { Encoded } from './output.js'

/** What every invocation of a server shares. */
export interface InvocationDeps {
  readonly handlers: Handlers
  readonly bodyLimitBytes: number
  readonly timeoutMs: number
  readonly metrics: ServerMetrics
  readonly logger: Logger
  readonly batcher?: MicroBatcher
}

/**
 * Answers one invocation of `endpoint` (see the file comment).
 * @example
 * app.post('/invocations', (c) => invoke(endpoint, c.req.raw, c.req.query('members') === 'true', requestId(c.req.raw), deps))
 */
export async function invoke(endpoint: Endpoint, request: Request, members: boolean, requestId: string, deps: InvocationDeps): Promise<Response> {
  const t0 = performance.now()
  const ctx: InvocationContext = {
    contentType: request.headers.get('content-type') ?? '',
    accept: request.headers.get('accept') ?? '',
    members,
    requestId,
    endpoint: endpoint.name,
  }
  let response: Response
  try {
    endpoint.acquire()
  } catch (err) {
    return fail(err)
  }
  const work = run(endpoint, request, ctx, deps)
  void work.then(
    () => endpoint.release(),
    () => endpoint.release(),
  )
  try {
    const result = await withTimeout(work, deps.timeoutMs, endpoint.name)
    response =
      result instanceof Response
        ? result
        : new Response(result.body, { status: 200, headers: { 'content-type': result.contentType, 'x-request-id': requestId } })
    if (result instanceof Response && !response.headers.has('x-request-id')) response.headers.set('x-request-id', requestId)
  } catch (err) {
    return fail(err)
  }
  const ms = performance.now() - t0
  endpoint.record(true, ms)
  deps.metrics.invoked(endpoint.name, ms / 1000)
  if (deps.logger.isLevelEnabled('debug')) deps.logger.debug({ requestId, endpoint: endpoint.name, status: response.status, ms }, 'invocation')
  return response

  function fail(err: unknown): Response {
    const ms = performance.now() - t0
    const { status, body, headers } = describeError(err)
    const errorCode = String(body.error)
    endpoint.record(false, ms)
    deps.metrics.invoked(endpoint.name, ms / 1000, errorCode)
    const line = { requestId, endpoint: endpoint.name, status, error: errorCode, message: body.message, ms }
    if (status >= 500 && status !== 503 && status !== 504) deps.logger.error({ ...line, stack: err instanceof Error ? err.stack : undefined }, 'invocation failed')
    else deps.logger.info(line, 'invocation refused')
    return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', 'x-request-id': requestId, ...headers } })
  }
}

async function run(endpoint: Endpoint, request: Request, ctx: InvocationContext, deps: InvocationDeps): Promise<Encoded | Response> {
  const { handlers } = deps
  // With the default output, an answer that cannot be written is refused before any work.
  if (handlers.output === defaultOutput) acceptFormat(ctx.accept)
  const body = await readBody(request, deps.bodyLimitBytes)
  const model = await endpoint.ready()
  const input = handlers.input === defaultInput ? defaultInput(body, ctx, model) : await handlers.input(body, ctx, model)
  let prediction: unknown
  if (deps.batcher !== undefined && handlers.predict === defaultPredict && !ctx.members && handlers.input === defaultInput) {
    const frame = input as Frame
    prediction = { values: await deps.batcher.predict(model, frame), rows: frame.nRows }
  } else {
    prediction = handlers.predict === defaultPredict ? defaultPredict(input, model, ctx) : await handlers.predict(input, model, ctx)
  }
  return handlers.output === defaultOutput ? defaultOutput(prediction, ctx, model) : await handlers.output(prediction, ctx, model)
}

function withTimeout<T>(work: Promise<T>, ms: number, endpoint: string): Promise<T> {
  if (!Number.isFinite(ms)) return work
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new HttpError('timeout', `the invocation of '${endpoint}' took longer than ${ms} ms`)), ms)
  })
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer))
}
