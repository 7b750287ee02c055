import js from '@eslint/js'
import tseslint from 'typescript-eslint'

/**
 * The layer order of DESIGN.md, checked for every folder: imports point down only.
 *
 *   cli/ server/ ui/     front doors
 *   jobs/                orchestration
 *   interop/             other formats' models in (ONNX) and out, Node-side
 *   ensemble/ tune/      k-fold fits and blenders | search
 *   learners/            training only
 *   runtime/             inference only, isomorphic
 *   data/ metrics/       frames, readers | metric functions
 *   exec/ store/         worker threads | tracking database and artifact files
 *
 * plus shared leaves any layer may use: errors.ts, task.ts, rng.ts, text/ and math/ (which import
 * nothing above themselves). Each block below says what one folder must not import; a folder is in
 * exactly one block, since a later block setting the same rule would replace an earlier one.
 *
 * Tests (`*.test.ts`) and test helpers (`testing/`) are exempt: a test may build its fixtures with
 * higher layers (a store test trains a real model to save), and ships in no layer.
 */
const TESTS = ['**/*.test.ts', '**/testing/**']

/** A block forbidding `src/<folder>/**` files to import the `forbidden` gitignore-style groups. */
function layer(folders, forbidden, message) {
  return {
    files: folders.map((f) => `src/${f}/**/*.ts`),
    ignores: TESTS,
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group: forbidden, message }] }] },
  }
}

const above = (...folders) => folders.map((f) => `**/${f}/**`)

/**
 * runtime/ is an allow-list, not a deny-list: it must run in a browser or an edge runtime, so it
 * imports no package and no Node built-in at all, and of the rest of the project only the leaves
 * it needs, which tsconfig.runtime.json type-checks with it under web-standard globals only:
 * errors.ts and task.ts; text/ (name hints, cell text rules); data/frame.ts (the Frame type the
 * predictors read, with no imports of its own); metrics/labels.ts (the argmax rule the vote shares
 * with the metrics). Relative paths differ by depth, hence one pattern per depth.
 */
const RUNTIME_LEAVES = '(?:errors\\.js|task\\.js|text/[^/]+\\.js|data/frame\\.js|metrics/labels\\.js)$'
function runtimeDepth(files, up) {
  return {
    files,
    ignores: TESTS,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '^(?!\\.)', message: 'runtime/ is isomorphic: no package and no Node built-in.' },
            { regex: `^${up}(?!${RUNTIME_LEAVES})`, message: 'runtime/ imports nothing outside runtime/ but errors.ts, task.ts, text/, data/frame.ts and metrics/labels.ts.' },
          ],
        },
      ],
    },
  }
}

export default tseslint.config(
  { ignores: ['dist/**', 'bench/.build/**', 'node_modules/**', 'coverage/**', '.consort/**', 'wasm/**/*.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { console: 'readonly', process: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  // The dashboard's pages run in the browser: plain ES modules with the browser's globals.
  {
    files: ['src/ui/assets/**/*.js'],
    languageOptions: {
      sourceType: 'module',
      globals: Object.fromEntries(
        ['window', 'document', 'location', 'fetch', 'getComputedStyle', 'matchMedia', 'localStorage', 'URLSearchParams', 'EventSource', 'Event', 'Node', 'confirm', 'queueMicrotask'].map((g) => [g, 'readonly']),
      ),
    },
  },
  // Front doors: the CLI may start the server (consort serve), never the other way round.
  layer(['server', 'ui'], above('cli'), 'server/ and ui/ are front doors beside cli/; they do not import it.'),
  // Orchestration runs below the front doors.
  layer(['jobs'], above('cli', 'server', 'ui'), 'jobs/ must not import a front door (cli/, server/, ui/).'),
  // interop/ converts other formats' models into runtime models and registers Node-side model kinds:
  // it may use runtime/ and data/, and is imported by jobs/ and the front doors, never the reverse.
  layer(['interop'], above('learners', 'ensemble', 'tune', 'jobs', 'cli', 'server', 'ui'), 'interop/ may import runtime/, data/ and the shared leaves only; jobs/ and the front doors import it.'),
  // Ensembles and tuning are independent concerns on one level: neither imports the other, nor anything above.
  layer(['ensemble'], above('tune', 'jobs', 'cli', 'server', 'ui'), 'ensemble/ must not import tune/, jobs/ or a front door.'),
  layer(['tune'], above('ensemble', 'jobs', 'cli', 'server', 'ui'), 'tune/ must not import ensemble/, jobs/ or a front door.'),
  // Learners train; they may run threads (exec/) and build runtime models, but know nothing of ensembles, jobs or storage.
  layer(['learners'], above('ensemble', 'tune', 'jobs', 'store', 'cli', 'server', 'ui'), 'learners/ is training only: no ensemble/, tune/, jobs/, store/ or front door.'),
  // runtime/: see RUNTIME_LEAVES above. Top-level files reach the rest of src with '../', nested ones with '../../'.
  runtimeDepth(['src/runtime/*.ts'], '\\.\\./'),
  runtimeDepth(['src/runtime/*/*.ts'], '\\.\\./\\.\\./'),
  runtimeDepth(['src/runtime/*/*/**/*.ts'], '(?:\\.\\./){3}'),
  // Data and metrics are below every model: they read and score, and know no learner, runtime or job.
  layer(
    ['data', 'metrics'],
    above('runtime', 'learners', 'ensemble', 'tune', 'jobs', 'interop', 'exec', 'store', 'cli', 'server', 'ui'),
    'data/ and metrics/ must not import a higher layer, nor exec/ or store/ below them.',
  ),
  // The bottom layer. exec/ runs threads and store/ keeps records and artifact files for the layers above;
  // neither knows learners or data. Both may use runtime/, a self-contained isomorphic leaf (it imports
  // nothing but leaves, so no cycle can form): the prediction pool runs its tree predictor, and the store
  // writes bundles in its format. data/frame.ts, an import-free type module, is shared the same way.
  layer(
    ['exec', 'store'],
    [...above('learners', 'data', 'metrics', 'ensemble', 'tune', 'jobs', 'interop', 'cli', 'server', 'ui'), '!**/data/frame.js'],
    'exec/ and store/ are the bottom layer: no learners/, data/ (but data/frame.ts), metrics/ or anything above.',
  ),
  // Shared leaves import no layer at all: the root files any layer uses, text/ and math/.
  {
    files: ['src/errors.ts', 'src/task.ts', 'src/rng.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ regex: '^(?:\\./[^/]+/|[^.])', message: 'errors.ts, task.ts and rng.ts are shared leaves: they import no layer and no package.' }] }] },
  },
  layer(['text', 'math'], above('runtime', 'data', 'metrics', 'learners', 'ensemble', 'tune', 'jobs', 'exec', 'store', 'cli', 'server', 'ui'), 'text/ and math/ are shared leaves: they import no layer.'),
)
