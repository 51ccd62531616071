/**
 * Imports a deck from a JSON file shaped like the sample deck (ministries, clusters, cards with
 * key messages and a draft answer). Each card's answer becomes its Yjs document, stored as a
 * snapshot. Fields Kartu does not edit yet (key data, follow-ups, sources...) are kept per card.
 */
import { randomUUID } from 'node:crypto'
import { type CardStatus, cardDocumentName, idSchema, type Ministry } from '@kartu/protocol'
import { type AnswerBlock, cardStats, writeAnswer } from '@kartu/schema'
import * as Y from 'yjs'
import { z } from 'zod'
import { keptSpeaker, speakerFileSchema } from './cardBriefing.ts'
import type { DocumentStore, Repository } from './store/types.ts'

// Ministry and cluster ids as the API's answers have them (idSchema): an id the answers' schemas
// refuse would make every answer naming it fail (a 500, and a client that cannot parse it).
const ministryFileSchema = z.object({
  id: idSchema,
  short: z.string().min(1),
  name_id: z.string().default(''),
  name_en: z.string().default(''),
  aliases: z.array(z.string()).default([]),
  color: z.string().optional(),
})

const clusterFileSchema = z.object({
  id: idSchema,
  name_id: z.string().default(''),
  name_en: z.string().default(''),
})

const cardFileSchema = z
  .object({
    id: z.string().min(1),
    cluster: z.string().min(1),
    question_ref: z.string().default(''),
    question: z.string().min(1),
    question_id: z.string().default(''),
    convention_articles_indicative: z.array(z.string()).default([]),
    lead_ministry: z.string().min(1),
    contributing_ministries: z.array(z.string()).default([]),
    status: z.string().default('draft'),
    time_budget_sec: z.number().int().positive().default(120),
    key_messages: z.array(z.string()).default([]),
    draft_answer: z.string().default(''),
  })
  .loose()

export const deckFileSchema = z.object({
  title: z.string().min(1),
  title_en: z.string().default(''),
  committee: z.string().default(''),
  state_party: z.string().default(''),
  ministries: z.array(ministryFileSchema).min(1),
  clusters: z.array(clusterFileSchema).min(1),
  speakers: z.array(speakerFileSchema).default([]),
  cards: z.array(cardFileSchema),
})
export type DeckFile = z.infer<typeof deckFileSchema>

/** Readable on white (WCAG AA for text); used when the file gives a ministry no colour. */
const PALETTE = [
  '#1f4e9c',
  '#1b6e3a',
  '#b0213c',
  '#6a3d9a',
  '#0f6e73',
  '#8a4b08',
  '#a3470f',
  '#9c1f7a',
]

const STATUS_ALIASES: Record<string, CardStatus> = {
  draft: 'draft',
  in_review: 'in_review',
  needs_revision: 'needs_revision',
  awaiting_data: 'awaiting_data',
  agreed: 'agreed',
  cleared: 'agreed',
}

/** A deck file that cannot be imported as it is; the message says why, for a person to fix. */
export class DeckImportError extends Error {}

function ministryConflicts(known: Ministry, file: DeckFile['ministries'][number]): string[] {
  const differences: string[] = []
  const differ = (field: string, ours: string, theirs: string) => {
    if (ours !== theirs) differences.push(`${field} "${theirs}" in the file, "${ours}" in Kartu`)
  }
  differ('short name', known.short, file.short)
  differ('Indonesian name', known.nameId, file.name_id)
  differ('English name', known.nameEn, file.name_en)
  const sorted = (aliases: readonly string[]) => [...aliases].sort().join(', ')
  differ('aliases', sorted(known.aliases), sorted(file.aliases))
  if (file.color !== undefined) differ('colour', known.color, file.color)
  return differences.map((difference) => `${file.id}: ${difference}`)
}

export type ImportLabels = { keyMessages: string; answer: string }
const LABELS: ImportLabels = { keyMessages: 'Pesan kunci', answer: 'Jawaban' }

