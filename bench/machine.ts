/**
 * What a reader needs to judge the numbers: the code measured, the machine and how busy it was.
 */
import { availableParallelism, loadavg } from 'node:os'
import { runChild } from './child.js'

/** The measured code and the machine it ran on. */
export interface MachineInfo {
  /** Short commit hash, with `+ local changes in src/` when the working tree differs from it. */
  readonly commit: string
  readonly node: string
  readonly cores: number
  readonly platform: string
}

/**
 * Describes the code and machine; the commit is `unknown` outside a git checkout.
 * @example
 * await machineInfo() // { commit: '76b98cb', node: 'v20.20.2', cores: 2, platform: 'linux x64' }
 */
export async function machineInfo(): Promise<MachineInfo> {
  let commit = 'unknown'
  try {
    const head = await runChild('git', ['rev-parse', '--short', 'HEAD'])
    if (head.code === 0) {
      commit = head.stdout.trim()
      const status = await runChild('git', ['status', '--porcelain', '--', 'src', 'package.json'])
      if (status.code === 0 && status.stdout.trim() !== '') commit += ' + local changes in src/'
    }
  } catch {
    // no git on the PATH: leave the commit unknown
  }
  return { commit, node: process.version, cores: availableParallelism(), platform: `${process.platform} ${process.arch}` }
}

/**
 * The 1-minute load average, rounded to 0.01: about the number of busy cores. On a 2-core machine
 * anything above about 0.5 before a run means another process competes for the cores.
 * @example
 * load1() // 0.12
 */
export function load1(): number {
  return Math.round(loadavg()[0] * 100) / 100
}
