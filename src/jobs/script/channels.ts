/**
 * Input channels. SageMaker hands a script each channel as the folder `input/data/<channel>/`
 * (`SM_CHANNEL_<CHANNEL>`). A consort channel is a file or a folder, linked there without a copy:
 * a folder channel's `input/data/<channel>` is a symlink to the folder, and a file channel's is a
 * real folder holding one symlink to the file, under the file's own name.
 */
import { mkdir, stat, symlink } from 'node:fs/promises'
import { basename, join, resolve } from 'node:path'
import { DataError } from '../../errors.js'

/** A channel that exists: its name, path, and whether it is a single file. */
export interface CheckedChannel {
  readonly name: string
  readonly path: string
  readonly isFile: boolean
}

/**
 * Checks that every channel's path exists; a missing one is a DataError naming
 * `estimator.channels.<name>`. Nothing is written.
 * @example const channels = await checkChannels({ train: '/data/train.csv' })
 */
export async function checkChannels(channels: Readonly<Record<string, string>>): Promise<CheckedChannel[]> {
  const checked: CheckedChannel[] = []
  for (const [name, path] of Object.entries(channels)) {
    const field = `estimator.channels.${name}`
    let isFile: boolean
    try {
      const s = await stat(path)
      if (!s.isFile() && !s.isDirectory()) throw new DataError(`channel ${path} is neither a file nor a folder`, { field })
      isFile = s.isFile()
    } catch (e) {
      if (e instanceof DataError) throw e
      throw new DataError(`channel ${path} does not exist`, { field })
    }
    checked.push({ name, path: resolve(path), isFile })
  }
  return checked
}

/**
 * Links every channel into `dataDir/<name>` (see above) and returns channel name to folder.
 * @example const dirs = await linkChannels(channels, 'out/input/data') // { train: 'out/input/data/train' }
 */
export async function linkChannels(channels: readonly CheckedChannel[], dataDir: string): Promise<Record<string, string>> {
  const folders: [string, string][] = []
  for (const channel of channels) {
    const folder = join(dataDir, channel.name)
    if (channel.isFile) {
      await mkdir(folder, { recursive: true })
      await symlink(channel.path, join(folder, basename(channel.path)))
    } else {
      await mkdir(dataDir, { recursive: true })
      await symlink(channel.path, folder, 'dir')
    }
    folders.push([channel.name, folder])
  }
  return Object.fromEntries(folders)
}
