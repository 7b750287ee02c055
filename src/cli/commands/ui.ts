/**
 * `consort ui`: the dashboard on its own, over the working directory's tracking store: jobs,
 * trials and endpoints to look at (`/ui/`) and the JSON they come from (`/api/`). Its prediction
 * form runs the store's endpoints in this process, loaded on demand as `consort serve
 * --endpoints` does, and records their usage in the store. Read-only unless a management token is
 * given. `consort serve --endpoints` serves the same dashboard beside its endpoints.
 */
import type { Command } from 'commander'
import { type CliIo, printJson, type RegisterCommand } from '../context.js'
import { parseInteger } from '../options.js'

interface UiCliOptions {
  readonly port: number
  readonly host: string
  readonly token?: string
  readonly json?: boolean
}

/**
 * Registers `consort ui`.
 * @example
 * registerUi(new Command('consort'), processIo())
 */
export const registerUi: RegisterCommand = (program: Command, io: CliIo): Command =>
  program
    .command('ui')
    .description('the web dashboard of the tracking store: jobs, tuning trials, endpoints (every asset served locally)')
    .option('--port <n>', 'port (0: a free one)', parseInteger, 8090)
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--token <token>', 'management token that allows actions such as deleting an endpoint (default $CONSORT_TOKEN; without one the dashboard is read-only)')
    .option('--json', 'print {url} as one JSON line on stdout once listening')
    .action(async (options: UiCliOptions) => runUi(options, io))

async function runUi(options: UiCliOptions, io: CliIo): Promise<void> {
  const [{ TrackingStore }, { EndpointRegistry }, { UsageSampler }, { createApp }, { createLogger }, { resolveModelRef }, { startServer }, { createDashboard }, { forwardInvocations }] = await Promise.all([
    import('../../store/tracking/store.js'),
    import('../../server/registry.js'),
    import('../../server/usage-sampler.js'),
    import('../../server/app.js'),
    import('../../server/logger.js'),
    import('../../server/model-ref.js'),
    import('../../server/node.js'),
    import('../../ui/app.js'),
    import('../../ui/forward.js'),
  ])
  const store = TrackingStore.open()
  const registry = new EndpointRegistry(store, { resolve: (ref) => resolveModelRef(ref, store), bodyLimitBytes: 6 * 1024 * 1024 })
  const sampler = new UsageSampler(store, () => registry.list())
  sampler.start()
  // The serving app runs the endpoints for the prediction form; only the dashboard listens.
  const serving = createApp({ registry, logger: createLogger('warn') })
  const dashboard = createDashboard({ store, token: options.token ?? io.env.CONSORT_TOKEN, invoke: forwardInvocations(serving.fetch), deleteEndpoint: (name) => registry.delete(name) })
  let stopped!: () => void
  const done = new Promise<void>((resolve) => (stopped = resolve))
  const server = await startServer(
    { ...serving, fetch: dashboard.fetch, publicFetch: dashboard.fetch },
    // Live pages hold their event streams open: a shutdown waits for them only briefly.
    { port: options.port, host: options.host, handleSignals: true, drainTimeoutMs: 1000, onShutdown: () => stopped() },
  )
  if (options.json) printJson(io, { url: `${server.url}/ui/` })
  else io.stdout(`dashboard of .consort/tracking.db on ${server.url}/ui/\n`)
  await done
  sampler.stop()
  store.close()
}
