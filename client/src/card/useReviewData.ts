import type { Author } from '@kartu/schema'
import type { Editor } from '@tiptap/core'
import { useCallback, useRef, useSyncExternalStore } from 'react'
import type * as Y from 'yjs'
import {
  type DecisionView,
  type RestoreView,
  readDecisions,
  readRestores,
} from './review/decisions.ts'
import { collectSuggestions, groupAlternatives } from './review/engine.ts'
import { threadAnchors } from './review/markRanges.ts'
import {
  buildSuggestions,
  groupSuggestions,
  type SuggestionGroup,
  type SuggestionView,
} from './review/suggestions.ts'
import { readThreads, type ThreadView } from './review/threads.ts'

export type ReviewData = {
  suggestions: SuggestionView[]
  groups: SuggestionGroup[]
  threads: ThreadView[]
  decisions: DecisionView[]
  restores: RestoreView[]
}

function compute(editor: Editor, doc: Y.Doc, me: Author): ReviewData {
  const pmDoc = editor.state.doc
  const spans = collectSuggestions(pmDoc)
  const suggestions = buildSuggestions(spans, doc, me)
  const authorById = new Map(
    suggestions.map((suggestion) => [suggestion.id, suggestion.author?.userId ?? null]),
  )
  return {
    suggestions,
    groups: groupSuggestions(
      suggestions,
      groupAlternatives(spans, (id) => authorById.get(id) ?? null),
    ),
    threads: readThreads(doc, threadAnchors(pmDoc), me),
    decisions: readDecisions(doc, me),
    restores: readRestores(doc, me),
  }
}

/**
 * Suggestions, threads and decisions of the card, live: recomputed (once per burst of changes)
 * when the answer or any of the card document's maps change.
 */
export function useReviewData(editor: Editor, doc: Y.Doc, me: Author): ReviewData {
  const cache = useRef<{ key: unknown[]; version: number; data: ReviewData } | null>(null)
  const version = useRef(0)
  const subscribe = useCallback(
    (listener: () => void) => {
      let scheduled = false
      let active = true
      const changed = (): void => {
        if (scheduled) return
        scheduled = true
        // After the current work: y-sync updates the editor from inside Yjs observers.
        queueMicrotask(() => {
          scheduled = false
          if (!active) return
          version.current++
          listener()
        })
      }
      const onTransaction = ({ transaction }: { transaction: { docChanged: boolean } }): void => {
        if (transaction.docChanged) changed()
      }
      doc.on('update', changed)
      editor.on('transaction', onTransaction)
      editor.on('create', changed)
      return () => {
        active = false
        doc.off('update', changed)
        editor.off('transaction', onTransaction)
        editor.off('create', changed)
      }
    },
    [editor, doc],
  )
  const getSnapshot = useCallback((): ReviewData => {
    const key = [editor, doc, me]
    const current = cache.current
    if (
      current &&
      current.version === version.current &&
      current.key.every((part, index) => part === key[index])
    ) {
      return current.data
    }
    const data = compute(editor, doc, me)
    cache.current = { key, version: version.current, data }
    return data
  }, [editor, doc, me])
  return useSyncExternalStore(subscribe, getSnapshot)
}
