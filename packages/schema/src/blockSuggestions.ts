/**
 * Suggestions about a textblock itself, which no character can carry: joining it into the
 * textblock before it (Backspace at its start, Delete at the end of the one before), and a change
 * of its type (a paragraph made a heading, a heading's level). Textblock attributes, so that
 * y-prosemirror stores them in the Yjs document (it keeps no marks on block nodes):
 *
 * - `joinSuggestion`: the id of a suggestion to join this textblock into the previous one.
 *   Accepting joins them; rejecting drops the attribute.
 * - `formatSuggestion`: `{ id, type, attrs }`, the type and attributes the block had before the
 *   suggested change, which it now shows. Accepting drops the attribute; rejecting restores them.
 */
import { Extension } from '@tiptap/core'
import { validateBlockFormat, validateOptionalId } from './attributeRules.ts'

export const JOIN_SUGGESTION = 'joinSuggestion'
export const FORMAT_SUGGESTION = 'formatSuggestion'

/** The textblocks that can carry block suggestions. */
export const SUGGESTIBLE_TEXTBLOCKS = ['paragraph', 'heading'] as const

export type BlockFormat = { id: string; type: string; attrs: Record<string, unknown> }

export const BlockSuggestions = Extension.create({
  name: 'blockSuggestions',
  addGlobalAttributes() {
    return [
      {
        types: [...SUGGESTIBLE_TEXTBLOCKS],
        attributes: {
          [JOIN_SUGGESTION]: {
            default: null,
            validate: validateOptionalId,
            keepOnSplit: false,
            parseHTML: () => null,
            renderHTML: (attributes: Record<string, unknown>) =>
              typeof attributes[JOIN_SUGGESTION] === 'string'
                ? {
                    'data-join-suggestion': attributes[JOIN_SUGGESTION],
                    class: 'suggestion-join',
                  }
                : {},
          },
          [FORMAT_SUGGESTION]: {
            default: null,
            validate: validateBlockFormat,
            keepOnSplit: false,
            parseHTML: () => null,
            renderHTML: (attributes: Record<string, unknown>) => {
              const format = attributes[FORMAT_SUGGESTION] as BlockFormat | null
              return format
                ? { 'data-format-suggestion': format.id, class: 'suggestion-block-format' }
                : {}
            },
          },
        },
      },
    ]
  },
})
