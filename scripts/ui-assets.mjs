// Part of `npm run build`: copies the dashboard's pages next to the compiled code (dist/ui/assets)
// and uPlot's module, stylesheet and licence into dist/ui/assets/vendor, so the package serves
// every file the dashboard needs with no uplot package installed and no request leaving the machine.
import { cpSync, mkdirSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const target = join(root, 'dist/ui/assets')
cpSync(join(root, 'src/ui/assets'), target, { recursive: true })
const uplot = dirname(createRequire(import.meta.url).resolve('uplot/package.json'))
mkdirSync(join(target, 'vendor'), { recursive: true })
for (const [from, to] of [
  ['dist/uPlot.esm.js', 'uPlot.esm.js'],
  ['dist/uPlot.min.css', 'uPlot.min.css'],
  ['LICENSE', 'uPlot.LICENSE'],
]) {
  cpSync(join(uplot, from), join(target, 'vendor', to))
}
