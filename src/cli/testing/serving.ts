/**
 * Fixtures for the serving tests: a small numeric model of the diabetes data (any size of boosted
 * ensemble, so the same helper makes the benchmark's ~500-tree model), and `consort serve` run as
 * a real process on a free port, as a user or a container runtime would start it.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { parseSpec } from '../../jobs/spec/index.js'
import { DATA_DIR } from '../../jobs/testing/models.js'
import { trainEnsemble } from '../../jobs/train.js'
import { ROOT } from './run.js'

/** The diabetes features in file order (the target is the last column of the file). */
export const DIABETES_FEATURES = ['age', 'sex', 'bmi', 'bp', 's1', 's2', 's3', 's4', 's5', 's6'] as const

/** The first data row of the bundled diabetes file, features only, as CSV. */
export const DIABETES_ROW = '59.0,1.0,32.1,101.0,157.0,93.2,38.0,4.0,4.8598,87.0'

/**
 * Trains a regression ensemble on the bundled diabetes data into `dir/model-NAME/model.tar.gz`:
 * a gbdt member of `rounds` trees (depth `depth`) and a linear member, mean blend, 2 folds.
 * @example
 * const model = await trainDiabetesModel(dir, { rounds: 20 })
 */
export async function trainDiabetesModel(dir: string, options: { rounds?: number; depth?: number; name?: string } = {}): Promise<string> {
  const name = options.name ?? 'diabetes'
  const spec = parseSpec(
    {
      name,
      target: 'target',
      channels: { train: join(DATA_DIR, 'diabetes.csv') },
      cv: { folds: 2, seed: 1 },
      members: {
        xgb: { learner: 'gbdt', params: { num_round: options.rounds ?? 10, max_depth: options.depth ?? 3 } },
        lin: { learner: 'linear', params: {} },
      },
      blend: { method: 'mean' },
    },
    { baseDir: dir },
  )
  if (spec.kind !== 'ensemble') throw new Error('expected an ensemble spec')
  const result = await trainEnsemble(spec, { outDir: join(dir, `model-${name}`), threads: 1 })
  return result.artifact
}

/**
 * The node arguments that run `consort` from its TypeScript sources in any working directory
 * (`--import tsx` alone resolves tsx from the working directory).
 * @example
 * spawn(process.execPath, [...CONSORT_FROM_SOURCES, 'serve', '--model', model], { cwd })
 */
export const CONSORT_FROM_SOURCES: readonly string[] = ['--import', pathToFileURL(createRequire(join(ROOT, 'package.json')).resolve('tsx')).href, join(ROOT, 'src/cli/main.ts')]

/** A `consort serve` process that is listening. */
export interface ServeProcess {
  readonly child: ChildProcess
  readonly url: string
  /** Its management address (the main one when it is local). */
  readonly managementUrl: string
  /** Everything written to stderr so far (the JSON log lines). */
  stderr(): string
  /** Resolves with the exit code once the process has ended. */
  readonly exited: Promise<number | null>
}

/**
 * Starts `consort serve ARGS... --port 0 --json` from the sources and waits for its listening line.
 * @example
 * const server = await startServe(['--model', model])
 * await fetch(server.url + '/ping')
 * server.child.kill('SIGTERM'); await server.exited
 */
export function startServe(args: readonly string[], options: { env?: Readonly<Record<string, string>>; cwd?: string } = {}): Promise<ServeProcess> {
  const child = spawn(process.execPath, [...CONSORT_FROM_SOURCES, 'serve', ...args, '--port', '0', '--json'], {
    cwd: options.cwd ?? ROOT,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)))
  return new Promise((resolve, reject) => {
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk
      const line = stdout.split('\n').find((l) => l.startsWith('{'))
      if (line !== undefined) {
        const info = JSON.parse(line) as { url: string; management_url: string }
        resolve({ child, url: info.url, managementUrl: info.management_url, stderr: () => stderr, exited })
      }
    })
    void exited.then((code) => reject(new Error(`consort serve exited with ${code} before listening: ${stderr}`)))
  })
}
