/**
 * The model artifact `model.tar.gz` on disk: a gzipped ustar of `manifest.json` and one state
 * file per member, written atomically and read back through the runtime's bundle reader, which
 * checks every name, type, size and hash.
 */
export { inspectBundle, loadBundle, saveBundle, type BundleInput, type LoadedBundle, type ManifestInput, type MemberInput } from './bundle.js'
export { DEFAULT_MAX_BYTES, readArtifact, readArtifactBytes, writeArtifact, type ReadArtifactOptions, type WriteArtifactOptions } from './file.js'
export { FORMAT_VERSION, MANIFEST_FILE, type BlenderEntry, type FeatureEntry, type Manifest, type MemberEntry, type Provenance } from '../../runtime/bundle/manifest.js'
export { decodeState, encodeState, type Dtype } from '../../runtime/bundle/state-codec.js'
export type { TarFile } from '../../runtime/bundle/tar.js'
