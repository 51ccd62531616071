/**
 * The export worker's thread: it opens its own connection to the store (SQLite readers do not
 * wait for the server's writer), makes each requested file (exportFiles.ts) and sends it back,
 * and reads Word files brought in for an import.
 * A PDF of sixty cards is seconds of layout: here it holds up nothing but other exports.
 */
import { parentPort, workerData } from 'node:worker_threads'
import type { Logger } from '../collab/types.ts'
import { openStorage } from '../store/openStore.ts'
import { BriefingBook } from './briefingBook.ts'
import { CardContentReader } from './cardContent.ts'
import { readDocx } from './docxRead.ts'
import { DocxImportError } from './docxZip.ts'
import { makeExportFile } from './exportFiles.ts'
import type { WorkerReply, WorkerRequest, WorkerSettings } from './exportRunner.ts'

const port = parentPort
if (!port) throw new Error('the export worker runs in a worker thread')
const settings = workerData as WorkerSettings
const send = (reply: WorkerReply, transfer: ArrayBuffer[] = []) => port.postMessage(reply, transfer)

/** Log lines go to the server's logger, in the main thread. */
const logger: Logger = {
  info: (obj, msg) => send({ kind: 'log', level: 'info', obj, msg: msg ?? '' }),
  warn: (obj, msg) => send({ kind: 'log', level: 'warn', obj, msg: msg ?? '' }),
  error: (obj, msg) => send({ kind: 'log', level: 'error', obj, msg: msg ?? '' }),
  debug: () => {},
}

const storage = await openStorage(settings)
const briefing = new BriefingBook(
  storage.repository,
  new CardContentReader(storage.documents, logger),
  { marking: settings.marking, timeZone: settings.timeZone },
)

/** Reads a Word file for an import; a file that cannot be imported is refused with its code. */
function read(id: number, bytes: Uint8Array): void {
  try {
    send({ kind: 'word', id, word: readDocx(bytes) })
  } catch (error) {
    if (error instanceof DocxImportError) {
      send({ kind: 'refused', id, code: error.code, message: error.message })
    } else {
      send({
        kind: 'failed',
        id,
        message: error instanceof Error ? (error.stack ?? '') : String(error),
      })
    }
  }
}

port.on('message', (message: WorkerRequest) => {
  if ('read' in message) {
    read(message.id, message.read)
    return
  }
  const { id, request } = message
  makeExportFile(briefing, request, (done, total) => send({ kind: 'progress', id, done, total }))
    .then((file) => {
      if (!file) {
        send({ kind: 'missing', id })
        return
      }
      // A buffer of its own (the writer's may be a view into a shared pool), moved to the main
      // thread rather than copied again.
      const bytes = new Uint8Array(file.bytes)
      send({ kind: 'file', id, file: { ...file, bytes } }, [bytes.buffer as ArrayBuffer])
    })
    .catch((error: unknown) => {
      send({
        kind: 'failed',
        id,
        message: error instanceof Error ? (error.stack ?? error.message) : String(error),
      })
    })
})
