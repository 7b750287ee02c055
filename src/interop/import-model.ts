/**
 * A model file from another library as a consort model, the format chosen by the file's content,
 * not its name: JSON text is an XGBoost model (`save_model('m.json')`), a protobuf ModelProto an
 * ONNX model; XGBoost's binary formats are refused with the way to save JSON instead.
 */
import { readFile } from 'node:fs/promises'
import { DataError, fileError } from '../errors.js'
import type { Model } from '../runtime/models/types.js'
import { importOnnx } from './onnx/import-onnx.js'
import { importXgboostText } from './xgboost/import-xgboost.js'

export interface ImportModelOptions {
  /** Feature names in column order, for a model file that names none. */
  readonly featureNames?: readonly string[]
}

/** The formats {@link importModel} recognises. */
export type ModelFormat = 'xgboost-json' | 'xgboost-ubjson' | 'onnx' | 'unknown'

/**
 * The format of a model file's bytes: JSON (after any BOM and whitespace) is XGBoost's JSON;
 * UBJSON starts with `{` followed by a UBJSON type marker; an ONNX ModelProto starts with the tag
 * of its field 1, `ir_version` (0x08), which every ONNX writer puts first.
 * @example detectFormat(new TextEncoder().encode('{"learner": {}}')) // 'xgboost-json'
 */
export function detectFormat(bytes: Uint8Array): ModelFormat {
  if (bytes[0] === 0x08) return 'onnx'
  let i = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x09 || bytes[i] === 0x0a || bytes[i] === 0x0d)) i++
  if (bytes[i] !== 0x7b) return 'unknown'
  // UBJSON objects open with '{' then a length marker ('i', 'U', 'I', 'L') or a type ('$', '#').
  const next = bytes[i + 1]
  return next !== undefined && 'iUIL$#'.includes(String.fromCharCode(next)) ? 'xgboost-ubjson' : 'xgboost-json'
}

/**
 * Reads a model file and converts it into a consort model that predicts, blends, saves and serves
 * like a trained one.
 * @throws DataError naming the file: unreadable, a format that does not import, or a model that
 *   cannot be represented (a BundleError naming the field).
 * @example const model = await importModel('models/xgb.json', { featureNames: ['age', 'bmi'] })
 */
export async function importModel(path: string, options: ImportModelOptions = {}): Promise<Model> {
  let bytes: Uint8Array
  try {
    // A plain Uint8Array, not Node's Buffer: a model's state keeps the bytes, and states encode typed arrays only.
    bytes = new Uint8Array(await readFile(path))
  } catch (e) {
    throw fileError(path, e)
  }
  const format = detectFormat(bytes)
  switch (format) {
    case 'xgboost-json':
      return importXgboostText(new TextDecoder().decode(bytes), { file: path, featureNames: options.featureNames })
    case 'onnx':
      return importOnnx(bytes, { file: path, featureNames: options.featureNames })
    case 'xgboost-ubjson':
      throw new DataError("XGBoost's binary (UBJSON) format does not import: save the model as JSON (save_model('model.json'))", { file: path })
    case 'unknown':
      throw new DataError('not a model format that imports: expected an XGBoost JSON model (save_model with a .json name) or an ONNX model', { file: path })
  }
}
