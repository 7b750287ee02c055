/**
 * The tuning job (SageMaker Automatic Model Tuning, for a whole ensemble): one job that searches
 * the ranges of every member, the blend and member on/off switches together against the
 * ensemble's own metric. The process is the coordinator: it owns the study in the tracking store,
 * asks the strategy for trials, runs up to `max_parallel_jobs` of them through an
 * {@link Executor}, records each as a training job, stops weak ones early, and ends at `max_jobs`
 * trials or a completion criterion. Killed and started again with `resume`, it re-runs only the
 * trials that were running and ends with exactly `max_jobs`.
 */
import { randomBytes } from 'node:crypto'
import { rmSync } from 'node:fs'
import { basename, extname, join } from 'node:path'
import { ParamError } from '../../errors.js'
import { TrackingStore, type TrialRecord } from '../../store/tracking/store.js'
import { completionCheck } from '../../tune/completion.js'
import { optimize, type OptimizeOptions, type OptimizeResult } from '../../tune/optimize.js'
import { medianPruner } from '../../tune/pruners/median.js'
import { wilcoxonPruner } from '../../tune/pruners/wilcoxon.js'
import { createSpace } from '../../tune/space.js'
import { getStrategy } from '../../tune/strategies/index.js'
import type { Params, Pruner, Strategy, TrialView } from '../../tune/types.js'
import { ResourceMeter, type Resources } from '../resources.js'
import { jobId } from '../train-job.js'
import { checkRangesBind } from './apply.js'
import { failureKind } from './failure-kind.js'
import type { Executor, TrialResult } from './executor.js'
import { LocalExecutor } from './local-executor.js'
import { selectAcrossTrials, type EnsembleSelection } from './selection.js'
import { loadTuningSpec, type TuningSpec } from './spec.js'

export interface TuneOptions {
  /** `key=value` overrides of the tuning spec's fields (`max_jobs=8`). */
  readonly set?: readonly string[]
  /** Folder of the tracking store (`.consort` by default). */
  readonly tracking?: string
  /** Where trials run; a {@link LocalExecutor} of `max_parallel_jobs` trials when absent. */
  readonly executor?: Executor
  /** Fits side by side on worker threads for the local executor (default one per core). */
  readonly workers?: number
  /** False turns the local executor's member cache off (to measure what it saves). */
  readonly memberCache?: boolean
  readonly signal?: AbortSignal
  readonly onEvent?: (event: TuneEvent) => void
}

export type TuneEvent =
  | { readonly type: 'start'; readonly job: string; readonly maxJobs: number; readonly resumed: number }
  | { readonly type: 'trial-start'; readonly number: number; readonly params: Params }
  | { readonly type: 'trial-end'; readonly number: number; readonly state: TrialRecord['state']; readonly value: number | null; readonly reason?: string }
  | { readonly type: 'progress'; readonly counters: TrialCounters; readonly best: number | null }

/** SageMaker's TrainingJobStatusCounters, and Failed as their sum where one number is wanted. */
export interface TrialCounters {
  readonly Completed: number
  readonly InProgress: number
  readonly RetryableError: number
  readonly NonRetryableError: number
  readonly Stopped: number
  readonly Failed: number
}

/** SageMaker's ObjectiveStatusCounters. */
export interface ObjectiveCounters {
  readonly Succeeded: number
  readonly Pending: number
  readonly Failed: number
}

/** The best trial: its training job, parameters, objective and model. */
export interface BestTrial {
  readonly job: string
  readonly number: number
  readonly params: Params
  readonly objective: number
  readonly artifact: string | null
}

/** What `consort tune --json` prints. */
export interface TuneResult {
  readonly job: string
  readonly status: 'Completed' | 'Stopped'
  readonly counters: TrialCounters
  readonly objectiveCounters: ObjectiveCounters
  readonly best: BestTrial | null
  /**
   * With a warm start on identical data and algorithm, the best trial of this job and its parents
   * together (SageMaker's OverallBestTrainingJob); null otherwise.
   */
  readonly overallBest: BestTrial | null
  /** Why the job ended before `max_jobs` trials (a completion criterion), if it did. */
  readonly completion: string | null
  readonly ensembleSelection: EnsembleSelection | null
  /** What the job cost: the process's resources, fits trained and the member cache's hit rate. */
  readonly cost: TuningCost
}

export interface TuningCost extends Resources {
  readonly trials: number
  readonly fits: number
  /** Members taken from the member cache over members asked for, in this run. */
  readonly cacheHitRate: number
}

/** A trial stopped early by the pruner (not an error of the trial). */
class PrunedError extends Error {}

