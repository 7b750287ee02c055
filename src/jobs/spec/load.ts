/**
 * Reading a spec file: `consort train SPEC [--set key=value]...`.
 */
import { readFile } from 'node:fs/promises'
import { ParamError } from '../../errors.js'
import { parseSpecText } from './parse.js'
import type { EnsembleSpec } from './types.js'

/** Options of {@link loadSpec}. */
export interface LoadSpecOptions {
  /** `key=value` overrides with dotted paths (`members.xgb.params.eta=0.2`), applied before validation. */
  set?: readonly string[]
}

/**
 * Reads a YAML or JSON spec (JSON is YAML's flow syntax, so one parser reads both and the content
 * decides), applies the overrides, validates it and resolves relative paths against the file's
 * folder.
 * @throws ParamError for an unreadable file, a syntax error or an invalid field, with the file,
 *   field path, line and column.
 * @example
 * const spec = await loadSpec('ensemble.yaml', { set: ['members.xgb.params.eta=0.2', 'cv.folds=3'] })
 * if (spec.kind === 'ensemble') console.log(Object.keys(spec.members))
 */
export async function loadSpec(path: string, options: LoadSpecOptions = {}): Promise<EnsembleSpec> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : e instanceof Error ? e.message : String(e)
    throw new ParamError(`cannot read the spec: ${reason}`, { file: path })
  }
  return parseSpecText(text, { file: path, set: options.set })
}
