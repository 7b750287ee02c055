/**
 * `consort export MODEL --format onnx|json [--output FILE] [--json]`: a trained ensemble taken
 * anywhere: one ONNX graph for onnxruntime, Triton or any ONNX host, or one self-contained JSON
 * file for consort's runtime in a browser or an edge function.
 */
import { type Command, Option } from 'commander'
import { EXPORT_FORMATS, exportModel } from '../../jobs/export.js'
import { type CliIo, printJson, type RegisterCommand } from '../context.js'

/**
 * Registers `consort export`.
 * @example
 * registerExport(new Command('consort'), processIo())
 */
export const registerExport: RegisterCommand = (program: Command, io: CliIo): Command =>
  program
    .command('export')
    .argument('<model>', 'a model.tar.gz')
    .description('write a model as one ONNX graph (onnxruntime, Triton) or one self-contained JSON file (browser, edge)')
    .addOption(new Option('--format <format>', 'onnx or json').choices([...EXPORT_FORMATS]).makeOptionMandatory())
    .option('--output <file>', 'where to write it (replaced atomically); the model path with .onnx or .json by default')
    .option('--json', 'print {format, output, bytes} as one JSON object on the last line of stdout')
    .action(async (model: string, options: { format: string; output?: string; json?: boolean }) => {
      const result = await exportModel({ model, format: options.format, output: options.output })
      io.stderr(`exported ${model} -> ${result.output} (${result.format}, ${result.bytes} bytes)\n`)
      if (options.json) printJson(io, result)
    })
