/**
 * Sample efficiency of the search strategies on Hartmann-6 (6 continuous parameters in [0, 1],
 * global minimum -3.32237), through `optimize`: the median over seeds of the best value after 40
 * trials, for Random and Bayesian, one trial at a time and two at once (objectives that take
 * different numbers of event-loop turns, so parallel asks see Running trials). When Optuna imports
 * in the system Python, peers/tpe_peer.py runs Optuna's TPE on the same budget alongside.
 *
 * Target: Bayesian's median <= -2.565 (Optuna 3.1's TPE figure; random search reaches about
 * -1.36). Exits 1 when the target is missed.
 *
 * @example
 * // node --import tsx bench/tune-hartmann.ts [--seeds 10] [--trials 40] [--no-peer] [--json]
 */
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { getStrategy } from '../src/tune/strategies/index.js'
import { optimize } from '../src/tune/optimize.js'
import { HARTMANN6 } from '../src/tune/testing/functions.js'
import type { Strategy } from '../src/tune/types.js'
import { REPO_ROOT, runChild, runJsonChild } from './child.js'
import { PYTHON } from './peers.js'
import { markdownTable } from './table.js'

/** The figure to beat: Optuna 3.1's TPE, median best of 10 seeds after 40 trials. */
export const TARGET = -2.565

/** One strategy and parallelism's result over the seeds. */
export interface HartmannRow {
  readonly strategy: string
  readonly parallel: number
  readonly median: number
  readonly best: number
  readonly worst: number
  /** Mean and largest time of one strategy ask, in milliseconds. */
  readonly askMeanMs: number
  readonly askMaxMs: number
}

const median = (v: readonly number[]): number => {
  const s = [...v].sort((a, b) => a - b)
  return s.length % 2 === 1 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}

const turns = async (n: number): Promise<void> => {
  for (let i = 0; i < n; i++) await new Promise<void>((resolve) => setImmediate(resolve))
}

/** A strategy whose asks are timed into `times`. */
function timed(strategy: Strategy, times: number[]): Strategy {
  return {
    name: strategy.name,
    ask(history, n) {
      const t0 = performance.now()
      const out = strategy.ask(history, n)
      times.push(performance.now() - t0)
      return out
    },
  }
}

/**
 * Runs `strategy` on Hartmann-6 for each seed and summarises the best values.
 * @example await hartmannRow('Bayesian', 2, 10, 40)
 */
export async function hartmannRow(strategy: string, parallel: number, seeds: number, trials: number): Promise<HartmannRow> {
  const bests: number[] = []
  const times: number[] = []
  for (let seed = 0; seed < seeds; seed++) {
    const base = getStrategy(strategy, { ranges: HARTMANN6.ranges, direction: 'minimize', seed, maxJobs: trials })
    const { best } = await optimize({
      ranges: HARTMANN6.ranges,
      direction: 'minimize',
      strategy: timed(base, times),
      seed,
      maxJobs: trials,
      maxParallel: parallel,
      objective: async (params, trial) => {
        await turns(1 + (trial.number % 3))
        return HARTMANN6.evaluate(params)
      },
    })
    bests.push(best!.value!)
  }
  return {
    strategy,
    parallel,
    median: median(bests),
    best: Math.min(...bests),
    worst: Math.max(...bests),
    askMeanMs: times.reduce((a, b) => a + b, 0) / times.length,
    askMaxMs: Math.max(...times),
  }
}

/** Optuna's line from the peer script, or undefined when Optuna does not import. */
async function optunaPeer(seeds: number, trials: number): Promise<{ version: string; median_best: number } | undefined> {
  try {
    const probe = await runChild(PYTHON, ['-c', 'import optuna'])
    if (probe.code !== 0) return undefined
  } catch {
    return undefined
  }
  const script = join(REPO_ROOT, 'bench', 'peers', 'tpe_peer.py')
  const line = (await runJsonChild(PYTHON, [script, '--trials', String(trials), '--seeds', String(seeds), '--sampler', 'tpe'])) as { version: string; median_best: number }
  return line
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      seeds: { type: 'string', default: '10' },
      trials: { type: 'string', default: '40' },
      'no-peer': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
  })
  const seeds = Number(values.seeds)
  const trials = Number(values.trials)
  const rows: HartmannRow[] = []
  for (const strategy of ['Random', 'Bayesian']) for (const parallel of [1, 2]) rows.push(await hartmannRow(strategy, parallel, seeds, trials))
  const peer = values['no-peer'] ? undefined : await optunaPeer(seeds, trials)
  const bayesian = rows.find((r) => r.strategy === 'Bayesian' && r.parallel === 1)!
  const met = bayesian.median <= TARGET

  if (values.json) {
    console.log(JSON.stringify({ function: 'hartmann6', trials, seeds, optimum: HARTMANN6.minimum, target: TARGET, met, rows, optuna_tpe: peer ?? null }))
  } else {
    const f = (v: number): string => v.toFixed(4)
    const table = rows.map((r) => [r.strategy, String(r.parallel), f(r.median), `${f(r.best)} .. ${f(r.worst)}`, `${r.askMeanMs.toFixed(1)} / ${r.askMaxMs.toFixed(1)}`])
    if (peer) table.push([`Optuna ${peer.version} TPE`, '1', f(peer.median_best), '', ''])
    console.log(`Hartmann-6, ${trials} trials, ${seeds} seeds (optimum ${HARTMANN6.minimum}); target: Bayesian median <= ${TARGET}`)
    console.log(markdownTable(['strategy', 'parallel', 'median best', 'best .. worst seed', 'ask ms mean / max'], table))
    console.log(`target ${met ? 'met' : 'missed'}: Bayesian median ${f(bayesian.median)}`)
  }
  if (!met) process.exitCode = 1
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) await main()
