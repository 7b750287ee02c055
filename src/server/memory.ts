/**
 * The memory an endpoint may need, estimated before anything loads, so an endpoint whose model
 * cannot fit its `memory_size_mb` is refused when it is created rather than failing under load.
 *
 * The estimate, in MiB, rounded up:
 *
 *     RUNTIME_MB + 3 x (bytes of the model's decoded state) + max_concurrency x 2 x (body limit)
 *
 * - `RUNTIME_MB` (32): the endpoint's share of the process (its code, buffers, counters).
 * - 3 x the state: the decoded member and blender states, the predictors built from them (the
 *   flat tree tables are about the state's size again), and the archive while it is read.
 * - 2 x the body limit per concurrent invocation: the body itself, and its parsed columns and
 *   predictions (8 bytes per value, which CSV numbers of about 4 characters double).
 *
 * SageMaker gives each concurrent invocation a container of `MemorySizeInMB`; here the
 * invocations share one process, which is why concurrency is counted against the same budget.
 */

/** Mebibytes every endpoint is charged for the process it shares. */
export const RUNTIME_MB = 32

const MIB = 1024 * 1024

/** The parts of an endpoint's memory estimate, in MiB. */
export interface MemoryEstimate {
  readonly runtimeMb: number
  readonly modelMb: number
  readonly invocationsMb: number
  readonly totalMb: number
}

/**
 * Estimates an endpoint's memory (see the formula above).
 * @example
 * estimateMemory({ stateBytes: 4e6, maxConcurrency: 5, bodyLimitBytes: 6 * 1024 * 1024 }).totalMb // 104
 */
export function estimateMemory(options: { stateBytes: number; maxConcurrency: number; bodyLimitBytes: number }): MemoryEstimate {
  const modelMb = Math.ceil((3 * options.stateBytes) / MIB)
  const invocationsMb = Math.ceil((options.maxConcurrency * 2 * options.bodyLimitBytes) / MIB)
  return { runtimeMb: RUNTIME_MB, modelMb, invocationsMb, totalMb: RUNTIME_MB + modelMb + invocationsMb }
}
