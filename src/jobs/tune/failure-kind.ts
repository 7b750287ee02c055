/**
 * SageMaker's split of failed trials, for trials that ran here or on a worker.
 */
import { ConsortError } from '../../errors.js'
import { RemoteTaskError } from '../../exec/redis/task-failure.js'
import { ScriptFailedError } from '../script/failure.js'

/** Whether running a failed trial again could change its outcome. */
export type FailureKind = 'RetryableError' | 'NonRetryableError'

/**
 * Bad input or a script that exited with an error fails the same way again (NonRetryableError);
 * a crash, a killed process or a lost worker may not (RetryableError). A worker's final failure
 * carries the kind its worker found; a task that failed after every attempt is retryable.
 * @example failureKind(new ParamError('eta must be positive')) // 'NonRetryableError'
 */
export function failureKind(err: unknown): FailureKind {
  if (err instanceof RemoteTaskError) return err.final && err.detail === 'NonRetryableError' ? 'NonRetryableError' : 'RetryableError'
  if (err instanceof ConsortError) return 'NonRetryableError'
  if (err instanceof ScriptFailedError) return err.exitCode !== null ? 'NonRetryableError' : 'RetryableError'
  return 'RetryableError'
}
