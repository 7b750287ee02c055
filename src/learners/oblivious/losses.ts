/**
 * Loss functions of the `oblivious` learner (CatBoost's names): starting margin, first and second
 * derivatives by margin, output link and the eval metric that goes with each.
 */
import type { Link } from '../../runtime/link.js'
import { DataError } from '../../errors.js'
import type { Task } from '../../task.js'
import type { LossName } from './params.js'

export interface Loss {
  readonly name: LossName
  /** Margins per row: 1, or the number of classes. */
  readonly nOutputs: number
  readonly link: Link
  readonly metric: 'rmse' | 'mae' | 'logloss' | 'mlogloss' | 'poisson-nloglik'
  /** MAE leaves take the median residual (CatBoost's Exact estimation) instead of a Newton step. */
  readonly exactLeaves: boolean
}

export const TASK_OF_LOSS: Record<LossName, Task> = {
  RMSE: 'regression',
  MAE: 'regression',
  Poisson: 'regression',
  Logloss: 'binary',
  MultiClass: 'multiclass',
}

export const DEFAULT_LOSS: Record<Task, LossName> = { regression: 'RMSE', binary: 'Logloss', multiclass: 'MultiClass' }

/** @example makeLoss('Logloss', 2).link // 'sigmoid' */
export function makeLoss(name: LossName, nClasses: number): Loss {
  switch (name) {
    case 'RMSE':
      return { name, nOutputs: 1, link: 'identity', metric: 'rmse', exactLeaves: false }
    case 'MAE':
      return { name, nOutputs: 1, link: 'identity', metric: 'mae', exactLeaves: true }
    case 'Poisson':
      return { name, nOutputs: 1, link: 'exp', metric: 'poisson-nloglik', exactLeaves: false }
    case 'Logloss':
      return { name, nOutputs: 1, link: 'sigmoid', metric: 'logloss', exactLeaves: false }
    case 'MultiClass':
      return { name, nOutputs: nClasses, link: 'softmax', metric: 'mlogloss', exactLeaves: false }
  }
}

/** Rejects targets the loss cannot use, naming the first bad row (1-based). */
export function checkTargets(loss: Loss, y: Float64Array): void {
  const where = { field: 'target' }
  for (let i = 0; i < y.length; i++) {
    const v = y[i]
    if (!Number.isFinite(v)) throw new DataError(`target of row ${i + 1} is ${v}; targets must be finite`, where)
    if (loss.name === 'Logloss' && v !== 0 && v !== 1) throw new DataError(`Logloss needs targets 0 or 1, row ${i + 1} has ${v}`, where)
    if (loss.name === 'MultiClass' && (!Number.isInteger(v) || v < 0 || v >= loss.nOutputs)) {
      throw new DataError(`MultiClass needs class ids 0..${loss.nOutputs - 1}, row ${i + 1} has ${v}`, where)
    }
    if (loss.name === 'Poisson' && v < 0) throw new DataError(`Poisson needs targets >= 0, row ${i + 1} has ${v}`, where)
  }
}

/**
 * Starting margin (boost from average, as CatBoost does for RMSE; here for every loss so that
 * short models start from the best constant): mean, median, log-odds, log-mean, log-frequencies.
 */
export function initialMargin(loss: Loss, y: Float64Array): Float64Array {
  const n = y.length
  const K = loss.nOutputs
  const out = new Float64Array(K)
  let mean = 0
  for (let i = 0; i < n; i++) mean += y[i]
  mean /= n
  switch (loss.name) {
    case 'RMSE':
      out[0] = mean
      break
    case 'MAE':
      out[0] = median(Float64Array.from(y))
      break
    case 'Poisson':
      out[0] = Math.log(Math.max(mean, 1e-6))
      break
    case 'Logloss': {
      const p = Math.min(1 - 1e-6, Math.max(1e-6, mean))
      out[0] = Math.log(p / (1 - p))
      break
    }
    case 'MultiClass': {
      const counts = new Float64Array(K)
      for (let i = 0; i < n; i++) counts[y[i]]++
      let s = 0
      for (let k = 0; k < K; k++) s += (out[k] = Math.log((counts[k] + 1) / (n + K)))
      for (let k = 0; k < K; k++) out[k] -= s / K
      break
    }
  }
  return out
}

