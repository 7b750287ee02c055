/**
 * consort's public API: read data into a columnar {@link Frame}, bin it, train `gbdt`, predict,
 * and cross-validate.
 * @example
 * import { readFrame, dropColumns, getColumn, numericView, fitBins, binFrame, fitGbdt } from 'consort'
 * const frame = await readFrame('train.csv')
 * const x = dropColumns(frame, ['target'])
 * const model = await fitGbdt(binFrame(x, fitBins(x)), numericView(getColumn(frame, 'target')), { max_depth: 4 })
 * const pred = model.predict(x)
 */
export { ConsortError, DataError, ParamError, type Location } from './errors.js'
export { Rng } from './rng.js'
export {
  categoricalColumn,
  dropColumns,
  getColumn,
  makeFrame,
  numericColumn,
  numericView,
  takeRows,
  type CategoricalColumn,
  type Column,
  type ColumnType,
  type Field,
  type Frame,
  type NumericColumn,
  type Schema,
} from './data/frame.js'
export {
  formatOf,
  parseCsv,
  parseCsvStream,
  parseJsonl,
  parseJsonlStream,
  parseParquet,
  readFrame,
  type CsvOptions,
  type FrameFormat,
  type JsonlOptions,
  type ParquetOptions,
  type ReadOptions,
} from './data/read.js'
export { binFrame, fitBins, type BinMapper, type BinnedFrame } from './data/binning.js'
export { holdout, kFold, stratifiedKFold, type Fold } from './data/splits.js'
export { BUNDLED_NAMES, bundledDataset, type BundledDataset, type BundledName } from './data/bundled.js'
export { defaultMetric, getMetric, isBetter, METRIC_NAMES, type Direction, type Metric, type MetricName, type Task } from './metrics/registry.js'
export { fitGbdt, GbdtModel, gbdtAliases, gbdtParams, type GbdtFitOptions, type GbdtParams } from './learners/gbdt/index.js'
export {
  crossValidateGbdt,
  type CrossValidateOptions,
  type CrossValidationResult,
  type FoldScore,
} from './jobs/cross-validate.js'
export {
  getLearner,
  learnerKinds,
  modelFromState,
  parseLearnerParams,
  registerLearner,
  type FitContext,
  type LearnerSpec,
  type Model,
  type ModelState,
  type TrainingData,
} from './learners/index.js'
export { prepareTrainingData } from './learners/training-data.js'
export { PredictPool } from './exec/predict-pool.js'
export * as runtime from './runtime/index.js'
