/**
 * A trial's parameters applied to the training spec it tunes. A range named without dots is a
 * shared hyperparameter, as in the seed story: it is set on every member whose learner knows the
 * name (under the member's own spelling when it sets it already), or passed to a training script
 * as a hyperparameter. A dotted name is a path in the spec (`members.xgb.params.subsample`,
 * `blend.method`); `members.<name>.enabled: false` leaves the member out.
 */
import { ParamError } from '../../errors.js'
import { getLearner, type LearnerSpec } from '../../learners/index.js'
import { closestName } from '../../text/closest.js'
import type { ParameterRange, ParamValue, Params } from '../../tune/types.js'
import { memberPlans } from '../members.js'
import { parseSpec } from '../spec/index.js'
import type { EnsembleSpec } from '../spec/types.js'
import type { TuningSpec } from './spec.js'

/**
 * The training spec data of a trial: `training` with `params` applied (a new object; `training`
 * is not changed).
 * @example applyParams({ members: { xgb: { learner: 'gbdt', params: {} } } }, { eta: 0.25 }) // xgb's params.eta = 0.25
 */
export function applyParams(training: Readonly<Record<string, unknown>>, params: Params): Record<string, unknown> {
  const spec = structuredClone(training) as Record<string, unknown>
  const disabled: string[] = []
  for (const [name, value] of Object.entries(params)) {
    const path = name.split('.')
    if (path.length === 3 && path[0] === 'members' && path[2] === 'enabled') {
      if (value === false) disabled.push(path[1])
      continue
    }
    if (path.length === 1) applyShared(spec, name, value)
    else setPath(spec, path, value)
  }
  const members = spec.members as Record<string, unknown> | undefined
  for (const name of disabled) delete members?.[name]
  return spec
}

/** Where a tuning job's training spec comes from: its data, folder and file. */
export type TrainingSource = Pick<TuningSpec, 'training' | 'trainingBaseDir' | 'trainingFile'>

/**
 * The training spec of a trial, validated; a trial that disables every member is a ParamError.
 * @example const spec = trialSpec(tuning, { eta: 0.25, max_depth: 3 })
 */
export function trialSpec(tuning: TrainingSource, params: Params): EnsembleSpec {
  const data = applyParams(tuning.training, params)
  const members = data.members as Record<string, unknown> | undefined
  if (members !== undefined && Object.keys(members).length === 0) {
    throw new ParamError('every member is disabled in this trial; an ensemble needs at least one', { field: 'ranges' })
  }
  return parseSpec(data, { file: tuning.trainingFile, baseDir: tuning.trainingBaseDir })
}

/**
 * Checks every range against the training spec before any trial runs: its name must bind to
 * something, and its bounds (each value of a categorical range) must be valid for every parameter
 * it sets, by the learner's own schema.
 * @throws ParamError at `ranges.<name>`, saying which member or field refused which value, or the
 *   closest valid name for a name that binds to nothing.
 * @example checkRangesBind(tuning)
 */
export function checkRangesBind(tuning: TuningSpec): void {
  const base = parseSpec(tuning.training, { file: tuning.trainingFile, baseDir: tuning.trainingBaseDir })
  for (const range of tuning.ranges) {
    const field = `ranges.${range.name}`
    checkBinds(base, range, field)
    for (const value of candidateValues(range)) {
      try {
        const spec = trialSpec(tuning, { [range.name]: value })
        if (spec.kind === 'ensemble') memberPlans(spec)
      } catch (e) {
        if (!(e instanceof ParamError)) throw e
        throw new ParamError(`${JSON.stringify(value)} is not valid here: ${e.detail}${e.location.field ? ` (at ${e.location.field})` : ''}`, { field })
      }
    }
  }
}

/** The values whose validity stands for the whole range: its bounds, or every categorical value. */
function candidateValues(range: ParameterRange): ParamValue[] {
  return range.type === 'categorical' ? [...range.values] : [range.min, range.max]
}

function checkBinds(base: EnsembleSpec, range: ParameterRange, field: string): void {
  const path = range.name.split('.')
  if (path.some((segment) => segment === '' || UNSAFE.has(segment))) throw new ParamError(`'${range.name}' is not a field path`, { field })
  if (base.kind === 'script') return
  if (path.length === 1) {
    const learners = Object.values(base.members).map((m) => getLearner(m.learner))
    if (learners.some((l) => canonicalName(l, range.name) !== undefined)) return
    const known = new Set(learners.flatMap((l) => [...Object.keys(l.params.shape), ...Object.keys(l.aliases)]))
    const hint = closestName(range.name, known)
    throw new ParamError(`'${range.name}' binds to no member: no member's learner has it${hint ? `; did you mean '${hint}'?` : ''}`, { field })
  }
  if (path[0] === 'members') {
    if (Object.prototype.hasOwnProperty.call(base.imports, path[1]) && !(path.length === 3 && path[2] === 'enabled')) {
      throw new ParamError(`member '${path[1]}' is imported (learner: import): it is not trained, so it has no parameters to tune; only members.${path[1]}.enabled can vary`, { field })
    }
    const names = [...Object.keys(base.members), ...Object.keys(base.imports)]
    if (!names.includes(path[1])) {
      const hint = closestName(path[1], names)
      throw new ParamError(`no member '${path[1]}'${hint ? `; did you mean '${hint}'?` : ''} (members: ${names.join(', ')})`, { field })
    }
    if (path.length === 3 && path[2] === 'enabled' && range.type !== 'categorical') {
      throw new ParamError('a member on/off range must be categorical with values [true, false]', { field })
    }
  }
}

/** Sets a shared value on every member that knows it, or passes it to the script. */
function applyShared(spec: Record<string, unknown>, name: string, value: ParamValue): void {
  const estimator = spec.estimator as Record<string, unknown> | undefined
  if (estimator !== undefined) {
    estimator.hyperparameters = { ...(estimator.hyperparameters as Record<string, unknown> | undefined), [name]: value }
    return
  }
  const members = (spec.members ?? {}) as Record<string, { learner?: unknown; params?: Record<string, unknown> }>
  for (const member of Object.values(members)) {
    let learner: LearnerSpec
    try {
      learner = getLearner(String(member.learner))
    } catch {
      continue // an unknown learner is reported when the spec is parsed
    }
    const target = canonicalName(learner, name)
    if (target === undefined) continue
    const params = (member.params ??= {})
    const own = Object.keys(params).find((key) => canonicalName(learner, key) === target)
    params[own ?? name] = value
  }
}

function canonicalName(learner: LearnerSpec, key: string): string | undefined {
  if (Object.prototype.hasOwnProperty.call(learner.aliases, key)) return learner.aliases[key]
  return Object.prototype.hasOwnProperty.call(learner.params.shape, key) ? key : undefined
}

/** Segments that would reach an object's prototype instead of a field. */
const UNSAFE = new Set(['__proto__', 'constructor', 'prototype'])

/** Sets `value` at a dotted path, creating the mappings on the way. */
function setPath(root: Record<string, unknown>, path: readonly string[], value: ParamValue): void {
  if (path.some((segment) => UNSAFE.has(segment))) throw new ParamError(`'${path.join('.')}' is not a field path`, { field: 'ranges' })
  let node = root
  for (const segment of path.slice(0, -1)) {
    const next = node[segment]
    if (typeof next !== 'object' || next === null || Array.isArray(next)) node[segment] = {}
    node = node[segment] as Record<string, unknown>
  }
  node[path[path.length - 1]] = value
}
