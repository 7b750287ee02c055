/**
 * Benchmark data shaped like a year of city taxi trips, the kind of table users train on rather
 * than the tidy Gaussian features of synthetic.ts: small-integer calendar fields, a skewed
 * passenger count, a heavy-tailed trip distance with a few broken meter readings, and two zone
 * codes of 300 values each with Zipf-like frequencies. The target is the trip duration in minutes
 * (log-duration linear in log1p(distance), per-zone effects, an hour-by-weekday rush-hour
 * interaction, noise, occasional outliers), or for the binary task whether the trip lasted more
 * than {@link LONG_TRIP_MINUTES}. Deterministic from a seed, in memory or streamed to CSV.
 *
 * The "city" (zone frequencies, which code is which rank, every zone's effects, the airports) is
 * fixed, not seeded: files of different seeds are different trips in the same city, so a model
 * trained on one seed is scored fairly on another.
 *
 * CLI:
 *   node --import tsx bench/realistic.ts --rows 1000000 --task regression --seed 1 --out train.csv
 */
import { Buffer } from 'node:buffer'
import { createWriteStream } from 'node:fs'
import { resolve } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { Rng } from '../src/rng.js'

export type RealisticTask = 'regression' | 'binary'

export interface RealisticOptions {
  rows: number
  task: RealisticTask
  seed: number
}

export interface RealisticData {
  /** {@link REALISTIC_FEATURES} */
  names: string[]
  /** One column per feature, in the order of the names; no missing values. */
  columns: Float64Array[]
  /** Regression: the trip duration in minutes; binary: 1 for a trip longer than {@link LONG_TRIP_MINUTES}. */
  target: Float64Array
}

/** The feature columns, in file order; the target column `y` follows them. */
export const REALISTIC_FEATURES = ['month', 'weekday', 'hour', 'passengers', 'distance', 'pickup_zone', 'dropoff_zone'] as const

/** Zones of the city; codes run from 1 to ZONES, in an order unrelated to their frequency. */
export const ZONES = 300

/** The binary task's label: the trip took longer than this many minutes (about 39% of trips). */
export const LONG_TRIP_MINUTES = 15

/** Trips are cut at a day, as a meter left running for longer is closed by the fleet system. */
const MAX_MINUTES = 1440
/** Distances are recorded to the hundredth of a mile, durations to 4 decimals of a minute. */
const DISTANCE_SCALE = 100
const TARGET_SCALE = 10_000
const ROWS_PER_CHUNK = 16384
/** Seed of the city itself (fixed, see the module comment). */
const CITY_SEED = 20_240_101

// Calendar weights, each normalised when sampled: trips per month (a year of data), per weekday
// (0 = Monday) and per hour of the day.
const MONTH_WEIGHTS = [7.6, 7.4, 8.6, 8.5, 8.8, 8.3, 7.7, 7.4, 8.1, 8.9, 8.5, 8.9]
const WEEKDAY_WEIGHTS = [12.5, 13.6, 14.5, 15.1, 15.6, 15.3, 13.4]
const HOUR_WEIGHTS = [3.2, 2.3, 1.6, 1.1, 0.8, 0.9, 2.0, 3.6, 4.5, 4.6, 4.4, 4.6, 4.9, 5.0, 5.3, 5.6, 5.5, 6.2, 6.8, 6.6, 6.0, 5.8, 5.3, 4.2]
/** Passengers 1 to 6: mostly one. */
const PASSENGER_WEIGHTS = [70, 14.5, 4.5, 2.5, 5, 3.5]

/**
 * Generates a realistic data set in memory.
 *
 * @throws RangeError for a non-positive row count or an unknown task.
 * @example
 * const d = generateRealistic({ rows: 1000, task: 'regression', seed: 1 })
 * d.names   // ['month', 'weekday', 'hour', 'passengers', 'distance', 'pickup_zone', 'dropoff_zone']
 * d.target  // Float64Array of 1000 durations in minutes
 */
export function generateRealistic(opts: RealisticOptions): RealisticData {
  const generator = new RealisticGenerator(opts)
  const columns = REALISTIC_FEATURES.map(() => new Float64Array(opts.rows))
  const target = new Float64Array(opts.rows)
  generator.fill(columns, target, opts.rows)
  return { names: [...REALISTIC_FEATURES], columns, target }
}

/**
 * Streams the same data as {@link generateRealistic} (same options, same values) to a CSV file
 * with header `month,weekday,hour,passengers,distance,pickup_zone,dropoff_zone,y`. Every value is
 * written as `String(value)` prints it: integers as integers, the distance with at most 2
 * decimals and the duration with at most 4. Memory stays bounded: rows are generated and
 * formatted in chunks.
 *
 * @returns the number of bytes written
 * @example
 * await writeRealisticCsv('train.csv', { rows: 1_000_000, task: 'regression', seed: 1 })
 */
