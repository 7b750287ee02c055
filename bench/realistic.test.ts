import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateRealistic, LONG_TRIP_MINUTES, type RealisticData, type RealisticOptions, writeRealisticCsv, ZONES } from './realistic.js'

const dirs: string[] = []
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true })
})

async function tempFile(name: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'consort-realistic-'))
  dirs.push(dir)
  return join(dir, name)
}

function column(d: RealisticData, name: string): Float64Array {
  return d.columns[d.names.indexOf(name)]
}

function counts(values: Float64Array): Map<number, number> {
  const m = new Map<number, number>()
  for (const v of values) m.set(v, (m.get(v) ?? 0) + 1)
  return m
}

function sorted(values: Float64Array): Float64Array {
  return Float64Array.from(values).sort()
}

const ROWS = 50_000
let regression: RealisticData
beforeAll(() => {
  regression = generateRealistic({ rows: ROWS, task: 'regression', seed: 3 })
})

describe('generateRealistic', () => {
  it('has the taxi-table columns, one value per row in each', () => {
    expect(regression.names).toEqual(['month', 'weekday', 'hour', 'passengers', 'distance', 'pickup_zone', 'dropoff_zone'])
    expect(regression.columns).toHaveLength(7)
    for (const c of regression.columns) expect(c.length).toBe(ROWS)
    expect(regression.target.length).toBe(ROWS)
  })

  it('is deterministic from the seed', () => {
    const opts: RealisticOptions = { rows: 2000, task: 'regression', seed: 9 }
    const a = generateRealistic(opts)
    const b = generateRealistic(opts)
    expect(a.columns.map((c) => Array.from(c))).toEqual(b.columns.map((c) => Array.from(c)))
    expect(Array.from(a.target)).toEqual(Array.from(b.target))
    const c = generateRealistic({ ...opts, seed: 10 })
    expect(Array.from(c.columns[4])).not.toEqual(Array.from(a.columns[4]))
  })

  it('fills the calendar and passenger columns with every small integer of their range, passengers mostly 1', () => {
    const expectRange = (name: string, lo: number, hi: number): Map<number, number> => {
      const c = counts(column(regression, name))
      expect([...c.keys()].sort((a, b) => a - b), name).toEqual(Array.from({ length: hi - lo + 1 }, (_, k) => lo + k))
      return c
    }
    expectRange('month', 1, 12)
    expectRange('weekday', 0, 6)
    expectRange('hour', 0, 23)
    const passengers = expectRange('passengers', 1, 6)
    const one = (passengers.get(1) ?? 0) / ROWS
    expect(one).toBeGreaterThan(0.6)
    expect(one).toBeLessThan(0.8)
    for (let p = 2; p <= 6; p++) expect(passengers.get(p) ?? 0).toBeLessThan(passengers.get(1) ?? 0)
  })

  it('codes both zones as integers 1 .. 300, all of them used, with Zipf-like frequencies', () => {
    for (const name of ['pickup_zone', 'dropoff_zone']) {
      const c = counts(column(regression, name))
      expect(c.size, name).toBe(ZONES)
      for (const k of c.keys()) {
        expect(Number.isInteger(k)).toBe(true)
        expect(k).toBeGreaterThanOrEqual(1)
        expect(k).toBeLessThanOrEqual(ZONES)
      }
      const byFrequency = [...c.values()].sort((a, b) => b - a)
      // a long tail: the top zone is far above the median zone, the top 30 hold about half the trips
      expect(byFrequency[0] / byFrequency[ZONES / 2]).toBeGreaterThan(5)
      const top30 = byFrequency.slice(0, 30).reduce((s, v) => s + v, 0) / ROWS
      expect(top30).toBeGreaterThan(0.3)
      expect(top30).toBeLessThan(0.7)
    }
  })

  it('records a heavy-tailed distance in hundredths of a mile, with some zeros and a few extreme readings', () => {
    const distance = column(regression, 'distance')
    expect(distance.filter((v) => !(v >= 0) || Math.round(v * 100) / 100 !== v)).toEqual(new Float64Array(0))
    const s = sorted(distance)
    const median = s[ROWS / 2]
    expect(median).toBeGreaterThan(1)
    expect(median).toBeLessThan(4)
    const zeros = s.filter((v) => v === 0).length / ROWS
    expect(zeros).toBeGreaterThan(0.005)
    expect(zeros).toBeLessThan(0.03)
    expect(s[ROWS - 1]).toBeGreaterThan(100 * median)
    expect(new Set(distance).size).toBeGreaterThan(1000)
  })

  it('makes a heavy-tailed, positively skewed duration', () => {
    const y = regression.target
    const s = sorted(y)
    expect(s[0]).toBeGreaterThan(0)
    const median = s[ROWS / 2]
    expect(median).toBeGreaterThan(5)
    expect(median).toBeLessThan(30)
    expect(s[ROWS - 1] / median).toBeGreaterThan(20)
    let mean = 0
    for (const v of y) mean += v / ROWS
    let m2 = 0
    let m3 = 0
    for (const v of y) {
      m2 += (v - mean) ** 2 / ROWS
      m3 += (v - mean) ** 3 / ROWS
    }
    expect(m3 / m2 ** 1.5).toBeGreaterThan(3)
    expect(mean).toBeGreaterThan(median)
  })

  it('ties the duration to the distance and to the rush hours on working days', () => {
    const distance = column(regression, 'distance')
    const hour = column(regression, 'hour')
    const weekday = column(regression, 'weekday')
    const medianWhere = (keep: (i: number) => boolean): number => {
      const v = regression.target.filter((_, i) => keep(i))
      return sorted(v)[v.length >> 1]
    }
    expect(medianWhere((i) => distance[i] > 5 && distance[i] < 50)).toBeGreaterThan(1.5 * medianWhere((i) => distance[i] > 0 && distance[i] < 1.5))
    const rush = (i: number): boolean => hour[i] >= 16 && hour[i] <= 19
    const workdayGain = medianWhere((i) => weekday[i] < 5 && rush(i)) / medianWhere((i) => weekday[i] < 5 && hour[i] >= 20)
    const weekendGain = medianWhere((i) => weekday[i] >= 5 && rush(i)) / medianWhere((i) => weekday[i] >= 5 && hour[i] >= 20)
    expect(workdayGain).toBeGreaterThan(weekendGain + 0.15)
  })

  it('labels the binary task from the same trips: long trips are 1, at a base rate between 20% and 50%', () => {
    const binary = generateRealistic({ rows: ROWS, task: 'binary', seed: 3 })
    expect(binary.columns.map((c) => Array.from(c))).toEqual(regression.columns.map((c) => Array.from(c)))
    let positives = 0
    let mismatches = 0
    for (let i = 0; i < ROWS; i++) {
      if (binary.target[i] !== (regression.target[i] > LONG_TRIP_MINUTES ? 1 : 0)) mismatches++
      positives += binary.target[i]
    }
    expect(mismatches).toBe(0)
    expect(positives / ROWS).toBeGreaterThan(0.2)
    expect(positives / ROWS).toBeLessThan(0.5)
  })

  it('rejects invalid options', () => {
    expect(() => generateRealistic({ rows: 0, task: 'regression', seed: 1 })).toThrow(RangeError)
    expect(() => generateRealistic({ rows: 1.5, task: 'regression', seed: 1 })).toThrow(/rows/)
    expect(() => generateRealistic({ rows: 10, task: 'multiclass' as 'binary', seed: 1 })).toThrow(/task/)
  })
})

