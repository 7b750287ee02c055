/**
 * `consort tune SPEC [--set k=v]... [--resume ID] [--executor redis://HOST:PORT [--shared-dir DIR]]
 * [--json]`: the tuning job, its trials in this process or on `consort worker` processes. Progress (done,
 * running, failed, best so far) goes to stderr, one line per finished trial; it ends with the best
 * training job, and with `--json` one JSON object ends stdout. `consort tune analytics ID [--csv]`
 * prints one row per trial with the columns of SageMaker's analytics. Ctrl-C stops the job; the
 * trials that were running run again with `--resume ID`.
 */
import type { Command } from 'commander'
import { ParamError } from '../../errors.js'
import { parseRedisUrl } from '../../exec/redis/redis-url.js'
import { formatResources } from '../../jobs/resources.js'
import { analyticsTable, toCsv } from '../../jobs/tune/analytics.js'
import type { TuningSpec } from '../../jobs/tune/spec.js'
import { RedisExecutor } from '../../jobs/tune/redis-executor.js'
import { tune, type TuneEvent } from '../../jobs/tune/tune-job.js'
import { DirStore } from '../../store/shared/dir-store.js'
import { type CliIo, printJson, type RegisterCommand } from '../context.js'
import { parsePositiveInteger } from '../options.js'
import { requireJob, withStore } from '../store.js'
import { alignedTable } from '../table.js'
import { DEFAULT_SHARED_DIR } from './worker.js'

interface TuneCliOptions {
  readonly set: string[]
  readonly resume?: string
  readonly workers?: number
  readonly executor?: string
  readonly sharedDir?: string
  readonly json?: boolean
}

/**
 * Registers `consort tune` and `consort tune analytics`.
 * @example registerTune(new Command('consort'), processIo())
 */
export const registerTune: RegisterCommand = (program: Command, io: CliIo): Command => {
  const command = program
    .command('tune')
    .argument('[spec]', 'tuning spec (YAML or JSON)')
    .description("tune every member's hyperparameters together against the ensemble's metric (Random, Grid, Bayesian, Hyperband)")
    .option('--set <key=value>', 'override a tuning spec field, e.g. max_jobs=8 (repeatable)', (v: string, all: string[]) => [...all, v], [])
    .option('--resume <id>', 'continue a tuning job that was stopped or killed')
    .option('--workers <n>', 'fits side by side on worker threads, for all trials together (default: one per core)', parsePositiveInteger)
    .option('--executor <url>', 'run the trials on `consort worker` processes through this Redis: redis://HOST:PORT')
    .option('--shared-dir <dir>', `with --executor: the folder the workers share, for data and models (default: ${DEFAULT_SHARED_DIR})`)
    .option('--json', 'print one JSON object on the last line of stdout')
    .action(async (spec: string | undefined, options: TuneCliOptions) => runTune(spec, options, io))
  command
    .command('analytics')
    .argument('<id>', 'a tuning job id')
    .description('one row per trial: its parameters, status, objective, start, end and elapsed seconds')
    .option('--csv', 'print CSV instead of an aligned table')
    .action((id: string, options: { csv?: boolean }) =>
      withStore((store) => {
        const job = requireJob(store, id, 'tuning')
        const table = analyticsTable(store.listTrials(id), (job.spec as TuningSpec).ranges.map((r) => r.name))
        io.stdout(options.csv ? toCsv(table) : alignedTable(table.columns, table.rows))
      }),
    )
  return command
}