/**
 * Runs (or with `resume`, continues) the tuning job of `spec`: a tuning spec file or a parsed spec.
 * Given an objective function instead, tunes it in this process with the same strategies,
 * pruners and completion criteria (see {@link optimize}), recording nothing.
 * @throws ParamError for a bad spec, ranges that bind to nothing or are out of a learner's bounds,
 *   an objective no trial reports, or a resume id that is not a tuning job.
 * @example
 * const result = await tune('tuning.yaml')
 * console.log(result.best?.job, result.best?.objective, result.counters)
 * const { best } = await tune({ ranges, direction: 'minimize', maxJobs: 30, objective: async (params, trial) => score(params) })
 */
export function tune(objective: OptimizeOptions): Promise<OptimizeResult>
export function tune(spec: string | TuningSpec | null, options?: TuneOptions & { resume?: string }): Promise<TuneResult>
export function tune(spec: string | TuningSpec | OptimizeOptions | null, options: TuneOptions & { resume?: string } = {}): Promise<TuneResult | OptimizeResult> {
  if (spec !== null && typeof spec === 'object' && 'objective' in spec && typeof spec.objective === 'function') return optimize(spec as OptimizeOptions)
  return tuneJob(spec as string | TuningSpec | null, options)
}

async function tuneJob(spec: string | TuningSpec | null, options: TuneOptions & { resume?: string }): Promise<TuneResult> {
  const store = TrackingStore.open(options.tracking)
  try {
    return await runTuning(spec, store, options)
  } finally {
    store.close()
  }
}

