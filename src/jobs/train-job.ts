/**
 * `train(spec, options)`: a training job as `consort train` runs it, for programs. It loads the
 * spec, records the job in the tracking store (InProgress, then Completed, Failed or Stopped with
 * the reason and what the job cost), runs the built-in ensemble or the training script, and
 * returns what the CLI prints.
 */
import { randomBytes } from 'node:crypto'
import { basename, extname, join } from 'node:path'
import { TrackingStore } from '../store/tracking/store.js'
import { ResourceMeter, type Resources } from './resources.js'
import { type LogStream, runScript } from './script/index.js'
import { type EnsembleSpec, loadSpec, type ScriptSpec } from './spec/index.js'
import { trainEnsemble, type TrainEvent } from './train.js'

export interface TrainJobOptions {
  /** `key=value` overrides of a spec file's fields (`members.xgb.params.eta=0.2`). */
  readonly set?: readonly string[]
  /** Folder for model.tar.gz and metrics.json; `.consort/jobs/<job>` by default. */
  readonly outDir?: string
  /** Folder of the tracking store (`.consort` by default), or false to record nothing. */
  readonly tracking?: string | false
  /** An open tracking store to record the job in (the caller closes it); wins over `tracking`. */
  readonly store?: TrackingStore
  /** The tuning job this training job is a trial of. */
  readonly parentId?: string
  /** Parallel fits on worker threads (see {@link TrainOptions.workers}); 0 or absent: automatic. */
  readonly workers?: number
  /** Threads of a fit run in the calling thread (0 or absent: all cores). */
  readonly threads?: number
  readonly signal?: AbortSignal
  /** Progress of a built-in ensemble. */
  readonly onEvent?: (event: TrainEvent) => void
  /** Every line a training script writes, as it arrives. */
  readonly onLog?: (line: string, stream: LogStream) => void
}

/** A completed job, as `consort train --json` prints it. */
export interface TrainJobResult {
  readonly job: string
  readonly status: 'Completed'
  /** `cv:<metric>`, `cv:<metric>:<member>`, `validation:...` to their values. */
  readonly metrics: Readonly<Record<string, number>>
  /** Path of model.tar.gz. */
  readonly artifact: string
  readonly seconds: number
  readonly resources: Resources
  /** A training script's log file. */
  readonly log?: string
}

/**
 * Runs the training job of `spec` (a spec file, or a spec from `parseSpec`) and records it.
 * A failure is recorded (Failed, or Stopped when `signal` aborted it) and rethrown: ConsortErrors
 * for bad input, with what and where.
 * @example
 * const result = await train('ensemble.yaml', { set: ['cv.folds=3'] })
 * console.log(result.job, result.metrics['cv:rmse'], result.artifact)
 */
export async function train(spec: string | EnsembleSpec, options: TrainJobOptions = {}): Promise<TrainJobResult> {
  const meter = new ResourceMeter()
  const ownStore = options.store === undefined && options.tracking !== false
  const store = options.store ?? (ownStore ? TrackingStore.open(options.tracking || undefined) : null)
  const parentId = options.parentId
  let job = jobId(typeof spec === 'string' ? basename(spec, extname(spec)) : spec.name)
  try {
    const loaded = typeof spec === 'string' ? await loadSpec(spec, { set: options.set }) : spec
    if (typeof spec === 'string') job = jobId(loaded.name)
    store?.createJob({ id: job, kind: 'training', name: loaded.name, spec: loaded, parentId })
    const outDir = options.outDir ?? join(options.tracking || '.consort', 'jobs', job)
    if (loaded.kind === 'script') {
      const result = await trainScript(loaded, job, outDir, meter, options)
      store?.completeJob(job, { metrics: result.metrics, timings: { total: result.seconds }, resources: { ...result.resources }, artifact: result.artifact })
      return result
    }
    const result = await trainEnsemble(loaded, {
      outDir,
      workers: options.workers,
      threads: options.threads,
      signal: options.signal,
      onEvent: options.onEvent,
      meter,
    })
    store?.completeJob(job, {
      metrics: result.metrics,
      timings: result.timings,
      resources: { ...result.resources },
      artifact: result.artifact,
      dataFingerprint: result.dataFingerprint,
    })
    return { job, status: 'Completed', metrics: result.metrics, artifact: result.artifact, seconds: result.seconds, resources: result.resources }
  } catch (err) {
    if (store) {
      // A spec that does not load still leaves a record, named after its file.
      if (!store.getJob(job)) {
        store.createJob({ id: job, kind: 'training', name: typeof spec === 'string' ? basename(spec) : spec.name, spec: typeof spec === 'string' ? { file: spec } : spec, parentId })
      }
      store.endJob(job, options.signal?.aborted ? 'Stopped' : 'Failed', err instanceof Error ? err.message : String(err), { ...meter.finish() })
    }
    throw err
  } finally {
    if (ownStore) store?.close()
  }
}

/** A training script's job: the data it reads is its channels, given once. */
async function trainScript(spec: ScriptSpec, job: string, outDir: string, meter: ResourceMeter, options: TrainJobOptions): Promise<TrainJobResult> {
  const result = await runScript(spec, { outDir, jobName: job, signal: options.signal, onLog: options.onLog })
  await meter.addFiles(Object.values(spec.estimator.channels))
  return { job, status: 'Completed', metrics: result.metrics, artifact: result.artifact, seconds: result.seconds, resources: meter.finish(), log: result.log }
}

/**
 * `<name>-<UTC yyyymmddhhmmss>-<4 hex>`: sortable, readable, unique enough for one working directory.
 * @example jobId('diabetes') // 'diabetes-20261205081500-3fa2'
 */
export function jobId(name: string): string {
  const stamp = new Date().toISOString().replace(/[-:.TZ]/g, '').slice(0, 14)
  return `${name}-${stamp}-${randomBytes(2).toString('hex')}`
}
