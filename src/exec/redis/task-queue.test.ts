import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { QueueWorker } from './queue-worker.js'
import { parseRedisUrl } from './redis-url.js'
import { RemoteTaskError } from './task-failure.js'
import { RedisTaskQueue } from './task-queue.js'
import { startRedis, type TestRedis } from './testing/redis-server.js'

let redis: TestRedis
beforeAll(async () => {
  redis = await startRedis()
})
afterAll(async () => {
  await redis?.stop()
})

class BadInput extends Error {}

describe('RedisTaskQueue and QueueWorker', () => {
  it('retries a transient failure with backoff, fails bad input at once, streams progress, cancels, and settles an id once', async () => {
    const address = parseRedisUrl(redis.url, '--executor')
    const runs = new Map<string, number>()
    const worker = await QueueWorker.start<{ n: number }, number>(
      address,
      async (data, { id, report, signal }) => {
        const run = (runs.get(id) ?? 0) + 1
        runs.set(id, run)
        if (id === 'flaky' && run === 1) throw new Error('connection reset')
        if (id === 'bad') throw new BadInput('eta must be positive')
        if (id === 'slow') await new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)))
        report({ step: 0, value: data.n })
        return data.n * 2
      },
      { concurrency: 4, finalFailure: (err) => (err instanceof BadInput ? { name: 'BadInput', message: err.message, detail: 'NonRetryableError' } : undefined) },
    )
    const queue = await RedisTaskQueue.open<{ n: number }, number>(address, { backoffMs: 50 })
    try {
      const progress: number[] = []
      expect(await queue.submit('flaky', { n: 21 }, { onProgress: (p) => progress.push(p.value) })).toBe(42)
      expect(runs.get('flaky')).toBe(2)
      await expect(queue.submit('bad', { n: 1 })).rejects.toMatchObject({ final: true, detail: 'NonRetryableError', message: 'eta must be positive' })
      await expect(queue.submit('bad', { n: 1 })).rejects.toBeInstanceOf(RemoteTaskError)
      expect(runs.get('bad')).toBe(1)
      // Submitted again, a finished id gives its outcome without running again.
      expect(await queue.submit('flaky', { n: 21 })).toBe(42)
      expect(runs.get('flaky')).toBe(2)
      const controller = new AbortController()
      const slow = queue.submit('slow', { n: 1 }, { signal: controller.signal })
      while (!runs.has('slow')) await new Promise((resolve) => setTimeout(resolve, 10))
      controller.abort(new Error('pruned'))
      await expect(slow).rejects.toThrow('pruned')
      while (worker.active > 0) await new Promise((resolve) => setTimeout(resolve, 10))
      // A cancelled task is work still to do when it is submitted again.
      runs.delete('slow')
      const again = new AbortController()
      const rerun = queue.submit('slow', { n: 1 }, { signal: again.signal })
      while (!runs.has('slow')) await new Promise((resolve) => setTimeout(resolve, 10))
      again.abort(new Error('stopped'))
      await expect(rerun).rejects.toThrow('stopped')
      await new Promise((resolve) => setTimeout(resolve, 100))
      expect(progress).toEqual([21])
    } finally {
      await queue.close()
      await worker.close()
    }
  })
})