async function runTuning(specArg: string | TuningSpec | null, store: TrackingStore, options: TuneOptions & { resume?: string }): Promise<TuneResult> {
  const meter = new ResourceMeter()
  const { spec, job, resumed, strategy, warm } = await openJob(specArg, store, options)
  const emit = options.onEvent ?? (() => undefined)
  const trackingDir = options.tracking ?? '.consort'
  const executor = options.executor ?? new LocalExecutor({ capacity: spec.maxParallelJobs, workers: options.workers, counters: meter.counters, memberCache: options.memberCache })
  const capacity = Math.min(spec.maxParallelJobs, executor.capacity)
  // Hyperband brings its own rungs; the other strategies take the spec's early-stopping rule.
  const pruner = strategy.pruner ?? pruneRule(spec)
  const deadline = spec.maxRuntimeSeconds === undefined ? Infinity : performance.now() + spec.maxRuntimeSeconds * 1000

  const views = new Map<number, TrialView>()
  const records = new Map<number, TrialRecord>()
  for (const t of store.listTrials(job)) {
    records.set(t.number, t)
    views.set(t.number, { number: t.number, params: t.params, state: t.state, ...(t.value !== null && { value: t.value }), intermediate: t.intermediate })
  }
  // Trials that were running when the job was killed run again, under their numbers.
  const rerun = [...records.values()].filter((t) => t.state === 'Running').map((t) => t.number)
  emit({ type: 'start', job, maxJobs: spec.maxJobs, resumed })

  const stop = new AbortController()
  const onAbort = () => stop.abort(options.signal?.reason)
  options.signal?.addEventListener('abort', onAbort, { once: true })
  const running = new Map<number, { readonly controller: AbortController; readonly done: Promise<void> }>()
  const results = new Map<number, TrialResult>()
  let fits = 0
  let cacheAsked = 0
  let cacheHits = 0
  let fatal: unknown = null
  let completion: string | null = null
  let best: BestTrial | null = bestOf(spec, records, store)

  const history = (): TrialView[] => [...warm, ...[...views.values()].sort((a, b) => a.number - b.number)]
  const counters = (): TrialCounters => countTrials(views, records)

  const startTrial = (number: number, params: Params): void => {
    store.startTrial(job, number, params)
    const trainingJob = `${job}-${String(number).padStart(3, '0')}-${randomBytes(2).toString('hex')}`
    store.createJob({ id: trainingJob, kind: 'training', name: `${spec.name}-${number}`, spec: { params, training: spec.training }, parentId: job })
    store.updateTrial(job, number, { trainingJob })
    const view: { -readonly [K in keyof TrialView]: TrialView[K] } = { number, params, state: 'Running', intermediate: [] }
    views.set(number, view)
    const controller = new AbortController()
    const signal = AbortSignal.any([controller.signal, stop.signal])
    const intermediate: [number, number][] = []
    emit({ type: 'trial-start', number, params })
    const done = executor
      .run(
        {
          tuningJob: job,
          number,
          trainingJob,
          params,
          training: spec.training,
          trainingBaseDir: spec.trainingBaseDir,
          trainingFile: spec.trainingFile,
          outDir: join(trackingDir, 'jobs', trainingJob),
          objective: spec.objective.metric,
        },
        {
          signal,
          report: (step, value) => {
            if (view.state !== 'Running' || signal.aborted) return
            intermediate.push([step, value])
            view.intermediate = [...intermediate]
            store.updateTrial(job, number, { intermediate })
            if (pruner?.shouldStop(view, history(), { direction: spec.objective.direction })) controller.abort(new PrunedError(`stopped early at step ${step}`))
          },
        },
      )
      .then(
        (result) => {
          fits += result.fits
          cacheAsked += result.members
          cacheHits += result.cachedMembers
          const value = result.metrics[spec.objective.metric]
          if (value === undefined) {
            const reported = Object.keys(result.metrics).join(', ') || 'none'
            throw new ParamError(`the objective metric '${spec.objective.metric}' is not among the metrics the trial reports (${reported})`, { field: 'objective.metric' })
          }
          results.set(number, result)
          finishTrial(number, trainingJob, { state: 'Completed', value, intermediate }, result)
        },
        (err: unknown) => {
          if (err instanceof PrunedError || controller.signal.aborted) {
            const last = intermediate.length > 0 ? intermediate[intermediate.length - 1][1] : undefined
            finishTrial(number, trainingJob, { state: 'Stopped', value: last, intermediate, reason: (controller.signal.reason as Error).message })
          } else if (stop.signal.aborted) {
            // The whole job stops: the trial stays Running in the store, to run again on resume.
            store.endJob(trainingJob, 'Stopped', 'the tuning job was stopped')
          } else {
            finishTrial(number, trainingJob, { state: 'Failed', failureKind: failureKind(err), intermediate, reason: err instanceof Error ? err.message : String(err) })
          }
        },
      )
      .catch((err: unknown) => {
        fatal ??= err
        stop.abort(err)
      })
      .finally(() => running.delete(number))
    running.set(number, { controller, done })
  }

  const finishTrial = (
    number: number,
    trainingJob: string,
    outcome: { state: 'Completed' | 'Failed' | 'Stopped'; value?: number; intermediate: [number, number][]; failureKind?: 'RetryableError' | 'NonRetryableError'; reason?: string },
    result?: TrialResult,
  ): void => {
    if (!store.endTrial(job, number, { ...outcome, trainingJob })) return
    if (result) {
      store.completeJob(trainingJob, { metrics: result.metrics, timings: result.timings, resources: { ...result.resources }, artifact: result.artifact, dataFingerprint: result.dataFingerprint })
    } else store.endJob(trainingJob, outcome.state === 'Stopped' ? 'Stopped' : 'Failed', outcome.reason ?? '')
    const record = store.listTrials(job).find((t) => t.number === number)!
    records.set(number, record)
    views.set(number, { number, params: record.params, state: record.state, ...(record.value !== null && { value: record.value }), intermediate: record.intermediate })
    emit({ type: 'trial-end', number, state: outcome.state, value: outcome.value ?? null, reason: outcome.reason })
    if (outcome.state === 'Completed') {
      const previous = best
      const candidate = bestOf(spec, records, store)
      if (candidate && candidate.number === number) {
        best = { ...candidate, artifact: result!.artifact }
        if (previous && spec.keepArtifacts === 'best') dropArtifact(store, previous.job, previous.artifact)
      } else if (spec.keepArtifacts === 'best') dropArtifact(store, trainingJob, result!.artifact)
    }
    emit({ type: 'progress', counters: counters(), best: best?.objective ?? null })
    store.setDetails(job, details(counters(), best, completion))
  }

  try {
    for (;;) {
      if (!stop.signal.aborted && performance.now() >= deadline) {
        completion ??= `max_runtime_seconds (${spec.maxRuntimeSeconds}) reached`
        for (const r of running.values()) r.controller.abort(new PrunedError('max_runtime_seconds reached'))
      }
      const stopping = stop.signal.aborted || completion !== null
      while (!stopping && running.size < capacity) {
        const number = rerun.shift()
        if (number !== undefined) {
          startTrial(number, records.get(number)!.params)
          continue
        }
        if (views.size >= spec.maxJobs) break
        const [params] = strategy.ask(history(), 1)
        if (params === undefined) break
        startTrial(nextNumber(views), params)
      }
      if (running.size === 0) break
      const waits = [...running.values()].map((r) => r.done)
      if (Number.isFinite(deadline)) waits.push(sleep(Math.max(0, deadline - performance.now())))
      await Promise.race(waits)
      if (completion === null && !stop.signal.aborted) {
        completion = completionCheck(history(), { direction: spec.objective.direction, ...completionOptions(spec) })
        if (completion !== null) for (const r of running.values()) r.controller.abort(new PrunedError(`the tuning job completed: ${completion}`))
      }
    }
    if (fatal !== null) throw fatal
    if (options.signal?.aborted) throw options.signal.reason instanceof Error ? options.signal.reason : new Error('the tuning job was stopped')
    const selection = await selectAcrossTrials(executor, spec, records, results)
    const resources = meter.finish()
    const cost: TuningCost = { ...resources, trials: views.size, fits, cacheHitRate: cacheAsked === 0 ? 0 : cacheHits / cacheAsked }
    const final = { ...details(counters(), best, completion), ensembleSelection: selection, cost }
    store.setDetails(job, final)
    store.completeJob(job, {
      metrics: best ? { [spec.objective.metric]: best.objective } : {},
      timings: { total: resources.wallSeconds },
      resources: { ...resources },
      artifact: best?.artifact ?? '',
    })
    const overallBest = spec.warmStart?.type === 'IdenticalDataAndAlgorithm' ? overallBestOf(spec, store, best) : null
    if (overallBest) store.setDetails(job, { ...final, overallBest })
    return { job, status: 'Completed', counters: counters(), objectiveCounters: objectiveCounts(views), best, overallBest, completion, ensembleSelection: selection, cost }
  } catch (err) {
    stop.abort(err)
    await Promise.allSettled([...running.values()].map((r) => r.done))
    store.endJob(job, options.signal?.aborted ? 'Stopped' : 'Failed', err instanceof Error ? err.message : String(err), { ...meter.finish() })
    throw err
  } finally {
    options.signal?.removeEventListener('abort', onAbort)
    if (!options.executor) await executor.close()
  }
}

