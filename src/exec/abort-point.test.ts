import { describe, expect, it } from 'vitest'
import { AbortPoint } from './abort-point.js'

/** Busy work that never returns to the event loop by itself. */
function spin(ms: number): void {
  const end = performance.now() + ms
  while (performance.now() < end);
}

describe('AbortPoint', () => {
  it('lets a timer abort a synchronous loop that passes it each step', async () => {
    const controller = new AbortController()
    setTimeout(() => controller.abort(new Error('timed out')), 30)
    const abortPoint = new AbortPoint(controller.signal)
    let steps = 0
    const loop = async () => {
      for (; steps < 1000; steps++) {
        await abortPoint.pass()
        spin(5)
      }
    }
    await expect(loop()).rejects.toThrow('timed out')
    // Stopped within a few intervals of the abort, not after 1000 steps (5 s).
    expect(steps).toBeLessThan(100)
  })

  it('passes freely without a signal', async () => {
    const abortPoint = new AbortPoint(undefined)
    for (let i = 0; i < 1000; i++) await abortPoint.pass()
  })
})
