/**
 * What an export request and its file are, shared by the routes (main thread) and the worker
 * that makes the files. Kept apart from the writers so that the server's main thread never
 * loads the Word and PDF libraries (which cost the start of every server process).
 */
import type { ExportFormat, ExportModeName } from '@kartu/protocol'

export type ExportRequest =
  | {
      kind: 'card' | 'deck'
      /** The card's id, or the deck's. */
      id: string
      format: ExportFormat
      mode: ExportModeName
      marking?: string | undefined
    }
  | {
      kind: 'minutes'
      /** The deck's id. */
      id: string
      format: ExportFormat
      session?: string | undefined
      marking?: string | undefined
    }

export type ExportFile = { fileName: string; contentType: string; bytes: Uint8Array }

export const CONTENT_TYPES: Record<ExportFormat, string> = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  pdf: 'application/pdf',
}
