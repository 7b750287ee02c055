import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Command } from 'commander'
import { describe, expect, it } from 'vitest'
import { DataError } from '../errors.js'
import type { CliIo } from './context.js'
import { EXIT, runCli } from './program.js'
import { consort, lines, ROOT } from './testing/run.js'

const VERSION = (JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as { version: string }).version

/** An in-memory CliIo that records what is written. */
function memoryIo(env: Record<string, string> = {}): CliIo & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    env,
    stdout: (text: string) => void (io.out += text),
    stderr: (text: string) => void (io.err += text),
  }
  return io
}


describe('consort (end to end)', () => {
  it('demo --json: the seed story (train, tune, deploy to an endpoint, invoke over HTTP) ends stdout with one JSON object', async () => {
    const run = await consort(['demo', '--json'])
    expect(run.code, run.stderr).toBe(0)
    const stdout = lines(run.stdout)
    expect(stdout).toHaveLength(1)
    const result = JSON.parse(stdout[0])
    expect(result).toMatchObject({
      command: 'demo',
      training_job: expect.stringMatching(/^diabetes-/),
      tuning_job: expect.stringMatching(/^diabetes-tune-/),
      best_job: expect.stringContaining(result.tuning_job),
      endpoint: { name: 'diabetes-demo', url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/endpoints\/diabetes-demo\/invocations$/), cold_start_ms: expect.any(Number) },
    })
    // Diabetes targets run from 25 to 346; a blended boosters' prediction of a real row lands inside.
    expect(result.prediction).toBeGreaterThan(25)
    expect(result.prediction).toBeLessThan(346)
    for (const step of ['1. train', '2. tune', '3. deploy', '4. invoke']) expect(run.stderr).toContain(step)
    expect(run.stderr).toMatch(/curl -s -X POST -H 'content-type: text\/csv' --data-binary '[-0-9.,e]+' http:\/\/127\.0\.0\.1:8080\/endpoints\/diabetes-demo\/invocations/)
    const described = await consort(['jobs', 'describe', result.tuning_job])
    expect(described.stdout).toMatch(new RegExp(`BestTrainingJob\\s+${result.best_job}`))
  })

  it('demo --quality --json: trains the quality ensemble on the bundled data and ends stdout with one JSON object', async () => {
    const out = mkdtempSync(join(tmpdir(), 'consort-demo-'))
    try {
      const run = await consort(['demo', '--quality', '--json', '--out', out])
      expect(run.code, run.stderr).toBe(0)
      const stdout = lines(run.stdout)
      expect(stdout).toHaveLength(1)
      const result = JSON.parse(stdout[0])
      expect(result).toMatchObject({ command: 'demo', quality: true, data: { name: 'diabetes' }, status: 'Completed', artifact: join(out, 'model.tar.gz'), resources: { dataReads: 1, binnings: 1 } })
      expect(Object.keys(result.metrics).sort()).toEqual(['cv:rmse', 'cv:rmse:gbdt', 'cv:rmse:linear', 'cv:rmse:oblivious', 'cv:rmse:random_forest'])
      // The quality target is <= 55.0 over repeated folds; one split lands within a point of it.
      expect(result.metrics['cv:rmse']).toBeGreaterThan(50)
      expect(result.metrics['cv:rmse']).toBeLessThan(56)
      // The human-readable lines went to stderr, with the metric lines.
      expect(run.stderr).toMatch(/^ensemble +cv rmse \d+\.\d{4} {2}\(stack/m)
      expect(run.stderr).toContain(`cv-rmse:${result.metrics['cv:rmse'].toFixed(4)};`)
    } finally {
      rmSync(out, { recursive: true, force: true })
    }
  })

  it('demo --quality: prints each member, the ensemble, the cost and the metric lines on stdout', async () => {
    const out = mkdtempSync(join(tmpdir(), 'consort-demo-'))
    try {
      const run = await consort(['demo', '--quality', '--out', out])
      expect(run.code, run.stderr).toBe(0)
      const stdout = lines(run.stdout)
      expect(stdout.filter((l) => / cv rmse \d+\.\d{4}/.test(l))).toHaveLength(5)
      expect(stdout).toContainEqual(expect.stringMatching(/^job diabetes-quality-\S+: \d+\.\d{2} s wall, .* 1 read of .*, 1 binning$/))
      expect(stdout.at(-1)).toMatch(/^cv-rmse-linear:\d+\.\d{4};$/)
      expect(run.stderr).toMatch(/gbdt \+ oblivious \+ random_forest \+ linear, blended by stack/)
    } finally {
      rmSync(out, { recursive: true, force: true })
    }
  })

  it('--version prints the package version', async () => {
    const run = await consort(['--version'])
    expect(run.code).toBe(0)
    expect(run.stdout.trim()).toBe(VERSION)
  })

  it('an unknown command exits 2 with one line that names it', async () => {
    const run = await consort(['dmo'])
    expect(run.code).toBe(2)
    expect(run.stdout).toBe('')
    expect(lines(run.stderr)).toEqual(["consort: error: unknown command 'dmo' (Did you mean demo?); see 'consort --help'"])
  })
})

