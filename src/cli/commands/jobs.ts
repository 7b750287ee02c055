/**
 * `consort jobs [list]` and `consort jobs describe ID`: the jobs in the tracking store of the
 * working directory, newest first, and one job's full record.
 */
import type { Command } from 'commander'
import { formatResources, type Resources } from '../../jobs/resources.js'
import { analyticsTable } from '../../jobs/tune/analytics.js'
import type { TuningSpec } from '../../jobs/tune/spec.js'
import { type JobRecord, TrackingStore } from '../../store/tracking/store.js'
import { requireJob, withStore } from '../store.js'
import { alignedTable } from '../table.js'
import { type CliIo, printJson, type RegisterCommand } from '../context.js'

/**
 * Registers `consort jobs`.
 * @example
 * registerJobs(new Command('consort'), processIo())
 */
export const registerJobs: RegisterCommand = (program: Command, io: CliIo): Command => {
  const jobs = program.command('jobs').description('list the jobs of this working directory, or describe one')
  jobs
    .command('list', { isDefault: true })
    .description('jobs, newest first')
    .option('--json', 'print one JSON object on the last line of stdout')
    .action((options: { json?: boolean }) => {
      const store = TrackingStore.open()
      try {
        const list = store.listJobs()
        if (options.json) return printJson(io, { jobs: list.map(({ spec: _spec, ...rest }) => rest) })
        for (const j of list) {
          const metric = Object.entries(j.metrics)[0]
          io.stdout(`${j.id}  ${j.status.padEnd(10)}  ${j.createdAt}  ${metric ? `${metric[0]} ${metric[1].toFixed(4)}` : (j.failureReason ?? '')}\n`)
        }
      } finally {
        store.close()
      }
    })
  jobs
    .command('describe')
    .argument('<id>', 'a job id from consort jobs list')
    .description("one job's spec, status, metrics, timings, artifact and failure reason")
    .option('--json', 'print one JSON object on the last line of stdout')
    .action((id: string, options: { json?: boolean }) =>
      withStore((store) => {
        const job = requireJob(store, id)
        if (options.json) return printJson(io, job.kind === 'tuning' ? { ...job, trials: store.listTrials(id) } : job)
        io.stdout(describeJob(job))
        if (job.kind === 'tuning') io.stdout(describeTuning(job, store))
      }),
    )
  return jobs
}

/** A tuning job's best training job, counters and trials as a table. */
function describeTuning(job: JobRecord, store: TrackingStore): string {
  const details = job.details as { counters?: Record<string, number>; best?: { job: string; number: number; objective: number; artifact: string | null } | null; completion?: string | null }
  const lines: string[] = []
  const best = details.best
  lines.push(`BestTrainingJob  ${best ? `${best.job} (trial ${best.number}, objective ${best.objective.toFixed(6)})` : '-'}`)
  if (details.counters) lines.push(`counters         ${Object.entries(details.counters).map(([k, v]) => `${k} ${v}`).join(', ')}`)
  if (details.completion) lines.push(`completion       ${details.completion}`)
  const ranges = (job.spec as TuningSpec).ranges.map((r) => r.name)
  const table = analyticsTable(store.listTrials(job.id), ranges)
  return `${lines.join('\n')}\ntrials\n${alignedTable(table.columns, table.rows)}`
}

/** A job's record for reading: one line per fact, then the spec it ran. */
function describeJob(job: JobRecord): string {
  const pairs = (values: Readonly<Record<string, number>>, unit = ''): string =>
    Object.entries(values)
      .map(([name, value]) => `${name} ${Number.isInteger(value) ? value : value.toFixed(4)}${unit}`)
      .join(', ')
  const rows: [string, string][] = [
    ['job', `${job.id} (${job.kind}, ${job.name})`],
    ['status', job.status],
    ['created', job.createdAt],
    ['updated', job.updatedAt],
  ]
  if (job.failureReason !== null) rows.push(['reason', job.failureReason])
  if (Object.keys(job.metrics).length > 0) rows.push(['metrics', pairs(job.metrics)])
  if ('wallSeconds' in job.resources) rows.push(['resources', formatResources(job.resources as unknown as Resources)])
  if (Object.keys(job.timings).length > 0) rows.push(['timings', pairs(job.timings, ' s')])
  if (job.artifact !== null) rows.push(['artifact', job.artifact])
  if (job.dataFingerprint !== null) rows.push(['data', `sha256 ${job.dataFingerprint}`])
  const width = Math.max(...rows.map(([name]) => name.length))
  return rows.map(([name, value]) => `${name.padEnd(width)}  ${value}\n`).join('') + `spec\n${JSON.stringify(job.spec, null, 2)}\n`
}