/** What a tuning job starts from: its spec and record, and everything checked before any trial. */
interface OpenedJob {
  readonly spec: TuningSpec
  readonly job: string
  /** Trials already recorded (a resumed job). */
  readonly resumed: number
  readonly strategy: Strategy
  /** The warm start's parent trials, numbered below 0 (see {@link warmStartTrials}). */
  readonly warm: readonly TrialView[]
}

/**
 * Loads and checks the spec (ranges against the learners, the strategy, the warm start's parents)
 * and records a new tuning job, or reopens the one `resume` names. Nothing is recorded for a spec
 * that fails a check.
 */
async function openJob(specArg: string | TuningSpec | null, store: TrackingStore, options: TuneOptions & { resume?: string }): Promise<OpenedJob> {
  if (options.resume !== undefined) {
    const record = store.getJob(options.resume)
    if (!record) throw new ParamError(`no job '${options.resume}' in the tracking store`, { field: 'resume' })
    if (record.kind !== 'tuning') throw new ParamError(`job '${options.resume}' is a ${record.kind} job, not a tuning job`, { field: 'resume' })
    if (record.status === 'Completed') throw new ParamError(`tuning job '${options.resume}' has already completed`, { field: 'resume' })
    const spec = record.spec as TuningSpec
    const opened = { spec, job: record.id, resumed: store.listTrials(record.id).length, strategy: strategyOf(spec), warm: warmStartTrials(spec, store) }
    store.reopenJob(record.id)
    return opened
  }
  if (specArg === null) throw new ParamError('give a tuning spec, or --resume ID', { field: 'spec' })
  const spec = typeof specArg === 'string' ? await loadTuningSpec(specArg, { set: options.set }) : specArg
  createSpace(spec.ranges, 'ranges')
  checkRangesBind(spec)
  const strategy = strategyOf(spec)
  const warm = warmStartTrials(spec, store)
  const job = jobId(typeof specArg === 'string' ? spec.name || basename(specArg, extname(specArg)) : spec.name)
  store.createJob({ id: job, kind: 'tuning', name: spec.name, spec })
  return { spec, job, resumed: 0, strategy, warm }
}

/** The spec's strategy; Hyperband's rungs come from `strategy_config`. */
function strategyOf(spec: TuningSpec): Strategy {
  const hyperband = { minResource: spec.strategyConfig.minResource ?? 1, ...(spec.strategyConfig.maxResource !== undefined && { maxResource: spec.strategyConfig.maxResource }) }
  return getStrategy(spec.strategy, { ranges: spec.ranges, direction: spec.objective.direction, seed: spec.seed, maxJobs: spec.maxJobs, hyperband })
}

/**
 * The finished trials of the warm start's parent tuning jobs, as history for the strategy and the
 * pruner: numbered -1, -2, ... (so they never take a trial number of this job) and keeping only
 * the parameters this job tunes; a trial without a value for one of them lies outside the space
 * and the strategies leave it out of their models (TransferLearning across changed ranges).
 */
