/**
 * Command-line parsing for the benchmark: the suite's options, a learner run's options and the
 * read benchmark's options. Every mistake is a ParamError naming the option, which the entry
 * point turns into exit code 2.
 */
import { parseArgs } from 'node:util'
import { ParamError } from '../src/errors.js'
import type { Task } from '../src/learners/types.js'
import type { ParamValue } from './learners.js'
import { parseTask } from './task.js'

/** Options shared by both kinds of learner run. */
interface LearnerArgsBase {
  readonly learner: string
  readonly target: string
  /** Undefined: inferred from the training targets. */
  readonly task?: Task
  /** `--set` values by name, in the order given. */
  readonly sets: Readonly<Record<string, ParamValue>>
  /** `--threads`, undefined when not given. */
  readonly threads?: number
  /** `--kernels`: the WebAssembly kernels (default) or the JavaScript reference ones. */
  readonly kernels: 'wasm' | 'js'
  readonly json: boolean
}

/** `LEARNER --train FILE --test FILE ...`: train on one file, score the other. */
export interface HoldoutArgs extends LearnerArgsBase {
  readonly mode: 'holdout'
  readonly train: string
  readonly test: string
  /** Train and predict this many times; the fastest time is reported. */
  readonly nrepeat: number
}

/** `LEARNER --data FILE --folds K --repeats R ...`: repeated k-fold cross-validation. */
export interface CvArgs extends LearnerArgsBase {
  readonly mode: 'cv'
  readonly data: string
  readonly folds: number
  readonly repeats: number
  /** Fold seed of the first repeat; repeat r uses seed + r. */
  readonly seed: number
}

/** A parsed learner run. */
export type LearnerArgs = HoldoutArgs | CvArgs

/** A parsed `read` command. */
export interface ReadArgs {
  readonly file: string
  readonly runs: number
  readonly json: boolean
}

/** A parsed suite invocation (no command). */
export interface SuiteArgs {
  /** 100k training rows instead of 1M. */
  readonly quick: boolean
  /** Skip the Python peers even when they are installed. */
  readonly peer: boolean
  readonly threads: number
  readonly json: boolean
}

/** Usage text printed with `--help` and after a usage error. */
export const USAGE = `usage:
  bench                                   the standard suite (table of consort vs XGBoost)
      [--quick] [--no-peer] [--threads 2] [--json]
  bench LEARNER --train FILE --test FILE --target COL [options] [--nrepeat 1]
  bench LEARNER --data FILE --target COL [--folds 5] [--repeats 1] [--seed 0] [options]
      options: [--task regression|binary|multiclass] [--set name=value]... [--threads N]
               [--kernels wasm|js] [--json]
  bench read --file FILE [--runs 3] [--json]`

/**
 * Parses a learner run's arguments (everything after the learner name).
 *
 * @throws ParamError for an unknown option, a missing `--target`, neither or both of
 *   `--train/--test` and `--data`, or a malformed value.
 * @example
 * parseLearnerArgs('gbdt', ['--train', 'a.csv', '--test', 'b.csv', '--target', 'y', '--set', 'eta=0.1'])
 * // { mode: 'holdout', learner: 'gbdt', sets: { eta: 0.1 }, ... }
 */
export function parseLearnerArgs(learner: string, argv: readonly string[]): LearnerArgs {
  const { values } = parse(argv, {
    train: { type: 'string' },
    test: { type: 'string' },
    data: { type: 'string' },
    target: { type: 'string' },
    task: { type: 'string' },
    set: { type: 'string', multiple: true },
    threads: { type: 'string' },
    kernels: { type: 'string' },
    nrepeat: { type: 'string' },
    folds: { type: 'string' },
    repeats: { type: 'string' },
    seed: { type: 'string' },
    json: { type: 'boolean' },
  })
  if (values.target === undefined) throw new ParamError('--target COL is required: the name of the column to predict', { field: '--target' })
  const base = {
    learner,
    target: values.target,
    task: values.task === undefined ? undefined : parseTask(values.task),
    sets: parseSets(values.set ?? []),
    threads: values.threads === undefined ? undefined : integer(values.threads, '--threads', 0),
    kernels: parseKernels(values.kernels, learner),
    json: values.json === true,
  }
  const holdout = values.train !== undefined || values.test !== undefined
  if (holdout && values.data !== undefined) {
    throw new ParamError('give either --train and --test, or --data for cross-validation, not both', { field: '--data' })
  }
  if (values.data !== undefined) {
    if (values.nrepeat !== undefined) throw new ParamError('--nrepeat applies to --train/--test runs; use --repeats', { field: '--nrepeat' })
    return {
      ...base,
      mode: 'cv',
      data: values.data,
      folds: values.folds === undefined ? 5 : integer(values.folds, '--folds', 2),
      repeats: values.repeats === undefined ? 1 : integer(values.repeats, '--repeats', 1),
      seed: values.seed === undefined ? 0 : integer(values.seed, '--seed', 0),
    }
  }
  if (values.train === undefined || values.test === undefined) {
    throw new ParamError('give --train FILE and --test FILE (or --data FILE for cross-validation)', {
      field: values.train === undefined ? '--train' : '--test',
    })
  }
  for (const name of ['folds', 'repeats', 'seed'] as const) {
    if (values[name] !== undefined) throw new ParamError(`--${name} applies to --data runs`, { field: `--${name}` })
  }
  return {
    ...base,
    mode: 'holdout',
    train: values.train,
    test: values.test,
    nrepeat: values.nrepeat === undefined ? 1 : integer(values.nrepeat, '--nrepeat', 1),
  }
}

