/**
 * Deck exports run as jobs, so that the page can show how far one has come (a 60-card book
 * takes seconds): the browser starts one, asks for its progress, then downloads the file. The
 * plain `GET …/export.docx` stays for scripts; both make the file the same way.
 *
 * Jobs live in memory: a file nobody fetched within `ttlMs` is dropped, and one person runs at
 * most `perUser` at once (an export reads every card of the deck).
 */
import { randomBytes } from 'node:crypto'
import type { ExportFile } from './exportTypes.ts'

export type ExportProgress = { done: number; total: number }

type Job = {
  id: string
  userId: string
  deckId: string
  progress: ExportProgress
  state: 'running' | 'done' | 'failed'
  file: ExportFile | null
  error: string | null
  endedAt: number | null
}

export type ExportJobView = {
  id: string
  state: Job['state']
  done: number
  total: number
  fileName: string | null
  error: string | null
}

export class TooManyExports extends Error {}

export class ExportJobs {
  private readonly jobs = new Map<string, Job>()

  constructor(
    private readonly limits: { ttlMs: number; perUser: number },
    private readonly onFailure: (error: unknown, job: { id: string; deckId: string }) => void,
  ) {}

  /** Starts `make`, which reports its progress; returns the job's id at once. */
  start(
    userId: string,
    deckId: string,
    make: (progress: (update: ExportProgress) => void) => Promise<ExportFile>,
  ): string {
    this.sweep()
    const running = [...this.jobs.values()].filter(
      (job) => job.userId === userId && job.state === 'running',
    )
    if (running.length >= this.limits.perUser) throw new TooManyExports()
    const job: Job = {
      id: randomBytes(12).toString('base64url'),
      userId,
      deckId,
      progress: { done: 0, total: 0 },
      state: 'running',
      file: null,
      error: null,
      endedAt: null,
    }
    this.jobs.set(job.id, job)
    make((update) => {
      job.progress = update
    }).then(
      (file) => {
        job.file = file
        job.state = 'done'
        job.endedAt = Date.now()
      },
      (error: unknown) => {
        job.state = 'failed'
        job.error = 'The export failed; the server log says why.'
        job.endedAt = Date.now()
        this.onFailure(error, { id: job.id, deckId })
      },
    )
    return job.id
  }

  /** The job as its owner sees it; null for anyone else (and for unknown or expired jobs). */
  view(userId: string, id: string): ExportJobView | null {
    this.sweep()
    const job = this.jobs.get(id)
    if (!job || job.userId !== userId) return null
    return {
      id: job.id,
      state: job.state,
      done: job.progress.done,
      total: job.progress.total,
      fileName: job.file?.fileName ?? null,
      error: job.error,
    }
  }

  /** The finished file, taken once: a second download of the same job is not kept around. */
  take(userId: string, id: string): ExportFile | null {
    this.sweep()
    const job = this.jobs.get(id)
    if (!job || job.userId !== userId || !job.file) return null
    this.jobs.delete(id)
    return job.file
  }

  private sweep(): void {
    const now = Date.now()
    for (const [id, job] of this.jobs) {
      if (job.endedAt !== null && now - job.endedAt > this.limits.ttlMs) this.jobs.delete(id)
    }
  }
}
