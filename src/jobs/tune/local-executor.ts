/**
 * Trials in this process. What makes tuning an ensemble cheaper than tuning its members one by
 * one lives here: the data is read and binned once for every trial (by the data it names), one
 * pool of fit workers serves every trial's fits, and a member cache means a trial that changes
 * one member trains only that member, and one that changes only the blend trains nothing.
 * Training scripts run as child processes, side by side.
 */
import { availableParallelism } from 'node:os'
import { fitRunner, type FitRunner } from '../../ensemble/fit-runner.js'
import { MemberCache } from '../../ensemble/member-cache.js'
import { SharedMemberCache } from '../../ensemble/shared-member-cache.js'
import type { SharedStore } from '../../store/shared/shared-store.js'
import { getLearner, isBuiltInLearner, learnerKinds } from '../../learners/index.js'
import type { DataCounters } from '../../data/counters.js'
import { blendAndScore, saveEnsemble } from '../finish.js'
import { loadImports } from '../imports.js'
import { memberPlans } from '../members.js'
import { binForMembers, prepare, type PreparedData } from '../prepare.js'
import { ResourceMeter } from '../resources.js'
import { runScript } from '../script/index.js'
import type { MembersSpec, ScriptSpec } from '../spec/types.js'
import { crossValidate } from '../train.js'
import { trialSpec } from './apply.js'
import type { Executor, TrialControl, TrialResult, TrialTask } from './executor.js'

/** One data set's shared state: read and binned once, one pool of fit workers. */
interface Dataset {
  readonly prepared: PreparedData
  readonly runner: FitRunner
}

export interface LocalExecutorOptions {
  /** Trials at once (the tuning job's max_parallel_jobs). */
  readonly capacity: number
  /** Fits side by side on worker threads, for all trials together; default one per core. */
  readonly workers?: number
  /** The tuning job's counters: the one read and the binnings of each data set are counted there. */
  readonly counters?: DataCounters
  /** False trains every member of every trial (to measure what the member cache saves). Default true. */
  readonly memberCache?: boolean
  /** Shares the member cache with other processes (workers on other machines) through this store. */
  readonly memberStore?: SharedStore
}

/**
 * Runs trials in this process.
 * @example
 * const executor = new LocalExecutor({ capacity: 2 })
 * const result = await executor.run(task, { signal, report: (step, value) => {} })
 * await executor.close()
 */
export class LocalExecutor implements Executor {
  readonly capacity: number
  /** Shared by every trial: the member cache's hits are the tuning job's savings. */
  readonly cache = new MemberCache()
  private readonly datasets = new Map<string, Promise<Dataset>>()
  private readonly ready: Dataset[] = []
  private readonly workers: number
  private readonly counters: DataCounters | undefined
  private readonly useCache: boolean
  private readonly shared: SharedMemberCache | undefined
  /** Members being written to the shared store, off the trial's path; close waits for them. */
  private readonly pushes = new Set<Promise<void>>()

  constructor(options: LocalExecutorOptions) {
    this.capacity = options.capacity
    this.workers = Math.max(1, options.workers ?? availableParallelism())
    this.counters = options.counters
    this.useCache = options.memberCache ?? true
    this.shared = this.useCache && options.memberStore ? new SharedMemberCache(options.memberStore, this.cache) : undefined
  }

  async run(task: TrialTask, control: TrialControl): Promise<TrialResult> {
    const spec = trialSpec(task, task.params)
    return spec.kind === 'script' ? this.runScriptTrial(spec, task, control) : this.runEnsembleTrial(spec, task, control)
  }

  /** The one data set every trial so far used, for ensemble selection across trials; null otherwise. */
  sharedData(): PreparedData | null {
    return this.ready.length === 1 ? this.ready[0].prepared : null
  }

  async close(): Promise<void> {
    await Promise.all(this.pushes)
    const datasets = await Promise.allSettled(this.datasets.values())
    this.datasets.clear()
    await Promise.all(datasets.map((d) => (d.status === 'fulfilled' ? d.value.runner.close() : undefined)))
  }

