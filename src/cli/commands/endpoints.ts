/**
 * `consort endpoints create|update|list|describe|delete`: the named endpoints of `consort serve
 * --endpoints`. By default the command changes the tracking store of the working directory
 * directly (the model is resolved, loaded, verified and checked against `--memory-size-mb` first),
 * and a server started afterwards serves the change. With `--url` it talks to a running server
 * instead, which applies the change at once (an update is then a blue/green swap under traffic);
 * `--token` (or `$CONSORT_TOKEN`) is its bearer token.
 */
import { type Command, InvalidArgumentError } from 'commander'
import { ParamError } from '../../errors.js'
import { DEFAULT_BODY_LIMIT } from '../../server/app.js'
import { HttpError } from '../../server/errors.js'
import { resolveModelRef } from '../../server/model-ref.js'
import { EndpointRegistry, type EndpointView } from '../../server/registry.js'
import { TrackingStore } from '../../store/tracking/store.js'
import { type CliIo, printJson, type RegisterCommand } from '../context.js'
import { parsePositiveInteger } from '../options.js'
import { alignedTable } from '../table.js'

interface Remote {
  readonly url?: string
  readonly token?: string
  readonly json?: boolean
}

interface SettingsOptions extends Remote {
  readonly model?: string
  readonly memorySizeMb?: number
  readonly maxConcurrency?: number
  readonly idleTimeoutS?: number
}

/**
 * Registers `consort endpoints`.
 * @example
 * registerEndpoints(new Command('consort'), processIo())
 */
export const registerEndpoints: RegisterCommand = (program: Command, io: CliIo): Command => {
  const endpoints = program.command('endpoints').description('create, update, list, describe and delete the named endpoints of consort serve --endpoints')
  const remote = (c: Command) =>
    c
      .option('--url <url>', 'a running consort serve --endpoints (its management address) instead of the tracking store')
      .option('--token <token>', "with --url: the server's bearer token (default $CONSORT_TOKEN)")
      .option('--json', 'print one JSON object on the last line of stdout')
  const settings = (c: Command) =>
    remote(
      c
        .option('--memory-size-mb <mb>', 'memory: 1024 to 6144 in steps of 1024 (default 2048)', parsePositiveInteger)
        .option('--max-concurrency <n>', 'invocations at once, 1 to 200 (default 5)', parsePositiveInteger)
        .option('--idle-timeout-s <s>', 'seconds without traffic before the model unloads (default 300)', parseSeconds),
    )
  settings(
    endpoints
      .command('create')
      .argument('<name>', 'endpoint name')
      .requiredOption('--model <model>', 'a model.tar.gz, or a training or tuning job id (a tuning job deploys its best model)')
      .description('create an endpoint'),
  ).action(async (name: string, options: SettingsOptions) => show(io, options, await put(io, name, options, 'create')))
  settings(
    endpoints
      .command('update')
      .argument('<name>', 'endpoint name')
      .option('--model <model>', 'a new model: a model.tar.gz or a job id')
      .description('change an endpoint: blue/green, the old model serves until the new one is loaded and checked'),
  ).action(async (name: string, options: SettingsOptions) => show(io, options, await put(io, name, options, 'update')))
  remote(endpoints.command('list', { isDefault: true }).description('every endpoint with its settings and status')).action(async (options: Remote) => {
    const list = options.url !== undefined ? ((await call(io, options, 'GET', '/endpoints')) as { endpoints: EndpointView[] }).endpoints : local((r) => r.list())
    if (options.json) return printJson(io, { endpoints: list })
    io.stdout(
      alignedTable(
        ['name', 'model', 'memory_mb', 'concurrency', 'idle_s', 'loaded', 'invocations'],
        list.map((e) => [e.name, e.model, String(e.memory_size_mb), String(e.max_concurrency), String(e.idle_timeout_s), e.status.loaded ? 'yes' : 'no', String(e.status.invocations)]),
      ),
    )
  })
  remote(endpoints.command('describe').argument('<name>', 'endpoint name').description("one endpoint's settings, memory estimate and status")).action(
    async (name: string, options: Remote) => {
      const view = options.url !== undefined ? ((await call(io, options, 'GET', `/endpoints/${encodeURIComponent(name)}`)) as EndpointView) : local((r) => r.describe(name))
      show(io, options, view)
    },
  )
  remote(endpoints.command('delete').argument('<name>', 'endpoint name').description('delete an endpoint')).action(async (name: string, options: Remote) => {
    if (options.url !== undefined) await call(io, options, 'DELETE', `/endpoints/${encodeURIComponent(name)}`)
    else await localAsync((r) => r.delete(name))
    if (options.json) printJson(io, { name, deleted: true })
    else io.stdout(`deleted endpoint ${name}\n`)
  })
  return endpoints
}

