/**
 * Validation of blender inputs, shared by every blender so each reports bad shapes the same way:
 * what is wrong and which member or field.
 */
import { DataError, ParamError } from '../../errors.js'
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

/**
 * Checks that there is at least one member and every member has `width` columns per row for the
 * same number of rows; returns that number of rows. With `nMembers`, the count must match too.
 */
export function checkPredictions(preds: readonly Float64Array[], width: number, nMembers?: number): number {
  if (preds.length === 0) throw new DataError('a blend needs at least one member', { field: 'members' })
  if (nMembers !== undefined && preds.length !== nMembers) {
    throw new DataError(`the blend was fitted on ${nMembers} members, got ${preds.length}`, { field: 'members' })
  }
  const len = preds[0].length
  if (len % width !== 0) throw new DataError(`member 0 has ${len} values, not a multiple of ${width} outputs per row`, { field: 'members[0]' })
  for (let m = 1; m < preds.length; m++) {
    if (preds[m].length !== len) {
      throw new DataError(`member ${m} has ${preds[m].length} values, member 0 has ${len}`, { field: `members[${m}]` })
    }
  }
  return len / width
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

/** Checks that a state has the expected kind and version before a blender restores it. */
export function checkState(state: { kind: string; version: number }, kind: string, version: number): void {
  if (state.kind !== kind) throw new ParamError(`state of kind '${state.kind}' given to the '${kind}' blender`, { field: 'blend.kind' })
  if (state.version !== version) {
    throw new ParamError(`'${kind}' blend state version ${state.version} is not supported (expected ${version})`, { field: 'blend.version' })
  }
}