  private async runEnsembleTrial(spec: MembersSpec, task: TrialTask, control: TrialControl): Promise<TrialResult> {
    const meter = new ResourceMeter()
    const started = performance.now()
    const { prepared, runner } = await this.dataset(spec)
    const plans = memberPlans(spec)
    const imports = await loadImports(spec, prepared)
    const bin = binForMembers(prepared, plans)
    const hitsBefore = this.cache.hits
    let fits = 0
    const { metric, task: kind, nClasses, y, folds } = prepared
    const scoreClasses = kind === 'regression' ? 1 : nClasses
    const t0 = performance.now()
    const keys = plans.map((p) => MemberCache.memberKey(prepared.scope, spec.final, p))
    await this.shared?.pull(keys)
    const oofs = plans.length === 0 ? [] : await crossValidate(prepared, plans, {
      runner,
      cache: this.useCache ? this.cache : undefined,
      final: spec.final,
      signal: control.signal,
      refitLast: true,
      onFit: () => fits++,
      // A fold's intermediate value: the members' mean on its held-out rows, the same measure in every trial.
      onFold: (f, predictions) => {
        const test = folds[f].test
        control.report(f, metric.compute(Float64Array.from(test, (r) => y[r]), meanOf(predictions), scoreClasses))
      },
    })
    if (this.shared) this.share(this.shared.push(keys))
    const fitSeconds = (performance.now() - t0) / 1000
    const t1 = performance.now()
    const scored = await blendAndScore(prepared, spec.blend, oofs, imports)
    const timings = { bin, fits: fitSeconds, blend: (performance.now() - t1) / 1000, total: (performance.now() - started) / 1000 }
    const { artifact, resources } = await saveEnsemble(prepared, plans, oofs, scored, {
      outDir: task.outDir,
      spec,
      timings,
      resources: () => meter.finish(),
      signal: control.signal,
      imports,
    })
    return {
      metrics: scored.metrics,
      artifact,
      seconds: resources.wallSeconds,
      resources,
      timings,
      dataFingerprint: prepared.dataFingerprint,
      fits,
      cachedMembers: this.cache.hits - hitsBefore,
      members: plans.length,
      oof: scored.oof,
    }
  }

  private async runScriptTrial(spec: ScriptSpec, task: TrialTask, control: TrialControl): Promise<TrialResult> {
    const meter = new ResourceMeter()
    const definition = spec.estimator.metric_definitions.find((d) => d.Name === task.objective)
    const pattern = definition && new RegExp(definition.Regex)
    let step = 0
    const result = await runScript(spec, {
      outDir: task.outDir,
      jobName: task.trainingJob,
      signal: control.signal,
      // The objective's matches as they are printed are the trial's intermediate values.
      onLog: (line) => {
        const match = pattern?.exec(line)
        const value = match ? Number(match[1]) : NaN
        if (Number.isFinite(value)) control.report(step++, value)
      },
    })
    await meter.addFiles(Object.values(spec.estimator.channels))
    return {
      metrics: result.metrics,
      artifact: result.artifact,
      seconds: result.seconds,
      resources: meter.finish(),
      timings: { total: result.seconds },
      fits: 1,
      cachedMembers: 0,
      members: 1,
      log: result.log,
    }
  }

  /**
   * Keeps a write of members to the shared store running after its trial has returned: the cache
   * only saves work, so a failed write costs a later trial a fit, never a result.
   */
  private share(push: Promise<void>): void {
    const tracked = push.catch(() => undefined).finally(() => this.pushes.delete(tracked))
    this.pushes.add(tracked)
  }

  /** The data of `spec`, read once per distinct data set and kept with its pool of fit workers. */
  private dataset(spec: MembersSpec): Promise<Dataset> {
    const key = JSON.stringify([spec.channels, spec.types, spec.target, spec.task, spec.cv, spec.metric])
    let found = this.datasets.get(key)
    if (found === undefined) {
      found = prepare(spec, { counters: this.counters }).then((prepared) => {
        // Every built-in learner, so any member a later trial names can run on the pool.
        const learners = learnerKinds().map((k) => getLearner(k)).filter(isBuiltInLearner)
        const runner = fitRunner(prepared.data, prepared.y, learners, this.workers, { task: prepared.task, nClasses: prepared.nClasses, seed: prepared.seed, threads: 1 })
        const dataset = { prepared, runner }
        this.ready.push(dataset)
        return dataset
      })
      // A failed read is not kept: the next trial tries again (and fails with the same message).
      found.catch(() => this.datasets.delete(key))
      this.datasets.set(key, found)
    }
    return found
  }
}

/** The element-wise mean of equal-length prediction arrays. */
function meanOf(predictions: readonly Float64Array[]): Float64Array {
  const out = new Float64Array(predictions[0].length)
  for (const p of predictions) for (let i = 0; i < out.length; i++) out[i] += p[i]
  for (let i = 0; i < out.length; i++) out[i] /= predictions.length
  return out
}
