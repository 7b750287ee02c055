/**
 * Where a tuning job's trials run. The coordinator hands an {@link Executor} a trial as plain data
 * and gets plain data back, so trials can run in this process (the local executor) or on other
 * machines (a queue) without the tuning job, its strategies or its store changing.
 */
import type { Resources } from '../resources.js'
import type { Params } from '../../tune/types.js'

/** One trial to run: a training job with the trial's parameters applied. */
export interface TrialTask {
  readonly tuningJob: string
  readonly number: number
  /** Id of the training job the trial is recorded as. */
  readonly trainingJob: string
  readonly params: Params
  /** The training spec as data, before the parameters are applied. */
  readonly training: Readonly<Record<string, unknown>>
  /** Folder the training spec's relative paths resolve against. */
  readonly trainingBaseDir: string
  readonly trainingFile?: string
  /** Folder for the trial's model.tar.gz and metrics.json. */
  readonly outDir: string
  /** The objective metric's name: a script's intermediate values are its matches in the log. */
  readonly objective: string
}

/** What a finished trial sends back. */
export interface TrialResult {
  readonly metrics: Readonly<Record<string, number>>
  readonly artifact: string
  readonly seconds: number
  readonly resources: Resources
  readonly timings: Readonly<Record<string, number>>
  readonly dataFingerprint?: string
  /** Member fits trained for this trial (cached members cost none). */
  readonly fits: number
  /** Members taken from the member cache, of `members`. */
  readonly cachedMembers: number
  readonly members: number
  /** A training script's log file. */
  readonly log?: string
  /**
   * The ensemble's out-of-fold predictions (each row blended by a blender that never saw it), kept
   * by a local executor for ensemble selection across trials.
   */
  readonly oof?: Float64Array
}

/** What the coordinator gives a running trial: a way to stop it and to hear its progress. */
export interface TrialControl {
  /** Aborted when the trial is to stop (pruned, the job stopped, the run time spent). */
  readonly signal: AbortSignal
  /** An intermediate objective value: a fold's score, or a script's metric line. */
  report(step: number, value: number): void
}

/** Runs trials. */
export interface Executor {
  /** Trials it runs at once at most (the coordinator never gives it more). */
  readonly capacity: number
  run(task: TrialTask, control: TrialControl): Promise<TrialResult>
  /** Frees what it holds (worker threads, connections). */
  close(): Promise<void>
}
