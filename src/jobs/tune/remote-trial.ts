/**
 * How a trial travels to a worker on another machine and back. The coordinator puts the trial's
 * inputs (data channels, a script's folder) in the shared store by content and sends their keys
 * with the trial; the worker points the training spec at its local view of those keys. The worker
 * puts the trial's outputs (model.tar.gz, metrics.json, a script's log and output folder) in the
 * store under a key of its run, and the coordinator copies them into the trial's own folder.
 */
import { cp, mkdir, stat } from 'node:fs/promises'
import { join, relative } from 'node:path'
import type { SharedStore } from '../../store/shared/shared-store.js'
import { stage } from '../../store/shared/stage.js'
import { trialSpec } from './apply.js'
import type { TrialResult, TrialTask } from './executor.js'

/** A field of the training spec that names an input, and the input's key in the shared store. */
export interface StagedInput {
  readonly field: readonly string[]
  readonly key: string
}

/** A trial as a worker receives it. */
export interface RemoteTrial {
  /** The trial, its training spec still naming inputs by the coordinator's paths. */
  readonly task: TrialTask
  /** The inputs to read from the shared store instead. */
  readonly inputs: readonly StagedInput[]
}

/**
 * What a worker sends back: a trial result without out-of-fold predictions (ensemble selection
 * across trials needs them all in one process), whose files are in the shared store under `output`.
 */
export interface RemoteTrialResult extends Omit<TrialResult, 'oof' | 'artifact' | 'log'> {
  /** Key of the trial's output folder in the shared store. */
  readonly output: string
  /** Names of the files and folders in it. */
  readonly files: readonly string[]
  /** The artifact's and the log's names in it. */
  readonly artifact: string
  readonly log?: string
}

/** The outputs of a trial folder that go back to the coordinator. */
const OUTPUTS = ['model.tar.gz', 'metrics.json', 'train.log', 'output']

/**
 * Puts the trial's inputs in `store` by content and says which spec fields they replace.
 * @example const inputs = await stageInputs(store, task)
 */
export async function stageInputs(store: SharedStore, task: TrialTask): Promise<StagedInput[]> {
  const spec = trialSpec(task, {})
  const paths: [string[], string][] =
    spec.kind === 'script'
      ? [[['estimator', 'source_dir'], spec.estimator.source_dir], ...Object.entries(spec.estimator.channels).map(([name, path]): [string[], string] => [['estimator', 'channels', name], path])]
      : [[['channels', 'train'], spec.channels.train], ...(spec.channels.validation === undefined ? [] : [[['channels', 'validation'], spec.channels.validation] as [string[], string]])]
  return Promise.all(paths.map(async ([field, path]) => ({ field, key: await stage(store, path) })))
}

/**
 * The trial with its inputs read from the worker's view of `store` and its outputs written to
 * `outDir`.
 * @example const task = await localTask(store, remote, '/tmp/trial-3')
 */
export async function localTask(store: SharedStore, remote: RemoteTrial, outDir: string): Promise<TrialTask> {
  const training = structuredClone(remote.task.training) as Record<string, unknown>
  for (const input of remote.inputs) setField(training, input.field, await store.localPath(input.key))
  return { ...remote.task, training, outDir }
}

/**
 * Puts a finished trial's outputs in `store` under `output` and returns what the coordinator hears.
 * @example const sent = await sendOutputs(store, result, outDir, 'results/job.3-ab12')
 */
export async function sendOutputs(store: SharedStore, result: TrialResult, outDir: string, output: string): Promise<RemoteTrialResult> {
  const files: string[] = []
  for (const name of OUTPUTS) {
    if (!(await exists(join(outDir, name)))) continue
    await store.upload(`${output}/${name}`, join(outDir, name))
    files.push(name)
  }
  const { oof: _oof, artifact, log, ...rest } = result
  return { ...rest, output, files, artifact: relative(outDir, artifact), ...(log !== undefined && { log: relative(outDir, log) }) }
}

/**
 * Copies a remote trial's outputs from `store` into the trial's folder, removes them from the
 * store, and returns the result with local paths.
 * @example const result = await receiveOutputs(store, sent, task.outDir)
 */
export async function receiveOutputs(store: SharedStore, sent: RemoteTrialResult, outDir: string): Promise<TrialResult> {
  await mkdir(outDir, { recursive: true })
  for (const name of sent.files) await cp(await store.localPath(`${sent.output}/${name}`), join(outDir, name), { recursive: true })
  await store.remove(sent.output)
  const { output: _output, files: _files, artifact, log, ...rest } = sent
  return { ...rest, artifact: join(outDir, artifact), ...(log !== undefined && { log: join(outDir, log) }) }
}

function setField(target: Record<string, unknown>, field: readonly string[], value: string): void {
  let at = target
  for (const name of field.slice(0, -1)) {
    if (typeof at[name] !== 'object' || at[name] === null) at[name] = {}
    at = at[name] as Record<string, unknown>
  }
  at[field[field.length - 1]] = value
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path)
    return true
  } catch {
    return false
  }
}
