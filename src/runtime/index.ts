/**
 * The inference runtime: isomorphic (no Node-only imports), so it runs in Node, browsers and
 * serverless JavaScript runtimes alike. Tree-ensemble evaluation, output links, model decoding.
 */
export { decodeTreeEnsemble, encodeTreeEnsemble, TREE_ENSEMBLE_FORMAT_VERSION, validateTreeEnsemble } from './codec.js'
export { applyLink, type Link, softmaxInPlace } from './link.js'
export { featureColumns, predictFrameMargins, writeRowMajor } from './predict-frame.js'
export { predictMargins, treeCount, type TreeEnsemble } from './tree-ensemble.js'
