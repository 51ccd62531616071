/**
 * Agreed text at the level of one block: a top-level paragraph, heading or list whose `locked`
 * attribute is true may not change, for anyone, until the chair unlocks it. The attribute is part
 * of the document (a Y.XmlElement attribute), so every client sees the lock live and offline; the
 * server enforces it.
 */
import { Extension } from '@tiptap/core'
import { validateLock } from './attributeRules.ts'

export const LOCKED_ATTRIBUTE = 'locked'

/** Top-level block types that can be locked. */
export const LOCKABLE_BLOCKS = ['paragraph', 'heading', 'bulletList', 'orderedList'] as const

export const BlockLock = Extension.create({
  name: 'blockLock',
  addGlobalAttributes() {
    return [
      {
        types: [...LOCKABLE_BLOCKS],
        attributes: {
          [LOCKED_ATTRIBUTE]: {
            default: null,
            validate: validateLock,
            parseHTML: (element: { getAttribute(name: string): string | null }) =>
              element.getAttribute('data-locked') === 'true' ? true : null,
            renderHTML: (attributes: Record<string, unknown>) =>
              attributes[LOCKED_ATTRIBUTE] === true
                ? { 'data-locked': 'true', class: 'locked-block' }
                : {},
          },
        },
      },
    ]
  },
})
