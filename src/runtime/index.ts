/**
 * The inference runtime: isomorphic (web-standard APIs only, no Node-only import), so it runs in
 * Node, browsers and serverless JavaScript runtimes alike. From a `model.tar.gz` held as bytes to
 * predictions: the bundle reader (checked gunzip, ustar, sha256, manifest and state codecs), the
 * members' predictors (tree ensembles, oblivious trees, linear models, bags) and the fitted blends,
 * the feature aligner and the input mapping of request rows.
 * @example
 * import { EnsemblePredictor } from 'consort/runtime'
 * const model = await EnsemblePredictor.fromBytes(new Uint8Array(await (await fetch('/model.tar.gz')).arrayBuffer()))
 * const p = model.predict(model.frameFromRows([{ age: 0.03, sex: 'F', bmi: 0.06 }]))
 */
export { BundleError, ConsortError, DataError, ParamError, ERROR_CODES, type ErrorCode, type Location } from '../errors.js'
export { EnsemblePredictor, type MemberPredictions } from './predictor.js'
export { InputMapper, type InputRow, type RowsOptions } from './input.js'
export { FeatureAligner } from './align.js'
export { readBundle, verifyBundle, type LoadedBundle, type ReadBundleOptions } from './bundle/read.js'
export { encodeJsonBundle, JSON_BUNDLE_FORMAT, JSON_BUNDLE_VERSION, readJsonBundle, type JsonBundle } from './bundle/json.js'
export { DEFAULT_MAX_BYTES, gunzipChecked, type GunzipOptions } from './bundle/gunzip.js'
export { unpackTar, type TarFile } from './bundle/tar.js'
export { decodeManifest, encodeManifest, FORMAT_VERSION, MANIFEST_FILE, type BlenderEntry, type FeatureEntry, type Manifest, type MemberEntry, type Provenance } from './bundle/manifest.js'
export { decodeState, encodeState, type Dtype } from './bundle/state-codec.js'
export { modelFromState, modelKinds, registerModelKind, type ModelLoader } from './models/registry.js'
export type { Model, ModelState } from './models/types.js'
export { GbdtModel, type GbdtState } from './models/gbdt.js'
export { ObliviousModel, type ObliviousState } from './models/oblivious.js'
export { ForestModel, type ForestKind, type ForestState } from './models/forest.js'
export { LinearModel, type LinearFitInfo, type LinearState } from './models/linear.js'
export { BaggedModel, type BaggedState } from './models/bagged.js'
export { blenderFromState, blendKinds, registerBlendKind, type BlendLoader } from './blend/registry.js'
export type { BlendModel, BlendState } from './blend/types.js'
export { MeanBlend, type MeanState } from './blend/mean.js'
export { WeightedBlend, type WeightedState, type WeightingMethod } from './blend/weighted.js'
export { metaFrame, StackBlend, type StackState } from './blend/stack.js'
export { hardVote, VoteBlend, type VoteState, type Voting } from './blend/vote.js'
export { decodeTreeEnsemble, encodeTreeEnsemble, TREE_ENSEMBLE_FORMAT_VERSION, validateTreeEnsemble } from './codec.js'
export { applyLink, type Link, LINKS, softmaxInPlace } from './link.js'
export { featureColumns, predictFrameMargins, writeRowMajor } from './predict-frame.js'
export { activeTreeKernel, predictMargins, predictMarginsReference, setTreeKernel, treeCount, type TreeEnsemble, type TreeKernel } from './tree-ensemble.js'
export { type LinearInput, type LinearPredictor, linearMargins, linearMarginsRows, predictLinear, predictLinearRows } from './linear.js'
export { type ObliviousEnsemble, predictObliviousMargins } from './oblivious.js'
export { decodeOblivious, encodeOblivious, OBLIVIOUS_FORMAT_VERSION, validateOblivious } from './oblivious-codec.js'