describe('writeRealisticCsv', () => {
  it('writes the header and exactly the in-memory values, as String(v) prints them', async () => {
    const opts: RealisticOptions = { rows: 40_000, task: 'regression', seed: 2 }
    const path = await tempFile('r.csv')
    const bytes = await writeRealisticCsv(path, opts)
    const text = await readFile(path, 'utf8')
    expect(Buffer.byteLength(text)).toBe(bytes)
    const lines = text.split('\n')
    expect(lines[0]).toBe('month,weekday,hour,passengers,distance,pickup_zone,dropoff_zone,y')
    expect(lines).toHaveLength(opts.rows + 2)
    expect(lines[lines.length - 1]).toBe('')
    const d = generateRealistic(opts)
    const expected = Array.from({ length: opts.rows }, (_, i) => [...d.columns.map((c) => c[i]), d.target[i]].map(String).join(','))
    expect(lines.slice(1, -1)).toEqual(expected)
    // integers where promised, at most 2 decimals of distance and 4 of duration
    const row = /^\d+,\d+,\d+,\d+,\d+(\.\d{1,2})?,\d+,\d+,\d+(\.\d{1,4})?$/
    expect(lines.slice(1, -1).filter((l) => !row.test(l))).toEqual([])
  })

  it('gives the same bytes for the same seed and different bytes for another', async () => {
    const opts: RealisticOptions = { rows: 20_000, task: 'binary', seed: 5 }
    const [a, b, c] = [await tempFile('a.csv'), await tempFile('b.csv'), await tempFile('c.csv')]
    await writeRealisticCsv(a, opts)
    await writeRealisticCsv(b, opts)
    await writeRealisticCsv(c, { ...opts, seed: 6 })
    const [ta, tb, tc] = await Promise.all([readFile(a), readFile(b), readFile(c)])
    expect(ta.equals(tb)).toBe(true)
    expect(ta.equals(tc)).toBe(false)
    const labels = new Set(ta.toString('latin1').trimEnd().split('\n').slice(1).map((l) => l.slice(l.lastIndexOf(',') + 1)))
    expect([...labels].sort()).toEqual(['0', '1'])
  })
})
