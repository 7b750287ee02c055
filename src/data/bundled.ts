/**
 * The small public data sets shipped in the package's `data/` folder (see its README), found
 * relative to the installed package so they work from a clone, an install or `npx`.
 */
import { ParamError } from '../errors.js'
import type { Task } from '../metrics/registry.js'
import { packagePath } from '../package.js'
import { closestName } from '../text/closest.js'

/** One bundled data set: a CSV file with a `target` column and numeric features. */
export interface BundledDataset {
  readonly name: BundledName
  /** Absolute path of the CSV file. */
  readonly path: string
  /** Name of the target column. */
  readonly target: string
  readonly task: Task
}

const DATASETS = {
  diabetes: { file: 'diabetes.csv', task: 'regression' },
  breast_cancer: { file: 'breast_cancer.csv', task: 'binary' },
  wine: { file: 'wine.csv', task: 'multiclass' },
  iris: { file: 'iris.csv', task: 'multiclass' },
} as const satisfies Record<string, { file: string; task: Task }>

/** Names of the bundled data sets. */
export type BundledName = keyof typeof DATASETS

/** Every bundled data set's name. */
export const BUNDLED_NAMES = Object.keys(DATASETS) as readonly BundledName[]

/**
 * The bundled data set called `name`.
 * @throws ParamError for an unknown name, suggesting the closest one.
 * @example
 * const { path, target } = bundledDataset('diabetes')
 * const frame = await readFrame(path) // 442 rows: 10 features and `target`
 */
export function bundledDataset(name: string): BundledDataset {
  if (!Object.prototype.hasOwnProperty.call(DATASETS, name)) {
    const hint = closestName(name, BUNDLED_NAMES)
    throw new ParamError(
      `unknown bundled data set '${name}'${hint === undefined ? '' : `; did you mean '${hint}'?`} (bundled: ${BUNDLED_NAMES.join(', ')})`,
      { field: 'data' },
    )
  }
  const key = name as BundledName
  const { file, task } = DATASETS[key]
  return { name: key, path: packagePath(`data/${file}`), target: 'target', task }
}
