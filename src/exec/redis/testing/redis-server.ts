/**
 * A throwaway `redis-server` for tests: on a free loopback port, in its own temporary folder,
 * stopped (and the folder removed) by the test. It can be restarted on the same port, keeping
 * its append-only file when that is on.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** A running test Redis. */
export interface TestRedis {
  readonly port: number
  readonly url: string
  /** Stops it (SIGTERM, or SIGKILL with `kill`) and starts it again on the same port and folder. */
  restart(options?: { readonly kill?: boolean; readonly downMs?: number }): Promise<void>
  /** Stops it and removes its folder. */
  stop(): Promise<void>
}

/** Options of {@link startRedis}. */
export interface TestRedisOptions {
  /** Keeps an append-only file (fsynced on every write), so a restart loses nothing. */
  readonly appendOnly?: boolean
  readonly maxmemoryPolicy?: string
}

/**
 * Starts `redis-server` on a free loopback port and waits until it accepts connections.
 * @example
 * const redis = await startRedis()
 * try { ... redis.url ... } finally { await redis.stop() }
 */
export async function startRedis(options: TestRedisOptions = {}): Promise<TestRedis> {
  const dir = mkdtempSync(join(tmpdir(), 'consort-redis-'))
  const port = await freePort()
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--maxmemory-policy', options.maxmemoryPolicy ?? 'noeviction']
  args.push(...(options.appendOnly ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no']))
  let child = await launch(args)
  const stopChild = async (signal: NodeJS.Signals): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
    child.kill(signal)
    await exited
  }
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    async restart({ kill = false, downMs = 0 } = {}) {
      await stopChild(kill ? 'SIGKILL' : 'SIGTERM')
      await new Promise((resolve) => setTimeout(resolve, downMs))
      child = await launch(args)
    },
    async stop() {
      await stopChild('SIGTERM')
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** A loopback port nothing listens on now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

function launch(args: readonly string[]): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    const timer = setTimeout(() => reject(new Error(`redis-server did not start: ${out}`)), 10_000)
    child.once('error', (err) => {
      clearTimeout(timer)
      reject(new Error(`cannot start redis-server (install Debian's redis-server package): ${err.message}`))
    })
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk
      if (out.includes('Ready to accept connections')) {
        clearTimeout(timer)
        resolve(child)
      }
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`redis-server exited with ${code}: ${out}`))
    })
  })
}
