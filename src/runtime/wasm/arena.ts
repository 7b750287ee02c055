/**
 * A first-fit allocator over one WebAssembly linear memory: the kernels' inputs live there, some
 * for as long as a model does (its tree records), some for one call (the rows). Blocks are
 * 16-byte aligned, freed blocks merge with their neighbours, and the memory grows when no free
 * block fits. Growing replaces `memory.buffer`, so callers make their typed-array views after
 * allocating, never before.
 */

const ALIGN = 16
const PAGE = 65536

export class Arena {
  /** Free blocks, sorted by offset, never adjacent (they merge). */
  private readonly free: { offset: number; size: number }[] = []
  /** Size of each allocated block, by offset. */
  private readonly used = new Map<number, number>()

  /** Offset 0 stays unused, so no block is ever at the null address. */
  constructor(readonly memory: WebAssembly.Memory) {
    const size = memory.buffer.byteLength
    if (size > ALIGN) this.free.push({ offset: ALIGN, size: size - ALIGN })
  }

  /** Bytes allocated and not yet released. */
  get usedBytes(): number {
    let sum = 0
    for (const size of this.used.values()) sum += size
    return sum
  }

  /**
   * The offset of a new block of at least `bytes` bytes.
   * @example const p = arena.alloc(n * 8); new Float64Array(arena.memory.buffer, p, n).set(x)
   */
  alloc(bytes: number): number {
    const size = Math.max(ALIGN, Math.ceil(bytes / ALIGN) * ALIGN)
    let i = this.free.findIndex((b) => b.size >= size)
    if (i < 0) i = this.grow(size)
    const block = this.free[i]
    const offset = block.offset
    if (block.size === size) this.free.splice(i, 1)
    else {
      block.offset += size
      block.size -= size
    }
    this.used.set(offset, size)
    return offset
  }

  /** Returns the block at `offset` (from `alloc`) to the free list. */
  release(offset: number): void {
    const size = this.used.get(offset)
    if (size === undefined) throw new RangeError(`no block allocated at ${offset}`)
    this.used.delete(offset)
    let i = 0
    while (i < this.free.length && this.free[i].offset < offset) i++
    this.free.splice(i, 0, { offset, size })
    // Merge with the next block, then with the previous one.
    const next = this.free[i + 1]
    if (next && offset + size === next.offset) {
      this.free[i].size += next.size
      this.free.splice(i + 1, 1)
    }
    const prev = this.free[i - 1]
    if (prev && prev.offset + prev.size === offset) {
      prev.size += this.free[i].size
      this.free.splice(i, 1)
    }
  }

  /** Grows the memory by at least `size` bytes (doubling, to keep growth rare); returns the free block that fits. */
  private grow(size: number): number {
    const before = this.memory.buffer.byteLength
    const pages = Math.max(Math.ceil(size / PAGE), Math.ceil(before / PAGE))
    this.memory.grow(pages)
    const added = pages * PAGE
    const last = this.free[this.free.length - 1]
    if (last && last.offset + last.size === before) last.size += added
    else this.free.push({ offset: before, size: added })
    return this.free.length - 1
  }
}
