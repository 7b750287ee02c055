/**
 * The model artifact `model.tar.gz`: a gzipped ustar of `manifest.json` and one state file per
 * member, written atomically and read back with every name, type, size and hash checked.
 */
export { inspectBundle, loadBundle, saveBundle, type BundleInput, type LoadedBundle, type ManifestInput, type MemberInput } from './bundle.js'
export { DEFAULT_MAX_BYTES, readArtifact, writeArtifact, type ReadArtifactOptions, type WriteArtifactOptions } from './file.js'
export { FORMAT_VERSION, MANIFEST_FILE, type BlenderEntry, type FeatureEntry, type Manifest, type MemberEntry, type Provenance } from './manifest.js'
export { decodeState, encodeState, type Dtype } from './state-codec.js'
export type { TarFile } from './tar.js'