function warmStartTrials(spec: TuningSpec, store: TrackingStore): TrialView[] {
  const out: TrialView[] = []
  const names = spec.ranges.map((r) => r.name)
  for (const [k, parent] of (spec.warmStart?.parents ?? []).entries()) {
    const record = store.getJob(parent)
    const field = `warm_start.parents.${k}`
    if (!record) throw new ParamError(`no job '${parent}' in the tracking store`, { field })
    if (record.kind !== 'tuning') throw new ParamError(`job '${parent}' is a ${record.kind} job, not a tuning job`, { field })
    for (const t of store.listTrials(parent)) {
      if ((t.state !== 'Completed' && t.state !== 'Stopped') || t.value === null) continue
      const params = Object.fromEntries(names.filter((n) => n in t.params).map((n) => [n, t.params[n]]))
      out.push({ number: -(out.length + 1), params, state: t.state, value: t.value, intermediate: t.intermediate })
    }
  }
  return out
}

/** The best Completed trial of this job and of its warm-start parents together. */
function overallBestOf(spec: TuningSpec, store: TrackingStore, best: BestTrial | null): BestTrial | null {
  let overall = best
  for (const parent of spec.warmStart?.parents ?? []) {
    const records = new Map(store.listTrials(parent).map((t) => [t.number, t]))
    const candidate = bestOf(spec, records, store)
    if (candidate && (overall === null || (spec.objective.direction === 'minimize' ? candidate.objective < overall.objective : candidate.objective > overall.objective))) overall = candidate
  }
  return overall
}

/** The early-stopping rule of the spec: SageMaker's median rule or fold-level Wilcoxon. */
function pruneRule(spec: TuningSpec): Pruner | null {
  if (spec.earlyStopping === 'Auto') return medianPruner()
  if (spec.earlyStopping === 'Wilcoxon') return wilcoxonPruner()
  return null
}

function completionOptions(spec: TuningSpec): { targetValue?: number; noImprovementJobs?: number; onConvergence: boolean } {
  return {
    ...(spec.completion.target_value !== undefined && { targetValue: spec.completion.target_value }),
    ...(spec.completion.no_improvement_jobs !== undefined && { noImprovementJobs: spec.completion.no_improvement_jobs }),
    onConvergence: spec.completion.on_convergence,
  }
}

/** The best Completed trial (Stopped ones only reached part of the work). */
function bestOf(spec: TuningSpec, records: ReadonlyMap<number, TrialRecord>, store: TrackingStore): BestTrial | null {
  let found: TrialRecord | null = null
  for (const t of records.values()) {
    if (t.state !== 'Completed' || t.value === null) continue
    const better = found === null || (spec.objective.direction === 'minimize' ? t.value < found.value! : t.value > found.value!)
    if (better) found = t
  }
  return found && { job: found.trainingJob!, number: found.number, params: found.params, objective: found.value!, artifact: store.getJob(found.trainingJob!)?.artifact ?? null }
}

function countTrials(views: ReadonlyMap<number, TrialView>, records: ReadonlyMap<number, TrialRecord>): TrialCounters {
  const c = { Completed: 0, InProgress: 0, RetryableError: 0, NonRetryableError: 0, Stopped: 0, Failed: 0 }
  for (const v of views.values()) {
    if (v.state === 'Completed') c.Completed++
    else if (v.state === 'Running') c.InProgress++
    else if (v.state === 'Stopped') c.Stopped++
    else {
      c.Failed++
      if (records.get(v.number)?.failureKind === 'RetryableError') c.RetryableError++
      else c.NonRetryableError++
    }
  }
  return c
}

function objectiveCounts(views: ReadonlyMap<number, TrialView>): ObjectiveCounters {
  const c = { Succeeded: 0, Pending: 0, Failed: 0 }
  for (const v of views.values()) {
    if (v.state === 'Running') c.Pending++
    else if (v.value !== undefined) c.Succeeded++
    else c.Failed++
  }
  return c
}

function details(counters: TrialCounters, best: BestTrial | null, completion: string | null): Record<string, unknown> {
  return { counters, best, completion }
}

function nextNumber(views: ReadonlyMap<number, TrialView>): number {
  let n = 0
  while (views.has(n)) n++
  return n
}

/** Deletes a trial's model that is not kept (keep_artifacts: best) and clears it from its record. */
function dropArtifact(store: TrackingStore, trainingJob: string, artifact: string | null): void {
  if (!artifact) return
  rmSync(artifact, { force: true })
  store.clearArtifact(trainingJob)
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref())
}
