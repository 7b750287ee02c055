/**
 * Validation of a spec: the shape (zod), then the rules that need the learner registry and the
 * data readers, then relative paths made absolute. Every failure is a ParamError that names the
 * file, the field path and, for text input, the line and column of that field.
 */
import { dirname, isAbsolute, resolve } from 'node:path'
import type { z } from 'zod'
import { formatOf } from '../../data/read.js'
import { ParamError } from '../../errors.js'
import { getLearner, parseLearnerParams } from '../../learners/index.js'
import { bindMembers } from './hyperparameters.js'
import { describeIssue, fieldsAt, unknownField, type SpecProblem } from './issues.js'
import { applyOverrides, parseOverride, type Override } from './overrides.js'
import { IMPORT_LEARNER, membersSpecSchema, scriptSpecSchema } from './schema.js'
import { parseSource, type FieldPath, type Position } from './source.js'
import type { BlendSpec, EnsembleSpec, ImportMemberSpec, MemberSpec, MembersSpec, ScriptSpec } from './types.js'
import { getBlender } from '../../ensemble/blenders/index.js'
import { weightsFromNames } from '../../ensemble/blenders/weighted.js'

/** Where an in-memory spec came from, for error locations and relative paths. */
export interface ParseSpecOptions {
  /** Named in errors; its folder is the default `baseDir`. */
  file?: string
  /** Folder that relative paths resolve against. Default: the file's folder, else the working directory. */
  baseDir?: string
}

/** Options for spec text. */
export interface ParseSpecTextOptions extends ParseSpecOptions {
  /** `key=value` overrides applied before validation, as `--set` gives them. */
  set?: readonly string[]
}

interface Context {
  file?: string
  baseDir: string
  locate?: (path: FieldPath, onKey?: boolean) => Position | undefined
  overrides: readonly Override[]
}

/**
 * Validates an in-memory spec (parsed YAML or JSON, or built in code) and returns it typed, with
 * defaults filled in and paths absolute.
 * @throws ParamError naming the field path, and the closest valid name for an unknown one.
 * @example
 * const spec = parseSpec({
 *   name: 'demo', target: 'target', channels: { train: 'data/diabetes.csv' },
 *   members: { xgb: { learner: 'gbdt', params: { max_depth: 4 } } },
 * }, { baseDir: process.cwd() })
 * spec.kind // 'ensemble'
 */
export function parseSpec(data: unknown, options: ParseSpecOptions = {}): EnsembleSpec {
  return validate(data, { file: options.file, baseDir: baseDirOf(options), overrides: [] })
}

/**
 * Parses YAML or JSON spec text, applies `set` overrides, and validates it like {@link parseSpec};
 * errors also carry the line and column of the offending field.
 * @example
 * const spec = parseSpecText(await readFile('ensemble.yaml', 'utf8'), { file: 'ensemble.yaml', set: ['cv.folds=3'] })
 */
export function parseSpecText(text: string, options: ParseSpecTextOptions = {}): EnsembleSpec {
  const source = parseSource(text, options.file)
  const set = options.set ?? []
  const overrides = set.map((s) => withFile(() => parseOverride(s), options.file))
  const data = withFile(() => applyOverrides(source.data, set), options.file)
  return validate(data, { file: options.file, baseDir: baseDirOf(options), locate: source.locate, overrides })
}

function baseDirOf({ file, baseDir }: ParseSpecOptions): string {
  return resolve(baseDir ?? (file !== undefined ? dirname(file) : '.'))
}

function validate(data: unknown, ctx: Context): EnsembleSpec {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    fail(ctx, { message: 'a spec must be a mapping of fields (name, target, channels, members, ...)', path: [], onKey: false })
  }
  const forbidden = forbiddenKey(data, [])
  if (forbidden !== undefined) {
    fail(ctx, { message: `unknown field '${String(forbidden[forbidden.length - 1])}'`, path: forbidden, onKey: true })
  }
  const has = (key: string) => Object.prototype.hasOwnProperty.call(data, key)
  if (has('members') && has('estimator')) {
    fail(ctx, {
      message: "give either 'members' (a built-in ensemble) or 'estimator' (a training script), not both",
      path: ['estimator'],
      onKey: true,
    })
  }
  if (has('estimator')) return validateScript(data, ctx)
  if (!has('members')) {
    const known = [...new Set([...fieldsAt(membersSpecSchema, []), ...fieldsAt(scriptSpecSchema, [])])]
    const unknown = Object.keys(data).find((key) => !known.includes(key))
    if (unknown !== undefined) fail(ctx, { message: unknownField(unknown, known), path: [unknown], onKey: true })
    fail(ctx, { message: "missing 'members' (a built-in ensemble) or 'estimator' (a training script)", path: ['members'], onKey: true })
  }
  return validateMembers(data, ctx)
}

