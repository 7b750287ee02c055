/**
 * The script-mode training job: run the user's own training program with SageMaker's contract
 * (job folder, `SM_*` environment, hyperparameters as `--name value` arguments), stream its log,
 * capture metrics with the spec's regexes, and pack its model folder as `model.tar.gz`.
 */
import { writeJsonAtomic } from '../../store/atomic-write.js'
import { ParamError } from '../../errors.js'
import { writeArtifact } from '../../store/artifact/file.js'
import type { ScriptSpec } from '../spec/types.js'
import { checkChannels, linkChannels } from './channels.js'
import { runChild, type ChildExit, type LogStream } from './child.js'
import { scriptCommand } from './command.js'
import { scriptEnvironment } from './environment.js'
import { readFailureFile, ScriptFailedError } from './failure.js'
import { checkHyperparameters, hyperparameterArgs } from './hyperparameters.js'
import { checkLayoutFree, createLayout, jobLayout } from './layout.js'
import { JobLog } from './log.js'
import { MetricCapture } from './metrics.js'
import { modelFiles } from './pack.js'
import { abortReason } from '../../exec/abort-point.js'

/** Default time a stopped script has between SIGTERM and SIGKILL. */
export const DEFAULT_GRACE_MS = 10_000

export interface RunScriptOptions {
  /** The job folder: created if missing, refused if it already holds a job's files (see layout.ts). */
  readonly outDir: string
  /** Aborting stops the script (SIGTERM, then SIGKILL after `graceMs`); no model.tar.gz is written. */
  readonly signal?: AbortSignal
  /** Every line of the script's stdout and stderr, as it arrives. */
  readonly onLog?: (line: string, stream: LogStream) => void
  /** The environment the `SM_*` variables are added to; default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>
  /** The job's name in `SM_TRAINING_ENV` and `TRAINING_JOB_NAME`; default the spec's name. */
  readonly jobName?: string
  /** Milliseconds between SIGTERM and SIGKILL when stopping the script; default {@link DEFAULT_GRACE_MS}. */
  readonly graceMs?: number
}

export interface ScriptResult {
  /** The last value of every metric definition that matched a line, by its `Name`. */
  readonly metrics: Readonly<Record<string, number>>
  /** Every value of every matched metric, in log order. */
  readonly series: Readonly<Record<string, readonly number[]>>
  /** Path of model.tar.gz: the model folder's files (a plain archive, not a consort bundle). */
  readonly artifact: string
  /** Names of the files packed into the artifact. */
  readonly files: readonly string[]
  /** Path of the job's log (stdout and stderr). */
  readonly log: string
  readonly seconds: number
  /** Always 0: a script that fails throws {@link ScriptFailedError}. */
  readonly exitCode: number
}

/**
 * Runs the training script of `spec` as a job in `options.outDir`. Bad input (missing source
 * folder, entry point, interpreter or channel; an unusable output folder) is a ConsortError
 * raised before anything is written. A script that exits non-zero or is killed throws
 * {@link ScriptFailedError}; an abort rejects with the abort reason. In both cases no
 * model.tar.gz is written and the log is kept.
 * @example
 * const spec = await loadSpec('script.yaml')
 * if (spec.kind === 'script') {
 *   const result = await runScript(spec, { outDir: 'out', onLog: (line) => console.error(line) })
 *   result.metrics['validation:rmse'] // the last value the script printed
 * }
 */
export async function runScript(spec: ScriptSpec, options: RunScriptOptions): Promise<ScriptResult> {
  const started = performance.now()
  const { estimator } = spec
  const { signal } = options
  const base = options.env ?? process.env

  // Everything the input can get wrong, checked before the job folder is touched.
  checkHyperparameters(estimator.hyperparameters)
  const capture = new MetricCapture(estimator.metric_definitions)
  const command = await scriptCommand(estimator, base)
  const channels = await checkChannels(estimator.channels)
  const layout = jobLayout(options.outDir)
  await checkLayoutFree(layout)
  if (signal?.aborted) throw abortReason(signal)

  await createLayout(layout, { hyperparameters: estimator.hyperparameters, channels: channels.map((c) => c.name) })
  const channelDirs = await linkChannels(channels, layout.dataDir)
  const userArgs = hyperparameterArgs(estimator.hyperparameters)
  const env = scriptEnvironment(base, {
    jobName: options.jobName ?? spec.name,
    layout,
    sourceDir: estimator.source_dir,
    entryPoint: estimator.entry_point,
    hyperparameters: estimator.hyperparameters,
    channels: channelDirs,
    userArgs,
  })

  const log = new JobLog(layout.log)
  let exit: ChildExit
  try {
    if (signal?.aborted) throw abortReason(signal)
    exit = await runChild({
      program: command.program,
      args: [...command.args, ...userArgs],
      cwd: estimator.source_dir,
      env,
      signal,
      graceMs: options.graceMs ?? DEFAULT_GRACE_MS,
      onLine: (line, stream) => {
        log.write(line)
        capture.scan(line)
        options.onLog?.(line, stream)
      },
    })
  } catch (e) {
    // The checks above passed, yet exec failed: typically a #! line naming a missing interpreter.
    if (isErrno(e) && e.syscall?.startsWith('spawn')) {
      throw new ParamError(`cannot start ${command.program}: ${e.code} (a missing program, or a missing interpreter on its #! line)`, { field: command.field })
    }
    throw e
  } finally {
    await log.close()
  }
  if (exit.code !== 0 || exit.signal !== null) {
    throw new ScriptFailedError({
      entryPoint: estimator.entry_point,
      exitCode: exit.code,
      signal: exit.signal,
      reason: await readFailureFile(layout.failureFile),
      tail: log.tail(),
      log: layout.log,
    })
  }

  const files = await modelFiles(layout.modelDir)
  await writeArtifact(layout.artifact, files, { signal })
  const metrics = capture.metrics()
  const series = capture.series()
  const seconds = (performance.now() - started) / 1000
  // Through a temporary name, so metrics.json is never seen half-written.
  await writeJsonAtomic(layout.metricsFile, { metrics, series, seconds, exitCode: 0 })
  return { metrics, series, artifact: layout.artifact, files: files.map((f) => f.name), log: layout.log, seconds, exitCode: 0 }
}

function isErrno(e: unknown): e is NodeJS.ErrnoException {
  return e instanceof Error && 'code' in e
}
