import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DataError } from '../../errors.js'
import { readArtifact, writeArtifact } from '../../store/artifact/file.js'
import { modelFiles } from './pack.js'

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'consort-pack-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

let count = 0
/** A fresh model folder holding `files` (name to content). */
async function modelDir(files: Record<string, string> = {}): Promise<string> {
  const root = join(dir, `model-${count++}`)
  await mkdir(root)
  for (const [name, content] of Object.entries(files)) {
    await mkdir(join(root, name, '..'), { recursive: true })
    await writeFile(join(root, name), content)
  }
  return root
}

async function refused(root: string, pattern: RegExp): Promise<void> {
  const error = await modelFiles(root).then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(DataError)
  expect((error as Error).message).toMatch(pattern)
}

const names = (files: { name: string }[]) => files.map((f) => f.name)

describe('modelFiles', () => {
  it('packs every file under the folder, sorted, and round-trips through an artifact', async () => {
    const root = await modelDir({ 'b.txt': 'b', 'a/z.bin': 'z', 'a/deep/er/x.json': '{}', 'c/.hidden': 'h' })
    await mkdir(join(root, 'empty'))
    const files = await modelFiles(root)
    expect(names(files)).toEqual(['a/deep/er/x.json', 'a/z.bin', 'b.txt', 'c/.hidden'])
    const artifact = join(dir, `round-trip-${count++}.tar.gz`)
    await writeArtifact(artifact, files)
    const back = await readArtifact(artifact)
    expect(back.map((f) => [f.name, Buffer.from(f.data).toString()])).toEqual(files.map((f) => [f.name, Buffer.from(f.data).toString()]))
  })

  it('packs an empty folder as an empty list', async () => {
    expect(await modelFiles(await modelDir())).toEqual([])
  })

  it('follows a link to a file inside the folder and skips a link to a folder inside it', async () => {
    const root = await modelDir({ 'real/w.bin': 'w' })
    await symlink(join(root, 'real', 'w.bin'), join(root, 'latest.bin'))
    await symlink(join(root, 'real'), join(root, 'alias'))
    await symlink('.', join(root, 'self'))
    const files = await modelFiles(root)
    expect(names(files)).toEqual(['latest.bin', 'real/w.bin'])
    expect(Buffer.from(files[0].data).toString()).toBe('w')
  })

  it('refuses a link out of the folder and a dangling link', async () => {
    const outside = join(dir, `secret-${count++}`)
    await writeFile(outside, 'secret')
    const root = await modelDir()
    await symlink(outside, join(root, 'leak'))
    await refused(root, /points outside the model folder/)

    const up = await modelDir()
    await symlink('..', join(up, 'parent'))
    await refused(up, /points outside the model folder/)

    const dangling = await modelDir()
    await symlink(join(dangling, 'nowhere'), join(dangling, 'gone'))
    await refused(dangling, /dangling symlink/)
  })

  it('refuses names the archive cannot hold, saying why', async () => {
    await refused(await modelDir({ [`${'d'.repeat(60)}/${'f'.repeat(60)}`]: 'x' }), /is 121 bytes; model\.tar\.gz holds names of up to 100/)
    await refused(await modelDir({ 'model%2e.bin': 'x' }), /refused: percent escape/)
    await refused(await modelDir({ 'a\\b': 'x' }), /refused: backslash/)
  })

  it('refuses more bytes than an artifact may hold', async () => {
    const root = await modelDir({ 'a.bin': '1234', 'b.bin': '5678' })
    await expect(modelFiles(root, 6)).rejects.toThrow(/more than 6 bytes/)
  })
})
