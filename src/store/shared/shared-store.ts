/**
 * A store that a tuning job's coordinator and its workers on other machines can all read: the
 * data and training scripts go out through it, trial artifacts and cached members come back.
 * Keys are relative paths with `/` separators. Inputs are addressed by content (the same bytes
 * always get the same key), so a worker reads and bins a data set once whatever the trial, and
 * two writers of one key write the same bytes. A shared folder (NFS in practice) implements it
 * ({@link DirStore}); an S3-compatible store can implement it by downloading what
 * {@link SharedStore.localPath} asks for into a local cache folder.
 */

/** Where shared bytes live. */
export interface SharedStore {
  /** Where the store is, for messages (`dir:/mnt/consort`, `s3://bucket/prefix`). */
  readonly location: string
  /** The bytes under `key`, or null when there are none. */
  read(key: string): Promise<Uint8Array | null>
  /** Writes `bytes` under `key`, atomically: a reader sees all of them or none. */
  write(key: string, bytes: Uint8Array): Promise<void>
  /** Puts a local file or folder under `key` (a folder's files under `key/relative/path`). */
  upload(key: string, localPath: string): Promise<void>
  /** True when `key` holds a file, or a folder uploaded whole. */
  has(key: string): Promise<boolean>
  /**
   * A local path holding what `key` names (a file or an uploaded folder), ready to read: the
   * store's own file for a shared folder, a downloaded copy for a remote store.
   */
  localPath(key: string): Promise<string>
  /** Deletes `key` (a file or a folder); nothing happens when it is absent. */
  remove(key: string): Promise<void>
}

/**
 * Checks a key: relative, `/`-separated, no empty, `.` or `..` part, so no key reaches outside
 * the store.
 * @throws Error naming the key.
 * @example checkKey('data/ab12/diabetes.csv')
 */
export function checkKey(key: string): void {
  const parts = key.split('/')
  if (key.length === 0 || parts.some((p) => p === '' || p === '.' || p === '..' || p.includes('\\') || p.includes('\0'))) {
    throw new Error(`'${key}' is not a valid shared store key (relative, '/'-separated, no '.' or '..' parts)`)
  }
}
