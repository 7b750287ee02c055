/**
 * The serving app's public API (`consort/server`): build the app, run it on Node, or hand its
 * `fetch` to any runtime; endpoints, handlers, errors and metrics for those who compose their own.
 * @example
 * import { createApp, startServer } from 'consort/server'
 * const app = createApp({ model: 'model.tar.gz' })
 * await app.ready()
 * await startServer(app, { port: 8080 })
 */
export { createApp, DEFAULT_BODY_LIMIT, DEFAULT_TIMEOUT_MS, type AppOptions, type ServingApp } from './app.js'
export { startServer, defaultPort, type ListenOptions, type RunningServer } from './node.js'
export { ServedModel, type Prediction } from './served-model.js'
export { Endpoint, type EndpointEvent, type EndpointSettings, type EndpointStats } from './endpoint.js'
export { EndpointRegistry, type EndpointStore, type EndpointView, type RegistryOptions } from './registry.js'
export { parseEndpointConfig, checkEndpointConfig, checkEndpointName, ENDPOINT_LIMITS, type EndpointConfig } from './endpoint-config.js'
export { resolveModelRef, type JobLookup } from './model-ref.js'
export { estimateMemory, RUNTIME_MB, type MemoryEstimate } from './memory.js'
export { defaultInput, defaultOutput, defaultPredict, resolveHandlers, type Handlers, type InvocationContext } from './handlers.js'
export { encodePrediction, type Encoded } from './output.js'
export { errorResponse, describeError, HttpError, ERROR_STATUS, LIBRARY_CODE_STATUS, type ServerErrorCode } from './errors.js'
export { ServerMetrics } from './metrics.js'
export { createLogger, silentLogger, type Logger, type LogLevel } from './logger.js'
export { MicroBatcher, type BatchingOptions } from './batcher.js'
