import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { availableParallelism, tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ConsortError, DataError, ParamError } from '../../errors.js'
import { readArtifact } from '../../store/artifact/file.js'
import { parseSpec } from '../spec/index.js'
import type { ScriptSpec } from '../spec/types.js'
import { ScriptFailedError } from './failure.js'
import { runScript, type RunScriptOptions, type ScriptResult } from './run.js'

const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url))
let dir: string
let trainCsv: string
let validationDir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'consort-script-'))
  trainCsv = join(dir, 'train.csv')
  await writeFile(trainCsv, 'x,y\n1,2\n')
  validationDir = join(dir, 'validation')
  await mkdir(validationDir)
  await writeFile(join(validationDir, 'a.csv'), 'x,y\n')
  await writeFile(join(validationDir, 'b.csv'), 'x,y\n')
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

/** A script spec as loadSpec would give it, scripts resolved against the fixtures folder. */
function spec(estimator: Record<string, unknown>): ScriptSpec {
  const s = parseSpec({ name: 'script-test', estimator: { channels: { train: trainCsv }, ...estimator } }, { baseDir: FIXTURES })
  if (s.kind !== 'script') throw new Error('expected a script spec')
  return s
}

let count = 0
const newOutDir = () => join(dir, `job-${count++}`)

/** Runs a job in a fresh folder, keeping its log lines. */
async function run(s: ScriptSpec, options: Partial<RunScriptOptions> = {}) {
  const lines: [string, string][] = []
  const outDir = newOutDir()
  const result = await runScript(s, { outDir, onLog: (line, stream) => lines.push([line, stream]), ...options })
  return { result, lines, outDir, text: lines.map(([l]) => l).join('\n') }
}

/** The error a promise rejects with. */
async function failure(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  if (!(error instanceof Error)) throw new Error('expected a rejection with an Error')
  return error
}

/**
 * Whether the process lives, after giving a signalled process a moment to die. A zombie counts as
 * dead: it has exited, and an orphan waits for its reaper (init, here or in a container) at init's pace.
 */
async function alive(pid: number): Promise<boolean> {
  for (let i = 0; i < 50; i++) {
    try {
      process.kill(pid, 0)
    } catch {
      return false
    }
    if (zombie(pid)) return false
    await sleep(20)
  }
  return true
}

function zombie(pid: number): boolean {
  try {
    // /proc/<pid>/stat: "pid (name) state ...", the name may hold spaces and parentheses.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')
  } catch {
    return false
  }
}

