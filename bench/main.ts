/**
 * The benchmark command (`npm run bench`).
 *
 *   npm run bench                              the standard suite: a table of consort vs XGBoost
 *   npm run bench -- --quick --no-peer         a fast smoke run of the suite, consort only
 *   npm run -s bench -- gbdt --train a.csv --test b.csv --target y --set eta=0.1 --threads 2 --json
 *   npm run -s bench -- gbdt --data data/diabetes.csv --target target --folds 5 --repeats 3 --json
 *   npm run -s bench -- read --file big.csv --json
 *
 * With `--json` a run prints one JSON object on the last line of stdout; progress goes to stderr.
 * Exit codes: 0 success, 1 a run failed, 2 bad input or usage.
 */
import { relative, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { ConsortError } from '../src/errors.js'
import { parseLearnerArgs, parseReadArgs, parseSuiteArgs, USAGE } from './args.js'
import { runCv } from './cv.js'
import { runHoldout } from './holdout.js'
import { getLearner } from './learners.js'
import { runReadTiming } from './read-timing.js'
import { runSuite } from './suite.js'
import { saveSuiteJson, suiteJson, suiteMarkdown } from './suite-report.js'
import { nameValueLines } from './table.js'

/**
 * Runs the command `argv` names (the arguments after `bench/main.ts`) and returns its exit code.
 * @example
 * process.exitCode = await main(['gbdt', '--train', 'a.csv', '--test', 'b.csv', '--target', 'y', '--json'])
 */
export async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv
  try {
    if (command === '--help' || command === '-h') {
      console.log(USAGE)
    } else if (command === undefined || command.startsWith('-')) {
      const args = parseSuiteArgs(argv)
      const runs = await runSuite(args, (line) => console.error(line))
      console.error(`all fields of this run: ${relative(process.cwd(), saveSuiteJson(runs))}`)
      console.log(args.json ? JSON.stringify(suiteJson(runs)) : suiteMarkdown(runs))
    } else if (command === 'read') {
      const args = parseReadArgs(rest)
      print(await runReadTiming(args), args.json)
    } else {
      getLearner(command)
      const args = parseLearnerArgs(command, rest)
      print(args.mode === 'cv' ? await runCv(args) : await runHoldout(args), args.json)
    }
    return 0
  } catch (err) {
    if (err instanceof ConsortError) {
      console.error(`error: ${err.message}\n${USAGE}`)
      return 2
    }
    console.error(err instanceof Error ? (err.stack ?? err.message) : String(err))
    return 1
  }
}

function print(result: object, json: boolean): void {
  console.log(json ? JSON.stringify(result) : nameValueLines(result))
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  process.exitCode = await main(process.argv.slice(2))
}
