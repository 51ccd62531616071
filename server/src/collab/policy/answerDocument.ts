/**
 * The answer of the policy's shadow document as a ProseMirror document, so that the policy
 * judges a suggester's update with the suggestion engine's own definition ("as if every
 * suggestion were rejected", @kartu/schema review.ts) rather than a second one of its own: a
 * paragraph break, a joined paragraph or a format change means the same to both.
 *
 * Built block by block from Yjs with the schema (answerShape.ts), and kept per top-level Yjs
 * element: an update changes a few blocks, and only those are built again (`forget`).
 */
import { blockNode } from '@kartu/schema'
import type { Node as PMNode, Schema } from '@tiptap/pm/model'
import type * as Y from 'yjs'

export class AnswerDocument {
  private blocks = new WeakMap<object, PMNode>()

  constructor(private readonly schema: Schema) {}

  /** The answer as a document; throws when a block does not fit the schema (see doctor). */
  of(fragment: Y.XmlFragment): PMNode {
    const nodes: PMNode[] = []
    for (const item of fragment.toArray() as unknown[]) {
      const key = item as object
      let node = this.blocks.get(key)
      if (!node) {
        node = blockNode(this.schema, item)
        this.blocks.set(key, node)
      }
      nodes.push(node)
    }
    // An empty answer is what the editor shows as one empty paragraph.
    return nodes.length > 0
      ? this.schema.topNodeType.create(null, nodes)
      : (this.schema.topNodeType.createAndFill() as PMNode)
  }

  /** These top-level blocks changed: build them again next time. */
  forget(blocks: Iterable<object>): void {
    for (const block of blocks) this.blocks.delete(block)
  }

  /** Everything may have changed (the shadow was rebuilt, or the server wrote to it). */
  clear(): void {
    this.blocks = new WeakMap()
  }
}
