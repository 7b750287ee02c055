/**
 * The tracking store of the working directory, as the read-only commands use it: opened for one
 * command, a job looked up by the id the user typed, closed whatever happens.
 */
import { ParamError } from '../errors.js'
import { type JobRecord, TrackingStore } from '../store/tracking/store.js'

/**
 * Runs `fn` with the working directory's store open, and closes it.
 * @example withStore((store) => store.listJobs())
 */
export function withStore<T>(fn: (store: TrackingStore) => T): T {
  const store = TrackingStore.open()
  try {
    return fn(store)
  } finally {
    store.close()
  }
}

/**
 * The job `id`, of `kind` when given.
 * @throws ParamError (exit 2) naming the id when there is no such job, or it is of another kind.
 * @example const job = requireJob(store, id, 'tuning')
 */
export function requireJob(store: TrackingStore, id: string, kind?: string): JobRecord {
  const job = store.getJob(id)
  if (!job) throw new ParamError(`no job '${id}' in this working directory's tracking store`, { field: 'id' })
  if (kind !== undefined && job.kind !== kind) throw new ParamError(`job '${id}' is a ${job.kind} job, not a ${kind} job`, { field: 'id' })
  return job
}
