/** The arena allocator: aligned, disjoint blocks; freed blocks merge and are reused; the memory grows on demand. */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { Arena } from './arena.js'

describe('Arena', () => {
  it('hands out aligned, disjoint blocks under any sequence of allocations and releases, and reuses freed space', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 100_000 })), { maxLength: 80 }), (ops) => {
        const arena = new Arena(new WebAssembly.Memory({ initial: 1 }))
        const live: { offset: number; bytes: number }[] = []
        for (const [free, n] of ops) {
          if (free && live.length) {
            const [block] = live.splice(n % live.length, 1)
            arena.release(block.offset)
          } else {
            const offset = arena.alloc(n)
            expect(offset % 16).toBe(0)
            expect(offset).toBeGreaterThan(0)
            expect(offset + n).toBeLessThanOrEqual(arena.memory.buffer.byteLength)
            for (const other of live) expect(offset + n <= other.offset || other.offset + other.bytes <= offset).toBe(true)
            live.push({ offset, bytes: n })
          }
        }
        for (const block of live) arena.release(block.offset)
        expect(arena.usedBytes).toBe(0)
        // Everything merged back into one block: the whole memory fits one allocation again.
        const size = arena.memory.buffer.byteLength
        expect(arena.alloc(size - 16)).toBe(16)
        expect(arena.memory.buffer.byteLength).toBe(size)
      }),
      { numRuns: 200 },
    )
  })

  it('refuses to release what it did not allocate', () => {
    const arena = new Arena(new WebAssembly.Memory({ initial: 1 }))
    const p = arena.alloc(10)
    arena.release(p)
    expect(() => arena.release(p)).toThrow(RangeError)
    expect(() => arena.release(12345)).toThrow(/no block allocated at 12345/)
  })
})
