/**
 * What a job cost: wall and CPU seconds, peak memory, and the data it read. The numbers behind
 * the one-job argument (one read, one binning, every member), recorded with every job.
 */
import { readFileSync } from 'node:fs'
import { readdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { DataCounters } from '../data/counters.js'

/** A job's resource use. */
export interface Resources {
  readonly wallSeconds: number
  /**
   * User + system CPU during the job: the whole process (every thread) and, on Linux, the child
   * processes it ran (a training script).
   */
  readonly cpuSeconds: number
  /** Peak resident memory of the process by the end of the job, in bytes. */
  readonly peakRssBytes: number
  /** Bytes of data files read. */
  readonly bytesRead: number
  /** Data files read; one per channel for a built-in ensemble, never one per member or fold. */
  readonly dataReads: number
  /** Frames binned; one for a built-in ensemble. */
  readonly binnings: number
}

/**
 * Measures a job from its construction to {@link ResourceMeter.finish}. Reads and binnings are
 * counted by the data layer itself into the job's {@link ResourceMeter.counters}, which the job
 * passes to every read and binning, so two jobs in one process never count each other's.
 * @example
 * const meter = new ResourceMeter()
 * const frame = await readFrame(path, { counters: meter.counters })
 * const resources = meter.finish() // { wallSeconds, cpuSeconds, peakRssBytes, bytesRead: <file size>, dataReads: 1, binnings: 0 }
 */
export class ResourceMeter {
  private readonly startWall = performance.now()
  private readonly startCpu = process.cpuUsage()
  private readonly startChildCpu = childCpuSeconds()
  /** The job's reads and binnings: pass them to `readFrame` and `prepareTrainingData`. */
  readonly counters = new DataCounters()
  private extraBytes = 0
  private extraReads = 0

  /** Counts files a job gave another program to read (a training script's channels), one read each. */
  async addFiles(paths: readonly string[]): Promise<void> {
    for (const path of paths) {
      this.extraBytes += await sizeOf(path)
      this.extraReads++
    }
  }

  finish(): Resources {
    const cpu = process.cpuUsage(this.startCpu)
    return {
      wallSeconds: (performance.now() - this.startWall) / 1000,
      cpuSeconds: (cpu.user + cpu.system) / 1e6 + (childCpuSeconds() - this.startChildCpu),
      peakRssBytes: process.resourceUsage().maxRSS * 1024,
      bytesRead: this.counters.bytesRead + this.extraBytes,
      dataReads: this.counters.reads + this.extraReads,
      binnings: this.counters.binnings,
    }
  }
}

/**
 * Formats resources for a summary line.
 * @example formatResources(r) // '2.31 s wall, 3.95 s CPU, peak 182 MiB, 1 read of 38.2 KiB, 1 binning'
 */
export function formatResources(r: Resources): string {
  const reads = `${r.dataReads} read${r.dataReads === 1 ? '' : 's'} of ${formatBytes(r.bytesRead)}`
  const binnings = r.binnings > 0 ? `, ${r.binnings} binning${r.binnings === 1 ? '' : 's'}` : ''
  return `${r.wallSeconds.toFixed(2)} s wall, ${r.cpuSeconds.toFixed(2)} s CPU, peak ${formatBytes(r.peakRssBytes)}, ${reads}${binnings}`
}

function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB']
  let value = bytes
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(value < 10 ? 2 : value < 100 ? 1 : 0)} ${units[unit]}`
}

/** Clock ticks per second of /proc's times: USER_HZ, 100 on every Linux architecture Node runs on. */
const USER_HZ = 100

/**
 * CPU seconds of the child processes this process has waited for (cutime + cstime of
 * /proc/self/stat), which Node's own counters leave out; 0 where /proc is not there.
 */
function childCpuSeconds(): number {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8')
    // Fields after the command name, which is in parentheses and may hold spaces: state is field 3.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return (Number(fields[13]) + Number(fields[14])) / USER_HZ
  } catch {
    return 0
  }
}

/** Size of a file, or of every file under a folder. */
async function sizeOf(path: string): Promise<number> {
  const info = await stat(path)
  if (!info.isDirectory()) return info.size
  let total = 0
  for (const entry of await readdir(path, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) total += (await stat(join(entry.parentPath, entry.name))).size
  }
  return total
}
