/**
 * The learning task of a benchmark run: given on the command line or inferred from the target
 * column, and checked against the labels so a wrong guess fails early with a clear message.
 */
import { DataError, ParamError } from '../src/errors.js'
import type { Task } from '../src/learners/types.js'
import { closestName } from '../src/text/closest.js'

/** Every task name `--task` accepts. */
export const TASKS: readonly Task[] = ['regression', 'binary', 'multiclass']

/** Most classes a target may have and still be inferred as multiclass. */
export const MAX_INFERRED_CLASSES = 32

/**
 * Parses a `--task` value.
 *
 * @throws ParamError for a name that is not a task.
 * @example
 * parseTask('binary') // 'binary'
 */
export function parseTask(text: string): Task {
  const task = TASKS.find((t) => t === text)
  if (task === undefined) {
    const hint = closestName(text, TASKS)
    throw new ParamError(`unknown task '${text}'${hint === undefined ? '' : `; did you mean '${hint}'?`} (valid: ${TASKS.join(', ')})`, {
      field: '--task',
    })
  }
  return task
}

/**
 * Guesses the task from the target values: exactly the values 0 and 1 is `binary`; the integers
 * 0 .. k-1, all present, with 3 <= k <= {@link MAX_INFERRED_CLASSES}, is `multiclass`; anything
 * else is `regression`.
 *
 * @example
 * inferTask(new Float64Array([0, 1, 1, 0]))   // 'binary'
 * inferTask(new Float64Array([2, 0, 1, 1]))   // 'multiclass'
 * inferTask(new Float64Array([151, 75, 141])) // 'regression'
 */
export function inferTask(y: Float64Array): Task {
  const seen = new Uint8Array(MAX_INFERRED_CLASSES)
  let distinct = 0
  let max = -1
  for (let i = 0; i < y.length; i++) {
    const v = y[i]
    if (!(Number.isInteger(v) && v >= 0 && v < MAX_INFERRED_CLASSES)) return 'regression'
    if (seen[v] === 0) {
      seen[v] = 1
      distinct++
      if (v > max) max = v
    }
  }
  if (distinct === 2 && max === 1) return 'binary'
  if (distinct >= 3 && distinct === max + 1) return 'multiclass'
  return 'regression'
}

/**
 * Number of outputs a model of `task` has for these targets: 1 for regression, 2 for binary, and
 * for multiclass one more than the largest class id in any of the target arrays.
 *
 * @example
 * classCount('multiclass', new Float64Array([0, 2]), new Float64Array([1])) // 3
 */
export function classCount(task: Task, ...targets: readonly Float64Array[]): number {
  if (task === 'regression') return 1
  if (task === 'binary') return 2
  let max = 0
  for (const y of targets) for (let i = 0; i < y.length; i++) if (y[i] > max) max = y[i]
  return max + 1
}

/**
 * Checks that the targets fit the task: finite values; 0 or 1 for binary; non-negative integer
 * class ids for multiclass.
 *
 * @param file the file the targets came from, named in the error
 * @throws DataError naming the file and the first offending row (1-based, header excluded).
 * @example
 * checkTargets('binary', new Float64Array([0, 1, 2]), 'train.csv') // throws: row 3 ...
 */
export function checkTargets(task: Task, y: Float64Array, file: string): void {
  for (let i = 0; i < y.length; i++) {
    const v = y[i]
    const ok =
      task === 'regression' ? Number.isFinite(v) : task === 'binary' ? v === 0 || v === 1 : Number.isInteger(v) && v >= 0
    if (!ok) {
      const expected = task === 'regression' ? 'a finite number' : task === 'binary' ? '0 or 1' : 'a class id 0, 1, 2, ...'
      throw new DataError(`data row ${i + 1}: target is ${v}, but a ${task} target must be ${expected}`, { file })
    }
  }
}
