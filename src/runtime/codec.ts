/**
 * Compact, versioned binary form of a {@link TreeEnsemble}: a fixed header followed by the typed
 * arrays, little-endian. Round-trips exactly (float64 values are stored bit for bit). No Node-only
 * imports, so bundles decode in browsers and serverless runtimes too.
 *
 * Layout: magic "CTE1" | u32 version | u32 nFeatures | u32 nOutputs | u32 nTrees | u32 nNodes |
 * f64 baseMargin[nOutputs] | i32 treeStart[nTrees] | i32 treeOutput[nTrees] | i32 feature[nNodes] |
 * f64 threshold[nNodes] | i32 left[nNodes] | u8 defaultLeft[nNodes] | f64 value[nNodes]
 */
import { BundleError } from '../errors.js'
import type { TreeEnsemble } from './tree-ensemble.js'

const MAGIC = [0x43, 0x54, 0x45, 0x31] // "CTE1"
export const TREE_ENSEMBLE_FORMAT_VERSION = 1
const HEADER = 24

/** @example const bytes = encodeTreeEnsemble(model); decodeTreeEnsemble(bytes) */
export function encodeTreeEnsemble(m: TreeEnsemble): Uint8Array {
  const nTrees = m.treeStart.length
  const nNodes = m.feature.length
  const size = HEADER + 8 * m.nOutputs + 8 * nTrees + nNodes * (4 + 8 + 4 + 1 + 8)
  const bytes = new Uint8Array(size)
  const view = new DataView(bytes.buffer)
  bytes.set(MAGIC, 0)
  const header = [TREE_ENSEMBLE_FORMAT_VERSION, m.nFeatures, m.nOutputs, nTrees, nNodes]
  header.forEach((v, i) => view.setUint32(4 + 4 * i, v, true))
  let p = HEADER
  const f64 = (a: Float64Array) => {
    for (let i = 0; i < a.length; i++, p += 8) view.setFloat64(p, a[i], true)
  }
  const i32 = (a: Int32Array) => {
    for (let i = 0; i < a.length; i++, p += 4) view.setInt32(p, a[i], true)
  }
  f64(m.baseMargin)
  i32(m.treeStart)
  i32(m.treeOutput)
  i32(m.feature)
  f64(m.threshold)
  i32(m.left)
  bytes.set(m.defaultLeft, p)
  p += nNodes
  f64(m.value)
  return bytes
}

/**
 * Decodes and validates bytes written by {@link encodeTreeEnsemble}; any inconsistency is a
 * BundleError (code `unsupported_bundle_version` for a newer layout).
 * @example const ensemble = decodeTreeEnsemble(state.trees)
 */
export function decodeTreeEnsemble(bytes: Uint8Array): TreeEnsemble {
  if (bytes.length < HEADER || MAGIC.some((b, i) => bytes[i] !== b)) throw new BundleError('not a tree ensemble (bad magic)')
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const [version, nFeatures, nOutputs, nTrees, nNodes] = [4, 8, 12, 16, 20].map((o) => view.getUint32(o, true))
  if (version > TREE_ENSEMBLE_FORMAT_VERSION) throw new BundleError(`tree ensemble version ${version} is newer than this version of consort reads (${TREE_ENSEMBLE_FORMAT_VERSION}); upgrade consort`, {}, 'unsupported_bundle_version')
  if (version !== TREE_ENSEMBLE_FORMAT_VERSION) throw new BundleError(`unsupported tree ensemble version ${version}`)
  const size = HEADER + 8 * nOutputs + 8 * nTrees + nNodes * 25
  if (bytes.length !== size) throw new BundleError(`tree ensemble is ${bytes.length} bytes, expected ${size}`)
  let p = HEADER
  const f64 = (n: number): Float64Array => {
    const a = new Float64Array(n)
    for (let i = 0; i < n; i++, p += 8) a[i] = view.getFloat64(p, true)
    return a
  }
  const i32 = (n: number): Int32Array => {
    const a = new Int32Array(n)
    for (let i = 0; i < n; i++, p += 4) a[i] = view.getInt32(p, true)
    return a
  }
  const baseMargin = f64(nOutputs)
  const treeStart = i32(nTrees)
  const treeOutput = i32(nTrees)
  const feature = i32(nNodes)
  const threshold = f64(nNodes)
  const left = i32(nNodes)
  const defaultLeft = bytes.slice(p, p + nNodes)
  p += nNodes
  const value = f64(nNodes)
  const model: TreeEnsemble = { nFeatures, nOutputs, baseMargin, treeStart, treeOutput, feature, threshold, left, defaultLeft, value }
  validateTreeEnsemble(model)
  return model
}

/**
 * Checks every index so a corrupt or hostile model cannot read out of bounds or loop forever; a
 * BundleError otherwise.
 * @example validateTreeEnsemble(ensemble)
 */
export function validateTreeEnsemble(m: TreeEnsemble): void {
  const nNodes = m.feature.length
  for (let t = 0; t < m.treeStart.length; t++) {
    const start = m.treeStart[t]
    if (start < 0 || start >= nNodes) throw new BundleError(`tree ${t} starts at node ${start}, outside 0..${nNodes - 1}`)
    if (m.treeOutput[t] < 0 || m.treeOutput[t] >= m.nOutputs) throw new BundleError(`tree ${t} writes output ${m.treeOutput[t]}`)
  }
  for (let n = 0; n < nNodes; n++) {
    const l = m.left[n]
    if (l < 0) continue
    // Children always come after their parent, so descent terminates.
    if (l <= n || l + 1 >= nNodes) throw new BundleError(`node ${n} has children ${l}, ${l + 1} out of order`)
    if (m.feature[n] < 0 || m.feature[n] >= m.nFeatures) throw new BundleError(`node ${n} splits on feature ${m.feature[n]}`)
    if (m.defaultLeft[n] > 1) throw new BundleError(`node ${n} has default direction ${m.defaultLeft[n]}`)
  }
}
