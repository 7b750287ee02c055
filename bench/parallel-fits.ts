/**
 * The training job's members x folds parallelism: the same job run one fit at a time and two fits
 * side by side on worker threads. Target: two workers >= 1.7x faster than one worker on a 100k-row
 * job, on 2 cores.
 *
 * The job: gbdt (num_round 100, max_depth 6, eta 0.1) + oblivious (iterations 100, depth 6),
 * blended by their mean, on the synthetic 100k x 8 regression CSV (bench/synthetic.ts, seed 1),
 * 5 folds and a final refit: 12 fits. Three configurations of `trainEnsemble`, each run twice in
 * this process (interleaved a, b, c, a, b, c), the faster run reported:
 *
 * - (a) `workers: 1, threads: 1`: one fit at a time, one thread;
 * - (b) `workers: 1, threads: 0`: one fit at a time, each learner on all cores;
 * - (c) `workers: 2`: two fits side by side on worker threads, each single threaded.
 *
 * Wall and CPU seconds are the job's own (`result.resources`: reading, binning, fits, blend, save);
 * the fits column is the fits stage alone. The job's metrics must be identical in every run
 * (exactly, not within a tolerance); the script says so, and exits 1 when they differ or the
 * target is missed. `--rows N` runs a smaller job (the target is stated for 100k rows); `--json`
 * adds one JSON line at the end.
 *
 * @example
 * // node --import tsx bench/parallel-fits.ts [--rows 100000] [--json]
 * // | configuration                           | wall s | CPU s | fits s | ...
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { availableParallelism, tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { parseSpec, type MembersSpec } from '../src/jobs/spec/index.js'
import { trainEnsemble, type TrainResult } from '../src/jobs/train.js'
import { syntheticCsv } from './datasets.js'
import { load1 } from './machine.js'
import { markdownTable } from './table.js'

const TARGET = 1.7
const TARGET_ROWS = 100_000
const RUNS = 2

interface Config {
  readonly key: 'a' | 'b' | 'c'
  readonly label: string
  readonly workers: number
  readonly threads?: number
}

const CONFIGS: readonly Config[] = [
  { key: 'a', label: '(a) workers 1, threads 1: one fit at a time, one thread', workers: 1, threads: 1 },
  { key: 'b', label: '(b) workers 1, threads 0: one fit at a time, all cores', workers: 1, threads: 0 },
  { key: 'c', label: '(c) workers 2: two fits side by side', workers: 2 },
]

interface Run {
  readonly wall: number
  readonly cpu: number
  readonly fits: number
  readonly load: number
  readonly metrics: Readonly<Record<string, number>>
}

function jobSpec(train: string): MembersSpec {
  const spec = parseSpec({
    name: 'parallel-fits',
    task: 'regression',
    target: 'y',
    channels: { train },
    cv: { folds: 5, seed: 0 },
    metric: 'rmse',
    members: {
      gbdt: { learner: 'gbdt', params: { num_round: 100, max_depth: 6, eta: 0.1 } },
      oblivious: { learner: 'oblivious', params: { iterations: 100, depth: 6 } },
    },
    blend: { method: 'mean' },
    final: 'refit',
  })
  if (spec.kind !== 'ensemble') throw new Error('expected a built-in ensemble spec')
  return spec
}

async function runOnce(spec: MembersSpec, config: Config, outDir: string): Promise<Run> {
  const load = load1()
  const result: TrainResult = await trainEnsemble(spec, { outDir, workers: config.workers, ...(config.threads === undefined ? {} : { threads: config.threads }) })
  return { wall: result.resources.wallSeconds, cpu: result.resources.cpuSeconds, fits: result.timings.fits, load, metrics: result.metrics }
}

/** Both records hold the same names with exactly the same values. */
function sameMetrics(a: Readonly<Record<string, number>>, b: Readonly<Record<string, number>>): boolean {
  const keys = Object.keys(a)
  return keys.length === Object.keys(b).length && keys.every((k) => Object.is(a[k], b[k]))
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { rows: { type: 'string', default: String(TARGET_ROWS) }, json: { type: 'boolean', default: false } } })
  const rows = Number(values.rows)
  const log = (line: string): void => console.error(line)
  const train = await syntheticCsv({ rows, features: 8, task: 'regression', missing: 0, seed: 1 })
  const spec = jobSpec(train)
  const nFits = Object.keys(spec.members).length * (spec.cv.folds + (spec.final === 'refit' ? 1 : 0))
  const dir = mkdtempSync(join(tmpdir(), 'consort-parallel-fits-'))
  const runs = new Map<Config['key'], Run[]>(CONFIGS.map((c) => [c.key, []]))
  try {
    for (let r = 0; r < RUNS; r++) {
      for (const config of CONFIGS) {
        const run = await runOnce(spec, config, join(dir, `${config.key}${r}`))
        runs.get(config.key)!.push(run)
        log(`run ${r + 1}/${RUNS} ${config.label}: ${run.wall.toFixed(2)} s wall, ${run.cpu.toFixed(2)} s CPU (load before ${run.load})`)
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }

  const best = (key: Config['key']): Run => runs.get(key)!.reduce((x, y) => (y.wall < x.wall ? y : x))
  const [a, b, c] = [best('a'), best('b'), best('c')]
  const all = [...runs.values()].flat()
  const identical = all.every((run) => sameMetrics(run.metrics, all[0].metrics))
  const overA = a.wall / c.wall
  const overB = b.wall / c.wall
  const met = overA >= TARGET

  console.log(`training job, members x folds on worker threads: ${rows} x 8 synthetic regression, gbdt (100 rounds, depth 6, eta 0.1) + oblivious (100 iterations, depth 6), mean blend,`)
  console.log(`${spec.cv.folds} folds + final refit = ${nFits} fits; ${availableParallelism()} cores; each configuration run ${RUNS} times in this process (interleaved), the faster run shown\n`)
  const row = (config: Config, run: Run, speedups: string[]): string[] => [
    config.label, run.wall.toFixed(2), run.cpu.toFixed(2), run.fits.toFixed(2), (run.cpu / run.wall).toFixed(2),
    runs.get(config.key)!.map((x) => x.wall.toFixed(2)).join(', '), ...speedups,
  ]
  console.log(
    markdownTable(
      ['configuration', 'wall s', 'CPU s', 'fits s', 'CPU / wall', 'wall s of each run', '(c) faster by'],
      [row(CONFIGS[0], a, [`${overA.toFixed(2)}x`]), row(CONFIGS[1], b, [`${overB.toFixed(2)}x`]), row(CONFIGS[2], c, [''])],
    ),
  )
  console.log('')
  const scope = rows === TARGET_ROWS ? '' : ` (the target is stated for ${TARGET_ROWS} rows; this run has ${rows})`
  console.log(`target: (c) two workers >= ${TARGET}x faster than (a) one worker, one thread, on 2 cores: ${overA.toFixed(2)}x -> ${met ? 'met' : 'NOT met'}${scope}`)
  console.log(`  (c) over (b), one fit at a time with each learner on all cores: ${overB.toFixed(2)}x`)
  const m = all[0].metrics
  console.log(identical
    ? `- metrics identical in all ${all.length} runs (exact equality of every value): ${Object.entries(m).map(([k, v]) => `${k} ${v}`).join(', ')}`
    : `- metrics DIFFER between runs: ${all.map((run) => JSON.stringify(run.metrics)).join(' / ')}`)
  console.log('- wall and CPU s are the whole job (read, bin, fits, blend, save); fits s is the fits stage alone. CPU / wall near 1 is one busy core, near 2 both.')
  if (values.json) {
    console.log(JSON.stringify({ rows, fits: nFits, cores: availableParallelism(), target: TARGET, met, identical, speedup_over_a: overA, speedup_over_b: overB, runs: Object.fromEntries(runs), metrics: m }))
  }
  if (!met || !identical) process.exitCode = 1
}

await main()
