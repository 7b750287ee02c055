import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { generateSynthetic, type SyntheticOptions, writeSyntheticCsv } from './synthetic.js'

const dirs: string[] = []
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true })
})

async function tempFile(name: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'consort-synthetic-'))
  dirs.push(dir)
  return join(dir, name)
}

function missingShare(columns: Float64Array[]): number {
  let nan = 0
  let total = 0
  for (const c of columns) {
    for (const v of c) if (Number.isNaN(v)) nan++
    total += c.length
  }
  return nan / total
}

describe('generateSynthetic', () => {
  it('has the requested shape and names', () => {
    const d = generateSynthetic({ rows: 500, features: 6, task: 'regression', missing: 0, seed: 1 })
    expect(d.names).toEqual(['f0', 'f1', 'f2', 'f3', 'f4', 'f5'])
    expect(d.columns).toHaveLength(6)
    for (const c of d.columns) expect(c.length).toBe(500)
    expect(d.target.length).toBe(500)
    expect(missingShare(d.columns)).toBe(0)
  })

  it('is deterministic from the seed', () => {
    const opts: SyntheticOptions = { rows: 300, features: 5, task: 'binary', missing: 0.2, seed: 9 }
    const a = generateSynthetic(opts)
    const b = generateSynthetic(opts)
    expect(a.columns.map((c) => Array.from(c))).toEqual(b.columns.map((c) => Array.from(c)))
    expect(Array.from(a.target)).toEqual(Array.from(b.target))
    const c = generateSynthetic({ ...opts, seed: 10 })
    expect(Array.from(c.columns[0])).not.toEqual(Array.from(a.columns[0]))
  })

  it('leaves about the requested share of feature cells missing, never the target', () => {
    const d = generateSynthetic({ rows: 20_000, features: 8, task: 'regression', missing: 0.1, seed: 3 })
    // 160k cells at p = 0.1: standard deviation 0.00075, so +-0.005 is over six sigmas
    expect(Math.abs(missingShare(d.columns) - 0.1)).toBeLessThan(0.005)
    expect(d.target.some((v) => Number.isNaN(v))).toBe(false)
  })

  it('makes balanced-ish binary and multiclass targets', () => {
    const b = generateSynthetic({ rows: 10_000, features: 8, task: 'binary', missing: 0, seed: 4 })
    const positives = b.target.reduce((s, v) => s + v, 0) / b.target.length
    expect(positives).toBeGreaterThan(0.35)
    expect(positives).toBeLessThan(0.65)
    const m = generateSynthetic({ rows: 10_000, features: 8, task: 'multiclass', missing: 0, seed: 4, classes: 4 })
    const counts = [0, 0, 0, 0]
    for (const v of m.target) counts[v]++
    for (const c of counts) expect(c / 10_000).toBeGreaterThan(0.1)
  })

  it('has a signal that is not linear: a depth-1 view misses the x0*x1 interaction', () => {
    // x0 * x1 has zero correlation with x0 and x1 alone but explains much of y's variance.
    const d = generateSynthetic({ rows: 20_000, features: 8, task: 'regression', missing: 0, seed: 5 })
    const [x0, x1] = d.columns
    const corr = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
      const n = a.length
      let ma = 0
      let mb = 0
      for (let i = 0; i < n; i++) {
        ma += a[i] / n
        mb += b[i] / n
      }
      let sab = 0
      let saa = 0
      let sbb = 0
      for (let i = 0; i < n; i++) {
        sab += (a[i] - ma) * (b[i] - mb)
        saa += (a[i] - ma) ** 2
        sbb += (b[i] - mb) ** 2
      }
      return sab / Math.sqrt(saa * sbb)
    }
    const product = x0.map((v, i) => v * x1[i])
    expect(Math.abs(corr(x0, d.target))).toBeLessThan(0.05)
    expect(corr(product, d.target)).toBeGreaterThan(0.4)
  })

  it('rejects invalid options', () => {
    const base: SyntheticOptions = { rows: 10, features: 2, task: 'regression', missing: 0, seed: 1 }
    expect(() => generateSynthetic({ ...base, rows: 0 })).toThrow(RangeError)
    expect(() => generateSynthetic({ ...base, features: 1.5 })).toThrow(RangeError)
    expect(() => generateSynthetic({ ...base, missing: 1 })).toThrow(/missing/)
    expect(() => generateSynthetic({ ...base, task: 'multiclass', classes: 1 })).toThrow(/classes/)
  })
})

describe('writeSyntheticCsv', () => {
  it('writes a header and exactly the in-memory values (as String(v) prints them), missing as empty fields', async () => {
    const opts: SyntheticOptions = { rows: 40_000, features: 3, task: 'multiclass', missing: 0.25, seed: 2, classes: 3 }
    const path = await tempFile('m.csv')
    const bytes = await writeSyntheticCsv(path, opts)
    const text = await readFile(path, 'utf8')
    expect(Buffer.byteLength(text)).toBe(bytes)
    const lines = text.split('\n')
    expect(lines[0]).toBe('f0,f1,f2,y')
    expect(lines).toHaveLength(opts.rows + 2) // header, rows, and '' after the final newline
    expect(lines[lines.length - 1]).toBe('')
    const d = generateSynthetic(opts)
    let mismatches = 0
    for (let i = 0; i < opts.rows; i++) {
      const fields = lines[i + 1].split(',')
      for (let j = 0; j < 3; j++) {
        const expected = d.columns[j][i]
        const ok = Number.isNaN(expected) ? fields[j] === '' : fields[j] === String(expected) && Number(fields[j]) === expected
        if (!ok) mismatches++
      }
      if (fields[3] !== String(d.target[i])) mismatches++
    }
    expect(mismatches).toBe(0)
  })

  it('prints regression targets and negative values the way String does', async () => {
    const opts: SyntheticOptions = { rows: 20_000, features: 2, task: 'regression', missing: 0, seed: 8 }
    const path = await tempFile('r.csv')
    await writeSyntheticCsv(path, opts)
    const lines = (await readFile(path, 'utf8')).split('\n')
    const d = generateSynthetic(opts)
    const expected = Array.from({ length: opts.rows }, (_, i) => `${d.columns[0][i]},${d.columns[1][i]},${d.target[i]}`)
    expect(lines.slice(1, -1)).toEqual(expected)
  })
})