async function put(io: CliIo, name: string, options: SettingsOptions, verb: 'create' | 'update'): Promise<EndpointView> {
  const body: Record<string, unknown> = {}
  if (options.model !== undefined) body.model = options.model
  if (options.memorySizeMb !== undefined) body.memory_size_mb = options.memorySizeMb
  if (options.maxConcurrency !== undefined) body.max_concurrency = options.maxConcurrency
  if (options.idleTimeoutS !== undefined) body.idle_timeout_s = options.idleTimeoutS
  const path = `/endpoints/${encodeURIComponent(name)}`
  if (options.url !== undefined) {
    const exists = (await call(io, options, 'GET', path, undefined, true)) !== null
    checkExistence(name, exists, verb)
    return (await call(io, options, 'PUT', path, body)) as EndpointView
  }
  return localAsync(async (r) => {
    checkExistence(name, r.get(name) !== undefined, verb)
    return (await r.put(name, body)).view
  })
}

function checkExistence(name: string, exists: boolean, verb: 'create' | 'update'): void {
  if (verb === 'create' && exists) throw new ParamError(`endpoint '${name}' exists already: use consort endpoints update`, { field: 'name' })
  if (verb === 'update' && !exists) throw new ParamError(`no endpoint '${name}': use consort endpoints create`, { field: 'name' })
}

function show(io: CliIo, options: Remote, view: EndpointView): void {
  if (options.json) return printJson(io, view)
  const s = view.status
  const lines: [string, string][] = [
    ['name', view.name],
    ['model', view.model],
    ['artifact', view.artifact],
    ['memory_size_mb', `${view.memory_size_mb}${view.memory_estimate_mb !== null ? ` (estimate ${view.memory_estimate_mb})` : ''}`],
    ['max_concurrency', String(view.max_concurrency)],
    ['idle_timeout_s', String(view.idle_timeout_s)],
    ['loaded', s.loaded ? 'yes' : 'no'],
    ['invocations', `${s.invocations} (${s.errors} errors, ${s.throttled} throttled)`],
    ['cold starts', `${s.coldStarts}${s.lastColdStartMs !== null ? ` (last ${s.lastColdStartMs} ms)` : ''}`],
    ['latency', s.p50Ms === null ? '-' : `p50 ${s.p50Ms} ms, p99 ${s.p99Ms} ms`],
    ['updated', view.updated_at],
  ]
  io.stdout(lines.map(([k, v]) => `${k.padEnd(16)} ${v}\n`).join(''))
}

/** Runs `fn` on a registry over the working directory's tracking store. */
function local<T>(fn: (r: EndpointRegistry) => T): T {
  const store = TrackingStore.open()
  try {
    return fn(new EndpointRegistry(store, { resolve: (ref) => resolveModelRef(ref, store), bodyLimitBytes: DEFAULT_BODY_LIMIT }))
  } catch (err) {
    throw asCliError(err)
  } finally {
    store.close()
  }
}

async function localAsync<T>(fn: (r: EndpointRegistry) => Promise<T>): Promise<T> {
  const store = TrackingStore.open()
  try {
    return await fn(new EndpointRegistry(store, { resolve: (ref) => resolveModelRef(ref, store), bodyLimitBytes: DEFAULT_BODY_LIMIT }))
  } catch (err) {
    throw asCliError(err)
  } finally {
    store.close()
  }
}

/** The server's refusals (not found, a model that does not fit or load) are bad input: exit 2. */
function asCliError(err: unknown): unknown {
  return err instanceof HttpError && err.status < 500 ? new ParamError(err.message) : err
}

/**
 * One request to a running server; a 4xx answer is a ParamError (exit 2), anything else failing an
 * Error (exit 1). With `missingOk`, a 404 gives null.
 */
async function call(io: CliIo, options: Remote, method: string, path: string, body?: unknown, missingOk = false): Promise<unknown> {
  const token = options.token ?? io.env.CONSORT_TOKEN
  const headers: Record<string, string> = { accept: 'application/json' }
  if (body !== undefined) headers['content-type'] = 'application/json'
  if (token) headers.authorization = `Bearer ${token}`
  let res: Response
  try {
    res = await fetch(new URL(path, options.url), { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
  } catch (err) {
    throw new Error(`cannot reach ${options.url}: ${(err as Error).cause instanceof Error ? ((err as Error).cause as Error).message : (err as Error).message}`)
  }
  const text = await res.text()
  if (res.status === 404 && missingOk) return null
  let parsed: unknown = null
  try {
    parsed = text === '' ? null : JSON.parse(text)
  } catch {
    parsed = { message: text }
  }
  if (!res.ok) {
    const message = (parsed as { message?: string } | null)?.message ?? `HTTP ${res.status}`
    if (res.status < 500) throw new ParamError(`${options.url}: ${message}`)
    throw new Error(`${options.url}: ${message}`)
  }
  return parsed
}

function parseSeconds(text: string): number {
  const n = Number(text)
  if (!(n > 0)) throw new InvalidArgumentError('expected a positive number of seconds')
  return n
}