function validateMembers(data: object, ctx: Context): MembersSpec {
  const parsed = check(membersSpecSchema, data, ctx)
  const members: Record<string, MemberSpec> = {}
  const imports: Record<string, ImportMemberSpec> = {}
  for (const [name, m] of Object.entries(parsed.members)) {
    if (m.learner !== IMPORT_LEARNER) members[name] = { learner: m.learner, params: m.params ?? {} }
    else imports[name] = { path: isAbsolute(m.path!) ? m.path! : resolve(ctx.baseDir, m.path!), ...(m.features !== undefined && { features: m.features }) }
  }
  const spec: MembersSpec = {
    kind: 'ensemble',
    name: parsed.name,
    ...(parsed.task !== undefined && { task: parsed.task }),
    target: parsed.target,
    channels: { train: parsed.channels.train },
    types: parsed.types,
    cv: parsed.cv,
    ...(parsed.metric !== undefined && { metric: parsed.metric }),
    members,
    imports,
    hyperparameters: parsed.hyperparameters,
    blend: parsed.blend,
    final: parsed.final,
  }
  // Each member's own params first, so an error points at the member before any shared value.
  for (const [name, member] of Object.entries(spec.members)) {
    const learner = relocated(ctx, () => getLearner(member.learner, `members.${name}.learner`))
    relocated(ctx, () => parseLearnerParams(learner, member.params, `members.${name}.params`))
  }
  const bound = relocated(ctx, () => bindMembers(spec))
  for (const [name, member] of Object.entries(bound)) {
    const learner = getLearner(spec.members[name].learner)
    try {
      parseLearnerParams(learner, member.params, `members.${name}.params`)
    } catch (e) {
      const key = e instanceof ParamError ? e.location.field?.split('.')[3] : undefined
      if (!(e instanceof ParamError) || key === undefined || !member.shared.includes(key)) throw relocate(ctx, e)
      fail(ctx, { message: `${bare(e)} (shared hyperparameter, as bound to member '${name}')`, path: ['hyperparameters', key], onKey: false })
    }
  }
  // The blender's options, so a mistyped one fails here and not after the members have trained.
  relocated(ctx, () => getBlender(spec.blend.method, spec.blend.options))
  const weights = spec.blend.method === 'weighted' ? spec.blend.options.weights : undefined
  if (typeof weights === 'object' && weights !== null) {
    relocated(ctx, () => weightsFromNames(weights as Record<string, number>, Object.keys(parsed.members), 'regression'))
  }
  // Imported members have no out-of-fold predictions: a blender that learns needs other rows.
  if (Object.keys(imports).length > 0 && parsed.channels.holdout === undefined && blendLearns(spec.blend)) {
    fail(ctx, {
      message: `a '${spec.blend.method}' blend learns from the members' predictions, and imported members (${Object.keys(imports).join(', ')}) have no out-of-fold ones: add a holdout channel (channels.holdout) to fit it on, or blend by mean, vote or given weights`,
      path: ['channels'],
      onKey: true,
    })
  }
  spec.channels.train = dataPath(ctx, parsed.channels.train, ['channels', 'train'])
  if (parsed.channels.validation !== undefined) {
    spec.channels.validation = dataPath(ctx, parsed.channels.validation, ['channels', 'validation'])
  }
  if (parsed.channels.holdout !== undefined) {
    spec.channels.holdout = dataPath(ctx, parsed.channels.holdout, ['channels', 'holdout'])
  }
  return spec
}

