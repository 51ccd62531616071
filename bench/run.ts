/**
 * `pnpm bench`: runs the benchmarks and prints a table; the JSON goes to bench/results/.
 * Today: the cost of the update policy (role validation). The comparison with peer servers is
 * the benchmark issue's work.
 */
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { runValidationBench } from './validation.ts'

const resultsDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results')

const validation = runValidationBench()
const lines = [
  '| scenario | card bytes | updates | median ms | p99 ms |',
  '|---|---|---|---|---|',
  ...validation.map(
    (r) =>
      `| policy check, ${r.role} keystroke | ${r.cardBytes} | ${r.updates} | ${r.medianMs.toFixed(3)} | ${r.p99Ms.toFixed(3)} |`,
  ),
]
process.stdout.write(`${lines.join('\n')}\n`)
fs.mkdirSync(resultsDir, { recursive: true })
const file = path.join(resultsDir, `bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`)
fs.writeFileSync(
  file,
  JSON.stringify({ at: new Date().toISOString(), node: process.version, validation }, null, 2),
)
process.stdout.write(`written ${path.relative(process.cwd(), file)}\n`)
