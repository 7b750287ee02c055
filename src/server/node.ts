/**
 * Running the app on Node with `@hono/node-server`'s request listener: listen, keep slow clients
 * from holding a socket forever (Node's request and header timeouts), serve the management routes
 * only on a local address when the main address is public, and shut down cleanly: on SIGTERM (or
 * `close()`), `/ping` turns 503, new connections are refused, requests in flight finish (their
 * connections then close) and the server stops; connections still open after the drain timeout
 * are cut.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { getRequestListener } from '@hono/node-server'
import type { ServingApp } from './app.js'

/** Where and how to listen. */
export interface ListenOptions {
  /** Port of the main address; 0 picks a free one. Default: `SAGEMAKER_BIND_TO_PORT`, else 8080. */
  readonly port?: number
  /** Host of the main address. Default 127.0.0.1. */
  readonly host?: string
  /**
   * Port of the management address (the management routes, and every other route), used when
   * `host` is not a loopback address; 0 picks a free one. Default: `port + 1` (a free one when `port` is 0).
   */
  readonly managementPort?: number
  /** Host of the management address. Default 127.0.0.1. */
  readonly managementHost?: string
  /** Milliseconds a shutdown waits for requests in flight. Default 25 000 (SageMaker kills 30 s after SIGTERM). */
  readonly drainTimeoutMs?: number
  /** Milliseconds a client has to send a whole request. Default: the invocation timeout + 5 s. */
  readonly requestTimeoutMs?: number
  /** Drain and call `onShutdown` on SIGTERM and SIGINT. Default false (the CLI turns it on). */
  readonly handleSignals?: boolean
  /** Called once a shutdown has drained (the CLI exits there). */
  readonly onShutdown?: () => void
}

/** A listening server. */
export interface RunningServer {
  /** The main address, `http://host:port`. */
  readonly url: string
  readonly port: number
  /** The management address (the main one when it is local). */
  readonly managementUrl: string
  /** Drains and stops (see the file comment); resolves when every connection is closed. */
  close(): Promise<void>
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/

/**
 * Serves `app` on Node.
 * @example
 * const app = createApp({ model: 'model.tar.gz' })
 * await app.ready()
 * const server = await startServer(app, { port: 8080 })
 * // ... server.close()
 */
export async function startServer(app: ServingApp, options: ListenOptions = {}): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1'
  const port = options.port ?? defaultPort()
  const local = LOOPBACK.test(host)
  const requestTimeout = options.requestTimeoutMs ?? 65_000
  let draining = false
  /** Responses not yet sent: a shutdown tells their clients the connection closes after them. */
  const inFlight = new Set<ServerResponse>()
  const forget = function (this: ServerResponse) {
    inFlight.delete(this)
  }

  const listen = async (fetch: (r: Request) => Response | Promise<Response>, h: string, p: number): Promise<Server> => {
    const listener = getRequestListener(fetch)
    const server = createServer(
      {
        requestTimeout,
        headersTimeout: Math.min(60_000, requestTimeout),
        // How often Node looks for requests past their timeout (30 s by default).
        connectionsCheckingInterval: Math.min(30_000, Math.max(100, requestTimeout / 4)),
      },
      (req: IncomingMessage, res: ServerResponse) => {
        if (draining) res.setHeader('connection', 'close')
        inFlight.add(res)
        res.once('close', forget)
        void listener(req, res)
      },
    )
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(p, h, () => {
        server.off('error', reject)
        resolve()
      })
    })
    return server
  }

  const main = await listen(local ? app.fetch : app.publicFetch, host, port)
  const mainPort = (main.address() as AddressInfo).port
  let management: Server | null = null
  if (!local) {
    const mHost = options.managementHost ?? '127.0.0.1'
    const mPort = options.managementPort ?? (port === 0 ? 0 : mainPort + 1)
    try {
      management = await listen(app.fetch, mHost, mPort)
    } catch (err) {
      main.close()
      throw err
    }
  }
  const servers = management === null ? [main] : [main, management]
  const url = `http://${bracket(host)}:${mainPort}`
  const managementUrl = management === null ? url : `http://${bracket(options.managementHost ?? '127.0.0.1')}:${(management.address() as AddressInfo).port}`
  app.logger.info({ url, managementUrl }, 'listening')

  let closing: Promise<void> | null = null
  const close = (): Promise<void> => {
    if (closing !== null) return closing
    draining = true
    app.drain()
    for (const res of inFlight) {
      if (!res.headersSent) res.setHeader('connection', 'close')
      else res.once('finish', () => res.socket?.end())
    }
    const t0 = performance.now()
    closing = Promise.all(
      servers.map(
        (s) =>
          new Promise<void>((resolve) => {
            const cut = setTimeout(() => s.closeAllConnections(), options.drainTimeoutMs ?? 25_000)
            s.close(() => {
              clearTimeout(cut)
              resolve()
            })
            s.closeIdleConnections()
          }),
      ),
    ).then(() => {
      app.close()
      app.logger.info({ ms: Math.round(performance.now() - t0) }, 'drained and stopped')
      removeSignals()
      options.onShutdown?.()
    })
    return closing
  }
  const onSignal = (signal: NodeJS.Signals) => {
    app.logger.info({ signal }, 'shutting down: draining requests in flight')
    void close()
  }
  const removeSignals = () => {
    process.off('SIGTERM', onSignal)
    process.off('SIGINT', onSignal)
  }
  if (options.handleSignals) {
    process.on('SIGTERM', onSignal)
    process.on('SIGINT', onSignal)
  }
  return { url, port: mainPort, managementUrl, close }
}

/**
 * The port SageMaker asks for (`SAGEMAKER_BIND_TO_PORT`), else 8080.
 * @example
 * defaultPort() // 8080
 */
export function defaultPort(env: Readonly<Record<string, string | undefined>> = process.env): number {
  const v = env.SAGEMAKER_BIND_TO_PORT
  const n = v === undefined ? NaN : Number(v)
  return Number.isInteger(n) && n >= 0 && n < 65536 ? n : 8080
}

function bracket(host: string): string {
  return host.includes(':') ? `[${host}]` : host
}
