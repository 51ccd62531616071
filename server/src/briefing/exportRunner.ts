/**
 * Runs exports in a worker thread (exportWorker.ts), so that the rooms' event loop never waits
 * for a book to be laid out. One worker, started at the first export and kept; requests are
 * told apart by a number. If the worker dies, every export in it fails with that error and the
 * next export starts a new worker.
 */
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { Worker } from 'node:worker_threads'
import type { Logger } from '../collab/types.ts'
import type { ExportFile, ExportRequest } from './exportFiles.ts'

export type WorkerSettings = { dataDir: string; marking: string; timeZone: string }

/** What the worker sends back. */
export type WorkerReply =
  | { kind: 'progress'; id: number; done: number; total: number }
  | { kind: 'file'; id: number; file: ExportFile }
  | { kind: 'missing'; id: number }
  | { kind: 'failed'; id: number; message: string }
  | { kind: 'log'; level: 'info' | 'warn' | 'error'; obj: object; msg: string }

type Pending = {
  resolve: (file: ExportFile | null) => void
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
    const worker = this.started()
    const id = this.nextId++
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, progress })
      worker.postMessage({ id, request })
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
