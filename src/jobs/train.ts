/**
 * The training job of a built-in ensemble, in three stages a tuning job reuses: {@link prepare}
 * reads each channel once and splits the folds; {@link crossValidate} trains every member on
 * every fold of the binned data (out-of-fold predictions) and finishes the members (refit on all
 * rows or keep the fold models); imported members (`learner: import`) are read before any fit and
 * join at the blend; {@link blendAndScore} and {@link saveEnsemble} fit the blender,
 * score members and ensemble (`cv:<metric>`, `cv:<metric>:<member>`, `validation:...`) and save
 * one `model.tar.gz` plus `metrics.json`.
 */
import { availableParallelism } from 'node:os'
import { BatchPools } from '../exec/batch-pool.js'
import type { FitRunner } from '../ensemble/fit-runner.js'
import type { MemberCache } from '../ensemble/member-cache.js'
import { outOfFold, type FitEvent, type FitProgressEvent, type MemberOof, type MemberPlan } from '../ensemble/oof.js'
import type { Task } from '../learners/types.js'
import { blendAndScore, saveEnsemble } from './finish.js'
import { loadImports } from './imports.js'
import { memberPlans } from './members.js'
import { binForMembers, prepare, type PreparedData } from './prepare.js'
import { ResourceMeter, type Resources } from './resources.js'
import type { MembersSpec } from './spec/types.js'

export interface TrainOptions {
  /** Folder for model.tar.gz and metrics.json (created if missing). */
  readonly outDir: string
  readonly signal?: AbortSignal
  /**
   * Fits running side by side, each single-threaded (this thread and `workers - 1` worker threads). 1 runs them one after
   * another in this thread, each learner using `threads`. 0 or absent: one per core, when the
   * job has more than a few thousand rows (below that, starting threads costs more than it saves).
   */
  readonly workers?: number
  /** Threads of a fit run in this thread (0 or absent: all cores). */
  readonly threads?: number
  /** Progress events: the job's stages, each fit's progress, each finished fit. */
  readonly onEvent?: (event: TrainEvent) => void
  /** The job's meter (its counters count the reads and binnings); a new one when absent. */
  readonly meter?: ResourceMeter
}

export type TrainEvent =
  | ({ readonly type: 'fit' } & FitEvent)
  | ({ readonly type: 'progress' } & FitProgressEvent)
  | { readonly type: 'plan'; readonly members: readonly string[]; readonly folds: number; readonly refit: boolean; readonly workers: number }
  | { readonly type: 'stage'; readonly stage: 'read' | 'bin' | 'cv' | 'blend' | 'save' }

export interface TrainResult {
  readonly task: Task
  /** Flat map: `cv:<metric>`, `cv:<metric>:<member>`, `validation:<metric>[:<member>]`. */
  readonly metrics: Readonly<Record<string, number>>
  readonly artifact: string
  readonly seconds: number
  /** sha256 of the training frame's content. */
  readonly dataFingerprint: string
  /** What the job cost, with its data reads (one per channel) and binnings (one per bin count). */
  readonly resources: Resources
  /** Seconds per stage: read, bin, fits, blend, total. */
  readonly timings: Readonly<Record<string, number>>
}

/** Below this many rows, fits are too short for worker threads to pay for their start. */
const MIN_ROWS_FOR_WORKERS = 2000

/**
 * Fits side by side for a job on `nRows` rows with `fits` fits: `requested` when given, else one
 * per core from {@link MIN_ROWS_FOR_WORKERS} rows on, else 1.
 * @example workersFor(100_000, 12) // 2 on two cores
 */
export function workersFor(nRows: number, fits: number, requested?: number): number {
  return Math.max(1, Math.min(fits, requested || (nRows < MIN_ROWS_FOR_WORKERS ? 1 : availableParallelism())))
}

