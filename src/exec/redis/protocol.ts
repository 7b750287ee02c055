/**
 * What the coordinator and the workers agree on: the queue's name, the channel that cancels a
 * running task, and the envelope a task's outcome travels in. A task that fails for good (bad
 * input, a cancellation) completes with an error envelope instead of failing, so the queue does
 * not retry it; a task that throws anything else is retried with backoff.
 */

/** The queue trials go through unless told otherwise. */
export const DEFAULT_QUEUE = 'consort-trials'

/** Runs of a task (the first and its retries), after a crash, a lost worker or a transient error. */
export const DEFAULT_ATTEMPTS = 3

/**
 * The pub/sub channel on which the coordinator names tasks to stop.
 * @example cancelChannel('consort-trials') // 'consort:consort-trials:cancel'
 */
export function cancelChannel(queue: string): string {
  return `consort:${queue}:cancel`
}

/** A task's failure that running it again would not change. */
export interface FinalFailure {
  readonly name: string
  readonly message: string
  /** True when the coordinator cancelled the task. */
  readonly cancelled: boolean
  /** Whatever the task's side adds for the coordinator (a failure kind, say). */
  readonly detail?: unknown
}

/** How a task ended, as its job's return value. */
export type Outcome<Out> = { readonly ok: true; readonly value: Out } | { readonly ok: false; readonly failure: FinalFailure }

/** An intermediate value a running task reports. */
export interface Progress {
  readonly step: number
  readonly value: number
}
