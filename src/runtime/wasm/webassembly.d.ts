/**
 * The part of the WebAssembly JavaScript API the kernels use (a web standard, in Node 20, browsers
 * and serverless JavaScript runtimes). Neither ES2023 nor the Node types declare it, so both the
 * main build and the runtime's web-only type check read it from here.
 */
declare namespace WebAssembly {
  interface MemoryDescriptor {
    initial: number
    maximum?: number
    /** A memory threads share (its buffer is a SharedArrayBuffer); needs `maximum`. */
    shared?: boolean
  }
  class Memory {
    constructor(descriptor: MemoryDescriptor)
    readonly buffer: ArrayBufferLike
    grow(delta: number): number
  }
  class Module {
    constructor(bytes: BufferSource)
  }
  class Instance {
    constructor(module: Module, imports?: Record<string, Record<string, unknown>>)
    readonly exports: Record<string, unknown>
  }
}
