/**
 * Training specs (`ensemble.yaml`): a built-in ensemble or a training script, read from YAML or
 * JSON, overridden with `--set`, validated with errors that say what and where.
 */
export { bindHyperparameters, bindMembers, type BindableSpec, type BoundMember } from './hyperparameters.js'
export { loadSpec, type LoadSpecOptions } from './load.js'
export { applyOverrides, parseOverride, type Override } from './overrides.js'
export { parseSpec, parseSpecText, type ParseSpecOptions, type ParseSpecTextOptions } from './parse.js'
export type {
  BlendSpec,
  CvSpec,
  EnsembleSpec,
  EstimatorSpec,
  HyperValue,
  ImportMemberSpec,
  MemberSpec,
  MembersSpec,
  MetricDefinition,
  ScriptSpec,
} from './types.js'
