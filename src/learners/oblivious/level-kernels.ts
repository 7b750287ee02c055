/**
 * The level histogram pass in WebAssembly (wasm/oblivious-kernels.ts, embedded as base64), over a
 * fit's shared memory: one instance per memory and thread. `applyNumericSplit` and
 * `accumulateRows1` stay as the reference; both give bit-identical histograms (the choice: ../kernel-choice.ts).
 */
import { OBLIVIOUS_KERNELS_WASM } from './oblivious-kernels.wasm.js'

/** The exports of the module; every pointer is a byte offset into the shared memory. */
export interface LevelKernels {
  accumulateRows1(
    codes: number, stride: number, nFeatures: number, offsets: number, g: number, h: number,
    node: number, build: number, nodeSize: number, hist: number, start: number, end: number,
    splitFeature: number, splitBorder: number, splitLevel: number,
  ): void
}

let compiled: WebAssembly.Module | undefined
const instances = new WeakMap<WebAssembly.Memory, LevelKernels>()

/** The kernels on `memory` (a fit's shared memory, as this thread received it). */
export function levelKernels(memory: WebAssembly.Memory): LevelKernels {
  let kernels = instances.get(memory)
  if (kernels === undefined) {
    compiled ??= new WebAssembly.Module(Uint8Array.from(atob(OBLIVIOUS_KERNELS_WASM), (c) => c.charCodeAt(0)))
    kernels = new WebAssembly.Instance(compiled, { env: { memory } }).exports as unknown as LevelKernels
    instances.set(memory, kernels)
  }
  return kernels
}
