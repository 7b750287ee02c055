/**
 * The typed result of loading a spec. Defaults are filled in, relative paths are absolute, and
 * every name (learner, metric, blend method) has been checked.
 */
import type { MetricName } from '../../metrics/registry.js'
import type { Task } from '../../task.js'

/** A hyperparameter value as a spec gives it. */
export type HyperValue = number | string | boolean

/** How `cv:` splits the rows. */
export interface CvSpec {
  /** Number of folds, at least 2. Default 5. */
  folds: number
  /** `auto` (default) stratifies classification tasks and not regression. */
  stratified: 'auto' | boolean
  /** Seed of the fold assignment and of every member that names no seed. Default 0. */
  seed: number
}

/** One ensemble member: a registered learner kind and its raw parameters as written. */
export interface MemberSpec {
  learner: string
  /** As written (aliases kept); see {@link bindHyperparameters} for the values a fit uses. */
  params: Record<string, unknown>
}

/** A member imported from a model file (`learner: import`): not trained, used as it is. */
export interface ImportMemberSpec {
  /** Absolute path of the model file (XGBoost JSON, ONNX). */
  path: string
  /** Feature names in column order, for a model file that names none. */
  features?: string[]
}

/** How the members' out-of-fold predictions are combined. */
export interface BlendSpec {
  method: 'mean' | 'weighted' | 'stack' | 'vote'
  /** Every other field of `blend:`, for the blender to interpret. */
  options: Record<string, unknown>
}

/** A built-in ensemble: members trained with k-fold CV on one data load, then blended. */
export interface MembersSpec {
  kind: 'ensemble'
  name: string
  /** Absent: inferred from the target column when the data is read. */
  task?: Task
  target: string
  /**
   * Absolute paths of the data files. With `holdout`, every member predicts its rows (trained ones
   * with their final model), the blender is fitted there and the ensemble is scored there.
   */
  channels: { train: string; validation?: string; holdout?: string }
  /**
   * Column types pinned instead of inferred (`zip: categorical`); a text value in a column pinned
   * numeric is an error with its line and column. Default none.
   */
  types: Record<string, 'numeric' | 'categorical'>
  cv: CvSpec
  /** Absent: the task's default metric. */
  metric?: MetricName
  /** The trained members, in spec order. */
  members: Record<string, MemberSpec>
  /** The imported members (`learner: import`), in spec order; they follow the trained ones in the ensemble. */
  imports: Record<string, ImportMemberSpec>
  /** Shared values bound to every member whose learner knows the name. Default none. */
  hyperparameters: Record<string, HyperValue>
  /** Default `{ method: 'mean' }`. */
  blend: BlendSpec
  /** `refit` (default): refit every member on all rows; `bag`: keep the k fold models. */
  final: 'refit' | 'bag'
}

/** A regex that captures a metric from the script's output (SageMaker's field names). */
export interface MetricDefinition {
  Name: string
  Regex: string
}

/** A training script run with SageMaker's script-mode contract. */
export interface EstimatorSpec {
  /** The script, relative to `source_dir`. */
  entry_point: string
  /** Absolute; the spec's folder when the spec gives none. */
  source_dir: string
  /** Overrides the interpreter chosen from the entry point's extension. */
  command?: string | string[]
  hyperparameters: Record<string, HyperValue>
  metric_definitions: MetricDefinition[]
  /** Channel name to absolute path (a file or a folder). */
  channels: Record<string, string>
}

/** A training-script spec. */
export interface ScriptSpec {
  kind: 'script'
  name: string
  estimator: EstimatorSpec
}

/** What `consort train SPEC` runs: a built-in ensemble or a training script. */
export type EnsembleSpec = MembersSpec | ScriptSpec
