/**
 * Inputs put in the shared store by content: a file under `files/<sha256>/<name>` (the name kept,
 * so readers still know its format by its extension), a folder under `trees/<sha256>` where the
 * hash covers every file's relative path and bytes. The same input always gets the same key, so
 * it is uploaded once, and a worker that has read it once knows it when another trial names it.
 */
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { readdir, stat } from 'node:fs/promises'
import { basename, join, relative, sep } from 'node:path'
import type { SharedStore } from './shared-store.js'

/**
 * The content key of a local file or folder.
 * @example await contentKey('data/diabetes.csv') // 'files/9f86d0.../diabetes.csv'
 */
export async function contentKey(path: string): Promise<string> {
  const info = await stat(path)
  if (!info.isDirectory()) return `files/${await fileHash(path)}/${basename(path)}`
  const hash = createHash('sha256')
  for (const file of await filesUnder(path)) hash.update(`${relative(path, file).split(sep).join('/')}\0${await fileHash(file)}\0`)
  return `trees/${hash.digest('hex')}`
}

/**
 * Puts a local file or folder in `store` under its content key, unless it is there already, and
 * returns the key.
 * @example const key = await stage(store, '/data/train.csv')
 */
export async function stage(store: SharedStore, path: string): Promise<string> {
  const key = await contentKey(path)
  if (!(await store.has(key))) await store.upload(key, path)
  return key
}

function fileHash(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256')
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')))
  })
}

/** Every regular file under `dir`, in a stable (sorted) order. */
async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = []
  const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  for (const e of entries) {
    const path = join(dir, e.name)
    if (e.isDirectory()) out.push(...(await filesUnder(path)))
    else if (e.isFile()) out.push(path)
  }
  return out
}