async function runTune(spec: string | undefined, options: TuneCliOptions, io: CliIo): Promise<void> {
  if (spec === undefined && options.resume === undefined) throw new ParamError('give a tuning spec, or --resume ID to continue one', { field: 'spec' })
  if (options.executor === undefined && options.sharedDir !== undefined) throw new ParamError('--shared-dir acts only with --executor redis://HOST:PORT', { field: '--shared-dir' })
  if (options.executor !== undefined && options.workers !== undefined) throw new ParamError("--workers sets this process's fit threads, and with --executor trials run on the workers: give --workers to each `consort worker`", { field: '--workers' })
  const executor = options.executor === undefined ? undefined : await RedisExecutor.open(parseRedisUrl(options.executor, '--executor'), { store: new DirStore(options.sharedDir ?? DEFAULT_SHARED_DIR) })
  const controller = new AbortController()
  const stop = () => controller.abort(new Error('stopped by the user'))
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
  try {
    const result = await tune(spec ?? null, {
      set: options.set,
      resume: options.resume,
      workers: options.workers,
      executor,
      signal: controller.signal,
      onEvent: (event) => io.stderr(progressLine(event)),
    })
    const best = result.best
    if (best) {
      io.stdout(`best training job: ${best.job} (trial ${best.number}), objective ${best.objective.toFixed(6)}\n`)
      io.stdout(`  params: ${Object.entries(best.params).map(([k, v]) => `${k}=${v}`).join(', ')}\n`)
      if (best.artifact) io.stdout(`  artifact: ${best.artifact}\n`)
    } else io.stdout('no trial completed\n')
    const selection = result.ensembleSelection
    if (selection) {
      const members = selection.members.map((m) => `trial ${m.trial} x${m.weight.toFixed(2)}`).join(', ')
      io.stdout(`ensemble selection across trials: objective ${selection.objective.toFixed(6)} (${selection.kept ? 'kept: better than' : 'not kept: no better than'} the best trial's ${selection.bestTrialObjective.toFixed(6)}); ${members}\n`)
    }
    if (result.overallBest && result.overallBest.job !== best?.job) {
      io.stdout(`overall best with the warm start's parents: ${result.overallBest.job}, objective ${result.overallBest.objective.toFixed(6)}\n`)
    }
    if (result.completion) io.stdout(`completed early: ${result.completion}\n`)
    const c = result.cost
    io.stderr(`tuning job ${result.job}: ${c.trials} trials, ${c.fits} fits, member cache hit rate ${(100 * c.cacheHitRate).toFixed(0)}% (${formatResources(c)})\n`)
    if (options.json) {
      printJson(io, {
        job: result.job,
        status: result.status,
        counters: result.counters,
        objective_counters: result.objectiveCounters,
        best: best && { job: best.job, trial: best.number, params: best.params, objective: best.objective, artifact: best.artifact },
        overall_best: result.overallBest && { job: result.overallBest.job, objective: result.overallBest.objective },
        ensemble_selection: selection && selection.kept ? { objective: selection.objective, members: selection.members } : null,
        ensemble_selection_considered: selection,
        completion: result.completion,
        cost: c,
      })
    }
  } finally {
    process.off('SIGINT', stop)
    process.off('SIGTERM', stop)
    await executor?.close()
  }
}

/** One stderr line per event worth a line: the start, each finished trial with the counts so far. */
function progressLine(event: TuneEvent): string {
  switch (event.type) {
    case 'start':
      return `tuning job ${event.job}: up to ${event.maxJobs} trials${event.resumed > 0 ? ` (resuming after ${event.resumed})` : ''}\n`
    case 'trial-start':
      return `trial ${event.number} started: ${Object.entries(event.params).map(([k, v]) => `${k}=${typeof v === 'number' ? +v.toPrecision(6) : v}`).join(' ')}\n`
    case 'trial-end':
      return `trial ${event.number} ${event.state}${event.value !== null ? ` ${event.value.toFixed(6)}` : ''}${event.reason ? ` (${event.reason})` : ''}\n`
    case 'progress': {
      const c = event.counters
      return `  done ${c.Completed + c.Stopped + c.Failed}, running ${c.InProgress}, failed ${c.Failed}, stopped early ${c.Stopped}; best ${event.best === null ? '-' : event.best.toFixed(6)}\n`
    }
  }
}
