/**
 * What an endpoint's `model` names, resolved to a `model.tar.gz`: a path, or a job id from the
 * tracking store, as SageMaker deploys a training job's model or a tuning job's best
 * (`best_estimator().deploy(...)`). A training job gives its artifact; a tuning job gives its own
 * record's artifact (its best trial's model), else its best training job's.
 */
import { existsSync, statSync } from 'node:fs'
import { resolve } from 'node:path'
import { ParamError } from '../errors.js'
import type { JobRecord } from '../store/tracking/store.js'

/** The part of the tracking store a model reference needs. */
export interface JobLookup {
  getJob(id: string): JobRecord | undefined
}

/**
 * The absolute path of the `model.tar.gz` that `ref` names (relative paths against `cwd`).
 * @throws ParamError when `ref` is neither a file nor a job with a model.
 * @example
 * resolveModelRef('tune-diabetes-20260101-1200', store) // '/work/.consort/jobs/train-.../model.tar.gz'
 */
export function resolveModelRef(ref: string, jobs?: JobLookup, cwd = process.cwd()): string {
  const path = resolve(cwd, ref)
  if (existsSync(path) && statSync(path).isFile()) return path
  const job = jobs?.getJob(ref)
  if (job === undefined) {
    throw new ParamError(`'${ref}' is neither a model file nor a job id of ${jobs === undefined ? 'a tracking store (none is open)' : "this working directory's tracking store"}`, { field: 'model' })
  }
  let artifact = job.artifact
  if (job.kind === 'tuning' && !artifact) {
    const best = (job.details as { best?: { job?: unknown } }).best?.job
    if (typeof best === 'string') artifact = jobs?.getJob(best)?.artifact ?? null
  }
  if (!artifact) throw new ParamError(`job '${ref}' (${job.kind}, ${job.status}) has no model to deploy`, { field: 'model' })
  const file = resolve(cwd, artifact)
  if (!existsSync(file)) throw new ParamError(`job '${ref}' names the model ${file}, which is not there any more`, { field: 'model' })
  return file
}
