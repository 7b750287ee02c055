/**
 * How a queued task's failure reaches the coordinator.
 */
import type { FinalFailure } from './protocol.js'

/**
 * A task that failed on a worker: for good (`final`: bad input, say), or after every attempt the
 * queue allowed (crashes, lost workers, transient errors).
 * @example
 * try { await queue.submit(id, data) } catch (err) { if (err instanceof RemoteTaskError && err.final) ... }
 */
export class RemoteTaskError extends Error {
  /** True when running it again would not change the outcome. */
  readonly final: boolean
  /** The worker's side's detail of a final failure. */
  readonly detail: unknown
  constructor(message: string, options: { readonly final: boolean; readonly detail?: unknown; readonly remoteName?: string }) {
    super(message)
    this.name = options.remoteName ?? 'RemoteTaskError'
    this.final = options.final
    this.detail = options.detail
  }

  /** The error of a final failure envelope. */
  static of(failure: FinalFailure): RemoteTaskError {
    return new RemoteTaskError(failure.message, { final: true, detail: failure.detail, remoteName: failure.name })
  }
}
