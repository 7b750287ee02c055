/**
 * The dashboard's static files: the pages, styles and scripts in `assets/` (copied next to the
 * compiled code by `npm run build`), and uPlot's ES module, stylesheet and licence, copied into
 * `assets/vendor/` by the build or read from the uplot package when running from source. Every
 * file is served by consort itself; a content security policy keeps the pages from loading
 * anything from elsewhere.
 */
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The folder of the pages, next to this module in `src/ui/` and in `dist/ui/`. */
export const ASSETS_DIR = fileURLToPath(new URL('./assets/', import.meta.url))

/** The vendored files: the name served under `/ui/vendor/` to the file in uplot's package. */
export const VENDOR_FILES: Readonly<Record<string, string>> = {
  'uPlot.esm.js': 'dist/uPlot.esm.js',
  'uPlot.min.css': 'dist/uPlot.min.css',
  'uPlot.LICENSE': 'LICENSE',
}

const TYPES: Readonly<Record<string, string>> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  svg: 'image/svg+xml',
  LICENSE: 'text/plain; charset=utf-8',
}

/** What the pages may load: only this server's own files and API. */
export const CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; connect-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'"

/** A page file's name: letters, digits and dashes, then its type; nothing that can leave the folder. */
const PAGE_FILE = /^[a-z0-9-]+\.(html|js|css|svg)$/

/**
 * The response for the page file `name`, or null when there is none.
 * @example assetResponse('index.html')?.headers.get('content-type') // 'text/html; charset=utf-8'
 */
export function assetResponse(name: string): Response | null {
  if (!PAGE_FILE.test(name)) return null
  const file = join(ASSETS_DIR, name)
  return existsSync(file) ? respond(readFileSync(file), name) : null
}

/**
 * The response for the vendored file `name`, or null when there is none.
 * @example vendorResponse('uPlot.esm.js')
 */
export function vendorResponse(name: string): Response | null {
  const inPackage = VENDOR_FILES[name]
  if (inPackage === undefined) return null
  const built = join(ASSETS_DIR, 'vendor', name)
  const file = existsSync(built) ? built : join(uplotDir(), inPackage)
  return existsSync(file) ? respond(readFileSync(file), name) : null
}

/** The uplot package's folder (a development dependency: present when running from source). */
export function uplotDir(): string {
  return dirname(createRequire(import.meta.url).resolve('uplot/package.json'))
}

function respond(body: Buffer, name: string): Response {
  const ext = name.endsWith('LICENSE') ? 'LICENSE' : name.slice(name.lastIndexOf('.') + 1)
  return new Response(new Uint8Array(body), {
    headers: { 'content-type': TYPES[ext], 'cache-control': 'no-cache', 'content-security-policy': CONTENT_SECURITY_POLICY, 'x-content-type-options': 'nosniff' },
  })
}
