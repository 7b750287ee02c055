/**
 * `consort learners [KIND]`: the learners in the registry, or one learner's parameters with their
 * defaults, allowed values and help, generated from its schema.
 */
import type { Command } from 'commander'
import { describeParams } from '../../learners/describe.js'
import { getLearner, learnerKinds } from '../../learners/index.js'
import { type CliIo, printJson, type RegisterCommand } from '../context.js'

/**
 * Registers `consort learners [KIND] [--json]`.
 * @example
 * registerLearners(new Command('consort'), processIo())
 */
export const registerLearners: RegisterCommand = (program: Command, io: CliIo): Command =>
  program
    .command('learners')
    .argument('[kind]', 'a learner to describe')
    .description('list the learners, or the parameters of one')
    .option('--json', 'print one JSON object on the last line of stdout')
    .action((kind: string | undefined, options: { json?: boolean }) => {
      if (kind === undefined) {
        const rows = learnerKinds().map((k) => ({ kind: k, tasks: getLearner(k).tasks.join(', '), description: getLearner(k).description }))
        if (options.json) printJson(io, { learners: rows })
        else io.stdout(table(['kind', 'tasks', 'description'], rows.map((r) => [r.kind, r.tasks, r.description])))
        return
      }
      const spec = getLearner(kind, 'kind')
      const params = describeParams(spec)
      if (options.json) {
        printJson(io, { kind, tasks: spec.tasks, params })
        return
      }
      io.stdout(`${kind}: ${spec.description} (${spec.tasks.join(', ')})\n\n`)
      const rows = params.map((p) => [p.name + (p.aliases.length > 0 ? ` (${p.aliases.join(', ')})` : ''), p.default || '-', p.values, p.help])
      io.stdout(table(['name (aliases)', 'default', 'values', 'meaning'], rows))
    })

/** Left-aligned columns separated by two spaces. */
function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)))
  const line = (cells: readonly string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('  ') + '\n'
  return line(header) + rows.map(line).join('')
}
