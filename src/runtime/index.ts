/**
 * The inference runtime: isomorphic (no Node-only imports), so it runs in Node, browsers and
 * serverless JavaScript runtimes alike: tree-ensemble, oblivious-tree and linear evaluation, output
 * links, model decoding.
 */
export { decodeTreeEnsemble, encodeTreeEnsemble, TREE_ENSEMBLE_FORMAT_VERSION, validateTreeEnsemble } from './codec.js'
export { applyLink, type Link, softmaxInPlace } from './link.js'
export { featureColumns, predictFrameMargins, writeRowMajor } from './predict-frame.js'
export { predictMargins, treeCount, type TreeEnsemble } from './tree-ensemble.js'
export { type LinearInput, type LinearPredictor, linearMargins, linearMarginsRows, predictLinear, predictLinearRows } from './linear.js'
export { type ObliviousEnsemble, predictObliviousMargins } from './oblivious.js'
export { decodeOblivious, encodeOblivious, OBLIVIOUS_FORMAT_VERSION, validateOblivious } from './oblivious-codec.js'
