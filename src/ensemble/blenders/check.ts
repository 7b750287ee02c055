/**
 * Validation of blender fit inputs, shared by every blender so each reports bad shapes the same
 * way: what is wrong and which member or field. (A fitted blend's inputs are checked by the
 * runtime's `checkPredictions`.)
 */
import { DataError, ParamError } from '../../errors.js'
import { checkPredictions } from '../../runtime/blend/check.js'
import type { Task } from '../../task.js'
import type { BlendContext } from './types.js'

/** Columns per prediction row for a task: 1 for regression and binary, nClasses for multiclass. */
export function outputWidth(task: Task, nClasses: number): number {
  return task === 'multiclass' ? nClasses : 1
}

/** Checks the task and class count of a context; returns the prediction width. */
export function checkContext(ctx: BlendContext, tasks: readonly Task[], kind: string): number {
  if (!tasks.includes(ctx.task)) {
    throw new ParamError(`blender '${kind}' does not support ${ctx.task} tasks (supported: ${tasks.join(', ')})`, { field: 'blend.method' })
  }
  const k = ctx.nClasses
  const ok = ctx.task === 'regression' ? k === 1 : ctx.task === 'binary' ? k === 2 : Number.isInteger(k) && k >= 2
  if (!ok) throw new ParamError(`nClasses ${k} does not fit a ${ctx.task} task`, { field: 'nClasses' })
  return outputWidth(ctx.task, k)
}

/** Checks OOF predictions and targets together: shapes, finite values, class ids. Returns the row count. */
export function checkFitInputs(oof: readonly Float64Array[], y: Float64Array, width: number, ctx: BlendContext): number {
  const n = checkPredictions(oof, width)
  if (y.length !== n) throw new DataError(`target has ${y.length} values, the members predict ${n} rows`, { field: 'y' })
  if (n === 0) throw new DataError('a blend needs at least one row', { field: 'y' })
  for (let i = 0; i < n; i++) {
    const v = y[i]
    if (!Number.isFinite(v)) throw new DataError(`target of row ${i} is ${v}`, { field: 'y' })
    if (ctx.task !== 'regression' && !(Number.isInteger(v) && v >= 0 && v < ctx.nClasses)) {
      throw new DataError(`target of row ${i} is ${v}; a ${ctx.task} target must be a class id in 0 .. ${ctx.nClasses - 1}`, { field: 'y' })
    }
  }
  for (let m = 0; m < oof.length; m++) {
    const p = oof[m]
    for (let i = 0; i < p.length; i++) {
      if (!Number.isFinite(p[i])) throw new DataError(`out-of-fold prediction ${i} of member ${m} is ${p[i]}`, { field: `members[${m}]` })
    }
  }
  return n
}
