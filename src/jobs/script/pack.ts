/**
 * The model folder as archive entries: every regular file under it, recursively, named by its
 * path relative to the folder with `/` separators, in sorted order (same folder, same archive).
 * A symlink is followed when it stays inside the folder; one to a file is packed under the link's
 * name, one to a folder is skipped (its files are packed under their own path). A link that
 * leaves the folder, a dangling link, a device, FIFO or socket, and a name the archive cannot
 * hold are refused with a DataError naming the path, rather than silently dropped.
 */
import { readFile, readdir, realpath, stat } from 'node:fs/promises'
import { isAbsolute, join, relative, sep } from 'node:path'
import { DataError } from '../../errors.js'
import { DEFAULT_MAX_BYTES } from '../../store/artifact/file.js'
import { checkEntryName, MAX_NAME_BYTES } from '../../runtime/bundle/names.js'
import type { TarFile } from '../../store/artifact/tar.js'

/**
 * Reads the files of `modelDir` as archive entries, refusing more than `maxBytes` in all (default
 * the size an artifact may be read back with).
 * @example await writeArtifact('out/model.tar.gz', await modelFiles('out/model'))
 */
export async function modelFiles(modelDir: string, maxBytes = DEFAULT_MAX_BYTES): Promise<TarFile[]> {
  const root = await realpath(modelDir)
  const files: TarFile[] = []
  let total = 0

  const add = async (path: string, name: string, source: string): Promise<void> => {
    checkEntryName(name, path)
    if (Buffer.byteLength(name) > MAX_NAME_BYTES) {
      throw new DataError(`model file name '${name}' is ${Buffer.byteLength(name)} bytes; model.tar.gz holds names of up to ${MAX_NAME_BYTES}`, { file: path })
    }
    const data = await readFile(source)
    total += data.length
    if (total > maxBytes) throw new DataError(`the model folder holds more than ${maxBytes} bytes, the most a model.tar.gz may hold`, { file: modelDir })
    files.push({ name, data })
  }

  const walk = async (dir: string, prefix: string): Promise<void> => {
    const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    for (const entry of entries) {
      const path = join(dir, entry.name)
      const name = prefix === '' ? entry.name : `${prefix}/${entry.name}`
      if (entry.isDirectory()) await walk(path, name)
      else if (entry.isFile()) await add(path, name, path)
      else if (entry.isSymbolicLink()) {
        const target = await realpath(path).catch(() => {
          throw new DataError('dangling symlink in the model folder', { file: path })
        })
        const rel = relative(root, target)
        if (rel === '..' || rel.startsWith('..' + sep) || isAbsolute(rel)) {
          throw new DataError(`symlink points outside the model folder (to ${target})`, { file: path })
        }
        const s = await stat(target)
        if (s.isFile()) await add(path, name, target)
        else if (!s.isDirectory()) throw new DataError('symlink to something other than a file or folder in the model folder', { file: path })
      } else throw new DataError('not a regular file or folder; model.tar.gz holds regular files only', { file: path })
    }
  }

  await walk(modelDir, '')
  return files
}
