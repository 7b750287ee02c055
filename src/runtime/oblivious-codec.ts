/**
 * Compact, versioned binary form of an {@link ObliviousEnsemble}: a fixed header, the inputs
 * (names and categories) as UTF-8 JSON, then the typed arrays little-endian. Round-trips exactly
 * (float64 stored bit for bit) and validates every index on decode, so a corrupt or hostile file
 * cannot read out of bounds. No Node-only imports.
 *
 * Layout: magic "COB1" | u32 version | u32 inputsBytes | u32 nFeatures | u32 nTables |
 * u32 nTableInputs | u32 nKeys | u32 nStats | u32 nOutputs | u32 nTrees | u32 nSplits |
 * u32 nLeafValues | inputs JSON | u8 featureKind | i32 featureInput | i32 featureArg |
 * f64 featurePrior | i32 tableInputStart[nTables + 1] | i32 tableInputs | i32 tableStart[nTables + 1] |
 * f64 tableKeys | f64 tableCounts | f64 tableSums[nKeys x nStats] | f64 baseMargin | i32 treeDepth |
 * i32 splitFeature | f64 splitThreshold | f64 leafValues
 */
import { BundleError } from '../errors.js'
import { FeatureKind, type ObliviousEnsemble, type ObliviousInput, treeOffsets } from './oblivious.js'

const MAGIC = [0x43, 0x4f, 0x42, 0x31] // "COB1"
export const OBLIVIOUS_FORMAT_VERSION = 1
const HEADER = 48
/** Deeper trees would need more leaves than a model can sensibly hold. */
const MAX_DEPTH = 16

/** @example const bytes = encodeOblivious(ensemble); decodeOblivious(bytes) */
export function encodeOblivious(m: ObliviousEnsemble): Uint8Array {
  const inputs = new TextEncoder().encode(JSON.stringify(m.inputs))
  const nF = m.featureKind.length
  const nTables = m.tableInputStart.length - 1
  const counts = [OBLIVIOUS_FORMAT_VERSION, inputs.length, nF, nTables, m.tableInputs.length, m.tableKeys.length, m.nStats, m.nOutputs,
    m.treeDepth.length, m.splitFeature.length, m.leafValues.length]
  const size = byteSize(counts)
  const bytes = new Uint8Array(size)
  const view = new DataView(bytes.buffer)
  bytes.set(MAGIC, 0)
  counts.forEach((v, i) => view.setUint32(4 + 4 * i, v, true))
  let p = HEADER
  bytes.set(inputs, p)
  p += inputs.length
  bytes.set(m.featureKind, p)
  p += nF
  const i32 = (a: Int32Array) => {
    for (let i = 0; i < a.length; i++, p += 4) view.setInt32(p, a[i], true)
  }
  const f64 = (a: Float64Array) => {
    for (let i = 0; i < a.length; i++, p += 8) view.setFloat64(p, a[i], true)
  }
  i32(m.featureInput)
  i32(m.featureArg)
  f64(m.featurePrior)
  i32(m.tableInputStart)
  i32(m.tableInputs)
  i32(m.tableStart)
  f64(m.tableKeys)
  f64(m.tableCounts)
  f64(m.tableSums)
  f64(m.baseMargin)
  i32(m.treeDepth)
  i32(m.splitFeature)
  f64(m.splitThreshold)
  f64(m.leafValues)
  return bytes
}

function byteSize(c: number[]): number {
  const [, inputs, nF, nTables, nTableInputs, nKeys, nStats, nOutputs, nTrees, nSplits, nLeaves] = c
  return HEADER + inputs + nF * (1 + 4 + 4 + 8) + 4 * (nTables + 1) * 2 + 4 * nTableInputs + 8 * nKeys * (2 + nStats) + 8 * nOutputs +
    4 * nTrees + 12 * nSplits + 8 * nLeaves
}

/**
 * Decodes and validates bytes written by {@link encodeOblivious}; any inconsistency is a
 * BundleError (code `unsupported_bundle_version` for a newer layout).
 * @example const ensemble = decodeOblivious(state.ensemble)
 */
export function decodeOblivious(bytes: Uint8Array): ObliviousEnsemble {
  if (bytes.length < HEADER || MAGIC.some((b, i) => bytes[i] !== b)) throw new BundleError('not an oblivious ensemble (bad magic)')
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const counts = Array.from({ length: 11 }, (_, i) => view.getUint32(4 + 4 * i, true))
  const [version, inputBytes, nF, nTables, nTableInputs, nKeys, nStats, nOutputs, nTrees, nSplits, nLeaves] = counts
  if (version > OBLIVIOUS_FORMAT_VERSION) throw new BundleError(`oblivious ensemble version ${version} is newer than this version of consort reads (${OBLIVIOUS_FORMAT_VERSION}); upgrade consort`, {}, 'unsupported_bundle_version')
  if (version !== OBLIVIOUS_FORMAT_VERSION) throw new BundleError(`unsupported oblivious ensemble version ${version}`)
  const size = byteSize(counts)
  if (bytes.length !== size) throw new BundleError(`oblivious ensemble is ${bytes.length} bytes, expected ${size}`)
  let p = HEADER
  const inputs = parseInputs(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(p, p + inputBytes)))
  p += inputBytes
  const featureKind = bytes.slice(p, p + nF)
  p += nF
  const i32 = (n: number): Int32Array => {
    const a = new Int32Array(n)
    for (let i = 0; i < n; i++, p += 4) a[i] = view.getInt32(p, true)
    return a
  }
  const f64 = (n: number): Float64Array => {
    const a = new Float64Array(n)
    for (let i = 0; i < n; i++, p += 8) a[i] = view.getFloat64(p, true)
    return a
  }
  const model: ObliviousEnsemble = {
    inputs,
    featureKind,
    featureInput: i32(nF),
    featureArg: i32(nF),
    featurePrior: f64(nF),
    tableInputStart: i32(nTables + 1),
    tableInputs: i32(nTableInputs),
    tableStart: i32(nTables + 1),
    tableKeys: f64(nKeys),
    tableCounts: f64(nKeys),
    tableSums: f64(nKeys * nStats),
    nStats,
    nOutputs,
    baseMargin: f64(nOutputs),
    treeDepth: i32(nTrees),
    splitFeature: i32(nSplits),
    splitThreshold: f64(nSplits),
    leafValues: f64(nLeaves),
  }
  validateOblivious(model)
  return model
}