export async function writeRealisticCsv(path: string, opts: RealisticOptions): Promise<number> {
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

/** Columns written as integers; the others (distance, and the regression target) as decimals. */
const INTEGER_COLUMN = REALISTIC_FEATURES.map((name) => name !== 'distance')
/** The longest field: a distance glitch (up to 5 integer digits), a dot and 2 decimals; a duration (4 + 1 + 4); a comma. */
const MAX_ROW_BYTES = (REALISTIC_FEATURES.length + 1) * 16

/** The CSV bytes, header first, then one chunk per {@link ROWS_PER_CHUNK} rows. */
function* csvChunks(opts: RealisticOptions): Generator<Uint8Array> {
  const generator = new RealisticGenerator(opts)
  const f = REALISTIC_FEATURES.length
  const columns = REALISTIC_FEATURES.map(() => new Float64Array(ROWS_PER_CHUNK))
  const target = new Float64Array(ROWS_PER_CHUNK)
  const integerTarget = opts.task === 'binary'
  yield Buffer.from(REALISTIC_FEATURES.join(',') + ',y\n')
  for (let done = 0; done < opts.rows; ) {
    const n = Math.min(ROWS_PER_CHUNK, opts.rows - done)
    generator.fill(columns, target, n)
    const chunk = Buffer.allocUnsafe(n * MAX_ROW_BYTES)
    let pos = 0
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < f; j++) {
        const v = columns[j][i]
        pos = INTEGER_COLUMN[j] ? writeInteger(chunk, pos, v) : pos + chunk.write(String(v), pos, 'latin1')
        chunk[pos++] = COMMA
      }
      const y = target[i]
      pos = integerTarget ? writeInteger(chunk, pos, y) : pos + chunk.write(String(y), pos, 'latin1')
      chunk[pos++] = NEWLINE
    }
    yield chunk.subarray(0, pos)
    done += n
  }
}

const COMMA = 0x2c
const NEWLINE = 0x0a
const ZERO = 0x30

/** Writes a non-negative integer's digits (as `String(v)` would) and returns the new position. */
function writeInteger(out: Uint8Array, pos: number, v: number): number {
  let digits = 1
  for (let t = v; t >= 10; t = Math.floor(t / 10)) digits++
  for (let d = digits - 1; d >= 0; d--) {
    const q = Math.floor(v / 10)
    out[pos + d] = ZERO + (v - q * 10)
    v = q
  }
  return pos + digits
}

/** A discrete distribution sampled by binary search over its cumulative weights. */
class Discrete {
  private readonly cumulative: Float64Array

  constructor(weights: readonly number[]) {
    this.cumulative = new Float64Array(weights.length)
    let s = 0
    for (let k = 0; k < weights.length; k++) this.cumulative[k] = s += weights[k]
    for (let k = 0; k < weights.length; k++) this.cumulative[k] /= s
  }

  /** An index in [0, weights.length), drawn with probability proportional to its weight. */
  sample(rng: Rng): number {
    const u = rng.next()
    const c = this.cumulative
    let lo = 0
    let hi = c.length - 1
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (u < c[mid]) hi = mid
      else lo = mid + 1
    }
    return lo
  }
}

/** Zipf-like weights for ranks 0 .. n-1: (rank + offset)^-exponent. */
function zipf(n: number, exponent: number, offset: number): number[] {
  return Array.from({ length: n }, (_, r) => (r + offset) ** -exponent)
}

/** Everything fixed about the city: zone popularity, codes and per-zone effects. */
interface City {
  readonly pickups: Discrete
  readonly dropoffs: Discrete
  /** Zone code (1 .. ZONES) of each popularity rank. */
  readonly code: Int32Array
  /** By zone index (code - 1): how far out the zone lies (shifts the log distance). */
  readonly remoteness: Float64Array
  /** By zone index: effect on the log duration of starting there (traffic), and of ending there. */
  readonly pickupEffect: Float64Array
  readonly dropoffEffect: Float64Array
}

/** Popularity ranks of the airports: frequent, far out, reached by fast roads. */
const AIRPORT_RANKS = [6, 19, 47]

function makeCity(): City {
  const rng = new Rng(CITY_SEED)
  const code = new Int32Array(ZONES)
  for (let r = 0; r < ZONES; r++) code[r] = r + 1
  rng.shuffle(code)
  const remoteness = new Float64Array(ZONES)
  const pickupEffect = new Float64Array(ZONES)
  const dropoffEffect = new Float64Array(ZONES)
  for (let r = 0; r < ZONES; r++) {
    const z = code[r] - 1
    // the popular zones are central: nearer each other, slower traffic
    const central = Math.exp(-r / 40)
    remoteness[z] = 0.35 * rng.normal() - 0.4 * central + 0.2
    pickupEffect[z] = 0.15 * rng.normal() + 0.2 * central
    dropoffEffect[z] = 0.1 * rng.normal() + 0.1 * central
  }
  for (const r of AIRPORT_RANKS) {
    const z = code[r] - 1
    remoteness[z] = 1.6
    pickupEffect[z] = -0.15
    dropoffEffect[z] = -0.1
  }
  return { pickups: new Discrete(zipf(ZONES, 1.2, 10)), dropoffs: new Discrete(zipf(ZONES, 1.0, 10)), code, remoteness, pickupEffect, dropoffEffect }
}

let city: City | undefined

