/**
 * A deck export the page follows: started on the server, asked for its progress every 400 ms
 * while it runs, then downloaded. One at a time per page; a failure says why.
 */
import type { ExportFormat, ExportJob, ExportModeName } from '@kartu/protocol'
import { useCallback, useEffect, useRef, useState } from 'react'
import { ApiError, exportUrls, fetchExportJob, startDeckExport } from '../app/api.ts'

const POLL_MS = 400

export type DeckExportState =
  | { phase: 'idle' }
  | { phase: 'running'; format: ExportFormat; done: number; total: number }
  | { phase: 'done'; format: ExportFormat; fileName: string }
  | { phase: 'failed'; format: ExportFormat; message: string; code: string | null }

/** Saves the file at `url` the way a link with `download` does. */
function download(url: string): void {
  const link = document.createElement('a')
  link.href = url
  link.download = ''
  document.body.append(link)
  link.click()
  link.remove()
}

export function useDeckExport(deckId: string): {
  state: DeckExportState
  start: (format: ExportFormat, mode: ExportModeName) => void
} {
  const [state, setState] = useState<DeckExportState>({ phase: 'idle' })
  const timer = useRef<number | null>(null)
  useEffect(
    () => () => {
      if (timer.current !== null) window.clearTimeout(timer.current)
    },
    [],
  )
  const start = useCallback(
    (format: ExportFormat, mode: ExportModeName) => {
      if (timer.current !== null) window.clearTimeout(timer.current)
      setState({ phase: 'running', format, done: 0, total: 0 })
      const follow = (job: ExportJob) => {
        if (job.state === 'running') {
          setState({ phase: 'running', format, done: job.done, total: job.total })
          timer.current = window.setTimeout(() => {
            fetchExportJob(deckId, job.id).then(follow, fail)
          }, POLL_MS)
          return
        }
        if (job.state === 'failed') {
          fail(new Error(job.error ?? 'export failed'))
          return
        }
        setState({ phase: 'done', format, fileName: job.fileName ?? '' })
        download(exportUrls.jobFile(deckId, job.id))
      }
      const fail = (error: unknown) => {
        setState({
          phase: 'failed',
          format,
          message: error instanceof Error ? error.message : String(error),
          code: error instanceof ApiError ? error.code : null,
        })
      }
      startDeckExport(deckId, { format, mode }).then(follow, fail)
    },
    [deckId],
  )
  return { state, start }
}
