/**
 * `--kernels`: which kernels a benchmark run uses, the WebAssembly ones (the default) or the
 * JavaScript references, for tree growing and tree prediction alike, so the two compare in one run.
 */
import { setTrainingKernels } from '../src/learners/kernel-choice.js'
import { setTreeKernel } from '../src/runtime/tree-ensemble.js'

export function useKernels(kernels: 'wasm' | 'js'): void {
  setTrainingKernels(kernels)
  setTreeKernel(kernels)
}
