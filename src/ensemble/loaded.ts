/**
 * A trained ensemble loaded from a `model.tar.gz` file: the runtime's {@link EnsemblePredictor}
 * (members, fitted blend, feature list, input mapping) plus reading the file and naming the
 * prediction's output columns. Batch transform and the endpoint share this class, so prediction
 * has one path, the runtime's, whether the bytes come from a file, an upload or a fetch.
 */
import { readBundle, type LoadedBundle, type ReadBundleOptions } from '../runtime/bundle/read.js'
import { EnsemblePredictor } from '../runtime/predictor.js'
import { readArtifactBytes, type ReadArtifactOptions } from '../store/artifact/file.js'
import { predictionColumns } from './prediction-text.js'

/**
 * A loaded model bundle: predicts frames with every member and blends their predictions.
 * @example
 * const model = await LoadedEnsemble.load('model.tar.gz')
 * const pred = model.predict(await readFrame('new.csv', { types: model.columnTypes }), 'new.csv')
 * model.outputColumns // ['prediction'] for regression
 */
export class LoadedEnsemble extends EnsemblePredictor {
  /**
   * Builds the ensemble from a bundle already read and verified by `loadBundle` or `readBundle`.
   * A bundle whose parts disagree (member count, task, outputs) is a BundleError naming `file`
   * when given.
   * @example
   * const model = LoadedEnsemble.fromBundle(await loadBundle('model.tar.gz'), 'model.tar.gz')
   */
  static fromBundle(bundle: LoadedBundle, file?: string): LoadedEnsemble {
    return new LoadedEnsemble(bundle, file)
  }

  /**
   * Reads, verifies and loads a `model.tar.gz` file. A file that cannot be read is a DataError
   * (code `not_found` when it is not there); a bundle that fails a check is a BundleError.
   * @example
   * const model = await LoadedEnsemble.load('out/model.tar.gz')
   */
  static async load(path: string, options: ReadArtifactOptions = {}): Promise<LoadedEnsemble> {
    return LoadedEnsemble.fromBytes(await readArtifactBytes(path, options), { maxBytes: options.maxBytes, file: path })
  }

  /**
   * Verifies and loads a `model.tar.gz` held in memory (an upload, a fetch); `options.file` names
   * it in errors. Any fault is a BundleError.
   * @example
   * const model = await LoadedEnsemble.fromBytes(bytes, { file: 'upload' })
   */
  static override async fromBytes(bytes: Uint8Array, options: ReadBundleOptions = {}): Promise<LoadedEnsemble> {
    return new LoadedEnsemble(await readBundle(bytes, options), options.file)
  }

  /** Names of the prediction's columns when written out (see `predictionColumns`). */
  get outputColumns(): string[] {
    return predictionColumns(this.task, this.nOutputs)
  }
}
