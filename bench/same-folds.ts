/**
 * What the quality-against-scikit-learn scripts share: a bundled data set split into the same
 * folds for both sides (5-fold CV repeated with seeds 0, 1, 2; stratified for classification),
 * the folds written to a JSON file the Python peer reads, and the peer's answer.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { z } from 'zod'
import { dropColumns, type Frame, getColumn, numericView } from '../src/data/frame.js'
import { readFrame } from '../src/data/read.js'
import { type Fold, kFold, stratifiedKFold } from '../src/data/splits.js'
import type { Task } from '../src/learners/types.js'
import { REPO_ROOT } from './child.js'

/** Fold seeds and fold count of every same-folds comparison. */
export const SEEDS = [0, 1, 2] as const
export const K = 5

/** What a peer script prints: the metric per fold, its mean, the time and the library version. */
export const peerSchema = z.object({ version: z.string(), per_fold: z.array(z.number()), mean: z.number(), seconds: z.number() })

/** A bundled data set, its folds and where they were written for the peer. */
export interface FoldedData {
  /** The CSV file, for the peer. */
  readonly file: string
  readonly features: Frame
  readonly y: Float64Array
  readonly nClasses: number
  readonly folds: readonly Fold[]
  readonly foldsFile: string
}

/**
 * Reads `data/<name>.csv` (target column `target`), makes the folds and writes them to
 * `<dir>/<name>-folds.json` as `{ folds: [{ train: [...], test: [...] }] }`.
 * @example const { folds, foldsFile } = await foldedData('wine', 'multiclass', tmp)
 */
export async function foldedData(name: string, task: Task, dir: string): Promise<FoldedData> {
  const file = join(REPO_ROOT, 'data', `${name}.csv`)
  const frame = await readFrame(file)
  const features = dropColumns(frame, ['target'])
  const y = Float64Array.from(numericView(getColumn(frame, 'target')))
  const nClasses = task === 'regression' ? 1 : task === 'binary' ? 2 : Math.max(...y) + 1
  const folds = SEEDS.flatMap((seed) => (task === 'regression' ? kFold(frame.nRows, K, seed) : stratifiedKFold(y, K, seed)))
  const foldsFile = join(dir, `${name}-folds.json`)
  writeFileSync(foldsFile, JSON.stringify({ folds: folds.map((f) => ({ train: Array.from(f.train), test: Array.from(f.test) })) }))
  return { file, features, y, nClasses, folds, foldsFile }
}
