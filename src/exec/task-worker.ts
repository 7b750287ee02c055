/**
 * Worker thread of a {@link TaskPool}: imports the pool's program, applies setup messages and runs
 * one task at a time, posting its progress and then its reply or its error (class and stack kept).
 */
import { parentPort, workerData } from 'node:worker_threads'
import { errorToData } from './error-transfer.js'
import type { FromTaskWorker, ToTaskWorker } from './task-pool.js'
import type { TaskProgram } from './task-program.js'

/** Progress messages at most this often (a booster reports every round). */
const PROGRESS_INTERVAL_MS = 100

const port = parentPort!
const program = ((await import((workerData as { program: string }).program)) as { default: TaskProgram }).default

port.on('message', (message: ToTaskWorker) => {
  if (message.type === 'setup') {
    program.setup(message.message)
    return
  }
  const { id, request } = message
  let lastReport = 0
  const progress = (step: number, total: number) => {
    const now = performance.now()
    if (step < total && now - lastReport < PROGRESS_INTERVAL_MS) return
    lastReport = now
    post({ type: 'progress', id, step, total })
  }
  program.run(request, progress).then(
    ({ reply, transfer }) => post({ type: 'done', id, reply }, transfer),
    (err: unknown) => post({ type: 'failed', id, error: errorToData(err) }),
  )
})

function post(message: FromTaskWorker, transfer: readonly ArrayBuffer[] = []): void {
  port.postMessage(message, transfer as ArrayBuffer[])
}