/**
 * Effect of the hour of the day on a weekday (0 = Monday) on the log duration: rush hours on
 * working days, a busy afternoon at weekends, empty streets at night.
 */
function rushHour(hour: number, weekday: number): number {
  if (hour < 6) return -0.25
  if (weekday < 5) {
    if (hour >= 7 && hour <= 9) return 0.3
    if (hour >= 16 && hour <= 19) return weekday === 4 ? 0.45 : 0.35
    if (hour >= 10 && hour <= 15) return 0.15
    return 0
  }
  return hour >= 11 && hour <= 18 ? 0.1 : -0.05
}

/** Holds the random stream so rows can be produced in chunks with the same values as all at once. */
class RealisticGenerator {
  private readonly rng: Rng
  private readonly city: City
  private readonly month = new Discrete(MONTH_WEIGHTS)
  private readonly weekday = new Discrete(WEEKDAY_WEIGHTS)
  private readonly hour = new Discrete(HOUR_WEIGHTS)
  private readonly passengers = new Discrete(PASSENGER_WEIGHTS)

  constructor(private readonly opts: RealisticOptions) {
    const { rows, task } = opts
    if (!Number.isInteger(rows) || rows < 1) throw new RangeError(`rows must be a positive integer, got ${rows}`)
    if (task !== 'regression' && task !== 'binary') throw new RangeError(`task must be regression or binary, got ${String(task)}`)
    this.rng = new Rng(opts.seed)
    this.city = city ??= makeCity()
  }

  /**
   * Writes the next `n` rows into `columns[j][0 .. n)` and `target[0 .. n)`. The random draws do
   * not depend on the task, so both tasks of one seed hold the same trips.
   */
  fill(columns: Float64Array[], target: Float64Array, n: number): void {
    const { rng, city: c } = this
    const binary = this.opts.task === 'binary'
    const [month, weekday, hour, passengers, distance, pickupZone, dropoffZone] = columns
    for (let i = 0; i < n; i++) {
      const m = this.month.sample(rng) + 1
      const w = this.weekday.sample(rng)
      const h = this.hour.sample(rng)
      const p = this.passengers.sample(rng) + 1
      const from = c.code[c.pickups.sample(rng)] - 1
      // one trip in twelve stays in its zone
      const to = rng.next() < 1 / 12 ? from : c.code[c.dropoffs.sample(rng)] - 1
      const logMiles = from === to ? -0.6 + 0.5 * rng.normal() : 0.75 + 0.5 * (c.remoteness[from] + c.remoteness[to]) + 0.6 * rng.normal()
      const miles = Math.min(Math.exp(logMiles), 80)
      // the meter records the distance, not always right: no GPS fix, or a corrupt reading
      const u = rng.next()
      const recorded = u < 0.012 ? 0 : u < 0.0123 ? 10 ** (2 + 2.5 * rng.next()) : miles

      const noise = rng.normal() * (rng.next() < 0.05 ? 0.8 : 0.28)
      const logMinutes =
        1.35 + 0.8 * Math.log1p(miles) + c.pickupEffect[from] + c.dropoffEffect[to] + rushHour(h, w) +
        (m === 12 ? 0.06 : m >= 6 && m <= 8 ? -0.04 : 0) + 0.02 * (p - 1) + noise
      let minutes = Math.exp(logMinutes)
      const v = rng.next()
      if (v < 0.004) minutes *= Math.exp(1 + 3 * rng.next()) // the meter was left running
      else if (v < 0.006) minutes = 0.05 + 0.9 * rng.next() // cancelled at the kerb
      minutes = Math.min(minutes, MAX_MINUTES)

      month[i] = m
      weekday[i] = w
      hour[i] = h
      passengers[i] = p
      distance[i] = Math.round(recorded * DISTANCE_SCALE) / DISTANCE_SCALE
      pickupZone[i] = from + 1
      dropoffZone[i] = to + 1
      const rounded = Math.round(minutes * TARGET_SCALE) / TARGET_SCALE
      target[i] = binary ? (rounded > LONG_TRIP_MINUTES ? 1 : 0) : rounded
    }
  }
}

async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      rows: { type: 'string' },
      task: { type: 'string', default: 'regression' },
      seed: { type: 'string', default: '1' },
      out: { type: 'string' },
    },
    strict: true,
  })
  if (values.rows === undefined || values.out === undefined) {
    throw new RangeError('usage: realistic.ts --rows N --out FILE [--task regression|binary] [--seed 1]')
  }
  const opts: RealisticOptions = { rows: Number(values.rows), task: values.task as RealisticTask, seed: Number(values.seed) }
  const t0 = performance.now()
  const bytes = await writeRealisticCsv(values.out, opts)
  const seconds = (performance.now() - t0) / 1000
  console.error(`wrote ${values.out}: ${opts.rows} rows x ${REALISTIC_FEATURES.length} features, ${(bytes / 1e6).toFixed(1)} MB in ${seconds.toFixed(1)} s`)
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : String(e))
    // bad options (ours: RangeError; parseArgs: TypeError) are usage errors; anything else failed
    process.exitCode = e instanceof RangeError || e instanceof TypeError ? 2 : 1
  })
}