describe('runScript with a node script', () => {
  let job: Awaited<ReturnType<typeof run>>
  let seen: {
    argv: string[]
    cwd: string
    env: Record<string, string>
    hyperparameters: Record<string, string>
    inputdataconfig: Record<string, unknown>
    resourceconfig: unknown
    channels: Record<string, string[]>
  }
  const hyperparameters = { epochs: 3, lr: 0.1, objective: 'reg:squarederror', early_stop: true }

  beforeAll(async () => {
    job = await run(
      spec({
        entry_point: 'train.mjs',
        channels: { train: trainCsv, validation: validationDir },
        hyperparameters,
        metric_definitions: [
          { Name: 'train:loss', Regex: 'loss=([0-9.]+)' },
          { Name: 'accuracy', Regex: 'accuracy: (\\S+)' },
          { Name: 'epoch', Regex: '(?<=epoch=)\\d+' },
          { Name: 'absent', Regex: 'absent=(\\d+)' },
        ],
      }),
      { env: { ...process.env, CONSORT_TEST: 'yes', SM_STALE: 'from a parent job' }, jobName: 'script-test-1' },
    )
    seen = JSON.parse(readFileSync(join(job.outDir, 'output', 'data', 'seen.json'), 'utf8'))
  })

  it('passes hyperparameters as sorted --name value arguments and runs in source_dir', () => {
    expect(seen.argv).toEqual(['--early_stop', 'True', '--epochs', '3', '--lr', '0.1', '--objective', 'reg:squarederror'])
    expect(seen.cwd).toBe(FIXTURES.replace(/\/$/, ''))
  })

  it("sets SageMaker's environment on top of the given one", () => {
    const out = job.outDir
    expect(seen.env).toMatchObject({
      CONSORT_TEST: 'yes',
      PYTHONUNBUFFERED: '1',
      TRAINING_JOB_NAME: 'script-test-1',
      SM_MODEL_DIR: join(out, 'model'),
      SM_OUTPUT_DIR: join(out, 'output'),
      SM_OUTPUT_DATA_DIR: join(out, 'output', 'data'),
      SM_INPUT_DIR: join(out, 'input'),
      SM_INPUT_CONFIG_DIR: join(out, 'input', 'config'),
      SM_CHANNELS: '["train","validation"]',
      SM_CHANNEL_TRAIN: join(out, 'input', 'data', 'train'),
      SM_CHANNEL_VALIDATION: join(out, 'input', 'data', 'validation'),
      SM_HP_EPOCHS: '3',
      SM_HP_LR: '0.1',
      SM_HP_EARLY_STOP: 'true',
      SM_HP_OBJECTIVE: 'reg:squarederror',
      SM_NUM_CPUS: String(availableParallelism()),
      SM_NUM_GPUS: '0',
      SM_CURRENT_HOST: 'algo-1',
      SM_HOSTS: '["algo-1"]',
      SM_MODULE_DIR: FIXTURES.replace(/\/$/, ''),
      SM_USER_ENTRY_POINT: 'train.mjs',
    })
    expect(seen.env).not.toHaveProperty('SM_STALE')
    expect(JSON.parse(seen.env.SM_HPS)).toEqual(hyperparameters)
    expect(JSON.parse(seen.env.SM_USER_ARGS)).toEqual(seen.argv)
    expect(JSON.parse(seen.env.SM_TRAINING_ENV)).toMatchObject({
      job_name: 'script-test-1',
      hosts: ['algo-1'],
      hyperparameters,
      channel_input_dirs: { train: join(out, 'input', 'data', 'train') },
      model_dir: join(out, 'model'),
      module_name: 'train',
    })
  })

  it('writes the config files, values of hyperparameters.json as text', () => {
    expect(seen.hyperparameters).toEqual({ epochs: '3', lr: '0.1', objective: 'reg:squarederror', early_stop: 'True' })
    expect(Object.keys(seen.inputdataconfig)).toEqual(['train', 'validation'])
    expect(seen.inputdataconfig.train).toMatchObject({ TrainingInputMode: 'File' })
    expect(seen.resourceconfig).toEqual({ current_host: 'algo-1', hosts: ['algo-1'] })
  })

  it('gives a file channel a folder holding that file, and a folder channel its files', () => {
    expect(seen.channels).toEqual({ train: ['train.csv'], validation: ['a.csv', 'b.csv'] })
  })

  it('captures metrics: the last value wins, every value kept, a regex without a group', () => {
    expect(job.result.metrics).toEqual({ 'train:loss': 0.25, accuracy: 0.75, epoch: 3 })
    expect(job.result.series).toEqual({ 'train:loss': [0.9, 0.5, 0.25], accuracy: [0.75], epoch: [1, 2, 3] })
  })

  it('streams every line with its stream, to onLog and to the log file, the unterminated last line too', () => {
    expect(job.lines).toContainEqual(['epoch=2 loss=0.5', 'stdout'])
    expect(job.lines).toContainEqual(['warning: a line on stderr', 'stderr'])
    expect(job.lines.filter(([, s]) => s === 'stdout').at(-1)).toEqual(['done', 'stdout'])
    expect(job.result.log).toBe(join(job.outDir, 'train.log'))
    const logged = readFileSync(job.result.log, 'utf8').split('\n')
    expect(logged).toEqual(expect.arrayContaining(['epoch=1 loss=0.9', 'accuracy: 0.75', 'warning: a line on stderr', 'done']))
  })

  it('packs the model folder into model.tar.gz and writes metrics.json', async () => {
    const result: ScriptResult = job.result
    expect(result.exitCode).toBe(0)
    expect(result.artifact).toBe(join(job.outDir, 'model.tar.gz'))
    expect(result.files).toEqual(['model.json', 'weights/layer0.bin'])
    const files = await readArtifact(result.artifact)
    expect(files.map((f) => f.name)).toEqual(['model.json', 'weights/layer0.bin'])
    expect(JSON.parse(Buffer.from(files[0].data).toString())).toEqual({ kind: 'fixture', epochs: 3 })
    expect([...files[1].data]).toEqual([1, 2, 3])
    const metricsFile = JSON.parse(readFileSync(join(job.outDir, 'metrics.json'), 'utf8'))
    expect(metricsFile).toMatchObject({ metrics: result.metrics, series: result.series, exitCode: 0 })
    expect(result.seconds).toBeGreaterThan(0)
  })
})

