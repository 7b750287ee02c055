/**
 * `consort inspect MODEL [--json]`: a model artifact's manifest after full verification (every
 * file's sha256, the archive's integrity): task, features, members with their kind and params,
 * blender, metrics and provenance. A training script's model (its model folder, packed without a
 * manifest) is listed file by file.
 */
import type { Command } from 'commander'
import { inspectBundle, MANIFEST_FILE, readArtifact } from '../../store/artifact/index.js'
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
      const files = await readArtifact(model)
      if (!files.some((f) => f.name === MANIFEST_FILE)) {
        const list = files.map((f) => ({ name: f.name, bytes: f.data.length }))
        if (options.json) return printJson(io, { kind: 'model-folder', files: list })
        io.stdout(`${model}: a model folder (no ${MANIFEST_FILE}: a training script's model), ${files.length} files, verified\n`)
        for (const f of list) io.stdout(`${f.name} ${f.bytes} bytes\n`)
        return
      }
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
