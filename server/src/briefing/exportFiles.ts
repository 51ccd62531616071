/**
 * One export request made into its file: the book or the minutes gathered from the store, then
 * written as Word or PDF, with the file's name. Runs in the export worker (exportWorker.ts), so
 * that laying out sixty cards never holds up a room's event loop.
 */
import type { ExportFormat, ExportModeName } from '@kartu/protocol'
import { type Book, exportFileName } from './book.ts'
import type { BookOptions, BriefingBook } from './briefingBook.ts'
import { writeBookDocx, writeMinutesDocx } from './docxExport.ts'
import { CONTENT_TYPES, type ExportFile, type ExportRequest } from './exportTypes.ts'
import { writeBookPdf, writeMinutesPdf } from './pdfExport.ts'

/** The book as a file: Word in either mode, or the PDF cue cards (always the agreed text). */
async function bookFile(
  book: Book,
  format: ExportFormat,
  mode: ExportModeName,
): Promise<ExportFile> {
  const what = book.scope === 'deck' ? 'kartu' : (book.cards[0]?.card.ref ?? 'kartu')
  const suffix = format === 'docx' && mode === 'clean' ? `${what}-bersih` : what
  const bytes = format === 'docx' ? await writeBookDocx(book, mode) : await writeBookPdf(book)
  return {
    fileName: exportFileName(book, suffix, format),
    contentType: CONTENT_TYPES[format],
    bytes,
  }
}

/** The file of `request`; null when its card, deck or session is not there. */
export async function makeExportFile(
  briefing: BriefingBook,
  request: ExportRequest,
  progress?: (done: number, total: number) => void,
): Promise<ExportFile | null> {
  const options: BookOptions = { marking: request.marking, ...(progress ? { progress } : {}) }
  if (request.kind === 'minutes') {
    const minutes = await briefing.minutesOf(request.id, request.session, options)
    if (!minutes) return null
    const bytes =
      request.format === 'docx' ? await writeMinutesDocx(minutes) : await writeMinutesPdf(minutes)
    const edition = await briefing.editionOf(request.id)
    return {
      fileName: exportFileName(
        { deck: minutes.deck, edition, exportedAt: minutes.exportedAt },
        `notulen-${minutes.session.to.toISOString().slice(0, 10)}`,
        request.format,
      ),
      contentType: CONTENT_TYPES[request.format],
      bytes,
    }
  }
  const book =
    request.kind === 'card'
      ? await briefing.ofCard(request.id, options)
      : await briefing.ofDeck(request.id, options)
  return book ? bookFile(book, request.format, request.mode) : null
}
