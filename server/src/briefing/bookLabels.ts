/**
 * What the briefing book and the minutes print beside the delegation's own words: labels (in
 * Indonesian, the delegation's working language, with English where the Committee's terms are
 * meant), dates in the server's zone, time budgets, and the names of suggestion kinds and
 * outcomes. One place, so that the Word and PDF writers say the same thing.
 */
import type { CardStatus, Deck } from '@kartu/protocol'
import type { DecisionOutcome, SuggestionKind } from '@kartu/schema'
import { DEFAULT_TIME_ZONE } from './book.ts'

export const Label = {
  book: 'Buku Briefing / Briefing Book',
  contents: 'Daftar isi / Contents',
  committee: 'Komite / Committee',
  stateParty: 'Negara Pihak / State party',
  edition: 'Edisi / Edition',
  exported: 'Tanggal ekspor / Exported',
  status: 'Status',
  cards: 'Jumlah kartu / Cards',
  ref: 'Referensi / Reference',
  questionRef: 'Rujukan pertanyaan / Question reference',
  articles: 'Pasal / Articles',
  lead: 'K/L penanggung jawab / Lead ministry',
  contributing: 'K/L kontributor / Contributing',
  speaker: 'Juru bicara / Speaker',
  backupSpeaker: 'Juru bicara cadangan / Backup speaker',
  timeBudget: 'Alokasi waktu / Time budget',
  questionId: 'Pertanyaan (Bahasa Indonesia)',
  questionEn: 'Question (Committee)',
  answer: 'Jawaban / Answer',
  page: 'Halaman',
  of: 'dari',
  otherCluster: 'Lainnya / Other',
  none: '—',
  minutes: 'Notulen rakor',
  session: 'Sesi',
  window: 'Waktu',
  closedBy: 'Ditutup oleh',
  present: 'K/L yang hadir',
  decisions: 'Keputusan',
  signOff: 'Persetujuan K/L dan final',
  noSignOff: 'Tidak ada persetujuan atau penetapan final dalam sesi ini.',
  noDecisions: 'Tidak ada keputusan dalam sesi ini.',
  noMinistries: 'Tidak tercatat.',
  orphanedComment: 'Teks yang dikomentari sudah tidak ada',
} as const

export const DecisionColumn = {
  time: 'Waktu',
  card: 'Kartu',
  kind: 'Jenis',
  text: 'Teks',
  outcome: 'Hasil',
  reason: 'Alasan',
  proposedBy: 'Diusulkan oleh',
  decidedBy: 'Diputuskan oleh',
} as const

/** A suggestion's kind as the minutes name it. */
export const KIND_LABEL: Record<SuggestionKind, string> = {
  insert: 'penambahan',
  delete: 'penghapusan',
  replace: 'penggantian',
  split: 'paragraf baru',
  join: 'penggabungan paragraf',
  format: 'perubahan format',
  move: 'pemindahan',
}

export const OUTCOME_LABEL: Record<DecisionOutcome, string> = {
  accepted: 'diterima',
  rejected: 'ditolak',
  withdrawn: 'ditarik',
}

export const STATUS_LABEL: Record<CardStatus, string> = {
  draft: 'Draf',
  in_review: 'Dalam peninjauan',
  needs_revision: 'Perlu revisi',
  awaiting_data: 'Menunggu data',
  agreed: 'Disepakati',
  final: 'Final',
}

/** DRAFT or FINAL, as the cover and the header line print it. */
export function finalLabel(final: boolean): string {
  return final ? 'FINAL' : 'DRAFT'
}

export function editionLabel(edition: number): string {
  return `v${edition}`
}

/** "12 Maret 2026". */
export function formatDate(date: Date, timeZone = DEFAULT_TIME_ZONE): string {
  return new Intl.DateTimeFormat('id-ID', {
    timeZone,
    day: 'numeric',
    month: 'long',
    year: 'numeric',
  }).format(date)
}

/** "14:05", on a 24-hour clock (id-ID would write 14.05, which reads as a number in a table). */
export function formatTime(date: Date, timeZone = DEFAULT_TIME_ZONE): string {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(date)
  const part = (type: string) => parts.find((entry) => entry.type === type)?.value ?? '00'
  return `${part('hour')}:${part('minute')}`
}

/** "12 Maret 2026 14:05". */
export function formatDateTime(date: Date, timeZone = DEFAULT_TIME_ZONE): string {
  return `${formatDate(date, timeZone)} ${formatTime(date, timeZone)}`
}

/** "2 menit" for whole minutes, "1:30 menit" otherwise. */
export function timeBudgetLabel(seconds: number): string {
  const whole = Math.max(0, Math.round(seconds))
  const minutes = Math.floor(whole / 60)
  const rest = whole % 60
  return rest === 0 ? `${minutes} menit` : `${minutes}:${String(rest).padStart(2, '0')} menit`
}

/** A ministry as the card names it: "KP2MI (Kementerian …)", or its id when the deck lacks it. */
export function ministryLabel(deck: Deck, id: string | null): string {
  if (!id) return Label.none
  const ministry = deck.ministries.find((candidate) => candidate.id === id)
  if (!ministry) return id
  return ministry.nameId && ministry.nameId !== ministry.short
    ? `${ministry.short} (${ministry.nameId})`
    : ministry.short
}

/** A ministry's short name, or its id when the deck lacks it. */
export function ministryShort(deck: Deck, id: string | null): string {
  if (!id) return ''
  return deck.ministries.find((candidate) => candidate.id === id)?.short ?? id
}

/** A sign-off event of the minutes, as one line. */
export function signOffLine(entry: {
  kind: 'given' | 'withdrawn' | 'final'
  cardRef: string
  ministry: string | null
  personLabel: string
  override: string | null
  missing: readonly string[]
}): string {
  if (entry.kind === 'given') {
    return `${entry.cardRef}: ${entry.ministry ?? ''} menyetujui teks (${entry.personLabel})`
  }
  if (entry.kind === 'withdrawn') {
    return `${entry.cardRef}: persetujuan ${entry.ministry ?? ''} ditarik (${entry.personLabel})`
  }
  const override =
    entry.override === null
      ? ''
      : `; tanpa persetujuan ${entry.missing.join(', ')}, alasan: ${entry.override}`
  return `${entry.cardRef}: ditetapkan final oleh ${entry.personLabel}${override}`
}
