import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { trainTestModel, type TestModel } from '../../jobs/testing/models.js'
import { newerFormatCopy, tamperedCopy } from '../../store/artifact/testing/bundles.js'
import { EXIT } from '../program.js'
import { consort, lines } from '../testing/run.js'

const dir = mkdtempSync(join(tmpdir(), 'consort-cli-inspect-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

let trained: TestModel
beforeAll(async () => {
  trained = await trainTestModel(dir, 'binary')
})

describe('consort inspect', () => {
  it('prints the verified manifest', async () => {
    const run = await consort(['inspect', trained.model, '--json'])
    expect(run.code, run.stderr).toBe(EXIT.ok)
    expect(JSON.parse(lines(run.stdout).at(-1)!)).toMatchObject({ formatVersion: 1, task: 'binary' })
  })

  it('exits 2 with a clear message on a tampered bundle, whether the archive or a file in it was changed', async () => {
    const member = await tamperedCopy(trained.model, join(dir, 'tampered.tar.gz'))
    const run = await consort(['inspect', member])
    expect(run.code).toBe(EXIT.usage)
    expect(run.stderr).toMatch(/^consort inspect: error: .*tampered\.tar\.gz, field 'members\.0': sha256 mismatch for 'members\/000-xgb\.state'$/m)
    const flipped = await tamperedCopy(trained.model, join(dir, 'flipped.tar.gz'), { flipByte: true })
    const again = await consort(['inspect', flipped])
    expect(again.code).toBe(EXIT.usage)
    expect(again.stderr).toMatch(/flipped\.tar\.gz: artifact digest mismatch: the file is corrupt/)
  })

  it('exits 2 on a bundle written by a newer format, saying to upgrade', async () => {
    const future = await newerFormatCopy(trained.model, join(dir, 'future.tar.gz'))
    const run = await consort(['inspect', future])
    expect(run.code).toBe(EXIT.usage)
    expect(run.stderr).toMatch(/future\.tar\.gz, field 'formatVersion': bundle format version 2 was written by consort 99\.0\.0 and is newer than this version of consort reads \(1\); upgrade consort to load it/)
  })
})
