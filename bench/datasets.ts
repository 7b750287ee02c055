/**
 * The suite's data files, generated on first use and cached under bench/.data/ (git-ignored):
 * seeded, so every machine benchmarks the same bytes.
 */
import { existsSync, mkdirSync, renameSync } from 'node:fs'
import { join } from 'node:path'
import { REPO_ROOT } from './child.js'
import { generate as generateNumericCsv } from './csv-read.js'
import { REALISTIC_FEATURES, writeRealisticCsv, type RealisticOptions } from './realistic.js'
import { writeSyntheticCsv, type SyntheticOptions } from './synthetic.js'

/** Where generated benchmark data lives. */
export const DATA_DIR = join(REPO_ROOT, 'bench', '.data')

/**
 * The path of the synthetic CSV for `opts`, written first when it is not cached yet.
 * @example
 * await syntheticCsv({ rows: 1_000_000, features: 8, task: 'regression', missing: 0, seed: 1 })
 * // '.../bench/.data/regression-1000000x8-seed1.csv'
 */
export async function syntheticCsv(opts: SyntheticOptions): Promise<string> {
  const missing = opts.missing > 0 ? `-missing${opts.missing}` : ''
  return cached(`${opts.task}-${opts.rows}x${opts.features}${missing}-seed${opts.seed}.csv`, (tmp) => writeSyntheticCsv(tmp, opts))
}

/**
 * The path of the taxi-shaped CSV of realistic.ts for `opts`, written first when it is not cached
 * yet.
 * @example
 * await realisticCsv({ rows: 1_000_000, task: 'regression', seed: 1 })
 * // '.../bench/.data/realistic-regression-1000000x7-seed1.csv'
 */
export async function realisticCsv(opts: RealisticOptions): Promise<string> {
  return cached(`realistic-${opts.task}-${opts.rows}x${REALISTIC_FEATURES.length}-seed${opts.seed}.csv`, (tmp) => writeRealisticCsv(tmp, opts))
}

/** `DATA_DIR/name`, written by `write` to a temporary file renamed into place when it is missing. */
async function cached(name: string, write: (tmp: string) => Promise<unknown>): Promise<string> {
  const path = join(DATA_DIR, name)
  if (!existsSync(path)) {
    mkdirSync(DATA_DIR, { recursive: true })
    const tmp = `${path}.${process.pid}.tmp`
    await write(tmp)
    renameSync(tmp, path)
  }
  return path
}

/**
 * The CSV read benchmark's file (`rows` x 8 numeric columns, the same file csv-read.ts reads),
 * written first when it is not cached yet.
 * @example
 * await numericCsv(1_000_000) // '.../bench/.data/numeric-1000000x8.csv'
 */
export async function numericCsv(rows: number): Promise<string> {
  const path = join(DATA_DIR, `numeric-${rows}x8.csv`)
  if (!existsSync(path)) await generateNumericCsv(path, rows)
  return path
}
