/**
 * What every briefing-book writer receives: the deck, its cards in the order of the book, and
 * what the cover and footers say. The Word writer (docxExport.ts), the PDF writer (pdfExport.ts)
 * and the minutes (minutes.ts) each turn one of these into bytes and know nothing of the store,
 * the rooms or HTTP: the routes (api/exportRoutes.ts) build it.
 */
import type { Deck } from '@kartu/protocol'
import countries from 'i18n-iso-countries'
import english from 'i18n-iso-countries/langs/en.json' with { type: 'json' }
import indonesian from 'i18n-iso-countries/langs/id.json' with { type: 'json' }
import type { BookDecision, BookPerson, CardContent } from './cardContent.ts'

export const ExportMode = {
  /** Pending suggestions as tracked changes, open threads as comments. */
  Review: 'review',
  /** The agreed text only: as if every pending suggestion were rejected, no comments. */
  Clean: 'clean',
} as const
export type ExportMode = (typeof ExportMode)[keyof typeof ExportMode]

export type Book = {
  deck: Deck
  /** In the order of the book: by cluster as the deck lists them, then by position. */
  cards: CardContent[]
  /** One card exported alone, or the whole deck (cover and contents). */
  scope: 'card' | 'deck'
  /** The book's edition: rakor sessions closed on the deck, plus one (v1 before the first). */
  edition: number
  /** Final when every card of the book is final; draft otherwise. */
  final: boolean
  exportedAt: Date
  /** The handling marking printed on every page (e.g. TERBATAS); empty prints none. */
  marking: string
  /** The IANA zone its dates are printed in (the server's); DEFAULT_TIME_ZONE when absent. */
  timeZone?: string
}

/** A rakor's decisions, as its minutes print them. */
export type Minutes = {
  deck: Deck
  /** The session's name as the chair gave it when closing it, and its time window. */
  session: { name: string; from: Date | null; to: Date; closedBy: BookPerson | null }
  /** Ministries present: those whose people had a card open, edited, commented or decided. */
  ministries: Array<{ id: string; short: string; name: string }>
  decisions: Array<BookDecision & { cardId: string; cardRef: string }>
  /** Clearances given and withdrawn, and cards made final, during the session, in order. */
  signOff: MinutesSignOff[]
  exportedAt: Date
  marking: string
  /** The IANA zone its dates and times are printed in (the server's); DEFAULT_TIME_ZONE when absent. */
  timeZone?: string
}

/** A sign-off event of the minutes (signoff/signOff.ts writes them to the audit log). */
export type MinutesSignOff = {
  at: number
  cardId: string
  cardRef: string
  kind: 'given' | 'withdrawn' | 'final'
  /** The ministry cleared for, or whose clearance was withdrawn (short name); null for final. */
  ministry: string | null
  person: BookPerson | null
  /** Final without every clearance: the chair's reason, and the ministries missing. */
  override: string | null
  missing: string[]
}

/** Where a book or minutes do not say: the delegation's capital. */
export const DEFAULT_TIME_ZONE = 'Asia/Jakarta'

/**
 * File names people can sort and recognise: `CMW-IDN-2026-kartu-v3.docx` for a deck,
 * `CMW-IDN-2026-CC-01-v3.pdf` for a card; only letters, digits and dashes.
 */
export function exportFileName(
  book: Pick<Book, 'deck' | 'edition' | 'exportedAt'>,
  what: string,
  extension: 'docx' | 'pdf',
): string {
  const committee = book.deck.committee.split(/[^A-Za-z0-9]+/)[0] || 'deck'
  const parts = [
    committee,
    stateCode(book.deck.stateParty),
    String(book.exportedAt.getUTCFullYear()),
    what,
    `v${book.edition}`,
  ]
  const name = parts
    .map((part) => part.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-+|-+$/g, ''))
    .filter((part) => part.length > 0)
    .join('-')
  return `${name}.${extension}`
}

countries.registerLocale(english)
countries.registerLocale(indonesian)

/**
 * The state's ISO 3166 alpha-3 code, as UN document symbols use it (CMW/C/IDN): from its name
 * in English or Indonesian, or a code given as such; the name itself when it is neither.
 */
export function stateCode(stateParty: string): string {
  const name = stateParty.trim()
  if (/^[A-Za-z]{3}$/.test(name) && countries.isValid(name)) return name.toUpperCase()
  return countries.getAlpha3Code(name, 'en') ?? countries.getAlpha3Code(name, 'id') ?? name
}
