/**
 * Figures about a card document that the deck dashboard lists without loading the document:
 * words, pending suggestions, unresolved threads and the ministries they mention.
 */
import * as Y from 'yjs'
import { ANSWER_FIELD, SUGGESTIONS_FIELD, THREADS_FIELD, ThreadField } from './cardLayout.ts'
import { countWords, fragmentToPlainText } from './plainText.ts'

export type CardStatsValues = {
  wordCount: number
  openSuggestions: number
  openThreads: number
  mentionedMinistries: string[]
}

export function cardStats(doc: Y.Doc): CardStatsValues {
  const threads = doc.getMap<unknown>(THREADS_FIELD)
  let openThreads = 0
  const mentioned = new Set<string>()
  for (const thread of threads.values()) {
    if (!(thread instanceof Y.Map) || thread.get(ThreadField.Resolved) === true) continue
    openThreads++
    const mentions: unknown = thread.get(ThreadField.Mentions)
    const list = mentions instanceof Y.Array ? mentions.toArray() : mentions
    if (Array.isArray(list)) {
      for (const id of list) if (typeof id === 'string') mentioned.add(id)
    }
  }
  return {
    wordCount: countWords(fragmentToPlainText(doc.getXmlFragment(ANSWER_FIELD))),
    openSuggestions: doc.getMap(SUGGESTIONS_FIELD).size,
    openThreads,
    mentionedMinistries: Array.from(mentioned).sort(),
  }
}
