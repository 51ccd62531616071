/**
 * The text a clearance is bound to: the answer as if every pending suggestion were rejected (the
 * suggestion engine's own definition, @kartu/schema review.ts), without comment marks or
 * paragraph locks, hashed. An edit, an accepted suggestion or a restore changes it; a comment, a
 * pending suggestion, a rejected one or a locked paragraph does not.
 */
import { createHash } from 'node:crypto'
import {
  ANSWER_FIELD,
  asIfAllRejected,
  getAnswerSchema,
  LOCKED_ATTRIBUTE,
  withoutCommentMarks,
} from '@kartu/schema'
import type * as Y from 'yjs'
import { AnswerDocument } from '../collab/policy/answerDocument.ts'

type JsonNode = {
  type: string
  attrs?: Record<string, unknown>
  content?: JsonNode[]
  marks?: Array<{ type: string; attrs?: Record<string, unknown> }>
  text?: string
}

/** The node without the attributes that say nothing about the text (a paragraph's lock). */
function canonical(node: JsonNode): JsonNode {
  const { attrs, content, ...rest } = node
  const kept: JsonNode = { ...rest }
  if (attrs) {
    const { [LOCKED_ATTRIBUTE]: _locked, ...others } = attrs
    if (Object.keys(others).length > 0) kept.attrs = others
  }
  if (content) kept.content = content.map(canonical)
  return kept
}

/** Hashes cards' agreed texts; one per caller, as it keeps the schema. */
export class AgreedText {
  private readonly schema = getAnswerSchema()

  /** The hash of the card document's agreed text (hex SHA-256). */
  hashOf(doc: Y.Doc): string {
    const answer = new AnswerDocument(this.schema).of(doc.getXmlFragment(ANSWER_FIELD))
    const agreed = withoutCommentMarks(asIfAllRejected(answer))
    const json = JSON.stringify(canonical(agreed.toJSON() as JsonNode))
    return createHash('sha256').update(json).digest('hex')
  }
}
