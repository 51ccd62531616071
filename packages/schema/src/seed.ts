/**
 * Writing an answer into a card document from structured text, for imports and the demo deck.
 */
import { prosemirrorJSONToYXmlFragment } from '@tiptap/y-tiptap'
import type * as Y from 'yjs'
import { ANSWER_FIELD } from './cardLayout.ts'
import { getAnswerSchema } from './extensions.ts'

export type AnswerBlock =
  | { type: 'heading'; text: string }
  | { type: 'paragraph'; text: string }
  | { type: 'bulletList'; items: string[] }

type PmNode = { type: string; attrs?: Record<string, unknown>; content?: PmNode[]; text?: string }

function textContent(text: string): PmNode[] {
  return text.length > 0 ? [{ type: 'text', text }] : []
}

function blockToJson(block: AnswerBlock): PmNode {
  switch (block.type) {
    case 'heading':
      return { type: 'heading', attrs: { level: 2 }, content: textContent(block.text) }
    case 'paragraph':
      return { type: 'paragraph', content: textContent(block.text) }
    case 'bulletList':
      return {
        type: 'bulletList',
        content: block.items.map((item) => ({
          type: 'listItem',
          content: [{ type: 'paragraph', content: textContent(item) }],
        })),
      }
  }
}

/** Replaces the answer of `doc` with the blocks, in one transaction. */
export function writeAnswer(doc: Y.Doc, blocks: AnswerBlock[]): void {
  const json = { type: 'doc', content: blocks.map(blockToJson) }
  const fragment = doc.getXmlFragment(ANSWER_FIELD)
  doc.transact(() => {
    prosemirrorJSONToYXmlFragment(getAnswerSchema(), json, fragment)
  })
}
