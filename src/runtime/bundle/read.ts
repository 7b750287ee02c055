/**
 * Reading a model bundle from its bytes with web-standard APIs only: checked gunzip with a size
 * cap, a ustar reader that refuses links and unsafe names, every file's sha256 checked with Web
 * Crypto against the manifest, which must name exactly the files the archive holds, and every
 * state decoded as plain data. Nothing from the bundle is run. The bytes may come from a file, a
 * fetch or an upload; the artifact store reads files into bytes and calls this.
 */
import { BundleError, type Location } from '../../errors.js'
import type { ModelState } from '../models/types.js'
import { gunzipChecked } from './gunzip.js'
import { decodeManifest, MANIFEST_FILE, type Manifest } from './manifest.js'
import { sha256Hex } from './sha256.js'
import { decodeState } from './state-codec.js'
import { unpackTar, type TarFile } from './tar.js'

/** Options of {@link readBundle}. */
export interface ReadBundleOptions {
  /** Largest decompressed size accepted, in bytes (default 2 GiB). */
  readonly maxBytes?: number
  /** Name of the input (a path), reported in errors. */
  readonly file?: string
}

/**
 * A verified bundle: its manifest and every state, decoded (plain data and typed arrays).
 * @example
 * const { manifest, members, blenderState } = await readBundle(bytes)
 */
export interface LoadedBundle {
  readonly manifest: Manifest
  readonly members: readonly { readonly name: string; readonly state: ModelState }[]
  readonly blenderState: unknown
}

/**
 * Reads and verifies a `model.tar.gz` held in memory: safe archive, valid manifest, exactly the
 * files it names, every sha256 matching, every state decodable and of the kind the manifest says.
 * Any failure is a BundleError (code `unsupported_bundle_version` for a newer format).
 * @example
 * const bundle = await readBundle(new Uint8Array(await (await fetch(url)).arrayBuffer()))
 */
export async function readBundle(bytes: Uint8Array, options: ReadBundleOptions = {}): Promise<LoadedBundle> {
  const tar = await gunzipChecked(bytes, options)
  return verifyBundle(unpackTar(tar, options.file), options.file)
}

/**
 * Verifies and decodes the files of an unpacked bundle (see {@link readBundle}).
 * @example const bundle = await verifyBundle(unpackTar(tar), 'model.tar.gz')
 */
export async function verifyBundle(files: readonly TarFile[], file?: string): Promise<LoadedBundle> {
  const fail = (message: string, field?: string): never => {
    const where: Location = file === undefined ? {} : { file }
    throw new BundleError(message, field === undefined ? where : { ...where, field })
  }
  const entries = new Map(files.map((e) => [e.name, e.data]))
  const manifestBytes = entries.get(MANIFEST_FILE)
  if (manifestBytes === undefined) return fail(`missing ${MANIFEST_FILE}`)
  const manifest = decodeManifest(manifestBytes, file)
  const claimed = new Set<string>([MANIFEST_FILE])
  const checks: { name: string; data: Uint8Array; hash: string; field: string }[] = []
  const take = (name: string, hash: string | undefined, field: string): Uint8Array => {
    if (claimed.has(name)) fail(`file '${name}' is named twice`, field)
    claimed.add(name)
    const data = entries.get(name)
    if (data === undefined) return fail(`missing file '${name}'`, field)
    if (hash === undefined) return fail(`no sha256 for '${name}'`, field)
    checks.push({ name, data, hash, field })
    return data
  }
  const seen = new Set<string>()
  const memberFiles = manifest.members.map((m, i) => {
    const field = `members.${i}`
    if (seen.has(m.name)) fail(`duplicate member name '${m.name}'`, field)
    seen.add(m.name)
    return take(m.file, m.sha256, field)
  })
  const blenderFile = manifest.blender.file === undefined ? undefined : take(manifest.blender.file, manifest.blender.sha256, 'blender')
  if (blenderFile === undefined && manifest.blender.sha256 !== undefined) fail('blender sha256 without a file', 'blender')
  for (const name of entries.keys()) if (!claimed.has(name)) fail(`unexpected file '${name}' not named in ${MANIFEST_FILE}`)
  // Every hash is checked before any state is decoded: a tampered file is reported as such.
  const digests = await Promise.all(checks.map((c) => sha256Hex(c.data)))
  checks.forEach((c, i) => {
    if (digests[i] !== c.hash) fail(`sha256 mismatch for '${c.name}'`, c.field)
  })
  const members = manifest.members.map((m, i) => {
    const state = decodeState(memberFiles[i], file)
    if (!isModelState(state)) return fail(`state of member '${m.name}' lacks kind or version`, `members.${i}`)
    if (state.kind !== m.kind) fail(`member '${m.name}' is declared '${m.kind}' but its state is '${state.kind}'`, `members.${i}`)
    return { name: m.name, state }
  })
  const blenderState = blenderFile === undefined ? undefined : decodeState(blenderFile, file)
  return { manifest, members, blenderState }
}

function isModelState(v: unknown): v is ModelState {
  return typeof v === 'object' && v !== null && typeof (v as { kind?: unknown }).kind === 'string' && typeof (v as { version?: unknown }).version === 'number'
}
