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

  it('runs each lane’s tasks on its own thread first, and lets idle threads take the rest', () => {
    // Pools of their own: a warm pool lent by the others may have more workers, so more lanes.
    const own = new BatchPools()
    const batches = new Batches(TEST_PROGRAM, 2, own)
    try {
      expect(batches.lanes).toBe(2)
      const pause = new Int32Array(new SharedArrayBuffer(4))
      const out = new Float64Array(new SharedArrayBuffer(8 * 40))
      batches.setup({ out, factor: 1 } satisfies TestSetup)
      // Lane 0 (the caller) holds tasks 0..9, lane 1 (the worker) 10..39. The caller's tasks are
      // slow, so the worker is done with its lane first and takes some of the caller's.
      const mine: number[] = []
      const replies = batches.run(40, (t) => {
        mine.push(t)
        out[t] = t
        Atomics.wait(pause, 0, 0, 2)
      }, [10, 40])
      expect(Array.from(out)).toEqual(Array.from({ length: 40 }, (_, t) => t))
      // The caller starts with its own lane, in order, and takes another's tasks only after.
      expect(mine[0]).toBe(0)
      expect(mine).toEqual([...mine].sort((a, b) => a - b))
      const byWorker = replies.flatMap((r, t) => (r === undefined ? [] : [t]))
      expect(byWorker.length + mine.length).toBe(40)
      expect(byWorker.some((t) => t < 10) || mine.some((t) => t >= 10)).toBe(true)

      // All tasks in the worker's lane: the caller takes from it too.
      out.fill(-1)
      batches.run(16, (t) => (out[t] = t), [0, 16])
      expect(Array.from(out.subarray(0, 16))).toEqual(Array.from({ length: 16 }, (_, t) => t))

      expect(() => batches.run(4, () => {}, [1, 2, 4])).toThrow(/2 lanes was given 3/)
    } finally {
      batches.close()
      own.close()
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