/** True for a blend fitted on predictions (stack, learnt weights); mean, vote and given weights are not. */
function blendLearns(blend: BlendSpec): boolean {
  if (blend.method === 'stack') return true
  return blend.method === 'weighted' && typeof blend.options.weights !== 'object'
}

function validateScript(data: object, ctx: Context): ScriptSpec {
  const parsed = check(scriptSpecSchema, data, ctx)
  const { estimator } = parsed
  const channels: Record<string, string> = {}
  for (const [name, path] of Object.entries(estimator.channels)) channels[name] = resolve(ctx.baseDir, path)
  return {
    kind: 'script',
    name: parsed.name,
    estimator: {
      // SageMaker's rule: the entry point is relative to source_dir.
      entry_point: estimator.entry_point,
      source_dir: resolve(ctx.baseDir, estimator.source_dir ?? '.'),
      ...(estimator.command !== undefined && { command: estimator.command }),
      hyperparameters: estimator.hyperparameters,
      metric_definitions: estimator.metric_definitions,
      channels,
    },
  }
}

/**
 * The path of the first `__proto__` key anywhere in `data`. Checked before zod, whose records
 * would assign such a key and so change the output object's prototype instead of keeping a field.
 */
function forbiddenKey(data: unknown, path: (string | number)[]): (string | number)[] | undefined {
  if (typeof data !== 'object' || data === null) return undefined
  for (const key of Object.keys(data)) {
    if (key === '__proto__') return [...path, key]
    const found = forbiddenKey((data as Record<string, unknown>)[key], [...path, Array.isArray(data) ? Number(key) : key])
    if (found !== undefined) return found
  }
  return undefined
}

function check<S extends z.ZodType>(schema: S, data: unknown, ctx: Context): z.output<S> {
  const result = schema.safeParse(data)
  if (!result.success) fail(ctx, describeIssue(result.error.issues, data, schema))
  return result.data
}

/** A data file's absolute path; its extension must name a format the readers know. */
function dataPath(ctx: Context, path: string, field: FieldPath): string {
  relocated(ctx, () => {
    try {
      formatOf(path)
    } catch (e) {
      throw e instanceof ParamError ? new ParamError(`'${path}': ${bare(e)}`, { field: field.join('.') }) : e
    }
  })
  return isAbsolute(path) ? path : resolve(ctx.baseDir, path)
}

/** Runs `fn`, giving any ParamError it throws the spec's file, line and column. */
function relocated<T>(ctx: Context, fn: () => T): T {
  try {
    return fn()
  } catch (e) {
    throw relocate(ctx, e)
  }
}

function relocate(ctx: Context, e: unknown): unknown {
  if (!(e instanceof ParamError)) return e
  const field = e.location.field
  const path = field === undefined || field === '' ? [] : field.split('.')
  // Errors about a name (unknown ...) point at the key, others at the value.
  return located(ctx, { message: bare(e), path, onKey: /^unknown /.test(bare(e)) })
}

function fail(ctx: Context, problem: SpecProblem): never {
  throw located(ctx, problem)
}

function located(ctx: Context, { message, path, onKey }: SpecProblem): ParamError {
  const field = path.length > 0 ? path.join('.') : undefined
  const override = ctx.overrides.find((o) => startsWith(path, o.path) || (onKey && startsWith(o.path, path)))
  if (override !== undefined) return new ParamError(`${message} (from --set ${override.text})`, { file: ctx.file, field })
  const position = ctx.locate?.(path, onKey)
  return new ParamError(message, { file: ctx.file, ...position, field })
}

function startsWith(path: FieldPath, prefix: FieldPath): boolean {
  return prefix.length <= path.length && prefix.every((segment, i) => String(segment) === String(path[i]))
}

/** A ParamError's message without the location prefix its constructor added. */
function bare(e: ParamError): string {
  const prefix = new ParamError('', e.location).message
  return e.message.startsWith(prefix) ? e.message.slice(prefix.length) : e.message
}

function withFile<T>(fn: () => T, file: string | undefined): T {
  try {
    return fn()
  } catch (e) {
    if (e instanceof ParamError && file !== undefined && e.location.file === undefined) {
      throw new ParamError(bare(e), { ...e.location, file })
    }
    throw e
  }
}