/** How {@link crossValidate} runs. */
export interface CrossValidateOptions {
  readonly runner?: FitRunner
  readonly cache?: MemberCache
  readonly workers?: number
  readonly threads?: number
  /** Worker threads the fits borrow (the job's own); absent: the process's. */
  readonly pools?: BatchPools
  readonly final: 'refit' | 'bag'
  readonly signal?: AbortSignal
  readonly refitLast?: boolean
  readonly onFit?: (event: FitEvent) => void
  readonly onProgress?: (event: FitProgressEvent) => void
  readonly onFold?: (fold: number, predictions: readonly Float64Array[]) => void
}

/**
 * Every member on every fold of the prepared data, then each member's final model; members in
 * `cache` (same data, folds and parameters) are not trained again.
 * @example const oofs = await crossValidate(prepared, plans, { final: 'refit', workers: 2 })
 */
export function crossValidate(prepared: PreparedData, members: readonly MemberPlan[], options: CrossValidateOptions): Promise<MemberOof[]> {
  return outOfFold(prepared.data, prepared.y, prepared.folds, members, {
    task: prepared.task,
    nClasses: prepared.nClasses,
    metrics: [prepared.metric.name],
    seed: prepared.seed,
    runner: options.runner,
    workers: options.workers,
    threads: options.threads,
    pools: options.pools,
    signal: options.signal,
    final: options.final,
    cache: options.cache && { store: options.cache, scope: prepared.scope },
    refitLast: options.refitLast,
    onFit: options.onFit,
    onProgress: options.onProgress,
    onFold: options.onFold,
  })
}

/**
 * Runs the training job of `spec`.
 * @example
 * const result = await trainEnsemble(await loadSpec('ensemble.yaml'), { outDir: 'out' })
 * result.metrics['cv:rmse']
 */
export async function trainEnsemble(spec: MembersSpec, options: TrainOptions): Promise<TrainResult> {
  const meter = options.meter ?? new ResourceMeter()
  const started = performance.now()
  const timings: Record<string, number> = {}
  const emit = options.onEvent ?? (() => undefined)

  emit({ type: 'stage', stage: 'read' })
  const prepared = await prepare(spec, { counters: meter.counters })
  timings.read = prepared.readSeconds
  const plans = memberPlans(spec)
  // Imported before any fit, so a model that cannot serve this ensemble costs no training.
  const imports = await loadImports(spec, prepared)

  emit({ type: 'stage', stage: 'bin' })
  timings.bin = binForMembers(prepared, plans)

  const fits = plans.length * (prepared.folds.length + (spec.final === 'refit' ? 1 : 0))
  const workers = workersFor(prepared.features.nRows, fits, options.workers)
  emit({ type: 'plan', members: plans.map((p) => p.name), folds: prepared.folds.length, refit: spec.final === 'refit', workers })
  emit({ type: 'stage', stage: 'cv' })
  let t0 = performance.now()
  // The job's worker threads are its own, and end with it.
  const pools = new BatchPools()
  const oofs = plans.length === 0 ? [] : await crossValidate(prepared, plans, {
    workers,
    threads: options.threads,
    pools,
    signal: options.signal,
    final: spec.final,
    onFit: (e) => emit({ type: 'fit', ...e }),
    onProgress: (e) => emit({ type: 'progress', ...e }),
  }).finally(() => pools.close())
  timings.fits = (performance.now() - t0) / 1000

  emit({ type: 'stage', stage: 'blend' })
  t0 = performance.now()
  const scored = await blendAndScore(prepared, spec.blend, oofs, imports)
  timings.blend = (performance.now() - t0) / 1000

  emit({ type: 'stage', stage: 'save' })
  timings.total = (performance.now() - started) / 1000
  const { artifact, resources } = await saveEnsemble(prepared, plans, oofs, scored, {
    outDir: options.outDir,
    spec,
    timings,
    resources: () => meter.finish(),
    signal: options.signal,
    imports,
  })
  return { task: prepared.task, metrics: scored.metrics, artifact, seconds: resources.wallSeconds, dataFingerprint: prepared.dataFingerprint, resources, timings }
}
