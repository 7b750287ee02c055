/**
 * `consort inspect MODEL [--json]`: a model artifact's manifest after full verification (every
 * file's sha256, the archive's integrity): task, features, members with their kind and params,
 * blender, metrics and provenance.
 */
import type { Command } from 'commander'
import { inspectBundle } from '../../store/artifact/index.js'
import { type CliIo, printJson, type RegisterCommand } from '../context.js'

/**
 * Registers `consort inspect`.
 * @example
 * registerInspect(new Command('consort'), processIo())
 */
export const registerInspect: RegisterCommand = (program: Command, io: CliIo): Command =>
  program
    .command('inspect')
    .argument('<model>', 'a model.tar.gz')
    .description('verify a model artifact and print its manifest')
    .option('--json', 'print the manifest as one JSON object on the last line of stdout')
    .action(async (model: string, options: { json?: boolean }) => {
      const m = await inspectBundle(model)
      if (options.json) {
        printJson(io, m)
        return
      }
      io.stdout(`${model}: format ${m.formatVersion}, consort ${m.libraryVersion}, created ${m.createdAt}, verified\n`)
      io.stdout(`task ${m.task}; ${m.features.length} features: ${m.features.map((f) => (f.type === 'categorical' ? `${f.name} (categorical)` : f.name)).join(', ')}\n`)
      for (const member of m.members) io.stdout(`member ${member.name}: ${member.kind} ${JSON.stringify(member.params)}\n`)
      io.stdout(`blender ${m.blender.kind}\n`)
      for (const [name, value] of Object.entries(m.metrics)) io.stdout(`${name} ${value === null ? 'NaN' : value}\n`)
      io.stdout(`data fingerprint ${m.provenance.dataFingerprint}\n`)
    })