function parseInputs(text: string): ObliviousInput[] {
  const raw: unknown = JSON.parse(text)
  if (!Array.isArray(raw)) throw new BundleError('oblivious inputs must be an array')
  return raw.map((r: unknown, i) => {
    if (typeof r !== 'object' || r === null || typeof (r as { name?: unknown }).name !== 'string') throw new BundleError(`input ${i} has no name`)
    const { name, categories } = r as { name: string; categories?: unknown }
    if (categories === undefined) return { name }
    if (!Array.isArray(categories) || categories.some((c) => typeof c !== 'string')) throw new BundleError(`input '${name}' has bad categories`)
    return { name, categories: categories as string[] }
  })
}

/**
 * Checks every index and size so evaluation cannot read out of bounds; a BundleError otherwise.
 * @example validateOblivious(ensemble)
 */
export function validateOblivious(m: ObliviousEnsemble): void {
  const nF = m.featureKind.length
  const nInputs = m.inputs.length
  const nTables = m.tableInputStart.length - 1
  if (m.nOutputs < 1 || m.baseMargin.length !== m.nOutputs) throw new BundleError('bad output count')
  if (m.featureInput.length !== nF || m.featureArg.length !== nF || m.featurePrior.length !== nF) throw new BundleError('feature arrays differ in length')
  for (let f = 0; f < nF; f++) {
    const kind = m.featureKind[f]
    const input = m.featureInput[f]
    if (kind === FeatureKind.Numeric) {
      if (input < 0 || input >= nInputs || m.inputs[input].categories) throw new BundleError(`feature ${f} reads input ${input}, not a numeric input`)
    } else if (kind === FeatureKind.OneHot) {
      if (input < 0 || input >= nInputs || !m.inputs[input].categories) throw new BundleError(`feature ${f} reads input ${input}, not a categorical input`)
    } else if (kind === FeatureKind.Ctr) {
      if (input < 0 || input >= nTables) throw new BundleError(`feature ${f} reads CTR table ${input} of ${nTables}`)
      if (m.featureArg[f] < 0 || m.featureArg[f] >= m.nStats) throw new BundleError(`feature ${f} reads statistic ${m.featureArg[f]} of ${m.nStats}`)
    } else throw new BundleError(`feature ${f} has kind ${kind}`)
  }
  const ascending = (a: Int32Array, end: number, what: string) => {
    if (a.length !== nTables + 1 || a[0] !== 0 || a[nTables] !== end) throw new BundleError(`${what} offsets do not cover the data`)
    for (let t = 0; t < nTables; t++) if (a[t + 1] < a[t]) throw new BundleError(`${what} offsets are not ascending`)
  }
  ascending(m.tableInputStart, m.tableInputs.length, 'table input')
  ascending(m.tableStart, m.tableKeys.length, 'table key')
  for (const input of m.tableInputs) if (input < 0 || input >= nInputs || !m.inputs[input].categories) throw new BundleError(`a CTR table reads input ${input}, not a categorical input`)
  if (m.tableCounts.length !== m.tableKeys.length || m.tableSums.length !== m.tableKeys.length * m.nStats) throw new BundleError('table arrays differ in length')
  for (let t = 0; t < nTables; t++) {
    for (let j = m.tableStart[t] + 1; j < m.tableStart[t + 1]; j++) if (!(m.tableKeys[j] > m.tableKeys[j - 1])) throw new BundleError(`CTR table ${t} keys are not ascending`)
  }
  for (const d of m.treeDepth) if (d < 0 || d > MAX_DEPTH) throw new BundleError(`tree depth ${d} outside 0..${MAX_DEPTH}`)
  const { splitStart, leafStart } = treeOffsets(m)
  const nTrees = m.treeDepth.length
  if (splitStart[nTrees] !== m.splitFeature.length || m.splitThreshold.length !== m.splitFeature.length) throw new BundleError('split arrays do not match the tree depths')
  if (leafStart[nTrees] !== m.leafValues.length) throw new BundleError('leaf values do not match the tree depths')
  for (const f of m.splitFeature) if (f < 0 || f >= nF) throw new BundleError(`a split reads feature ${f} of ${nF}`)
}