describe('runCli exit codes', () => {
  const failing = (error: unknown) => (program: Command) =>
    program.command('boom').action(() => {
      throw error
    })

  it('usage errors exit 2 and name the command', async () => {
    const io = memoryIo()
    expect(await runCli(['node', 'consort', 'demo', '--seed', 'x'], io)).toBe(EXIT.usage)
    expect(lines(io.err)).toEqual([
      "consort demo: error: option '--seed <int>' argument 'x' is invalid. expected an integer; see 'consort demo --help'",
    ])
    const bare = memoryIo()
    expect(await runCli(['node', 'consort'], bare)).toBe(EXIT.usage)
    expect(bare.err).toMatch(/^Usage: consort/)
  })

  it('--help exits 0 and lists the commands and exit codes', async () => {
    const io = memoryIo()
    expect(await runCli(['node', 'consort', '--help'], io)).toBe(EXIT.ok)
    expect(io.out).toMatch(/demo \[options\]/)
    expect(io.out).toMatch(/Exit codes: 0 success, 1 job failed, 2 bad input or usage/)
  })

  it('a ConsortError exits 2 with its location on one line', async () => {
    const io = memoryIo()
    const error = new DataError('ragged row:\n3 fields, expected 4', { file: 'train.csv', line: 7 })
    expect(await runCli(['node', 'consort', 'boom'], io, [failing(error)])).toBe(EXIT.usage)
    expect(io.err).toBe('consort boom: error: train.csv, line 7: ragged row: 3 fields, expected 4\n')
  })

  it('any other error exits 1, with the stack only under CONSORT_DEBUG=1', async () => {
    const quiet = memoryIo()
    expect(await runCli(['node', 'consort', 'boom'], quiet, [failing(new Error('disk on fire'))])).toBe(EXIT.failed)
    expect(quiet.err).toBe('consort boom: error: disk on fire\n')
    const debug = memoryIo({ CONSORT_DEBUG: '1' })
    expect(await runCli(['node', 'consort', 'boom'], debug, [failing(new Error('disk on fire'))])).toBe(EXIT.failed)
    expect(debug.err).toMatch(/^consort boom: error: disk on fire\nError: disk on fire\n\s+at /)
    const thrown = memoryIo()
    expect(await runCli(['node', 'consort', 'boom'], thrown, [failing('a string')])).toBe(EXIT.failed)
    expect(thrown.err).toBe('consort boom: error: a string\n')
  })

  it('learners lists the registry, and KIND prints its parameters from the schema', async () => {
    const list = await consort(['learners', '--json'])
    expect(list.code).toBe(0)
    expect(JSON.parse(lines(list.stdout).at(-1)!).learners.map((l: { kind: string }) => l.kind)).toContain('oblivious')
    const gbdt = await consort(['learners', 'gbdt'])
    expect(gbdt.code).toBe(0)
    expect(gbdt.stdout).toMatch(/eta \(learning_rate\)\s+0\.3\s+number in \(0, 1\]/)
    const typo = await consort(['learners', 'gbtd'])
    expect(typo.code).toBe(2)
    expect(typo.stderr).toMatch(/unknown learner 'gbtd'; did you mean 'gbdt'/)
  })

  it('train runs the example ensemble, prints metric lines and ends stdout with the job as JSON', async () => {
    const out = mkdtempSync(join(tmpdir(), 'consort-cli-train-'))
    try {
      const run = await consort([
        'train', 'examples/diabetes/ensemble.yaml',
        '--set', 'members.xgb.params.num_round=10', '--set', 'members.cat.params.iterations=10',
        '--out', out, '--json',
      ])
      expect(run.code, run.stderr).toBe(0)
      expect(run.stdout).toMatch(/^cv-rmse:\d+\.\d+;$/m)
      const result = JSON.parse(lines(run.stdout).at(-1)!)
      expect(result).toMatchObject({ status: 'Completed', artifact: join(out, 'model.tar.gz'), resources: { dataReads: 1 } })
      expect(Object.keys(result.metrics).sort()).toEqual(['cv:rmse', 'cv:rmse:cat', 'cv:rmse:xgb'])
      // Without a terminal, progress is one JSON object per line on stderr: the plan, stages, 12 fits.
      const events = lines(run.stderr).filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { event: string })
      expect(events[0]).toMatchObject({ event: 'stage', stage: 'read' })
      expect(events.filter((e) => e.event === 'fit')).toHaveLength(12)
      expect(run.stderr).toMatch(/s wall, .* s CPU, peak .*iB, 1 read of 25\.2 KiB/)
      expect(existsSync(join(out, 'metrics.json'))).toBe(true)
      const inspect = await consort(['inspect', join(out, 'model.tar.gz'), '--json'])
      expect(inspect.code, inspect.stderr).toBe(0)
      const manifest = JSON.parse(lines(inspect.stdout).at(-1)!)
      expect(manifest.members.map((m: { kind: string }) => m.kind)).toEqual(['gbdt', 'oblivious'])
      expect(manifest.metrics['cv:rmse']).toBe(result.metrics['cv:rmse'])
      const described = await consort(['jobs', 'describe', result.job, '--json'])
      expect(described.code, described.stderr).toBe(0)
      expect(JSON.parse(lines(described.stdout).at(-1)!)).toMatchObject({
        id: result.job,
        status: 'Completed',
        metrics: result.metrics,
        resources: result.resources,
        dataFingerprint: expect.stringMatching(/^[0-9a-f]{64}$/),
      })
      const text = await consort(['jobs', 'describe', result.job])
      expect(text.stdout).toMatch(/^status +Completed$/m)
      expect(text.stdout).toMatch(/^resources +\d+\.\d+ s wall, .*, 1 read of 25\.2 KiB, 1 binning$/m)
      expect(text.stdout).toMatch(/^metrics +cv:rmse \d+\.\d{4}, cv:rmse:xgb/m)
      const listed = await consort(['jobs', 'list', '--json'])
      expect(JSON.parse(lines(listed.stdout).at(-1)!).jobs.map((j: { id: string }) => j.id)).toContain(result.job)
      writeFileSync(join(out, 'broken.tar.gz'), readFileSync(join(out, 'model.tar.gz')).subarray(0, 200))
      const broken = await consort(['inspect', join(out, 'broken.tar.gz')])
      expect(broken.code).toBe(2)
    } finally {
      rmSync(out, { recursive: true, force: true })
    }
  })

  it('train records a job that fails on its data as Failed, with the reason', async () => {
    const run = await consort(['train', 'examples/diabetes/ensemble.yaml', '--set', 'target=nope', '--out', join(tmpdir(), 'consort-never')])
    expect(run.code).toBe(2)
    expect(run.stderr).toMatch(/no target column 'nope'/)
    const listed = await consort(['jobs', 'list', '--json'])
    const failed = JSON.parse(lines(listed.stdout).at(-1)!).jobs.find((j: { failureReason: string | null }) => j.failureReason?.includes("'nope'"))
    expect(failed).toMatchObject({ status: 'Failed', kind: 'training' })
    expect(existsSync(join(tmpdir(), 'consort-never', 'model.tar.gz'))).toBe(false)
  })

  it('train runs a training script in script mode: metrics from its output, its model folder packed', async () => {
    const out = mkdtempSync(join(tmpdir(), 'consort-cli-script-'))
    try {
      const run = await consort(['train', 'examples/script/script.yaml', '--set', 'estimator.hyperparameters.epochs=3', '--out', join(out, 'ok'), '--json'])
      expect(run.code, run.stderr).toBe(0)
      expect(run.stderr).toMatch(/^epoch 3: train-rmse=/m)
      expect(run.stdout).toMatch(/^validation-rmse:\d+\.\d+;$/m)
      const result = JSON.parse(lines(run.stdout).at(-1)!)
      expect(result).toMatchObject({ status: 'Completed', artifact: join(out, 'ok', 'model.tar.gz'), log: join(out, 'ok', 'train.log') })
      expect(Object.keys(result.metrics).sort()).toEqual(['train:rmse', 'validation:rmse'])
      const inspect = await consort(['inspect', result.artifact, '--json'])
      expect(JSON.parse(lines(inspect.stdout).at(-1)!)).toEqual({ kind: 'model-folder', files: [{ name: 'model.json', bytes: expect.any(Number) }] })

      // A script that exits non-zero fails the job (exit 1) with the tail of its log as the reason.
      const spec = join(out, 'fail.yaml')
      writeFileSync(spec, JSON.stringify({ name: 'broken', estimator: { entry_point: 'fail.mjs', source_dir: join(ROOT, 'src/jobs/script/fixtures'), channels: {} } }))
      const failed = await consort(['train', spec, '--out', join(out, 'fail'), '--json'])
      expect(failed.code).toBe(1)
      expect(failed.stderr).toMatch(/exit(ed)? .*code 3.*line 30/s)
      expect(existsSync(join(out, 'fail', 'model.tar.gz'))).toBe(false)
      const listed = await consort(['jobs', 'list', '--json'])
      const job = JSON.parse(lines(listed.stdout).at(-1)!).jobs.find((j: { name: string; failureReason: string | null }) => j.name === 'broken')
      expect(job).toMatchObject({ status: 'Failed', failureReason: expect.stringContaining('line 30') })
    } finally {
      rmSync(out, { recursive: true, force: true })
    }
  })

  it('train stops cleanly on Ctrl-C: exit 1, the job Stopped, no artifact', async () => {
    const out = mkdtempSync(join(tmpdir(), 'consort-cli-stop-'))
    try {
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'train', 'examples/diabetes/ensemble.yaml', '--set', 'members.xgb.params.num_round=100000', '--out', out], {
        cwd: ROOT,
        stdio: ['ignore', 'ignore', 'pipe'],
      })
      let stderr = ''
      let interrupted = false
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
        stderr += chunk
        // One Ctrl-C, once the fits have started.
        if (!interrupted && stderr.includes('"stage":"cv"')) interrupted = child.kill('SIGINT')
      })
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
      expect(code, stderr).toBe(1)
      expect(stderr).toMatch(/error: stopped by the user/)
      expect(readdirSync(out).filter((f) => !f.startsWith('.'))).toEqual([])
      const listed = await consort(['jobs', 'list', '--json'])
      expect(JSON.parse(lines(listed.stdout).at(-1)!).jobs[0]).toMatchObject({ status: 'Stopped', failureReason: 'stopped by the user' })
    } finally {
      rmSync(out, { recursive: true, force: true })
    }
  })

  it('train refuses a mistyped spec field with exit 2, naming the field and the closest name', async () => {
    const run = await consort(['train', 'examples/diabetes/ensemble.yaml', '--set', 'memebers.xgb.learner=gbdt'])
    expect(run.code).toBe(2)
    expect(run.stderr).toMatch(/memebers.*did you mean 'members'/)
    // Even a spec that does not load leaves a Failed job, named after its file.
    const listed = await consort(['jobs', 'list', '--json'])
    const failed = JSON.parse(lines(listed.stdout).at(-1)!).jobs.find((j: { failureReason: string | null }) => j.failureReason?.includes('memebers'))
    expect(failed).toMatchObject({ status: 'Failed', name: 'ensemble.yaml' })
  })
})
