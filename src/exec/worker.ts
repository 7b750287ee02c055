/**
 * Starting worker threads from compiled JavaScript or, in tests and benchmarks that run the
 * TypeScript sources directly, from `.ts` files through the TypeScript loader.
 */
import { Worker, type WorkerOptions } from 'node:worker_threads'

/**
 * Starts the worker module `name` (without extension) that sits beside the module `here`
 * (pass `import.meta.url`). The worker never keeps the process alive.
 * @example const w = startWorker(import.meta.url, './batch-worker', { workerData })
 */
export function startWorker(here: string, name: string, options: WorkerOptions): Worker {
  const fromSource = here.endsWith('.ts')
  const url = new URL(`${name}${fromSource ? '.ts' : '.js'}`, here)
  const worker = fromSource
    ? new Worker(`import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(url.href)}) })`, { ...options, eval: true })
    : new Worker(url, options)
  worker.unref()
  return worker
}
