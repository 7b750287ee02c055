import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { writeFileAtomic, writeJsonAtomic } from './atomic-write.js'

const dir = mkdtempSync(join(tmpdir(), 'consort-atomic-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('writeFileAtomic', () => {
  it('replaces the file whole and leaves no temporary file', async () => {
    const path = join(dir, 'metrics.json')
    writeFileSync(path, 'old')
    await writeJsonAtomic(path, { a: 1 })
    expect(readFileSync(path, 'utf8')).toBe('{\n  "a": 1\n}\n')
    expect(readdirSync(dir)).toEqual(['metrics.json'])
  })

  it('lets many writers of one file race without sharing a temporary name', async () => {
    const path = join(dir, 'race.json')
    await Promise.all(Array.from({ length: 20 }, (_, i) => writeJsonAtomic(path, { writer: i, pad: 'x'.repeat(10_000) })))
    expect(JSON.parse(readFileSync(path, 'utf8')).pad).toHaveLength(10_000)
    expect(readdirSync(dir).filter((f) => f.includes('race'))).toEqual(['race.json'])
  })

  it('keeps the old content when aborted, and removes its temporary file', async () => {
    const path = join(dir, 'kept.txt')
    writeFileSync(path, 'old')
    const stop = new AbortController()
    stop.abort(new Error('stopped'))
    await expect(writeFileAtomic(path, 'new', { signal: stop.signal })).rejects.toThrow('stopped')
    expect(readFileSync(path, 'utf8')).toBe('old')
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([])
  })

  it('fails with the file-system error when the folder does not exist', async () => {
    await expect(writeFileAtomic(join(dir, 'missing', 'x.json'), '{}')).rejects.toThrow(/ENOENT/)
  })
})
