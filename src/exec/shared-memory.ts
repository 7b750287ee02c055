/**
 * One WebAssembly memory shared by the threads of a kernel executor: the executor lays its
 * buffers out in it, the worker threads receive it once, and the WebAssembly kernels of every
 * thread address those buffers by byte offset. The JavaScript kernels see the same buffers as
 * typed arrays, so either kind of kernel runs on the same data.
 *
 * Allocation only moves forward (buffers live as long as their executor). A shared memory never
 * detaches when it grows, so views made before a growth stay valid; a view must be made after its
 * own allocation, though, since `memory.buffer` before a growth is shorter.
 */

const PAGE = 65536
/** The most a 32-bit memory can address, in pages; reserved, not committed. */
const MAX_PAGES = 65536
const ALIGN = 16

type View<T> = new (buffer: SharedArrayBuffer, byteOffset: number, length: number) => T

export class SharedMemory {
  readonly memory: WebAssembly.Memory
  private top = ALIGN

  /** @param initialBytes bytes to commit at once (growth later is fine, but slower). */
  constructor(initialBytes = PAGE) {
    this.memory = new WebAssembly.Memory({ initial: Math.max(1, Math.ceil((initialBytes + ALIGN) / PAGE)), maximum: MAX_PAGES, shared: true })
  }

  /** Bytes handed out so far. */
  get used(): number {
    return this.top
  }

  /**
   * A new zeroed typed array of `length` elements in the memory.
   * @example const gh = mem.alloc(Float32Array, 2 * n)
   */
  alloc<T>(type: View<T> & { readonly BYTES_PER_ELEMENT: number }, length: number): T {
    const offset = this.reserve(type.BYTES_PER_ELEMENT * length)
    return new type(this.memory.buffer as SharedArrayBuffer, offset, length)
  }

  /** The offset of `bytes` new bytes (16-byte aligned), growing the memory when needed. */
  reserve(bytes: number): number {
    const offset = this.top
    this.top += Math.ceil(Math.max(bytes, 1) / ALIGN) * ALIGN
    const short = this.top - this.memory.buffer.byteLength
    if (short > 0) this.memory.grow(Math.ceil(short / PAGE))
    return offset
  }
}
