/**
 * A spec's imported members (`learner: import`): each model file read and converted once, before
 * any fit, and checked against the job's data (task, classes, feature columns), so a model that
 * cannot serve this ensemble is refused before any work.
 */
import type { Frame } from '../data/frame.js'
import { DataError } from '../errors.js'
import { importModel } from '../interop/import-model.js'
import type { Model } from '../runtime/models/types.js'
import type { PreparedData } from './prepare.js'
import type { MembersSpec } from './spec/types.js'

/** An imported member, ready to predict. */
export interface ImportedMember {
  readonly name: string
  /** The model file, absolute. */
  readonly path: string
  readonly model: Model
}

/**
 * Imports every `learner: import` member of `spec`, in spec order.
 * @throws DataError naming the member and its file: unreadable, not importable, another task or
 *   class count than the data's, or reading a column the data lacks or holds as text.
 * @example const imports = await loadImports(spec, prepared)
 */
export async function loadImports(spec: Pick<MembersSpec, 'imports'>, prepared: Pick<PreparedData, 'task' | 'nClasses' | 'features'>): Promise<ImportedMember[]> {
  const out: ImportedMember[] = []
  for (const [name, m] of Object.entries(spec.imports)) {
    const model = await importModel(m.path, { featureNames: m.features })
    checkFits(name, m.path, model, prepared)
    out.push({ name, path: m.path, model })
  }
  return out
}

function checkFits(name: string, file: string, model: Model, { task, nClasses, features }: Pick<PreparedData, 'task' | 'nClasses' | 'features'>): void {
  const field = `members.${name}`
  const where = `imported member '${name}'`
  if (model.task !== task) throw new DataError(`${where} is a ${model.task} model; this ensemble's task is ${task}`, { file, field })
  const outputs = task === 'multiclass' ? nClasses : 1
  if (model.nOutputs !== outputs) throw new DataError(`${where} predicts ${model.nOutputs} classes; the target has ${nClasses}`, { file, field })
  for (const feature of model.featureNames) {
    const column = columnOf(features, feature)
    if (column === undefined) throw new DataError(`${where} reads column '${feature}', which the training data lacks (columns: ${features.columns.map((c) => c.name).join(', ')})`, { file, field })
    // An imported model reads numbers; category codes would be silently wrong values.
    if (column.type !== 'numeric') throw new DataError(`${where} reads column '${feature}' as numbers, but the training data holds text there`, { file, field })
  }
}

function columnOf(frame: Frame, name: string) {
  return frame.columns.find((c) => c.name === name)
}
