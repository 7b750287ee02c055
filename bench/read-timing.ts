/**
 * The CSV read benchmark as a command: one file read several times with `readFrame`, the fastest
 * time reported (later runs also measure a warmed-up reader).
 */
import { statSync } from 'node:fs'
import { readFrame } from '../src/data/read.js'
import type { ReadArgs } from './args.js'
import { peakRssMb } from './memory.js'
import type { ReadResult } from './results.js'
import { seconds } from './train.js'

/**
 * Reads `args.file` `args.runs` times. `peak_rss_mb` is the process peak after all runs: one
 * frame plus whatever garbage the earlier runs left.
 * @example
 * const r = await runReadTiming({ file: 'numeric-1000000x8.csv', runs: 3, json: true })
 * r.read_s // 0.9
 */
export async function runReadTiming(args: ReadArgs): Promise<ReadResult> {
  const times: number[] = []
  let rows = 0
  let columns = 0
  for (let r = 0; r < args.runs; r++) {
    const t0 = performance.now()
    const frame = await readFrame(args.file)
    times.push(seconds(performance.now() - t0))
    rows = frame.nRows
    columns = frame.columns.length
  }
  // after the reads, which turn a missing or unreadable file into a DataError naming it
  const bytes = statSync(args.file).size
  return {
    mode: 'read',
    file: args.file,
    mb: Math.round(bytes / 1e5) / 10,
    rows,
    columns,
    runs: args.runs,
    read_s: Math.min(...times),
    read_s_all: times,
    peak_rss_mb: peakRssMb(),
  }
}