/**
 * Derivatives of the loss at `margin` (row-major n x K) for rows [start, end) (all by default):
 * writes g and h output-major (`g[k * n + i]`, n = y.length), the layout the histogram kernels read.
 */
export function computeDerivatives(loss: Loss, margin: Float64Array, y: Float64Array, g: Float64Array, h: Float64Array, start = 0, end = y.length): void {
  switch (loss.name) {
    case 'RMSE':
      for (let i = start; i < end; i++) {
        g[i] = margin[i] - y[i]
        h[i] = 1
      }
      return
    case 'MAE':
      for (let i = start; i < end; i++) {
        const d = margin[i] - y[i]
        g[i] = d > 0 ? 1 : d < 0 ? -1 : 0
        h[i] = 1
      }
      return
    case 'Poisson':
      for (let i = start; i < end; i++) {
        const mu = Math.exp(margin[i])
        g[i] = mu - y[i]
        h[i] = Math.max(mu, 1e-16)
      }
      return
    case 'Logloss':
      for (let i = start; i < end; i++) {
        const p = 1 / (1 + Math.exp(-margin[i]))
        g[i] = p - y[i]
        h[i] = Math.max(p * (1 - p), 1e-16)
      }
      return
    case 'MultiClass':
      multiclassDerivatives(loss.nOutputs, margin, y, g, h, start, end)
  }
}

/**
 * Derivatives of one row whose K margins start at margin[off] into g[0..K) and h[0..K) (ordered
 * boosting takes each row from its own supporting model).
 */
export function rowDerivatives(loss: Loss, margin: Float64Array, off: number, y: number, g: Float64Array, h: Float64Array): void {
  const m = margin[off]
  switch (loss.name) {
    case 'RMSE':
      g[0] = m - y
      h[0] = 1
      return
    case 'MAE':
      g[0] = m > y ? 1 : m < y ? -1 : 0
      h[0] = 1
      return
    case 'Poisson': {
      const mu = Math.exp(m)
      g[0] = mu - y
      h[0] = Math.max(mu, 1e-16)
      return
    }
    case 'Logloss': {
      const p = 1 / (1 + Math.exp(-m))
      g[0] = p - y
      h[0] = Math.max(p * (1 - p), 1e-16)
      return
    }
    case 'MultiClass': {
      const K = loss.nOutputs
      softmaxRow(margin, off, K, h)
      for (let k = 0; k < K; k++) {
        const p = h[k]
        g[k] = p - (y === k ? 1 : 0)
        h[k] = Math.max(p * (1 - p), 1e-16)
      }
    }
  }
}

function multiclassDerivatives(K: number, margin: Float64Array, y: Float64Array, g: Float64Array, h: Float64Array, start: number, end: number): void {
  const n = y.length
  const p = new Float64Array(K)
  for (let i = start; i < end; i++) {
    softmaxRow(margin, i * K, K, p)
    for (let k = 0; k < K; k++) {
      g[k * n + i] = p[k] - (y[i] === k ? 1 : 0)
      h[k * n + i] = Math.max(p[k] * (1 - p[k]), 1e-16)
    }
  }
}

/** Softmax of margins[start .. start + K) into p. */
export function softmaxRow(margin: Float64Array, start: number, K: number, p: Float64Array): void {
  let max = -Infinity
  for (let k = 0; k < K; k++) if (margin[start + k] > max) max = margin[start + k]
  let s = 0
  for (let k = 0; k < K; k++) s += (p[k] = Math.exp(margin[start + k] - max))
  for (let k = 0; k < K; k++) p[k] /= s
}

/** Median of `a` (sorted in place); 0 for an empty array. */
export function median(a: Float64Array): number {
  const n = a.length
  if (n === 0) return 0
  a.sort()
  return n % 2 === 1 ? a[(n - 1) >> 1] : (a[n / 2 - 1] + a[n / 2]) / 2
}
