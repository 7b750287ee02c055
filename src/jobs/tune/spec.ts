/**
 * The tuning spec (`tuning.yaml`), in SageMaker Automatic Model Tuning's vocabulary: which
 * training job to tune (a training spec file, an inline one, or a script-mode estimator block),
 * the objective metric and its direction, the ranges, the strategy and the job's limits. Read from
 * YAML or JSON, validated with errors that name the file, field, line and column.
 */
import { readFile } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { z } from 'zod'
import { ParamError } from '../../errors.js'
import type { ParameterRange } from '../../tune/types.js'
import { closestName } from '../../text/closest.js'
import { describeIssue } from '../spec/issues.js'
import { applyOverrides } from '../spec/overrides.js'
import { parseSource, type FieldPath } from '../spec/source.js'

const STRATEGIES = ['Random', 'Grid', 'Bayesian', 'Hyperband'] as const
const SCALINGS = ['Auto', 'Linear', 'Logarithmic', 'ReverseLogarithmic'] as const

const finite = z.number().refine(Number.isFinite, 'must be a finite number')

const rangeSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('continuous'), min: finite, max: finite, scaling: z.enum(SCALINGS).default('Auto') }),
  z.strictObject({ type: z.literal('integer'), min: z.number().int(), max: z.number().int(), scaling: z.enum(SCALINGS).default('Auto') }),
  z.strictObject({ type: z.literal('categorical'), values: z.array(z.union([z.number(), z.string(), z.boolean()])).min(1, 'needs at least one value') }),
])

export const tuningSpecSchema = z.strictObject({
  name: z.string().min(1).regex(/^[A-Za-z_][A-Za-z0-9_-]*$/, 'must start with a letter or _ and hold only letters, digits, _ and -'),
  estimator: z.union([z.string().min(1), z.record(z.string(), z.unknown())], { error: 'expected a training spec file, an inline training spec or an estimator block' }),
  objective: z.strictObject({ metric: z.string().min(1), type: z.enum(['Minimize', 'Maximize']).default('Minimize') }),
  ranges: z.record(z.string(), rangeSchema).refine((r) => Object.keys(r).length > 0, 'needs at least one range'),
  strategy: z.enum(STRATEGIES).default('Bayesian'),
  strategy_config: z.strictObject({ min_resource: z.number().int().min(1).optional(), max_resource: z.number().int().min(1).optional() }).default({}),
  max_jobs: z.number().int().min(1).max(10_000),
  max_parallel_jobs: z.number().int().min(1).max(100).default(1),
  early_stopping: z.enum(['Off', 'Auto', 'Wilcoxon']).default('Off'),
  completion: z
    .strictObject({
      target_value: z.number().optional(),
      no_improvement_jobs: z.number().int().min(3).optional(),
      on_convergence: z.boolean().default(false),
    })
    .default({ on_convergence: false }),
  warm_start: z
    .strictObject({
      parents: z.array(z.string().min(1)).min(1).max(5),
      type: z.enum(['IdenticalDataAndAlgorithm', 'TransferLearning']).default('IdenticalDataAndAlgorithm'),
    })
    .optional(),
  random_seed: z.number().int().min(0).default(0),
  max_runtime_seconds: z.number().positive().optional(),
  keep_artifacts: z.enum(['best', 'all']).default('best'),
})

type ParsedTuningSpec = z.output<typeof tuningSpecSchema>

/** A validated tuning spec; the training spec it tunes is kept as raw data, applied per trial. */
export interface TuningSpec {
  readonly name: string
  /** The training spec as plain data (a script estimator block becomes `{ name, estimator }`). */
  readonly training: Readonly<Record<string, unknown>>
  /** Folder the training spec's relative paths resolve against. */
  readonly trainingBaseDir: string
  /** The training spec's file, for error locations (absent for an inline spec). */
  readonly trainingFile?: string
  readonly objective: { readonly metric: string; readonly direction: 'minimize' | 'maximize' }
  readonly ranges: readonly ParameterRange[]
  readonly strategy: (typeof STRATEGIES)[number]
  readonly strategyConfig: { readonly minResource?: number; readonly maxResource?: number }
  readonly maxJobs: number
  readonly maxParallelJobs: number
  readonly earlyStopping: 'Off' | 'Auto' | 'Wilcoxon'
  readonly completion: ParsedTuningSpec['completion']
  readonly warmStart?: { readonly parents: readonly string[]; readonly type: 'IdenticalDataAndAlgorithm' | 'TransferLearning' }
  readonly seed: number
  readonly maxRuntimeSeconds?: number
  readonly keepArtifacts: 'best' | 'all'
}

/**
 * Reads and validates a tuning spec file, with `--set` overrides; the training spec it names is
 * read too (relative to the tuning spec's folder).
 * @throws ParamError naming the file, field, line and column.
 * @example const spec = await loadTuningSpec('tuning.yaml', { set: ['max_jobs=8'] })
 */
