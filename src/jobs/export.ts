/**
 * `consort export` as a library call: a verified `model.tar.gz` written as one ONNX model or one
 * self-contained JSON bundle, to a file replaced atomically.
 */
import { mkdir } from 'node:fs/promises'
import { dirname } from 'node:path'
import { fileError, ParamError } from '../errors.js'
import { packageVersion } from '../package.js'
import { encodeJsonBundle } from '../runtime/bundle/json.js'
import { verifyBundle } from '../runtime/bundle/read.js'
import { EnsemblePredictor } from '../runtime/predictor.js'
import { readArtifact } from '../store/artifact/file.js'
import { writeFileAtomic } from '../store/atomic-write.js'
import { encodeModel } from '../interop/onnx/proto.js'
import { exportOnnx } from '../interop/export/onnx.js'

/** The formats `consort export` writes. */
export const EXPORT_FORMATS = ['onnx', 'json'] as const
export type ExportFormat = (typeof EXPORT_FORMATS)[number]

/** What {@link exportModel} wrote. */
export interface ExportResult {
  readonly format: ExportFormat
  readonly output: string
  readonly bytes: number
}

/**
 * The output path by default: the model's path with `.tar.gz` (or `.tgz`) replaced by the format's extension.
 * @example defaultExportPath('jobs/a/model.tar.gz', 'onnx') // 'jobs/a/model.onnx'
 */
export function defaultExportPath(model: string, format: ExportFormat): string {
  return `${model.replace(/\.(tar\.gz|tgz)$/, '')}.${format}`
}

/**
 * Reads and verifies `model` (every sha256), then writes it in `format` to `output` (by default
 * beside it). A bundle the format cannot express is a DataError naming the member.
 * @example const { output, bytes } = await exportModel({ model: 'model.tar.gz', format: 'onnx' })
 */
export async function exportModel(options: { readonly model: string; readonly format: string; readonly output?: string }): Promise<ExportResult> {
  const format = options.format as ExportFormat
  if (!EXPORT_FORMATS.includes(format)) throw new ParamError(`unknown export format '${options.format}' (formats: ${EXPORT_FORMATS.join(', ')})`, { field: 'format' })
  const files = await readArtifact(options.model)
  const bundle = await verifyBundle(files, options.model)
  const data = format === 'json' ? new TextEncoder().encode(encodeJsonBundle(files)) : encodeModel(exportOnnx(new EnsemblePredictor(bundle, options.model), { file: options.model, version: packageVersion() }))
  const output = options.output ?? defaultExportPath(options.model, format)
  await mkdir(dirname(output), { recursive: true }).catch((err: unknown) => {
    throw fileError(output, err)
  })
  await writeFileAtomic(output, data)
  return { format, output, bytes: data.length }
}
