import { describe, expect, it } from 'vitest'
import { type LeasablePool, PoolLease } from './pool-lease.js'

class FakePool implements LeasablePool {
  stopped = false
  broken = false
  constructor(readonly size: number) {}
  get reusable(): boolean {
    return !this.stopped && !this.broken
  }
  stop(): void {
    this.stopped = true
  }
}

function lease(maxIdleThreads = 8): { lease: PoolLease<FakePool>; started: FakePool[] } {
  const started: FakePool[] = []
  const l = new PoolLease((size) => {
    const p = new FakePool(size)
    started.push(p)
    return p
  }, maxIdleThreads)
  return { lease: l, started }
}

describe('PoolLease', () => {
  it('never lends one pool to two holders at once', () => {
    const { lease: l, started } = lease()
    const a = l.acquire(1)
    const b = l.acquire(1)
    expect(a).not.toBe(b)
    expect(started).toHaveLength(2)
  })

  it('lends a pool given back to the next holder instead of starting threads', () => {
    const { lease: l, started } = lease()
    const a = l.acquire(2)
    l.release(a)
    expect(l.acquire(1)).toBe(a)
    expect(started).toHaveLength(1)
    expect(a.stopped).toBe(false)
  })

  it('lends the smallest idle pool large enough, and starts a larger one when none is', () => {
    const { lease: l } = lease()
    const big = l.acquire(4)
    const small = l.acquire(2)
    l.release(big)
    l.release(small)
    expect(l.acquire(2)).toBe(small)
    expect(l.acquire(2)).toBe(big)
    const larger = l.acquire(5)
    expect([larger.size, larger === big]).toEqual([5, false])
  })

  it('lends a prestarted pool to the next holder', () => {
    const { lease: l, started } = lease()
    l.prestart(3)
    l.prestart(2)
    expect(started).toHaveLength(1)
    expect(l.acquire(3)).toBe(started[0])
  })

  it('stops the oldest idle pools beyond the bound on idle threads, never the one given back', () => {
    const { lease: l } = lease(4)
    const [a, b, c] = [l.acquire(2), l.acquire(2), l.acquire(2)]
    l.release(a)
    l.release(b)
    l.release(c)
    expect([a.stopped, b.stopped, c.stopped]).toEqual([true, false, false])
    const huge = l.acquire(6)
    l.release(huge)
    expect([b.stopped, c.stopped, huge.stopped]).toEqual([true, true, false])
  })

  it('stops a broken pool given back instead of lending it again, and ignores a second release', () => {
    const { lease: l } = lease()
    const a = l.acquire(1)
    a.broken = true
    l.release(a)
    expect(a.stopped).toBe(true)
    expect(l.acquire(1)).not.toBe(a)
    const b = l.acquire(1)
    l.release(b)
    l.release(b)
    expect(l.acquire(1)).toBe(b)
    expect(l.acquire(1)).not.toBe(b)
  })
})
