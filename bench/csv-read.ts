/**
 * CSV load benchmark: a 1M-row x 8-numeric-column CSV (about 25 MB) read with `readFrame`.
 * Generates the file under bench/.data/ on first run (seeded, so every machine reads the same
 * bytes), then prints the load time of each run and the process's peak resident memory.
 *
 * Run: node --import tsx bench/csv-read.ts [--runs N] [--rows N]
 */
import { createWriteStream, existsSync, mkdirSync, renameSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { once } from 'node:events'
import { readFrame } from '../src/data/read.js'

const COLUMNS = 8

/**
 * Writes `rows` rows of 8 numbers: small integers, one-decimal and two-decimal values, some
 * negative, as a spreadsheet or pandas export of measurements would look.
 * @example
 * await generate('bench/.data/numeric-1000000x8.csv', 1_000_000)
 */
export async function generate(path: string, rows: number): Promise<void> {
  mkdirSync(dirname(path), { recursive: true })
  const tmp = `${path}.tmp`
  const out = createWriteStream(tmp)
  let seed = 12345
  const random = (): number => {
    // xorshift32: fast and deterministic; quality is irrelevant for test data.
    seed ^= seed << 13
    seed ^= seed >>> 17
    seed ^= seed << 5
    return (seed >>> 0) / 4294967296
  }
  const value = (): string => {
    const u = random()
    if (u < 0.4) return String(Math.floor(random() * 100))
    if (u < 0.6) return String(Math.floor(random() * 10))
    if (u < 0.9) return (Math.floor(random() * 100) / 10).toFixed(1)
    return (-Math.floor(random() * 1000) / 100).toFixed(2)
  }
  out.write(Array.from({ length: COLUMNS }, (_, j) => `x${j}`).join(',') + '\n')
  let block = ''
  for (let i = 0; i < rows; i++) {
    let line = value()
    for (let j = 1; j < COLUMNS; j++) line += ',' + value()
    block += line + '\n'
    if (block.length > 1 << 16) {
      if (!out.write(block)) await once(out, 'drain')
      block = ''
    }
  }
  out.end(block)
  await once(out, 'finish')
  renameSync(tmp, path)
}

async function main(): Promise<void> {
  const args = process.argv.slice(2)
  const option = (name: string, fallback: number): number => {
    const i = args.indexOf(name)
    return i >= 0 ? Number(args[i + 1]) : fallback
  }
  const runs = option('--runs', 3)
  const rows = option('--rows', 1_000_000)
  const here = dirname(fileURLToPath(import.meta.url))
  const path = join(here, '.data', `numeric-${rows}x${COLUMNS}.csv`)
  if (!existsSync(path)) {
    const t = performance.now()
    await generate(path, rows)
    console.log(`generated ${path} in ${((performance.now() - t) / 1000).toFixed(2)} s`)
  }
  const mb = statSync(path).size / 1e6
  console.log(`input: ${rows} rows x ${COLUMNS} numeric columns, ${mb.toFixed(1)} MB`)
  const rssBefore = process.memoryUsage().rss
  for (let r = 1; r <= runs; r++) {
    const t = performance.now()
    const frame = await readFrame(path)
    const s = (performance.now() - t) / 1000
    if (frame.nRows !== rows || frame.columns.some((c) => c.type !== 'numeric')) throw new Error('unexpected frame')
    // Peak RSS of the process so far: after run 1 it is one load's peak; later runs add garbage.
    const peak = process.resourceUsage().maxRSS / 1024
    console.log(`run ${r}: ${s.toFixed(3)} s (${(mb / s).toFixed(0)} MB/s), peak rss ${peak.toFixed(0)} MiB`)
  }
  console.log(`rss before loading: ${(rssBefore / 2 ** 20).toFixed(0)} MiB`)
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main()
