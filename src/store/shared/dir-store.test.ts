import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { DirStore } from './dir-store.js'
import { contentKey, stage } from './stage.js'

const dir = mkdtempSync(join(tmpdir(), 'consort-shared-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('DirStore', () => {
  const store = new DirStore(join(dir, 'store'))

  it('writes, reads, finds and removes bytes by key; an absent key reads as null', async () => {
    expect(await store.read('a/b')).toBeNull()
    expect(await store.has('a/b')).toBe(false)
    await store.write('a/b', Uint8Array.of(1, 2, 3))
    expect([...(await store.read('a/b'))!]).toEqual([1, 2, 3])
    expect(await store.has('a/b')).toBe(true)
    expect(readFileSync(await store.localPath('a/b'))).toEqual(Buffer.of(1, 2, 3))
    await store.remove('a/b')
    expect(await store.has('a/b')).toBe(false)
    await expect(store.localPath('a/b')).rejects.toThrow(/nothing under 'a\/b' in the shared store dir:/)
  })

  it('refuses keys that would reach outside the store', async () => {
    for (const key of ['../x', 'a/../../x', '/abs', 'a//b', '', 'a/./b']) await expect(store.read(key)).rejects.toThrow(/not a valid shared store key/)
  })

  it('stages files and folders by content: same bytes same key, changed bytes new key, uploaded once', async () => {
    const src = join(dir, 'src')
    mkdirSync(join(src, 'lib'), { recursive: true })
    writeFileSync(join(src, 'train.csv'), 'a,b\n1,2\n')
    writeFileSync(join(src, 'lib', 'x.mjs'), 'export {}\n')
    const fileKey = await stage(store, join(src, 'train.csv'))
    expect(fileKey).toMatch(/^files\/[0-9a-f]{64}\/train\.csv$/)
    expect(readFileSync(await store.localPath(fileKey), 'utf8')).toBe('a,b\n1,2\n')
    const treeKey = await stage(store, src)
    expect(treeKey).toMatch(/^trees\/[0-9a-f]{64}$/)
    expect(readFileSync(join(await store.localPath(treeKey), 'lib', 'x.mjs'), 'utf8')).toBe('export {}\n')
    expect(await contentKey(src)).toBe(treeKey)
    writeFileSync(join(src, 'lib', 'x.mjs'), 'export const y = 1\n')
    expect(await contentKey(src)).not.toBe(treeKey)
    writeFileSync(join(src, 'train.csv'), 'a,b\n1,3\n')
    expect(await contentKey(join(src, 'train.csv'))).not.toBe(fileKey)
  })
})
