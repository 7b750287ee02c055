import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { trainTestModel, type TestModel } from '../../jobs/testing/models.js'
import { newerFormatCopy, tamperedCopy } from '../../store/artifact/testing/bundles.js'
import type { CliIo } from '../context.js'
import { EXIT, runCli } from '../program.js'
import { consort, lines } from '../testing/run.js'

const dir = mkdtempSync(join(tmpdir(), 'consort-cli-predict-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

let trained: TestModel
let nRows: number
beforeAll(async () => {
  trained = await trainTestModel(dir, 'mixed')
  nRows = readFileSync(trained.data, 'utf8').trim().split('\n').length - 1
})

function memoryIo(): CliIo & { out: string; err: string } {
  const io = { out: '', err: '', env: {}, stdout: (t: string) => void (io.out += t), stderr: (t: string) => void (io.err += t) }
  return io
}


describe('consort predict', () => {
  it('writes the output file and ends stdout with {rows, seconds, output} under --json', async () => {
    const output = join(dir, 'pred.csv')
    const run = await consort(['predict', '--model', trained.model, '--input', trained.data, '--output', output, '--chunk-rows', '100', '--json'])
    expect(run.code, run.stderr).toBe(EXIT.ok)
    const out = lines(run.stdout)
    expect(out).toHaveLength(1)
    const result = JSON.parse(out[0]) as { rows: number; seconds: number; output: string }
    expect(result).toMatchObject({ rows: nRows, output })
    expect(result.seconds).toBeGreaterThan(0)
    expect(run.stderr).toMatch(new RegExp(`^predicted ${nRows} rows in \\d+\\.\\d+ s \\(\\d+ rows/s\\) -> ${output.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'))
    const written = lines(readFileSync(output, 'utf8'))
    expect(written[0]).toBe('prediction')
    expect(written).toHaveLength(nRows + 1)
    expect(written.slice(1).every((l) => Number.isFinite(Number(l)))).toBe(true)
  })

  it('writes the predictions to stdout without --output, in the format asked for', async () => {
    const io = memoryIo()
    const code = await runCli(['node', 'consort', 'predict', '--model', trained.model, '--input', trained.data, '--format', 'jsonl'], io)
    expect(code, io.err).toBe(EXIT.ok)
    const rows = lines(io.out).map((l) => JSON.parse(l) as { prediction: number })
    expect(rows).toHaveLength(nRows)
    const csv = readFileSync(join(dir, 'pred.csv'), 'utf8')
    expect(rows.map((r) => r.prediction)).toEqual(lines(csv).slice(1).map(Number))
    expect(io.err).toMatch(/-> stdout\n$/)
  })

  it('exits 2 on bad input with file, line, column and field, and writes nothing', async () => {
    const text = readFileSync(trained.data, 'utf8').split('\n')
    text[200] = text[200].replace(/^[^,]*/, 'old')
    const bad = join(dir, 'bad.csv')
    writeFileSync(bad, text.join('\n'))
    const output = join(dir, 'out-bad', 'pred.csv')
    rmSync(join(dir, 'out-bad'), { recursive: true, force: true })
    const io = memoryIo()
    expect(await runCli(['node', 'consort', 'predict', '--model', trained.model, '--input', bad, '--output', join(dir, 'never.csv'), '--chunk-rows', '16'], io)).toBe(EXIT.usage)
    expect(lines(io.err)).toEqual([`consort predict: error: ${bad}, line 201, column 1, field 'age': 'old' is not a number (the column is numeric)`])
    expect(existsSync(join(dir, 'never.csv'))).toBe(false)
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([])
    expect(existsSync(output)).toBe(false)
  })

  it('exits 2 on usage errors: --json without --output, a missing option, a bad chunk size or format', async () => {
    const cases: [string[], RegExp][] = [
      [['--model', trained.model, '--input', trained.data, '--json'], /--json needs --output/],
      [['--input', trained.data], /required option '--model <file>' not specified/],
      [['--model', trained.model, '--input', trained.data, '--chunk-rows', '0'], /expected a positive integer/],
      [['--model', trained.model, '--input', trained.data, '--format', 'xml'], /Allowed choices are csv, jsonl/],
      [['--model', join(dir, 'absent.tar.gz'), '--input', trained.data], /absent\.tar\.gz: cannot read file: no such file/],
      [['--model', trained.model, '--input', join(dir, 'absent.csv')], /absent\.csv: cannot read file: no such file/],
    ]
    for (const [args, message] of cases) {
      const io = memoryIo()
      expect(await runCli(['node', 'consort', 'predict', ...args], io), io.err).toBe(EXIT.usage)
      expect(io.out).toBe('')
      expect(lines(io.err)).toHaveLength(1)
      expect(io.err).toMatch(message)
    }
  })

  it('exits 2 on a tampered or a newer-format bundle, naming it, and writes nothing', async () => {
    const output = join(dir, 'out-broken', 'pred.csv')
    rmSync(join(dir, 'out-broken'), { recursive: true, force: true })
    const tampered = await tamperedCopy(trained.model, join(dir, 'tampered.tar.gz'))
    const future = await newerFormatCopy(trained.model, join(dir, 'future.tar.gz'))
    const cases: [string, RegExp][] = [
      [tampered, /tampered\.tar\.gz, field 'members\.0': sha256 mismatch/],
      [future, /future\.tar\.gz, field 'formatVersion': bundle format version 2 was written by consort 99\.0\.0 and is newer .*; upgrade consort/],
    ]
    for (const [model, pattern] of cases) {
      const run = await consort(['predict', '--model', model, '--input', trained.data, '--output', output])
      expect(run.code).toBe(EXIT.usage)
      expect(run.stderr).toMatch(/^consort predict: error: /m)
      expect(run.stderr).toMatch(pattern)
      expect(existsSync(output)).toBe(false)
    }
  })
})
