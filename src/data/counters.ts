/**
 * Instrumentation: how many times a job read a data file and binned a frame. A job owns one
 * counter and passes it to the readers and the binning it calls, so its record proves the data
 * was read and binned once however many members and folds trained on it, and two jobs running at
 * once in one process never count each other's reads.
 */

/**
 * Counts of one job's reads and binnings.
 * @example
 * const counters = new DataCounters()
 * const frame = await readFrame('train.csv', { counters })
 * counters.reads // 1
 */
export class DataCounters {
  reads = 0
  bytesRead = 0
  binnings = 0
}
