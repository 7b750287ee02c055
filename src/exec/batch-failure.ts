/**
 * A worker thread's failure in a batch, with its cause: the worker posts the error (class,
 * message, location, stack) on its port before it reports done, and the calling thread, which
 * waits on shared memory rather than on messages, reads it synchronously once the batch is over.
 */
import { type MessagePort, receiveMessageOnPort } from 'node:worker_threads'
import { type ErrorData, errorFromData, errorToData } from './error-transfer.js'

interface FailureMessage {
  readonly type: 'batch-failed'
  readonly error: ErrorData
}

/** In a worker: sends what a task threw to the calling thread. */
export function reportBatchFailure(port: MessagePort, err: unknown): void {
  port.postMessage({ type: 'batch-failed', error: errorToData(err) } satisfies FailureMessage)
}

/**
 * On the calling thread, after a batch its control block marks failed: the first error a worker
 * sent, rebuilt with its class and stack; `fallback` when none arrived.
 * @example if (Atomics.load(control, Ctl.Failed) === 1) throw batchFailure(ports, 'a worker thread failed')
 */
export function batchFailure(ports: readonly MessagePort[], fallback: string): Error {
  let found: Error | null = null
  for (const port of ports) {
    for (let m = receiveMessageOnPort(port); m; m = receiveMessageOnPort(port)) {
      const msg = m.message as FailureMessage
      if (found === null && msg?.type === 'batch-failed') found = errorFromData(msg.error)
    }
  }
  return found ?? new Error(fallback)
}
