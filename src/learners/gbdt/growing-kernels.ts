/**
 * The tree-growing kernels in WebAssembly (wasm/gbdt-kernels.ts, embedded as base64): histogram
 * build, partition scatter, and leaf values added to margins, over a kernel executor's
 * shared memory. Each thread
 * instantiates them on that memory. The JavaScript kernels (histogram.ts, partition.ts) stay as
 * the reference; both give bit-identical trees (the choice: ../kernel-choice.ts).
 */
import { GBDT_KERNELS_WASM } from './gbdt-kernels.wasm.js'

/** The exports of the module; every pointer is a byte offset into the shared memory. */
export interface GrowingKernels {
  histogram(codes: number, stride: number, nFeatures: number, offsets: number, gh: number, start: number, end: number, hist: number): void
  scatter(
    codes: number, words: number, rows: number, gh: number, start: number, end: number,
    feature: number, bin: number, missing: number, missingLeft: number,
    outCodes: number, outRows: number, outGh: number,
  ): number
  addLeafPairValues(
    codes: number, stride: number, rows: number, start: number, end: number,
    feature: number, bin: number, missing: number, missingLeft: number,
    leftValue: number, rightValue: number, margin: number, K: number, k: number,
  ): void
  addLeafValue(rows: number, start: number, end: number, value: number, margin: number, K: number, k: number): void
  gatherPairs(sampled: number, grad: number, hess: number, start: number, end: number, rows: number, gh: number): void
  /** Quantised training (see quantise.ts): int32 histogram pairs from one signed byte each of gradient and hessian a row. */
  histogramQuantised(codes: number, stride: number, nFeatures: number, offsets: number, q: number, start: number, end: number, hist: number): void
  scatterQuantised(
    codes: number, words: number, rows: number, q: number, start: number, end: number,
    feature: number, bin: number, missing: number, missingLeft: number,
    outCodes: number, outRows: number, outQ: number,
  ): number
  gradientRange(grad: number, hess: number, start: number, end: number, out: number): void
  gatherQuantised(sampled: number, grad: number, hess: number, start: number, end: number, rows: number, q: number, gInv: number, hInv: number, key: number, flags: number): void
}

let compiled: WebAssembly.Module | undefined

/** The kernels instantiated on `memory` (a shared memory of this or another thread). */
export function instantiateGrowingKernels(memory: WebAssembly.Memory): GrowingKernels {
  compiled ??= new WebAssembly.Module(Uint8Array.from(atob(GBDT_KERNELS_WASM), (c) => c.charCodeAt(0)))
  return new WebAssembly.Instance(compiled, { env: { memory } }).exports as unknown as GrowingKernels
}
