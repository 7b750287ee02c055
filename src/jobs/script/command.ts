/**
 * Which program runs a training script. By the entry point's extension: `.py` with python3,
 * `.js`/`.mjs`/`.cjs` with this Node.js, `.ts` with this Node.js and the tsx loader, `.sh` with
 * bash, anything else executed itself (it must be executable). `estimator.command` overrides the
 * choice; the entry point's path is appended to its words. Every check here runs before the job
 * writes anything, so a typo costs no half-made job folder.
 */
import { constants } from 'node:fs'
import { access, stat } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { delimiter, extname, isAbsolute, join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { ParamError } from '../../errors.js'
import type { EstimatorSpec } from '../spec/types.js'

/** A resolved command line: an absolute program path and its arguments, ending with the entry point. */
export interface ScriptCommand {
  readonly program: string
  readonly args: readonly string[]
  /** Absolute path of the entry point. */
  readonly entry: string
  /** The spec field that chose the program, for errors: `estimator.command` or `estimator.entry_point`. */
  readonly field: 'estimator.command' | 'estimator.entry_point'
}

/**
 * Checks `source_dir`, the entry point and the program that runs it, and returns the command line
 * (hyperparameter arguments not included). Missing files are ParamErrors naming the field.
 * @example
 * const { program, args } = await scriptCommand(spec.estimator, process.env)
 * // e.g. '/usr/bin/python3', ['/home/me/job/train.py']
 */
export async function scriptCommand(estimator: EstimatorSpec, env: Readonly<Record<string, string | undefined>>): Promise<ScriptCommand> {
  const dir = estimator.source_dir
  if (!(await isKind(dir, 'folder'))) {
    throw new ParamError(`source folder ${dir} does not exist or is not a folder`, { field: 'estimator.source_dir' })
  }
  const entry = resolve(dir, estimator.entry_point)
  if (!(await isKind(entry, 'file'))) {
    throw new ParamError(`entry point ${entry} does not exist or is not a file`, { field: 'estimator.entry_point' })
  }
  if (estimator.command !== undefined) {
    // A string is split on white space; a list keeps words that hold spaces.
    const words = typeof estimator.command === 'string' ? estimator.command.split(/\s+/).filter((w) => w !== '') : [...estimator.command]
    if (words.length === 0) throw new ParamError('command is empty', { field: 'estimator.command' })
    const program = await findProgram(words[0], dir, env, 'estimator.command')
    return { program, args: [...words.slice(1), entry], entry, field: 'estimator.command' }
  }
  const field = 'estimator.entry_point'
  const chosen = (program: string, args: string[]): ScriptCommand => ({ program, args, entry, field })
  switch (extname(entry).toLowerCase()) {
    case '.py':
      return chosen(await findProgram('python3', dir, env, field), [entry])
    case '.js':
    case '.mjs':
    case '.cjs':
      return chosen(process.execPath, [entry])
    case '.ts':
      return chosen(process.execPath, ['--import', tsxLoader(dir), entry])
    case '.sh':
      return chosen(await findProgram('bash', dir, env, field), [entry])
    default:
      if (!(await isExecutable(entry))) {
        throw new ParamError(`entry point ${entry} is not executable: make it executable (chmod +x) or give estimator.command`, { field })
      }
      return chosen(entry, [])
  }
}

/**
 * The absolute path of `word`: a path (relative to the script's folder, its working directory)
 * when it holds a slash, else the first executable of that name on the child's PATH.
 */
async function findProgram(word: string, dir: string, env: Readonly<Record<string, string | undefined>>, field: string): Promise<string> {
  if (word.includes('/')) {
    const path = resolve(dir, word)
    if (await isExecutable(path)) return path
    throw new ParamError(`program ${path} does not exist or is not executable`, { field })
  }
  for (const folder of (env.PATH ?? '').split(delimiter)) {
    if (folder === '' || !isAbsolute(folder)) continue
    const path = join(folder, word)
    if (await isExecutable(path)) return path
  }
  throw new ParamError(`program '${word}' not found on PATH${field === 'estimator.command' ? '' : '; install it or give estimator.command'}`, { field })
}

/**
 * The tsx loader's URL for `node --import`: the project's own tsx, else one installed beside the
 * script. Resolved here because the child's working directory is the script's folder, where a
 * bare `--import tsx` may find nothing.
 */
function tsxLoader(dir: string): string {
  for (const from of [import.meta.url, join(dir, 'package.json')]) {
    try {
      return pathToFileURL(createRequire(from).resolve('tsx')).href
    } catch {
      continue
    }
  }
  throw new ParamError('a .ts entry point needs the tsx package (npm install --save-dev tsx), or give estimator.command', { field: 'estimator.entry_point' })
}

async function isKind(path: string, kind: 'file' | 'folder'): Promise<boolean> {
  try {
    const s = await stat(path)
    return kind === 'file' ? s.isFile() : s.isDirectory()
  } catch {
    return false
  }
}

async function isExecutable(path: string): Promise<boolean> {
  if (!(await isKind(path, 'file'))) return false
  try {
    await access(path, constants.X_OK)
    return true
  } catch {
    return false
  }
}
