/**
 * The installed package itself: where its files are and which version it is. Resolved from this
 * module's own URL, which sits one folder below the package root both in the sources (`src/`, run
 * with tsx) and in the build (`dist/`), so it works from a clone, from `node_modules` and via `npx`.
 */
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const ROOT = new URL('../', import.meta.url)

/**
 * The absolute path of a file shipped with the package, given relative to the package root.
 * @example
 * packagePath('data/diabetes.csv') // '/…/node_modules/consort/data/diabetes.csv'
 */
export function packagePath(relative: string): string {
  return fileURLToPath(new URL(relative, ROOT))
}

let version: string | undefined

/**
 * The package's version, as its `package.json` states it (read once).
 * @example
 * packageVersion() // '0.1.0'
 */
export function packageVersion(): string {
  if (version === undefined) {
    const manifest = JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as { version?: unknown }
    version = typeof manifest.version === 'string' ? manifest.version : '0.0.0'
  }
  return version
}