export async function loadTuningSpec(path: string, options: { set?: readonly string[] } = {}): Promise<TuningSpec> {
  const text = await readText(path)
  const source = parseSource(text, path)
  const data = applyOverrides(source.data, options.set ?? [])
  return parseTuningSpec(data, {
    file: path,
    locate: (field, onKey) => source.locate(field, onKey),
  })
}

/** Where a tuning spec came from. */
export interface ParseTuningOptions {
  readonly file?: string
  /** Folder of relative paths (default: the file's folder, else the working directory). */
  readonly baseDir?: string
  readonly locate?: (path: FieldPath, onKey?: boolean) => { line: number; column: number } | undefined
}

/**
 * Validates an in-memory tuning spec (the training spec file it names is read).
 * @example const spec = await parseTuningSpec({ name: 't', estimator: 'ensemble.yaml', objective: { metric: 'cv:rmse' }, ranges, max_jobs: 4 }, { baseDir: '.' })
 */
export async function parseTuningSpec(data: unknown, options: ParseTuningOptions = {}): Promise<TuningSpec> {
  const fail = (message: string, path: FieldPath, onKey = false): never => {
    const field = path.length > 0 ? path.join('.') : undefined
    throw new ParamError(message, { file: options.file, ...options.locate?.(path, onKey), field })
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) fail('a tuning spec must be a mapping of fields (name, estimator, objective, ranges, ...)', [])
  const result = tuningSpecSchema.safeParse(data)
  if (!result.success) {
    const problem = describeIssue(result.error.issues, data, tuningSpecSchema)
    fail(strategyHint(problem.message, problem.path, data), problem.path, problem.onKey)
  }
  const parsed = result.data!
  if (parsed.max_parallel_jobs > parsed.max_jobs) {
    fail(`max_parallel_jobs (${parsed.max_parallel_jobs}) is more than max_jobs (${parsed.max_jobs})`, ['max_parallel_jobs'])
  }
  if (parsed.strategy === 'Hyperband' && parsed.early_stopping !== 'Off') {
    fail('Hyperband stops trials itself: early_stopping must be Off with it (as in SageMaker)', ['early_stopping'])
  }
  const baseDir = resolve(options.baseDir ?? (options.file !== undefined ? dirname(options.file) : '.'))
  const training = await trainingSpecOf(parsed.estimator, parsed.name, baseDir)
  return {
    name: parsed.name,
    ...training,
    objective: { metric: parsed.objective.metric, direction: parsed.objective.type === 'Minimize' ? 'minimize' : 'maximize' },
    ranges: Object.entries(parsed.ranges).map(([name, r]) => ({ name, ...r }) as ParameterRange),
    strategy: parsed.strategy,
    strategyConfig: { minResource: parsed.strategy_config.min_resource, maxResource: parsed.strategy_config.max_resource },
    maxJobs: parsed.max_jobs,
    maxParallelJobs: parsed.max_parallel_jobs,
    earlyStopping: parsed.early_stopping,
    completion: parsed.completion,
    ...(parsed.warm_start && { warmStart: parsed.warm_start }),
    seed: parsed.random_seed,
    ...(parsed.max_runtime_seconds !== undefined && { maxRuntimeSeconds: parsed.max_runtime_seconds }),
    keepArtifacts: parsed.keep_artifacts,
  }
}

/** The training spec as data: read from its file, inline, or built around an estimator block. */
async function trainingSpecOf(
  estimator: string | Record<string, unknown>,
  name: string,
  baseDir: string,
): Promise<{ training: Record<string, unknown>; trainingBaseDir: string; trainingFile?: string }> {
  if (typeof estimator === 'string') {
    const file = resolve(baseDir, estimator)
    const data = parseSource(await readText(file), file).data
    if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new ParamError('a training spec must be a mapping of fields', { file })
    return { training: data as Record<string, unknown>, trainingBaseDir: dirname(file), trainingFile: file }
  }
  // An estimator block (SageMaker's Estimator: entry_point, hyperparameters, ...) is a script spec's.
  const training = 'entry_point' in estimator ? { name, estimator } : estimator
  return { training, trainingBaseDir: baseDir }
}

async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8')
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : e instanceof Error ? e.message : String(e)
    throw new ParamError(`cannot read the spec: ${reason}`, { file: path })
  }
}

/** An unknown strategy is told the closest valid one, as names elsewhere are. */
function strategyHint(message: string, path: FieldPath, data: unknown): string {
  if (path.length !== 1 || path[0] !== 'strategy') return message
  const given = String((data as Record<string, unknown>).strategy)
  const hint = closestName(given, STRATEGIES.map((s) => s.toLowerCase()))
  const suggestion = hint === undefined ? '' : `; did you mean '${STRATEGIES.find((s) => s.toLowerCase() === hint)}'?`
  return `unknown strategy '${given}'${suggestion} (valid: ${STRATEGIES.join(', ')})`
}
