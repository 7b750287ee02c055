/**
 * The other learners' part of `npm run bench`: each learner benchmark script runs in its own
 * process (quality against scikit-learn on the same folds, the categorical benchmark, speed
 * against gbdt and scikit-learn, the training job's parallel fits and the thread contention
 * micro-benchmark), and its printed table is kept for the report. `--quick` runs
 * the speed scripts on smaller data.
 */
import { relative } from 'node:path'
import { REPO_ROOT, runChild, scriptCommand } from './child.js'

/** One learner benchmark and the table it printed. */
export interface LearnerBenchmark {
  readonly name: string
  readonly command: string
  /** Exit code; the table is the script's stdout (or the end of its stderr when it failed). */
  readonly code: number
  readonly output: string
  readonly seconds: number
}

/**
 * The scripts, in the order the report shows them, with the arguments of a quick run; `compiled`
 * scripts run compiled once the bench is (child.ts), the others spawn TypeScript files of their own.
 */
export const LEARNER_SCRIPTS: readonly { readonly name: string; readonly file: string; readonly quick: readonly string[]; readonly compiled?: boolean }[] = [
  { name: 'linear vs scikit-learn (same folds)', file: 'linear-quality.ts', quick: [] },
  { name: 'random_forest and extra_trees vs scikit-learn (same folds)', file: 'forest-quality.ts', quick: [] },
  { name: 'oblivious with ordered target statistics vs gbdt on categorical codes', file: 'categorical.ts', quick: [], compiled: true },
  { name: 'oblivious training time vs gbdt', file: 'oblivious-speed.ts', quick: ['--rows', '100000'], compiled: true },
  { name: 'random_forest training time vs scikit-learn (n_jobs=2)', file: 'forest-speed.ts', quick: ['--rows', '20000'], compiled: true },
  { name: 'default quality ensemble on diabetes (gbdt + oblivious + random_forest + linear, stack) vs scikit-learn and XGBoost (same folds)', file: 'quality-ensemble.ts', quick: [] },
  { name: 'training job: members x folds on two worker threads vs one fit at a time', file: 'parallel-fits.ts', quick: ['--rows', '20000'], compiled: true },
  { name: 'random writes over a private array: two worker threads vs two processes', file: 'thread-contention.ts', quick: ['--updates', '100000000'] },
  { name: 'tuning: the seed walkthrough (script mode and built-in)', file: 'tune-seed.ts', quick: [] },
  { name: 'tuning: the member cache (ranges on one member of four)', file: 'tune-cache.ts', quick: ['--trials', '8'] },
  { name: 'tuning: 40 short trials through Redis with two worker processes vs the local pool', file: 'tune-scaleout.ts', quick: ['--trials', '12'] },
  { name: 'tuning: 40 trials on diabetes, one joint job vs a job per member', file: 'tune-quality.ts', quick: [] },
  { name: 'tuning: Hartmann-6 through the tuning job and a script estimator', file: 'tune-hartmann-job.ts', quick: ['--seeds', '3'] },
]

/**
 * Runs every learner script, one after the other.
 * @example
 * const results = await runLearnerBenchmarks(true, console.error)
 */
export async function runLearnerBenchmarks(quick: boolean, log: (line: string) => void): Promise<LearnerBenchmark[]> {
  const out: LearnerBenchmark[] = []
  for (const script of LEARNER_SCRIPTS) {
    const args = [...scriptCommand(script.file, script.compiled === true), ...(quick ? script.quick : [])]
    const t0 = performance.now()
    const { code, stdout, stderr } = await runChild(process.execPath, args)
    const seconds = Math.round(performance.now() - t0) / 1000
    log(`${script.name}: ${code === 0 ? 'done' : `failed (exit ${code})`} in ${seconds} s`)
    // A script that ran but missed its target (exit 1) still printed its table: keep it.
    const output = code === 0 ? stdout.trim() : [stdout.trim(), stderr.trim().split('\n').slice(-5).join('\n')].filter((t) => t !== '').join('\n\n')
    const command = args.map((a) => (a.startsWith(REPO_ROOT) ? relative(REPO_ROOT, a) : a)).join(' ')
    out.push({ name: script.name, command: `node ${command}`, code, output, seconds })
  }
  return out
}

/** The scripts' tables under one heading each, for the suite's markdown report. */
export function learnerBenchmarksMarkdown(results: readonly LearnerBenchmark[]): string {
  return results.map((r) => `### ${r.name}\n\n\`${r.command}\` (${r.seconds} s${r.code === 0 ? '' : `, exit ${r.code}`})\n\n${r.output}\n`).join('\n')
}
