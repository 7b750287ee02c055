/**
 * `consort serve`: the model server. `--model MODEL` serves one model behind SageMaker's container
 * contract (a `model.tar.gz` path, or a training or tuning job id); `--endpoints` hosts the named
 * endpoints of the tracking store with serverless behaviour, records their usage in the store and
 * serves the web dashboard at `/ui/` beside them (`--no-ui` turns it off). With neither, it serves
 * `$SM_MODEL_DIR/model.tar.gz` (`/opt/ml/model` by default), so a container whose entry point is
 * `consort` runs as SageMaker starts it (`docker run IMAGE serve`). The port defaults to
 * `SAGEMAKER_BIND_TO_PORT`, else 8080. The model is loaded before the server listens, so a bad
 * model exits 2 at once; SIGTERM drains requests in flight, then exits 0. `--workers N` serves
 * from N processes on one port (server/cluster.ts), as SageMaker's model servers do.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { type Command, InvalidArgumentError, Option } from 'commander'
import { ParamError } from '../../errors.js'
import { createApp, DEFAULT_BODY_LIMIT, DEFAULT_TIMEOUT_MS, type ServingApp } from '../../server/app.js'
import { announceListening, isServingWorker, leaveCluster, type ListeningInfo, shareMetrics, superviseWorkers } from '../../server/cluster.js'
import { HttpError } from '../../server/errors.js'
import { createLogger, type LogLevel } from '../../server/logger.js'
import { resolveModelRef } from '../../server/model-ref.js'
import { defaultPort, startServer } from '../../server/node.js'
import { type CliIo, printJson, type RegisterCommand } from '../context.js'
import { parseInteger, parsePositiveInteger } from '../options.js'

interface ServeCliOptions {
  readonly model?: string
  readonly endpoints?: boolean
  readonly port?: number
  readonly host: string
  readonly managementPort?: number
  readonly token?: string
  readonly bodyLimit: number
  readonly timeout: number
  readonly maxConcurrency?: number
  readonly batchRows?: number
  readonly batchWaitUs: number
  readonly logLevel: LogLevel
  readonly json?: boolean
  readonly workers?: number
  /** False with --no-ui: no dashboard beside the endpoints. */
  readonly ui: boolean
}

/**
 * Registers `consort serve`.
 * @example
 * registerServe(new Command('consort'), processIo())
 */
export const registerServe: RegisterCommand = (program: Command, io: CliIo): Command =>
  program
    .command('serve')
    .description('serve one model (SageMaker container contract, Open Inference Protocol) or the named endpoints of the tracking store')
    .option('--model <model>', 'a model.tar.gz, or a training or tuning job id (default: $SM_MODEL_DIR/model.tar.gz)')
    .option('--endpoints', 'host the named endpoints of the tracking store (load on demand, scale to zero, bounded concurrency)')
    .option('--port <n>', 'port (0: a free one; default $SAGEMAKER_BIND_TO_PORT, else 8080)', parsePort)
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--management-port <n>', 'port of the management routes on 127.0.0.1 when --host is not local (default: port + 1)', parsePort)
    .option('--token <token>', 'bearer token the management routes require (default $CONSORT_TOKEN)')
    .option('--body-limit <bytes>', 'largest request body (413 beyond)', parsePositiveInteger, DEFAULT_BODY_LIMIT)
    .option('--timeout <seconds>', 'invocation timeout (504 beyond)', parsePositiveInteger, DEFAULT_TIMEOUT_MS / 1000)
    .option('--max-concurrency <n>', 'with --model: invocations at once (429 beyond; default unbounded)', parsePositiveInteger)
    .option('--batch-rows <n>', 'micro-batch concurrent invocations up to this many rows (off by default)', parsePositiveInteger)
    .option('--batch-wait-us <us>', 'with --batch-rows: how long a batch waits for more, in microseconds', parseInteger, 500)
    .addOption(new Option('--log-level <level>', 'JSON log lines on stderr from this level').choices(['debug', 'info', 'warn', 'error', 'silent']).default('info'))
    .option('--workers <n>', 'with --model: serving processes on the same port (default $SAGEMAKER_MODEL_SERVER_WORKERS, else 1)', parsePositiveInteger)
    .option('--no-ui', 'with --endpoints: no web dashboard at /ui/ (and its JSON at /api/)')
    .option('--json', 'print {url, management_url, model, load_ms, workers, dashboard} as one JSON line on stdout once listening')
    .action(async (options: ServeCliOptions) => runServe(options, io))

async function runServe(options: ServeCliOptions, io: CliIo): Promise<void> {
  if (options.model !== undefined && options.endpoints) throw new ParamError('give --model or --endpoints, not both', { field: 'model' })
  const workers = options.workers ?? envWorkers(io.env)
  if (workers > 1 && !isServingWorker()) return superviseServing(workers, options, io)
  try {
    await serveHere(options, io)
  } finally {
    // A worker's channel to its primary would keep it alive after it stops or fails.
    leaveCluster()
  }
}

