/**
 * Synthetic benchmark data: Gaussian features, a mildly non-linear target (an interaction, a sine,
 * a step, an absolute value and a few small linear terms, so tree depth matters) and values
 * missing completely at random. Deterministic from a seed, in memory or streamed to CSV.
 *
 * CLI:
 *   node --import tsx bench/synthetic.ts --rows 1000000 --features 8 --task regression \
 *     --missing 0 --seed 1 --out train.csv
 */
import { Buffer } from 'node:buffer'
import { createWriteStream } from 'node:fs'
import { resolve } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { Rng } from '../src/rng.js'

export type SyntheticTask = 'regression' | 'binary' | 'multiclass'

export interface SyntheticOptions {
  rows: number
  features: number
  task: SyntheticTask
  /** Share of feature cells left missing (NaN in memory, an empty CSV field), in [0, 1). */
  missing: number
  seed: number
  /** Number of classes for `multiclass` (default 3); ignored otherwise. */
  classes?: number
}

export interface SyntheticData {
  /** `f0 .. f{features-1}` */
  names: string[]
  /** One column per feature, NaN where missing. */
  columns: Float64Array[]
  /** Regression: a real value; binary: 0/1; multiclass: class id in [0, classes). */
  target: Float64Array
}

/** Values are rounded to this many decimals, so the CSV text holds exactly the in-memory values. */
const DECIMALS = 4
const SCALE = 10 ** DECIMALS
const NOISE_SD = 0.5
// E[1.5 [x > 0.5] - [x < -1]] and E|x| for standard normal x: subtracted to centre the signal.
const STEP_MEAN = 1.5 * 0.3085375387259869 - 0.15865525393145707
const ABS_MEAN = Math.sqrt(2 / Math.PI)
const ROWS_PER_CHUNK = 16384

/**
 * Generates a synthetic data set in memory.
 *
 * @throws RangeError for a non-positive row or feature count, a missing share outside [0, 1) or
 *   fewer than 2 classes.
 * @example
 * const d = generateSynthetic({ rows: 1000, features: 8, task: 'binary', missing: 0.1, seed: 1 })
 * d.columns.length // 8
 * d.target.length  // 1000
 */
export function generateSynthetic(opts: SyntheticOptions): SyntheticData {
  const generator = new SyntheticGenerator(opts)
  const columns = Array.from({ length: opts.features }, () => new Float64Array(opts.rows))
  const target = new Float64Array(opts.rows)
  generator.fill(columns, target, opts.rows)
  return { names: featureNames(opts.features), columns, target }
}

/**
 * Streams the same data as {@link generateSynthetic} (same options, same values) to a CSV file
 * with header `f0,...,f{F-1},y`, missing values as empty fields. Memory stays bounded: rows are
 * generated and formatted in chunks.
 *
 * @returns the number of bytes written
 * @example
 * await writeSyntheticCsv('train.csv', { rows: 1_000_000, features: 8, task: 'regression', missing: 0, seed: 1 })
 */
export async function writeSyntheticCsv(path: string, opts: SyntheticOptions): Promise<number> {
  let bytes = 0
  const counted = function* (): Generator<Uint8Array> {
    for (const chunk of csvChunks(opts)) {
      bytes += chunk.length
      yield chunk
    }
  }
  await pipeline(counted(), createWriteStream(path, { highWaterMark: 1 << 20 }))
  return bytes
}

/**
 * The CSV bytes, header first, then one chunk per {@link ROWS_PER_CHUNK} rows. Digits are written
 * straight into a byte buffer (no per-value strings), which keeps the garbage collector idle.
 */
function* csvChunks(opts: SyntheticOptions): Generator<Uint8Array> {
  const generator = new SyntheticGenerator(opts)
  const f = opts.features
  const columns = Array.from({ length: f }, () => new Float64Array(ROWS_PER_CHUNK))
  const target = new Float64Array(ROWS_PER_CHUNK)
  yield Buffer.from(featureNames(f).join(',') + ',y\n')
  for (let done = 0; done < opts.rows; ) {
    const n = Math.min(ROWS_PER_CHUNK, opts.rows - done)
    generator.fill(columns, target, n)
    const chunk = Buffer.allocUnsafe(n * (f + 1) * MAX_FIELD_BYTES)
    let pos = 0
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < f; j++) {
        const v = columns[j][i]
        if (!Number.isNaN(v)) pos = writeRounded(chunk, pos, v)
        chunk[pos++] = COMMA
      }
      pos = writeRounded(chunk, pos, target[i])
      chunk[pos++] = NEWLINE
    }
    yield chunk.subarray(0, pos)
    done += n
  }
}

const COMMA = 0x2c
const NEWLINE = 0x0a
const MINUS = 0x2d
const DOT = 0x2e
const ZERO = 0x30
/** Sign, up to 16 integer digits (values are far below 2^53 / 10^4), dot, 4 decimals, separator. */
const MAX_FIELD_BYTES = 1 + 16 + 1 + DECIMALS + 1

/**
 * Writes a value already rounded to {@link DECIMALS} places as `String(v)` would (shortest
 * round-trip form: no trailing zeros, no '-' for zero) and returns the new position.
 */
