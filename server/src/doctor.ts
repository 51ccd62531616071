/**
 * `pnpm kartu doctor`: finds stored cards that do not fit the card's schema and layout (stored
 * before the server checked the shape of every update), and with `--repair` rewrites them as a
 * server change that keeps every character of text (packages/schema repairCard.ts), appended to
 * the card's log like any other update and recorded in the audit log.
 *
 * A repair is stored only if the text after it is, character for character, the text before it;
 * and it is read back from storage and checked again before the card counts as repaired.
 */
import { DocumentKind, parseDocumentName } from '@kartu/protocol'
import {
  ANSWER_FIELD,
  AUTHORS_FIELD,
  type Author,
  cardProblems,
  getAnswerSchema,
  repairCard,
  textOfAnswer,
} from '@kartu/schema'
import * as Y from 'yjs'
import type { AuditLog } from './audit/AuditLog.ts'
import { documentRepairedEvent } from './audit/auditEvents.ts'
import { restoreDocument } from './collab/restoreDocument.ts'
import type { Logger } from './collab/types.ts'
import type { Storage } from './store/openStore.ts'

export type CardFinding = {
  documentName: string
  cardId: string
  /** The card's reference (CC-01), when the card still exists in SQL. */
  ref: string | null
  problems: string[]
  /** What the repair changed; absent without `--repair`. */
  repair?: { changes: string[]; characters: number }
  /** The card could not be read at all (a damaged log): nothing was written. */
  unreadable?: string
}

/**
 * Who wrote what a repair adds: a clientID bound to no person would be claimable by the first
 * client to write under it (see the policy), so the doctor binds its own like the server does.
 */
const DOCTOR_AUTHOR: Author = { userId: 'system:doctor', name: 'Kartu doctor', ministryId: '' }
const DOCTOR_ORIGIN = 'kartu:doctor'

const quiet: Logger = { info() {}, warn() {}, error() {}, debug() {} }

export async function examineCards(
  storage: Storage,
  options: { repair: boolean; audit?: AuditLog },
): Promise<CardFinding[]> {
  const schema = getAnswerSchema()
  const findings: CardFinding[] = []
  for (const documentName of await storage.documents.listDocumentNames()) {
    const parsed = parseDocumentName(documentName)
    if (parsed?.kind !== DocumentKind.Card) continue
    const card = await storage.repository.getCard(parsed.id)
    const base = { documentName, cardId: parsed.id, ref: card?.ref ?? null }
    let doc: Y.Doc
    try {
      doc = restoreDocument(documentName, await storage.documents.loadDocument(documentName), quiet)
    } catch (error) {
      findings.push({ ...base, problems: [], unreadable: (error as Error).message })
      continue
    }
    try {
      const problems = cardProblems(schema, doc)
      if (problems.length === 0) continue
      const finding: CardFinding = { ...base, problems }
      if (options.repair) finding.repair = await repair(storage, documentName, doc, options.audit)
      findings.push(finding)
    } finally {
      doc.destroy()
    }
  }
  return findings
}

async function repair(
  storage: Storage,
  documentName: string,
  doc: Y.Doc,
  audit: AuditLog | undefined,
): Promise<{ changes: string[]; characters: number }> {
  const schema = getAnswerSchema()
  const textBefore = textOfAnswer(doc.getXmlFragment(ANSWER_FIELD))
  // A clientID of its own that nobody wrote under yet (Yjs picks them at random).
  const present = Y.decodeStateVector(Y.encodeStateVector(doc))
  while (present.has(doc.clientID)) doc.clientID = Math.floor(Math.random() * 2 ** 31)
  const updates: Uint8Array[] = []
  const capture = (update: Uint8Array) => updates.push(update)
  doc.on('update', capture)
  let changes: string[] = []
  doc.transact(() => {
    changes = repairCard(schema, doc)
    doc.getMap<Author>(AUTHORS_FIELD).set(String(doc.clientID), DOCTOR_AUTHOR)
  }, DOCTOR_ORIGIN)
  doc.off('update', capture)
  const textAfter = textOfAnswer(doc.getXmlFragment(ANSWER_FIELD))
  if (textAfter !== textBefore) {
    throw new Error(`${documentName}: the repair would change the text; nothing was written`)
  }
  await storage.documents.appendUpdates(documentName, [Y.mergeUpdates(updates)])
  // Read back what is stored, as the next load will.
  const stored = restoreDocument(
    documentName,
    await storage.documents.loadDocument(documentName),
    quiet,
  )
  try {
    const left = cardProblems(schema, stored)
    if (left.length > 0) throw new Error(`${documentName}: still ${left.join('; ')} after repair`)
  } finally {
    stored.destroy()
  }
  await audit?.append(
    documentRepairedEvent({
      documentName,
      problems: changes,
      charactersBefore: textBefore.length,
      charactersAfter: textAfter.length,
    }),
  )
  return { changes, characters: textAfter.length }
}