export function answerBlocks(card: DeckFile['cards'][number], labels = LABELS): AnswerBlock[] {
  const blocks: AnswerBlock[] = []
  if (card.key_messages.length > 0) {
    blocks.push({ type: 'heading', text: labels.keyMessages })
    blocks.push({ type: 'bulletList', items: card.key_messages })
  }
  const paragraphs = card.draft_answer
    .split(/\n\s*\n/)
    .map((p) => p.replace(/\s*\n\s*/g, ' ').trim())
    .filter((p) => p.length > 0)
  if (paragraphs.length > 0) {
    if (blocks.length > 0) blocks.push({ type: 'heading', text: labels.answer })
    for (const text of paragraphs) blocks.push({ type: 'paragraph', text })
  }
  if (blocks.length === 0) blocks.push({ type: 'paragraph', text: '' })
  return blocks
}

export async function importDeck(
  repository: Repository,
  documents: DocumentStore,
  input: unknown,
): Promise<{ deckId: string; cardIds: string[] }> {
  const file = deckFileSchema.parse(input)
  const ministryIds = new Set(file.ministries.map((m) => m.id))
  const clusterIds = new Set(file.clusters.map((c) => c.id))
  for (const card of file.cards) {
    for (const id of [card.lead_ministry, ...card.contributing_ministries]) {
      if (!ministryIds.has(id)) throw new Error(`card ${card.id}: unknown ministry ${id}`)
    }
    if (!clusterIds.has(card.cluster)) {
      throw new Error(`card ${card.id}: unknown cluster ${card.cluster}`)
    }
  }

  // Ministries are shared by every deck (a person belongs to one ministry whatever the deck), so
  // an import never changes one that exists: the same id must come with the same names and
  // colour, or the import is refused before anything is written.
  const existing = new Map((await repository.listMinistries()).map((m) => [m.id, m]))
  const conflicts: string[] = []
  const added: Ministry[] = []
  for (const [index, m] of file.ministries.entries()) {
    const known = existing.get(m.id)
    if (known) {
      conflicts.push(...ministryConflicts(known, m))
      continue
    }
    added.push({
      id: m.id,
      short: m.short,
      nameId: m.name_id,
      nameEn: m.name_en,
      aliases: m.aliases,
      color: m.color ?? (PALETTE[index % PALETTE.length] as string),
    })
  }
  if (conflicts.length > 0) {
    throw new DeckImportError(
      `the deck's ministries differ from those Kartu already has (other decks use them):\n  ${conflicts.join('\n  ')}\n` +
        'Use the same names, aliases and colours as Kartu has, or other ids.',
    )
  }
  for (const ministry of added) await repository.upsertMinistry(ministry)

  const deckId = randomUUID()
  await repository.createDeck({
    id: deckId,
    title: file.title,
    titleEn: file.title_en,
    committee: file.committee,
    stateParty: file.state_party,
    clusters: file.clusters.map((c) => ({ id: c.id, nameId: c.name_id, nameEn: c.name_en })),
    ministryIds: file.ministries.map((m) => m.id),
  })

  const cardIds: string[] = []
  for (const [position, card] of file.cards.entries()) {
    const id = randomUUID()
    const {
      id: ref,
      cluster,
      question_ref,
      question,
      question_id,
      convention_articles_indicative,
      lead_ministry,
      contributing_ministries,
      status,
      time_budget_sec,
      ...rest
    } = card
    // The speakers are the deck's; each card keeps its own resolved, for its briefing.
    const extra = {
      ...rest,
      speaker_detail: keptSpeaker(rest.speaker, file.speakers),
      backup_speaker_detail: keptSpeaker(rest.backup_speaker, file.speakers),
    }
    await repository.createCard({
      id,
      deckId,
      ref,
      cluster,
      questionRef: question_ref,
      question,
      questionId: question_id,
      articles: convention_articles_indicative,
      leadMinistry: lead_ministry,
      contributingMinistries: contributing_ministries,
      status: STATUS_ALIASES[status] ?? 'draft',
      timeBudgetSec: time_budget_sec,
      position,
      extra,
    })
    const doc = new Y.Doc()
    writeAnswer(doc, answerBlocks(card))
    await documents.compact(cardDocumentName(id), Y.encodeStateAsUpdate(doc), 0)
    await repository.setCardStats(id, cardStats(doc))
    doc.destroy()
    cardIds.push(id)
  }
  return { deckId, cardIds }
}