describe('runScript interpreters', () => {
  it('runs a .sh script with bash', async () => {
    const { result, text } = await run(spec({ entry_point: 'train.sh', hyperparameters: { depth: 4 }, metric_definitions: [{ Name: 'rmse', Regex: 'rmse: (.+)' }] }))
    expect(text).toMatch(/^bash \d+ args: --depth 4$/m)
    expect(text).toContain('train.csv')
    expect(result.metrics).toEqual({ rmse: 1.25 })
    expect(result.files).toEqual(['model.txt'])
  })

  it('runs an executable without a known extension itself', async () => {
    const { text } = await run(spec({ entry_point: 'direct', hyperparameters: { n: 1 } }))
    expect(text).toBe('direct: --n 1')
  })

  it('lets estimator.command override the interpreter, as a string of words or a list', async () => {
    const words = await run(spec({ entry_point: 'hello.txt', command: 'sh -e', hyperparameters: { n: 1 } }))
    expect(words.text).toBe('hello from sh: --n 1')
    expect(words.result.files).toEqual(['hello.txt'])
    const list = await run(spec({ entry_point: 'train.mjs', command: ['bash', '-c', 'echo "entry=$0 rest=$*"'], hyperparameters: { n: 1 } }))
    expect(list.text).toBe(`entry=${join(FIXTURES, 'train.mjs')} rest=--n 1`)
  })

  it('runs a .ts script through tsx', async () => {
    const source = join(dir, `ts-${count++}`)
    await mkdir(source)
    await writeFile(join(source, 'train.ts'), 'const value: number = 0.5\nconsole.log(`rmse=${value}`)\n')
    const { result } = await run(spec({ entry_point: 'train.ts', source_dir: source, metric_definitions: [{ Name: 'rmse', Regex: 'rmse=(.+)' }] }))
    expect(result.metrics).toEqual({ rmse: 0.5 })
  })

  const python = spawnSync('python3', ['--version']).status === 0
  it.skipIf(!python)('runs a .py script with python3', async () => {
    const { result, text } = await run(
      spec({ entry_point: 'train.py', hyperparameters: { epochs: 2, shuffle: false }, metric_definitions: [{ Name: 'rmse', Regex: 'rmse=([0-9.]+)' }] }),
    )
    expect(text).toBe('epoch 1 rmse=10.0\nepoch 2 rmse=5.0')
    expect(result.metrics).toEqual({ rmse: 5 })
    const [model] = await readArtifact(result.artifact)
    expect(JSON.parse(Buffer.from(model.data).toString())).toEqual({ epochs: 2, shuffle: false, channels: ['train'] })
  })
})

