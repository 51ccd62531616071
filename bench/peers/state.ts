/** The peers' "storage": the start states the driver wrote, picked by document name. */
import fs from 'node:fs'
import path from 'node:path'
import { STATE_FILES, TRACE_PREFIX } from '../lib/fixtures.ts'

const dir = process.env.BENCH_STATE_DIR
if (!dir) throw new Error('BENCH_STATE_DIR is not set')
const card = new Uint8Array(fs.readFileSync(path.join(dir, STATE_FILES.card)))
const traceFile = path.join(dir, STATE_FILES.trace)
const trace = fs.existsSync(traceFile) ? new Uint8Array(fs.readFileSync(traceFile)) : card

/** The stored state of a document: what a persistence layer would hand back on load. */
export function storedState(documentName: string): Uint8Array {
  return documentName.startsWith(TRACE_PREFIX) ? trace : card
}