/**
 * Parses the `read` command's arguments.
 * @example
 * parseReadArgs(['--file', 'big.csv', '--runs', '5']) // { file: 'big.csv', runs: 5, json: false }
 */
export function parseReadArgs(argv: readonly string[]): ReadArgs {
  const { values } = parse(argv, { file: { type: 'string' }, runs: { type: 'string' }, json: { type: 'boolean' } })
  if (values.file === undefined) throw new ParamError('--file FILE is required', { field: '--file' })
  return { file: values.file, runs: values.runs === undefined ? 3 : integer(values.runs, '--runs', 1), json: values.json === true }
}

/**
 * Parses the suite's options.
 * @example
 * parseSuiteArgs(['--quick', '--no-peer']) // { quick: true, peer: false, threads: 2, json: false }
 */
export function parseSuiteArgs(argv: readonly string[]): SuiteArgs {
  const { values } = parse(argv, {
    quick: { type: 'boolean' },
    'no-peer': { type: 'boolean' },
    threads: { type: 'string' },
    json: { type: 'boolean' },
  })
  return {
    quick: values.quick === true,
    peer: values['no-peer'] !== true,
    threads: values.threads === undefined ? 2 : integer(values.threads, '--threads', 1),
    json: values.json === true,
  }
}

/**
 * A `--set` value as a typed value: `true`/`false` become booleans, decimal numbers become
 * numbers, anything else stays a string (as the peer scripts parse theirs).
 * @example
 * parseSetValue('0.1')               // 0.1
 * parseSetValue('1e-3')              // 0.001
 * parseSetValue('true')              // true
 * parseSetValue('reg:squarederror')  // 'reg:squarederror'
 */
export function parseSetValue(text: string): ParamValue {
  const lower = text.toLowerCase()
  if (lower === 'true' || lower === 'false') return lower === 'true'
  return DECIMAL.test(text) ? Number(text) : text
}

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/

function parseSets(items: readonly string[]): Record<string, ParamValue> {
  const out: Record<string, ParamValue> = {}
  for (const item of items) {
    const eq = item.indexOf('=')
    if (eq <= 0) throw new ParamError(`--set expects name=value, got '${item}'`, { field: '--set' })
    const name = item.slice(0, eq)
    if (Object.prototype.hasOwnProperty.call(out, name)) throw new ParamError(`'${name}' is set twice`, { field: `--set ${name}` })
    out[name] = parseSetValue(item.slice(eq + 1))
  }
  return out
}

function integer(text: string, option: string, min: number): number {
  const n = Number(text)
  if (!/^\d+$/.test(text) || n < min) throw new ParamError(`${option} expects an integer >= ${min}, got '${text}'`, { field: option })
  return n
}

type OptionSpec = Record<string, { type: 'string' | 'boolean'; multiple?: boolean }>

/** node:util parseArgs with its usage errors (unknown option, missing value) as ParamErrors. */
function parse<O extends OptionSpec>(argv: readonly string[], options: O): ReturnType<typeof parseArgs<{ args: string[]; options: O; strict: true }>> {
  try {
    return parseArgs({ args: [...argv], options, strict: true })
  } catch (err) {
    if (err instanceof TypeError) throw new ParamError(err.message.split('\n')[0])
    throw err
  }
}

/** Learners whose training or prediction runs the WebAssembly kernels (the forests predict with the tree kernel). */
const KERNEL_LEARNERS = ['gbdt', 'oblivious', 'random_forest', 'extra_trees']

function parseKernels(text: string | undefined, learner: string): 'wasm' | 'js' {
  if (text === undefined) return 'wasm'
  if (!KERNEL_LEARNERS.includes(learner)) throw new ParamError(`--kernels does nothing for ${learner}; it applies to ${KERNEL_LEARNERS.join(', ')}`, { field: '--kernels' })
  if (text === 'wasm' || text === 'js') return text
  throw new ParamError(`--kernels must be wasm or js, got '${text}'`, { field: '--kernels' })
}
