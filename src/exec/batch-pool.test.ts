import { threadId } from 'node:worker_threads'
import { afterAll, describe, expect, it } from 'vitest'
import { DataError } from '../errors.js'
import { Batches, BatchPools } from './batch-pool.js'
import { programModule } from './batch-program.js'
import program, { type TestSetup } from './fixtures/test-program.js'

const TEST_PROGRAM = programModule(import.meta.url, './fixtures/test-program')

function runOnce(batches: Batches, count: number, factor: number): { out: Float64Array; replies: unknown[] } {
  const out = new Float64Array(new SharedArrayBuffer(8 * count))
  const setup: TestSetup = { out, factor }
  batches.setup(setup)
  const replies = batches.run(count, (t) => program.run(setup, t))
  return { out, replies }
}

describe('the batch pool', () => {
  const pools = new BatchPools()
  afterAll(() => pools.close())

  it('runs every task once across the caller and its workers, and returns the workers’ replies by task', () => {
    const batches = new Batches(TEST_PROGRAM, 3, pools)
    try {
      for (let round = 0; round < 5; round++) {
        const { out, replies } = runOnce(batches, 200, 2)
        expect(Array.from(out)).toEqual(Array.from({ length: 200 }, (_, t) => 2 * t))
        // The caller's own tasks have no reply; every other task's reply names a worker thread.
        const workers = new Set(replies.filter((r) => r !== undefined))
        expect(workers.has(threadId)).toBe(false)
        expect(workers.size).toBeLessThanOrEqual(2)
      }
    } finally {
      batches.close()
    }
  })

  it('runs everything on the caller with one thread', () => {
    const batches = new Batches(TEST_PROGRAM, 1, pools)
    expect(batches.shared).toBe(false)
    const { out, replies } = runOnce(batches, 10, 3)
    expect(out[9]).toBe(27)
    expect(replies.filter((r) => r !== undefined)).toEqual([])
    batches.close()
  })

  it('rethrows a worker’s error with its class, location and stack, and never lends that pool again', () => {
    const batches = new Batches(TEST_PROGRAM, 2, pools)
    const setup: TestSetup = { out: new Float64Array(new SharedArrayBuffer(8 * 64)), factor: -1 }
    batches.setup(setup)
    const pause = new Int32Array(new SharedArrayBuffer(4))
    let error: unknown = null
    try {
      // The caller's tasks are slow, so the worker surely takes some, and fails them.
      batches.run(64, () => void Atomics.wait(pause, 0, 0, 5))
    } catch (err) {
      error = err
    }
    batches.close()
    expect(error).toBeInstanceOf(DataError)
    expect((error as DataError).location).toEqual({ field: 'factor' })
    expect((error as Error).stack).toMatch(/test-program/)
    // A broken pool is stopped, not lent: the next holder gets fresh workers that work.
    const next = new Batches(TEST_PROGRAM, 2, pools)
    expect(runOnce(next, 64, 1).out[63]).toBe(63)
    next.close()
  })
})
