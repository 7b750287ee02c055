/**
 * Teaching the model registry the Node-only `onnx` kind. runtime/ stays isomorphic, so the kind
 * is registered from here, by the front doors at start-up and by the importer.
 */
import { modelKinds, registerModelKind } from '../../runtime/models/registry.js'
import { OnnxModel, type OnnxState } from './onnx-model.js'

/**
 * Registers the `onnx` model kind once; later calls do nothing.
 * @example registerOnnxModelKind(); modelFromState(onnxState) // an OnnxModel
 */
export function registerOnnxModelKind(): void {
  if (modelKinds().includes('onnx')) return
  registerModelKind('onnx', (s) => OnnxModel.fromState(s as OnnxState))
}
