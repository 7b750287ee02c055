/**
 * Script mode: a user's own training program run as a training job with SageMaker's contract.
 */
export type { LogStream } from './child.js'
export { ScriptFailedError } from './failure.js'
export { DEFAULT_GRACE_MS, runScript, type RunScriptOptions, type ScriptResult } from './run.js'
