/**
 * The job folder, laid out like SageMaker's `/opt/ml`:
 * ```
 * input/config/hyperparameters.json    every value as text (see hyperparameters.ts)
 * input/config/inputdataconfig.json    one entry per channel
 * input/config/resourceconfig.json     the one host, algo-1
 * input/data/<channel>                 each channel (see channels.ts)
 * model/                               SM_MODEL_DIR: packed into model.tar.gz on success
 * output/data/                         SM_OUTPUT_DATA_DIR: kept as it is
 * output/failure                       a script may write why it failed; the error quotes it
 * train.log                            stdout and stderr, line by line
 * model.tar.gz, metrics.json           written only when the script succeeds
 * ```
 */
import { lstat, mkdir, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { ParamError } from '../../errors.js'
import type { HyperValue } from '../spec/types.js'
import { hyperparameterFile } from './hyperparameters.js'

/** SageMaker's name of the first (here the only) host of a job. */
export const HOST = 'algo-1'

/** Absolute paths of a job folder's parts. */
export interface JobLayout {
  readonly root: string
  readonly inputDir: string
  readonly configDir: string
  readonly dataDir: string
  readonly modelDir: string
  readonly outputDir: string
  readonly outputDataDir: string
  readonly failureFile: string
  readonly log: string
  readonly artifact: string
  readonly metricsFile: string
}

/**
 * The layout of a job folder at `outDir`; nothing is touched.
 * @example jobLayout('out').modelDir // '/abs/out/model'
 */
export function jobLayout(outDir: string): JobLayout {
  const root = resolve(outDir)
  const inputDir = join(root, 'input')
  const outputDir = join(root, 'output')
  return {
    root,
    inputDir,
    configDir: join(inputDir, 'config'),
    dataDir: join(inputDir, 'data'),
    modelDir: join(root, 'model'),
    outputDir,
    outputDataDir: join(outputDir, 'data'),
    failureFile: join(outputDir, 'failure'),
    log: join(root, 'train.log'),
    artifact: join(root, 'model.tar.gz'),
    metricsFile: join(root, 'metrics.json'),
  }
}

/**
 * Refuses a folder that already holds any part of a job: files left by an earlier job in `model/`
 * would be packed as this job's model, and clearing them could delete someone's data. Other
 * files in the folder are fine.
 * @example await checkLayoutFree(jobLayout('out')) // throws ParamError when out/model exists
 */
export async function checkLayoutFree(layout: JobLayout): Promise<void> {
  for (const path of [layout.inputDir, layout.modelDir, layout.outputDir, layout.log, layout.artifact, layout.metricsFile]) {
    if (await exists(path)) {
      throw new ParamError(`output folder ${layout.root} already holds ${path} (an earlier job?); give a new output folder`)
    }
  }
}

/** The job's settings as config files. */
export interface JobConfig {
  readonly hyperparameters: Readonly<Record<string, HyperValue>>
  readonly channels: readonly string[]
}

/**
 * Creates the folders of `layout` and writes the three config files.
 * @example await createLayout(jobLayout('out'), { hyperparameters: { epochs: 3 }, channels: ['train'] })
 */
export async function createLayout(layout: JobLayout, config: JobConfig): Promise<void> {
  for (const dir of [layout.configDir, layout.dataDir, layout.modelDir, layout.outputDataDir]) await mkdir(dir, { recursive: true })
  const json = (name: string, value: unknown) => writeFile(join(layout.configDir, name), JSON.stringify(value, null, 2) + '\n')
  await json('hyperparameters.json', hyperparameterFile(config.hyperparameters))
  await json('inputdataconfig.json', inputDataConfig(config.channels))
  await json('resourceconfig.json', resourceConfig())
}

/**
 * inputdataconfig.json's content, SageMaker's fields for file-mode channels.
 * @example inputDataConfig(['train']).train.TrainingInputMode // 'File'
 */
export function inputDataConfig(channels: readonly string[]): Record<string, Record<string, string>> {
  return Object.fromEntries(
    channels.map((name) => [name, { TrainingInputMode: 'File', S3DistributionType: 'FullyReplicated', RecordWrapperType: 'None' }]),
  )
}

/**
 * resourceconfig.json's content: one host.
 * @example resourceConfig().hosts // ['algo-1']
 */
export function resourceConfig(): { current_host: string; hosts: string[] } {
  return { current_host: HOST, hosts: [HOST] }
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path)
    return true
  } catch {
    return false
  }
}
