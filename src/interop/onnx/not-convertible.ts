/**
 * Why a graph valid for ONNX has no exact native form in consort (an EQ split, a MIN aggregate, a
 * LOGISTIC one-vs-rest classifier...). Not a user error: the importer catches it and keeps the
 * graph as an `onnx` member run by onnxruntime instead, recording the reason.
 * @example throw new NotConvertible("node mode 'BRANCH_EQ' has no single-threshold form")
 */
export class NotConvertible extends Error {
  constructor(reason: string) {
    super(reason)
    this.name = 'NotConvertible'
  }
}
