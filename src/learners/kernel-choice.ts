/**
 * Which kernels the learners train with: the WebAssembly ones (the default) or the JavaScript
 * references they are tested against. Both give bit-identical models, so the choice is one of
 * speed only; a fit reads it once, when it starts, and tells its worker threads.
 */

export type TrainingKernels = 'wasm' | 'js'

let choice: TrainingKernels = 'wasm'

/**
 * Chooses the kernels of the fits started from now on; returns the previous choice.
 * @example const before = setTrainingKernels('js'); ...; setTrainingKernels(before)
 */
export function setTrainingKernels(kernels: TrainingKernels): TrainingKernels {
  const before = choice
  choice = kernels
  return before
}

export function trainingKernels(): TrainingKernels {
  return choice
}
