/**
 * `pnpm kartu doctor`, second part: stored records the API cannot answer with. Every REST answer
 * is checked against its schema before it is sent (typed routes, http/openApi.ts), so a record
 * stored before its fields were checked (a ministry id with a space, written by an older deck
 * import) would make every answer that names it an error, and the client, which reads answers
 * with the same schemas, could not show it either. The doctor names each such record; it does
 * not rewrite it: an id is referred to from cards, memberships and documents.
 */
import {
  cardSchema,
  DocumentKind,
  deckSchema,
  ministrySchema,
  parseDocumentName,
} from '@kartu/protocol'
import type { z } from 'zod'
import type { Storage } from './store/openStore.ts'

export type RecordFinding = { kind: 'ministry' | 'deck' | 'card'; id: string; problems: string[] }

function problemsOf(schema: z.ZodType, value: unknown): string[] {
  const checked = schema.safeParse(value)
  if (checked.success) return []
  return checked.error.issues.map(
    (issue) => `${issue.path.join('.') || '(record)'}: ${issue.message}`,
  )
}

export async function examineRecords(storage: Storage): Promise<RecordFinding[]> {
  const { repository, documents } = storage
  const findings: RecordFinding[] = []
  const note = (kind: RecordFinding['kind'], id: string, problems: string[]) => {
    if (problems.length > 0) findings.push({ kind, id, problems })
  }
  for (const ministry of await repository.listMinistries()) {
    note('ministry', ministry.id, problemsOf(ministrySchema, ministry))
  }
  // Every card has its document; the decks are the cards' decks.
  const deckIds = new Set<string>()
  for (const name of await documents.listDocumentNames()) {
    const parsed = parseDocumentName(name)
    if (parsed?.kind !== DocumentKind.Card) continue
    const card = await repository.getCard(parsed.id)
    if (!card) continue
    deckIds.add(card.deckId)
    note('card', card.ref, problemsOf(cardSchema, card))
  }
  for (const deckId of deckIds) {
    const deck = await repository.getDeck(deckId)
    if (deck) note('deck', deck.id, problemsOf(deckSchema, deck))
  }
  return findings
}
