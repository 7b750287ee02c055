/**
 * Instrumentation: how many times this thread has read a data file and binned a frame. A job
 * takes the difference over its run, which proves (and its record shows) that the data was read
 * and binned once, however many members and folds trained on it.
 */

/**
 * Counts since the process (or worker thread) started.
 * @example
 * const before = { ...dataCounters }
 * await trainEnsemble(spec, options)
 * dataCounters.binnings - before.binnings // 1
 */
export const dataCounters = { reads: 0, bytesRead: 0, binnings: 0 }
