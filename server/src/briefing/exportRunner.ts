/**
 * Runs exports, and the reading of imported Word files, in a worker thread (exportWorker.ts),
 * so that the rooms' event loop never waits for a book to be laid out or a file parsed. One worker, started at the first export and kept; requests are
 * told apart by a number. If the worker dies, every export in it fails with that error and the
 * next export starts a new worker.
 */
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { Worker } from 'node:worker_threads'
import type { Logger } from '../collab/types.ts'
import type { WordDocument } from './docxRead.ts'
import { type DocxErrorCode, DocxImportError } from './docxZip.ts'
import type { ExportFile, ExportRequest } from './exportTypes.ts'

export type WorkerSettings = {
  dataDir: string
  databaseUrl: string | null
  marking: string
  timeZone: string
}

/** What the worker sends back. */
export type WorkerReply =
  | { kind: 'progress'; id: number; done: number; total: number }
  | { kind: 'file'; id: number; file: ExportFile }
  | { kind: 'missing'; id: number }
  | { kind: 'failed'; id: number; message: string }
  | { kind: 'log'; level: 'info' | 'warn' | 'error'; obj: object; msg: string }
  | { kind: 'word'; id: number; word: WordDocument }
  | { kind: 'refused'; id: number; code: DocxErrorCode; message: string }

/** What the worker is asked. */
export type WorkerRequest =
  | { id: number; request: ExportRequest }
  | { id: number; read: Uint8Array }

type Pending = {
  resolve: (result: ExportFile | WordDocument | null) => void
  reject: (error: Error) => void
  progress: ((done: number, total: number) => void) | undefined
}

/**
 * The worker beside this module: compiled, its .js directly; from the sources (development and
 * tests under tsx), a bootstrap that registers tsx in the worker first, since a worker thread
 * does not inherit the loader hooks of the thread that starts it.
 */
function newWorker(workerData: WorkerSettings): Worker {
  const here = fileURLToPath(import.meta.url)
  const file = path.join(path.dirname(here), `exportWorker${path.extname(here)}`)
  if (path.extname(here) !== '.ts') return new Worker(file, { workerData })
  const tsx = import.meta.resolve('tsx/esm/api')
  const bootstrap = `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(pathToFileURL(file).href)}) })`
  return new Worker(bootstrap, { eval: true, workerData })
}

export class ExportRunner {
  private worker: Worker | null = null
  private readonly pending = new Map<number, Pending>()
  private nextId = 1

  constructor(
    private readonly settings: WorkerSettings,
    private readonly logger: Logger,
  ) {}

  /** The file; null when its card, deck or session is not there. */
  run(
    request: ExportRequest,
    progress?: (done: number, total: number) => void,
  ): Promise<ExportFile | null> {
    return this.ask({ id: this.nextId++, request }, progress) as Promise<ExportFile | null>
  }

  /**
   * A Word file read for an import (docxRead.ts): parsing several megabytes of XML takes
   * seconds, which the rooms must not wait for. Rejects with DocxImportError for a file that
   * cannot be imported, as reading it here would.
   */
  readWord(bytes: Uint8Array): Promise<WordDocument> {
    return this.ask({ id: this.nextId++, read: bytes }) as Promise<WordDocument>
  }

  private ask(
    message: WorkerRequest,
    progress?: (done: number, total: number) => void,
  ): Promise<ExportFile | WordDocument | null> {
    const worker = this.started()
    return new Promise((resolve, reject) => {
      this.pending.set(message.id, { resolve, reject, progress })
      worker.postMessage(message)
    })
  }

  /** Stops the worker (server shutdown); exports still running fail. */
  async close(): Promise<void> {
    const worker = this.worker
    this.worker = null
    if (worker) await worker.terminate()
  }

  private started(): Worker {
    if (this.worker) return this.worker
    const worker = newWorker(this.settings)
    worker.on('message', (reply: WorkerReply) => this.received(reply))
    worker.on('error', (error) => {
      this.logger.error({ err: error }, 'the export worker failed')
      this.failAll(worker, error)
    })
    worker.on('exit', (code) => {
      this.failAll(worker, new Error(`the export worker stopped (exit code ${code})`))
    })
    // An idle worker does not keep the process alive: shutdown never waits for it.
    worker.unref()
    this.worker = worker
    return worker
  }

  private received(reply: WorkerReply): void {
    if (reply.kind === 'log') {
      this.logger[reply.level](reply.obj, reply.msg)
      return
    }
    const pending = this.pending.get(reply.id)
    if (!pending) return
    if (reply.kind === 'progress') {
      pending.progress?.(reply.done, reply.total)
      return
    }
    this.pending.delete(reply.id)
    if (reply.kind === 'file') pending.resolve(reply.file)
    else if (reply.kind === 'word') pending.resolve(reply.word)
    else if (reply.kind === 'refused')
      pending.reject(new DocxImportError(reply.code, reply.message))
    else if (reply.kind === 'missing') pending.resolve(null)
    else pending.reject(new Error(`export failed in the worker: ${reply.message}`))
  }

  private failAll(worker: Worker, error: Error): void {
    if (this.worker === worker) this.worker = null
    const pending = [...this.pending.values()]
    this.pending.clear()
    for (const entry of pending) entry.reject(error)
  }
}
