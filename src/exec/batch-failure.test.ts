/** A worker's failure crosses to the calling thread with its class, location and stack. */
import { MessageChannel, Worker } from 'node:worker_threads'
import { describe, expect, it } from 'vitest'
import { DataError } from '../errors.js'
import { batchFailure, reportBatchFailure } from './batch-failure.js'

describe('batch failures', () => {
  it('rebuild the first error a worker reported, typed, and fall back to a plain one', () => {
    const { port1, port2 } = new MessageChannel()
    reportBatchFailure(port2, new DataError('bad code 300', { field: 'zone' }))
    reportBatchFailure(port2, new Error('second'))
    const err = batchFailure([port1], 'a worker thread failed')
    expect(err).toBeInstanceOf(DataError)
    expect(err.message).toMatch(/bad code 300/)
    expect((err as DataError).location).toEqual({ field: 'zone' })
    // Both were read: the next batch starts with an empty port.
    expect(batchFailure([port1], 'a worker thread failed').message).toBe('a worker thread failed')
    port1.close()
    port2.close()
  })

  it('carry a real worker thread’s error and stack, read synchronously after it is posted', async () => {
    const { port1, port2 } = new MessageChannel()
    const control = new Int32Array(new SharedArrayBuffer(4))
    const worker = new Worker(
      `const { workerData } = require('node:worker_threads')
       try { null.boom } catch (e) { workerData.port.postMessage({ type: 'batch-failed', error: { name: e.name, message: e.message, stack: e.stack } }) }
       Atomics.store(workerData.control, 0, 1); Atomics.notify(workerData.control, 0)`,
      { eval: true, workerData: { port: port2, control }, transferList: [port2] },
    )
    while (Atomics.load(control, 0) === 0) Atomics.wait(control, 0, 0, 50)
    const err = batchFailure([port1], 'a worker thread failed')
    expect(err).toBeInstanceOf(Error)
    expect(err.name).toBe('TypeError')
    expect(err.message).toMatch(/null/)
    expect(err.stack).toMatch(/TypeError/)
    await worker.terminate()
    port1.close()
  })
})