/** Serves from this process until SIGTERM. */
async function serveHere(options: ServeCliOptions, io: CliIo): Promise<void> {
  const logger = createLogger(options.logLevel)
  const token = options.token ?? io.env.CONSORT_TOKEN
  const common = {
    logger,
    token,
    bodyLimitBytes: options.bodyLimit,
    timeoutMs: options.timeout * 1000,
    batching: options.batchRows === undefined ? undefined : { maxBatchRows: options.batchRows, maxWaitUs: options.batchWaitUs },
  }
  let store: { close(): void } | null = null
  let model: string | undefined
  let app: ServingApp
  const t0 = performance.now()
  if (options.endpoints) {
    // Loaded only here: a single-model server starts faster without SQLite.
    const [{ TrackingStore }, { EndpointRegistry }, { UsageSampler }, { createDashboard }, { forwardInvocations }] = await Promise.all([
      import('../../store/tracking/store.js'),
      import('../../server/registry.js'),
      import('../../server/usage-sampler.js'),
      import('../../ui/app.js'),
      import('../../ui/forward.js'),
    ])
    const s = TrackingStore.open()
    const registry = new EndpointRegistry(s, { resolve: (ref) => resolveModelRef(ref, s), bodyLimitBytes: options.bodyLimit })
    // The endpoints' counters go to the store every few seconds, for the dashboard's charts.
    const sampler = new UsageSampler(s, () => registry.list())
    sampler.start()
    store = {
      close: () => {
        sampler.stop()
        s.close()
      },
    }
    // The dashboard beside the endpoints: its prediction form invokes them through this same app.
    let serving: ServingApp | undefined
    const dashboard = options.ui
      ? createDashboard({ store: s, token, invoke: forwardInvocations((r) => serving!.fetch(r)), deleteEndpoint: (name) => registry.delete(name) })
      : undefined
    app = serving = createApp({ ...common, registry, extraRoutes: dashboard?.hono })
  } else {
    model = options.model ?? defaultModel(io.env)
    const file = await resolveModel(model)
    app = createApp({ ...common, model: file, maxConcurrency: options.maxConcurrency })
    try {
      await app.ready()
    } catch (err) {
      // A model that cannot be served is bad input (exit 2), whatever layer refused it.
      if (err instanceof HttpError && err.status < 500) throw new ParamError(err.message, { field: 'model' })
      throw err
    }
  }
  const loadMs = Math.round(performance.now() - t0)
  let stopped!: () => void
  const done = new Promise<void>((resolve) => (stopped = resolve))
  const server = await startServer(app, {
    port: options.port ?? defaultPort(io.env),
    host: options.host,
    managementPort: options.managementPort,
    requestTimeoutMs: options.timeout * 1000 + 5000,
    handleSignals: true,
    onShutdown: () => stopped(),
  })
  if (isServingWorker()) {
    app.metrics.gatherWith(shareMetrics(() => app.metrics.json()))
    announceListening({ url: server.url, managementUrl: server.managementUrl, loadMs })
  } else printListening(io, options, { url: server.url, managementUrl: server.managementUrl, loadMs }, model)
  await done
  store?.close()
}

function printListening(io: CliIo, options: ServeCliOptions, info: ListeningInfo, model: string | undefined, workers = 1): void {
  const dashboard = options.endpoints && options.ui ? `${info.url}/ui/` : null
  if (options.json) printJson(io, { url: info.url, management_url: info.managementUrl, model: model ?? null, load_ms: info.loadMs, workers, dashboard })
  else {
    const management = info.managementUrl !== info.url ? ` (management on ${info.managementUrl})` : ''
    io.stdout(`serving ${model ?? 'the endpoints of .consort/tracking.db'} on ${info.url}${management}${workers > 1 ? ` with ${workers} workers` : ''}\n`)
    if (dashboard !== null) io.stdout(`dashboard on ${dashboard}\n`)
  }
}

/**
 * The primary of `--workers N`: forks the workers (this command line again), prints the address
 * once the first one serves, and returns once all have drained after SIGTERM.
 */
async function superviseServing(workers: number, options: ServeCliOptions, io: CliIo): Promise<void> {
  if (options.endpoints) throw new ParamError('--workers serves one model (--model): the named endpoints keep their concurrency, idle timers and loaded models in one process', { field: 'workers' })
  const model = options.model ?? defaultModel(io.env)
  const code = await superviseWorkers(workers, {
    onReady: (info) => printListening(io, options, info, model, workers),
    log: (line) => io.stderr(`consort serve: ${line}\n`),
  })
  if (code === 2) throw new ParamError('the first serving worker could not start (its message is above)', { field: 'model' })
  if (code !== 0) throw new Error(`the first serving worker exited with code ${code} before serving`)
}

/** `$SAGEMAKER_MODEL_SERVER_WORKERS`, SageMaker's number of serving processes; 1 when unset. */
function envWorkers(env: Readonly<Record<string, string | undefined>>): number {
  const text = env.SAGEMAKER_MODEL_SERVER_WORKERS
  if (text === undefined || text === '') return 1
  const n = Number(text)
  if (!Number.isInteger(n) || n < 1) throw new ParamError(`SAGEMAKER_MODEL_SERVER_WORKERS must be a positive integer, got '${text}'`, { field: 'SAGEMAKER_MODEL_SERVER_WORKERS' })
  return n
}

/** `$SM_MODEL_DIR/model.tar.gz`, SageMaker's place for the model (`/opt/ml/model`). */
function defaultModel(env: Readonly<Record<string, string | undefined>>): string {
  const file = join(env.SM_MODEL_DIR ?? '/opt/ml/model', 'model.tar.gz')
  if (!existsSync(file)) throw new ParamError(`give --model MODEL or --endpoints (no model at ${file})`, { field: 'model' })
  return file
}

/** A path as it is; a job id through the tracking store. */
async function resolveModel(ref: string): Promise<string> {
  if (existsSync(ref)) return ref
  const { TrackingStore } = await import('../../store/tracking/store.js')
  const store = TrackingStore.open()
  try {
    return resolveModelRef(ref, store)
  } finally {
    store.close()
  }
}

function parsePort(text: string): number {
  const n = parseInteger(text)
  if (n < 0 || n > 65535) throw new InvalidArgumentError('expected a port from 0 to 65535')
  return n
}