describe('runScript failures', () => {
  it('throws ScriptFailedError with the exit code and the log tail, and writes no artifact', async () => {
    const outDir = newOutDir()
    const error = await failure(runScript(spec({ entry_point: 'fail.mjs' }), { outDir }))
    expect(error).toBeInstanceOf(ScriptFailedError)
    expect(error).not.toBeInstanceOf(ConsortError)
    expect(error.message).toMatch(/^training script fail\.mjs exited with code 3\nlast 20 lines of .*train\.log:\nline 11\n/)
    expect(error.message).toMatch(/\nline 30$/)
    expect((error as ScriptFailedError).exitCode).toBe(3)
    expect((error as ScriptFailedError).tail).toHaveLength(20)
    expect(existsSync(join(outDir, 'model.tar.gz'))).toBe(false)
    expect(existsSync(join(outDir, 'metrics.json'))).toBe(false)
    expect(readFileSync(join(outDir, 'train.log'), 'utf8')).toContain('line 1\n')
  })

  it("quotes the script's own reason from output/failure", async () => {
    const error = await failure(runScript(spec({ entry_point: 'fail.mjs', hyperparameters: { reason: 'out of patience' } }), { outDir: newOutDir() }))
    expect(error.message).toMatch(/^training script fail\.mjs exited with code 3: out of patience\n/)
  })

  it('refuses a missing entry point or source folder before writing anything', async () => {
    const outDir = newOutDir()
    const missing = await failure(runScript(spec({ entry_point: 'nope.py' }), { outDir }))
    expect(missing).toBeInstanceOf(ParamError)
    expect((missing as ParamError).location.field).toBe('estimator.entry_point')
    expect(missing.message).toContain(join(FIXTURES, 'nope.py'))
    const noDir = await failure(runScript(spec({ entry_point: 'train.mjs', source_dir: join(dir, 'absent') }), { outDir }))
    expect((noDir as ParamError).location.field).toBe('estimator.source_dir')
    const notExecutable = await failure(runScript(spec({ entry_point: 'hello.txt' }), { outDir }))
    expect(notExecutable.message).toMatch(/not executable.*estimator\.command/)
    const noProgram = await failure(runScript(spec({ entry_point: 'train.mjs', command: 'no-such-interpreter-here' }), { outDir }))
    expect((noProgram as ParamError).location.field).toBe('estimator.command')
    expect(existsSync(outDir)).toBe(false)
  })

  it('turns a program that cannot start into a ParamError naming the field', async () => {
    const source = join(dir, `shebang-${count++}`)
    await mkdir(source)
    await writeFile(join(source, 'train'), '#!/no/such/interpreter\n', { mode: 0o755 })
    const error = await failure(runScript(spec({ entry_point: 'train', source_dir: source }), { outDir: newOutDir() }))
    expect(error).toBeInstanceOf(ParamError)
    expect((error as ParamError).location.field).toBe('estimator.entry_point')
    expect(error.message).toMatch(/cannot start .*train: ENOENT/)
  })

  it('refuses a missing channel with a DataError naming it, before writing anything', async () => {
    const outDir = newOutDir()
    const error = await failure(runScript(spec({ entry_point: 'train.mjs', channels: { train: join(dir, 'absent.csv') } }), { outDir }))
    expect(error).toBeInstanceOf(DataError)
    expect((error as DataError).location.field).toBe('estimator.channels.train')
    expect(existsSync(outDir)).toBe(false)
  })

  it('refuses an output folder that already holds a job', async () => {
    const { outDir } = await run(spec({ entry_point: 'direct' }))
    const before = await readdir(outDir)
    const error = await failure(runScript(spec({ entry_point: 'direct' }), { outDir }))
    expect(error).toBeInstanceOf(ParamError)
    expect(error.message).toMatch(/already holds/)
    expect(await readdir(outDir)).toEqual(before)
  })

  it('stops with the error of a log consumer that throws', async () => {
    const outDir = newOutDir()
    const onLog = () => {
      throw new Error('log sink failed')
    }
    await expect(runScript(spec({ entry_point: 'train.mjs' }), { outDir, onLog })).rejects.toThrow('log sink failed')
    expect(existsSync(join(outDir, 'model.tar.gz'))).toBe(false)
  })
})

describe('runScript abort', () => {
  /** Starts the hanging script and aborts once it reported its pids. */
  async function abortHang(hyperparameters: Record<string, boolean>, graceMs: number) {
    const controller = new AbortController()
    const pids: number[] = []
    const outDir = newOutDir()
    const error = await failure(
      runScript(spec({ entry_point: 'hang.mjs', hyperparameters }), {
        outDir,
        graceMs,
        signal: controller.signal,
        onLog: (line) => {
          const m = /^pids (\d+) (\d+)$/.exec(line)
          if (m === null) return
          pids.push(Number(m[1]), Number(m[2]))
          controller.abort(new Error('stopped by the test'))
        },
      }),
    )
    return { error, pids, outDir }
  }

  it('kills the script and what it started, rejects with the reason and writes no artifact', async () => {
    const { error, pids, outDir } = await abortHang({}, 5000)
    expect(error.message).toBe('stopped by the test')
    expect(pids).toHaveLength(2)
    for (const pid of pids) expect(await alive(pid)).toBe(false)
    expect(existsSync(join(outDir, 'model.tar.gz'))).toBe(false)
    expect(existsSync(join(outDir, 'train.log'))).toBe(true)
  })

  it('kills a script that ignores SIGTERM after the grace period', async () => {
    const { error, pids } = await abortHang({ ignore_term: true }, 200)
    expect(error.message).toBe('stopped by the test')
    for (const pid of pids) expect(await alive(pid)).toBe(false)
  })

  it('starts nothing when the signal is already aborted', async () => {
    const outDir = newOutDir()
    const error = await failure(runScript(spec({ entry_point: 'train.mjs' }), { outDir, signal: AbortSignal.abort(new Error('too late')) }))
    expect(error.message).toBe('too late')
    expect(existsSync(outDir)).toBe(false)
  })
})
