/**
 * consort's public API. The jobs mirror the CLI: `train` (consort train), `tune` (consort tune),
 * `batchTransform` (consort predict), `LoadedEnsemble` and `inspectBundle` (consort inspect), `TrackingStore`
 * (consort jobs). Below them: frames and readers, binning, folds, metrics, the learner and
 * blender registries, and the isomorphic inference runtime.
 * @example
 * import { train, LoadedEnsemble, readFrame } from 'consort'
 * const result = await train('ensemble.yaml', { set: ['cv.folds=3'] })
 * const model = await LoadedEnsemble.load(result.artifact)
 * const pred = model.predict(await readFrame('new.csv', { types: model.columnTypes }))
 */
export { BundleError, ConsortError, DataError, ERROR_CODES, ParamError, type ErrorCode, type Location } from './errors.js'
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
export { setTrainingKernels, trainingKernels, type TrainingKernels } from './learners/kernel-choice.js'
export { PredictPool } from './exec/predict-pool.js'
export * as runtime from './runtime/index.js'
export { train, type TrainJobOptions, type TrainJobResult } from './jobs/train-job.js'
export { crossValidate, trainEnsemble, type CrossValidateOptions, type TrainEvent, type TrainOptions, type TrainResult } from './jobs/train.js'
export { binForMembers, prepare, type DataSpec, type PreparedData } from './jobs/prepare.js'
export { blendAndScore, saveEnsemble, type ScoredEnsemble } from './jobs/finish.js'
export { memberPlans } from './jobs/members.js'
export { tune, type BestTrial, type TuneEvent, type TuneOptions, type TuneResult, type TrialCounters } from './jobs/tune/tune-job.js'
export { loadTuningSpec, parseTuningSpec, type TuningSpec } from './jobs/tune/spec.js'
export { LocalExecutor, type LocalExecutorOptions } from './jobs/tune/local-executor.js'
export type { Executor, TrialControl, TrialResult, TrialTask } from './jobs/tune/executor.js'
export { MemberCache } from './ensemble/member-cache.js'
export {
  completionCheck,
  createSpace,
  createStudy,
  getPruner,
  getStrategy,
  optimize,
  registerStrategy,
  Study,
  Trial,
  type Objective,
  type OptimizeOptions,
  type OptimizeResult,
  type ParameterRange,
  type Params,
  type Pruner,
  type Strategy,
  type StudyOptions,
  type TrialView,
} from './tune/index.js'
export { formatResources, type Resources } from './jobs/resources.js'
export { runScript, ScriptFailedError, type RunScriptOptions, type ScriptResult } from './jobs/script/index.js'
export {
  applyOverrides,
  bindHyperparameters,
  loadSpec,
  parseSpec,
  parseSpecText,
  type EnsembleSpec,
  type EstimatorSpec,
  type MembersSpec,
  type ScriptSpec,
} from './jobs/spec/index.js'
export { batchTransform, DEFAULT_CHUNK_ROWS, outputFormatOf, type TransformOptions, type TransformResult } from './jobs/transform.js'
export { defaultExportPath, EXPORT_FORMATS, exportModel, type ExportFormat, type ExportResult } from './jobs/export.js'
export { exportOnnx, INPUT_NAME as ONNX_INPUT_NAME, OUTPUT_NAME as ONNX_OUTPUT_NAME, type ExportOnnxOptions } from './interop/export/onnx.js'
export { onnxInput } from './interop/export/input.js'
export { LoadedEnsemble } from './ensemble/loaded.js'
export { FeatureAligner } from './runtime/align.js'
export { predictionColumns, PredictionText, type PredictionFormat } from './ensemble/prediction-text.js'
export { outOfFold, type FitEvent, type FitProgressEvent, type MemberOof, type MemberPlan, type OofOptions } from './ensemble/oof.js'
export { crossFitBlend } from './ensemble/blend-oof.js'
export { BaggedModel } from './runtime/models/bagged.js'
export { blenderKinds, getBlender, registerBlender, type Blender, type BlenderSpec } from './ensemble/blenders/index.js'
export { blenderFromState } from './runtime/blend/registry.js'
export type { BlendModel } from './runtime/blend/types.js'
export { readFrameChunks, type ChunkReadOptions } from './data/read-chunks.js'
export { inspectBundle, loadBundle, saveBundle, type LoadedBundle, type Manifest } from './store/artifact/index.js'
export { TrackingStore, type JobRecord, type JobStatus, type TrialOutcome, type TrialRecord } from './store/tracking/store.js'
export { writeFileAtomic, writeJsonAtomic } from './store/atomic-write.js'
