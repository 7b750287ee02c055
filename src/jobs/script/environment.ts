/**
 * The environment of a training script: the parent's, plus SageMaker's training-toolkit variables
 * (`SM_MODEL_DIR`, `SM_CHANNEL_<NAME>`, `SM_HPS`, ...) and `TRAINING_JOB_NAME`, so a script
 * written for SageMaker script mode runs unchanged. Inherited `SM_*` variables are dropped first: a consort job run inside
 * another job must describe itself, not its parent.
 */
import { availableParallelism } from 'node:os'
import { basename, extname } from 'node:path'
import type { HyperValue } from '../spec/types.js'
import { hyperparameterEnv } from './hyperparameters.js'
import { HOST, inputDataConfig, resourceConfig, type JobLayout } from './layout.js'

/** What the environment describes. */
export interface ScriptContext {
  readonly jobName: string
  readonly layout: JobLayout
  /** The script's folder (`source_dir`) and its entry point as the spec gives it. */
  readonly sourceDir: string
  readonly entryPoint: string
  readonly hyperparameters: Readonly<Record<string, HyperValue>>
  /** Channel name to its folder. */
  readonly channels: Readonly<Record<string, string>>
  /** The hyperparameter arguments the script receives. */
  readonly userArgs: readonly string[]
}

/**
 * The complete environment of the script: `base` without its `SM_*` variables, then the job's.
 * `PYTHONUNBUFFERED=1` unless `base` sets it, so Python's prints reach the log as they happen.
 * @example
 * const env = scriptEnvironment(process.env, context)
 * env.SM_CHANNEL_TRAIN // '/abs/out/input/data/train'
 */
export function scriptEnvironment(base: Readonly<Record<string, string | undefined>>, context: ScriptContext): Record<string, string> {
  const env = Object.fromEntries(
    Object.entries(base).filter((entry): entry is [string, string] => entry[1] !== undefined && !entry[0].startsWith('SM_')),
  )
  env.PYTHONUNBUFFERED ??= '1'
  return Object.assign(env, jobVariables(context))
}

/**
 * The job's own variables: every `SM_*` one and `TRAINING_JOB_NAME`.
 * @example jobVariables(context).SM_NUM_GPUS // '0'
 */
export function jobVariables(context: ScriptContext): Record<string, string> {
  const { layout, channels, hyperparameters } = context
  const names = Object.keys(channels).sort()
  const cpus = availableParallelism()
  const moduleName = basename(context.entryPoint, extname(context.entryPoint))
  const training = {
    job_name: context.jobName,
    current_host: HOST,
    hosts: [HOST],
    num_cpus: cpus,
    num_gpus: 0,
    hyperparameters,
    channel_input_dirs: Object.fromEntries(names.map((n) => [n, channels[n]])),
    input_data_config: inputDataConfig(names),
    resource_config: resourceConfig(),
    input_dir: layout.inputDir,
    input_config_dir: layout.configDir,
    model_dir: layout.modelDir,
    output_dir: layout.outputDir,
    output_data_dir: layout.outputDataDir,
    module_dir: context.sourceDir,
    module_name: moduleName,
    user_entry_point: context.entryPoint,
  }
  const vars: Record<string, string> = {
    TRAINING_JOB_NAME: context.jobName,
    SM_MODEL_DIR: layout.modelDir,
    SM_INPUT_DIR: layout.inputDir,
    SM_INPUT_CONFIG_DIR: layout.configDir,
    SM_OUTPUT_DIR: layout.outputDir,
    SM_OUTPUT_DATA_DIR: layout.outputDataDir,
    SM_CHANNELS: JSON.stringify(names),
    SM_HPS: JSON.stringify(hyperparameters),
    SM_USER_ARGS: JSON.stringify(context.userArgs),
    SM_NUM_CPUS: String(cpus),
    SM_NUM_GPUS: '0',
    SM_CURRENT_HOST: HOST,
    SM_HOSTS: JSON.stringify([HOST]),
    SM_INPUT_DATA_CONFIG: JSON.stringify(training.input_data_config),
    SM_RESOURCE_CONFIG: JSON.stringify(training.resource_config),
    SM_MODULE_DIR: context.sourceDir,
    SM_MODULE_NAME: moduleName,
    SM_USER_ENTRY_POINT: context.entryPoint,
    SM_TRAINING_ENV: JSON.stringify(training),
  }
  for (const n of names) vars[`SM_CHANNEL_${n.toUpperCase()}`] = channels[n]
  for (const [name, value] of Object.entries(hyperparameters)) vars[`SM_HP_${name.toUpperCase()}`] = hyperparameterEnv(value)
  return vars
}
