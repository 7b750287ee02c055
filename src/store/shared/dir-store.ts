/**
 * The shared store as a folder every machine mounts (NFS, or a local folder on one machine).
 * Files are written under a temporary name and renamed, so a reader on any machine sees a whole
 * file or none; an uploaded folder is copied file by file, then marked complete.
 */
import { cp, mkdir, readFile, rm, stat } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { writeFileAtomic } from '../atomic-write.js'
import { checkKey, type SharedStore } from './shared-store.js'

/** Marks an uploaded folder as complete (written after its last file). */
const COMPLETE = '.complete'

/**
 * A shared store in a folder.
 * @example
 * const store = new DirStore('/mnt/consort')
 * await store.write('members/ab12', bytes)
 * const path = await store.localPath('data/cd34/diabetes.csv')
 */
export class DirStore implements SharedStore {
  readonly root: string
  readonly location: string

  constructor(root: string) {
    this.root = resolve(root)
    this.location = `dir:${this.root}`
  }

  async read(key: string): Promise<Uint8Array | null> {
    try {
      return await readFile(this.path(key))
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null
      throw err
    }
  }

  async write(key: string, bytes: Uint8Array): Promise<void> {
    const path = this.path(key)
    await mkdir(dirname(path), { recursive: true })
    await writeFileAtomic(path, bytes)
  }

  async upload(key: string, localPath: string): Promise<void> {
    const info = await stat(localPath)
    if (!info.isDirectory()) return this.write(key, await readFile(localPath))
    const target = this.path(key)
    // A folder is complete once its marker is there; a half-copied one is copied again.
    await cp(localPath, target, { recursive: true, force: true })
    await writeFileAtomic(join(target, COMPLETE), '')
  }

  async has(key: string): Promise<boolean> {
    try {
      const info = await stat(this.path(key))
      if (info.isFile()) return true
      return (await stat(join(this.path(key), COMPLETE))).isFile()
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false
      throw err
    }
  }

  async localPath(key: string): Promise<string> {
    if (!(await this.has(key))) throw new Error(`nothing under '${key}' in the shared store ${this.location}`)
    return this.path(key)
  }

  async remove(key: string): Promise<void> {
    await rm(this.path(key), { recursive: true, force: true })
  }

  private path(key: string): string {
    checkKey(key)
    return join(this.root, ...key.split('/'))
  }
}