function writeRounded(out: Uint8Array, pos: number, v: number): number {
  const k = Math.round(v * SCALE)
  const a = k < 0 ? -k : k
  if (k < 0) out[pos++] = MINUS
  let whole = Math.floor(a / SCALE)
  let fraction = a - whole * SCALE
  // integer part: digits backwards into place
  let digits = 1
  for (let t = whole; t >= 10; t = Math.floor(t / 10)) digits++
  for (let d = digits - 1; d >= 0; d--) {
    const q = Math.floor(whole / 10)
    out[pos + d] = ZERO + (whole - q * 10)
    whole = q
  }
  pos += digits
  if (fraction !== 0) {
    out[pos++] = DOT
    for (let place = SCALE / 10; fraction !== 0; place /= 10) {
      const d = Math.floor(fraction / place)
      out[pos++] = ZERO + d
      fraction -= d * place
    }
  }
  return pos
}

function featureNames(features: number): string[] {
  return Array.from({ length: features }, (_, j) => `f${j}`)
}

/** Holds the random stream so rows can be produced in chunks with the same values as all at once. */
class SyntheticGenerator {
  private readonly rng: Rng
  private readonly x: Float64Array
  private readonly scores: Float64Array
  private readonly classes: number

  constructor(private readonly opts: SyntheticOptions) {
    const { rows, features, missing, task } = opts
    if (!Number.isInteger(rows) || rows < 1) throw new RangeError(`rows must be a positive integer, got ${rows}`)
    if (!Number.isInteger(features) || features < 1) {
      throw new RangeError(`features must be a positive integer, got ${features}`)
    }
    if (!(missing >= 0 && missing < 1)) throw new RangeError(`missing must be in [0, 1), got ${missing}`)
    if (task !== 'regression' && task !== 'binary' && task !== 'multiclass') {
      throw new RangeError(`task must be regression, binary or multiclass, got ${String(task)}`)
    }
    this.classes = task === 'multiclass' ? (opts.classes ?? 3) : task === 'binary' ? 2 : 1
    if (!Number.isInteger(this.classes) || this.classes < (task === 'multiclass' ? 2 : 1)) {
      throw new RangeError(`classes must be an integer >= 2, got ${opts.classes}`)
    }
    this.rng = new Rng(opts.seed)
    this.x = new Float64Array(features)
    this.scores = new Float64Array(this.classes)
  }

  /** Writes the next `n` rows into `columns[j][0 .. n)` and `target[0 .. n)`. */
  fill(columns: Float64Array[], target: Float64Array, n: number): void {
    const { features, missing, task } = this.opts
    const { rng, x, scores } = this
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < features; j++) x[j] = round(rng.normal())
      if (task === 'regression') {
        target[i] = round(signal(x, 0) + NOISE_SD * rng.normal())
      } else if (task === 'binary') {
        const p = 1 / (1 + Math.exp(-signal(x, 0)))
        target[i] = rng.next() < p ? 1 : 0
      } else {
        // Each class scores the same shape of signal on features rotated by the class id.
        let best = 0
        for (let c = 0; c < this.classes; c++) {
          scores[c] = signal(x, c) + NOISE_SD * rng.normal()
          if (scores[c] > scores[best]) best = c
        }
        target[i] = best
      }
      for (let j = 0; j < features; j++) {
        columns[j][i] = missing > 0 && rng.next() < missing ? NaN : x[j]
      }
    }
  }
}

/**
 * The noiseless signal, roughly zero-mean with variance about 3.7 when all terms are present:
 * x0 x1 + 1.5 sin(2 x2) + step(x3) + |x4| + sum over j in 5..9 of 0.5 * 0.7^(j-5) x_j.
 * Feature indices are taken after rotating by `shift` (mod the feature count); terms whose
 * features do not exist are left out, and features from f10 on are pure noise.
 */
function signal(x: Float64Array, shift: number): number {
  const f = x.length
  const s0 = shift % f
  let s = 0
  if (f > 1) s += x[s0] * x[(1 + shift) % f]
  if (f > 2) s += 1.5 * Math.sin(2 * x[(2 + shift) % f])
  if (f > 3) {
    const v = x[(3 + shift) % f]
    s += (v > 0.5 ? 1.5 : v < -1 ? -1 : 0) - STEP_MEAN
  }
  if (f > 4) s += Math.abs(x[(4 + shift) % f]) - ABS_MEAN
  for (let j = 5; j < Math.min(f, 10); j++) s += 0.5 * 0.7 ** (j - 5) * x[(j + shift) % f]
  return s
}

function round(v: number): number {
  return Math.round(v * SCALE) / SCALE
}

async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      rows: { type: 'string' },
      features: { type: 'string', default: '8' },
      task: { type: 'string', default: 'regression' },
      missing: { type: 'string', default: '0' },
      seed: { type: 'string', default: '1' },
      classes: { type: 'string' },
      out: { type: 'string' },
    },
    strict: true,
  })
  if (values.rows === undefined || values.out === undefined) {
    throw new RangeError('usage: synthetic.ts --rows N --out FILE [--features 8] [--task regression|binary|multiclass] [--missing 0] [--seed 1] [--classes 3]')
  }
  const opts: SyntheticOptions = {
    rows: Number(values.rows),
    features: Number(values.features),
    task: values.task as SyntheticTask,
    missing: Number(values.missing),
    seed: Number(values.seed),
    classes: values.classes === undefined ? undefined : Number(values.classes),
  }
  const t0 = performance.now()
  const bytes = await writeSyntheticCsv(values.out, opts)
  const seconds = (performance.now() - t0) / 1000
  console.error(`wrote ${values.out}: ${opts.rows} rows x ${opts.features} features, ${(bytes / 1e6).toFixed(1)} MB in ${seconds.toFixed(1)} s`)
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : String(e))
    // bad options (ours: RangeError; parseArgs: TypeError) are usage errors; anything else failed
    process.exitCode = e instanceof RangeError || e instanceof TypeError ? 2 : 1
  })
}
