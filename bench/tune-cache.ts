/**
 * The member cache of the tuning job: a 20-trial job whose ranges touch one member of the four in
 * the default quality ensemble (gbdt's eta and max_depth), run with the cache and without it. The
 * trials must be the same (same proposals, same objectives, bit for bit); the target is a speed-up
 * of at least 2x with the cache. Exits 1 when the trials differ or the target is missed.
 *
 * @example
 * // node --import tsx bench/tune-cache.ts [--trials 20]
 * // | configuration | wall s | CPU s | fits | cache hit rate | best cv:rmse |
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { TrackingStore } from '../src/store/tracking/store.js'
import { parseTuningSpec } from '../src/jobs/tune/spec.js'
import { tune, type TuneResult } from '../src/jobs/tune/tune-job.js'
import { markdownTable } from './table.js'

const TARGET = 2
const EXAMPLES = fileURLToPath(new URL('../examples/diabetes/', import.meta.url))

const { values } = parseArgs({ options: { trials: { type: 'string', default: '20' } } })
const trials = Number(values.trials)

async function run(memberCache: boolean, tracking: string): Promise<{ result: TuneResult; objectives: (number | null)[] }> {
  const spec = await parseTuningSpec(
    {
      name: 'cache',
      estimator: 'quality.yaml',
      objective: { metric: 'cv:rmse', type: 'Minimize' },
      ranges: {
        'members.gbdt.params.eta': { type: 'continuous', min: 0.005, max: 0.1, scaling: 'Logarithmic' },
        'members.gbdt.params.max_depth': { type: 'integer', min: 1, max: 4 },
      },
      strategy: 'Bayesian',
      max_jobs: trials,
      max_parallel_jobs: 1,
      random_seed: 3,
    },
    { baseDir: EXAMPLES },
  )
  const result = await tune(spec, { tracking, memberCache })
  const store = TrackingStore.open(tracking)
  const objectives = store.listTrials(result.job).map((t) => t.value)
  store.close()
  return { result, objectives }
}

const dir = mkdtempSync(join(tmpdir(), 'consort-bench-cache-'))
try {
  const without = await run(false, join(dir, 'without'))
  const withCache = await run(true, join(dir, 'with'))
  const row = (label: string, r: TuneResult) => [
    label,
    r.cost.wallSeconds.toFixed(2),
    r.cost.cpuSeconds.toFixed(2),
    String(r.cost.fits),
    `${(100 * r.cost.cacheHitRate).toFixed(0)}%`,
    r.best!.objective.toFixed(4),
  ]
  console.log(markdownTable(['configuration', 'wall s', 'CPU s', 'fits', 'cache hit rate', 'best cv:rmse'], [row('member cache off', without.result), row('member cache on', withCache.result)]))
  const same = JSON.stringify(without.objectives) === JSON.stringify(withCache.objectives)
  const speedup = without.result.cost.wallSeconds / withCache.result.cost.wallSeconds
  console.log(`\n${trials} trials, ranges on gbdt only (1 member of 4): speed-up with the cache ${speedup.toFixed(2)}x (target >= ${TARGET}x); trials identical: ${same ? 'yes' : 'NO'}`)
  if (!same || speedup < TARGET) process.exitCode = 1
} finally {
  rmSync(dir, { recursive: true, force: true })
}
