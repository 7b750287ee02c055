/**
 * Which entry names an artifact may hold. Names are checked before anything is kept, so a crafted
 * archive cannot point outside the bundle whatever a later consumer does with the names. The
 * writer checks with the same function, so it cannot produce what the reader refuses.
 */
import { BundleError } from '../../errors.js'

/** Longest name the ustar `name` field holds without the `prefix` field. */
export const MAX_NAME_BYTES = 100

/**
 * Refuses a name that could escape a folder or be read two ways: empty, absolute, `.`/`..`
 * segments, backslashes, NUL or control characters, percent escapes (encoded dots and slashes
 * decode to traversal in some consumers), a drive letter, or empty segments.
 * @example
 * checkEntryName('members/xgb.bin', 'model.tar.gz') // ok
 * checkEntryName('../x', 'model.tar.gz')            // throws BundleError
 */
export function checkEntryName(name: string, file?: string): void {
  const refuse = (why: string): never => {
    throw new BundleError(`archive entry '${printable(name)}' refused: ${why}`, file === undefined ? {} : { file })
  }
  if (name.length === 0) refuse('empty name')
  if (name.startsWith('/')) refuse('absolute path')
  if (/^[A-Za-z]:/.test(name)) refuse('drive letter')
  if (name.includes('\\')) refuse('backslash')
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) refuse('control character')
  if (name.includes('%')) refuse('percent escape')
  for (const segment of name.split('/')) {
    if (segment === '') refuse('empty path segment')
    if (segment === '.' || segment === '..') refuse(`'${segment}' segment`)
  }
}

function printable(name: string): string {
  // eslint-disable-next-line no-control-regex
  return name.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)
}
