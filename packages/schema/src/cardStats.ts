/**
 * Figures about a card document that the deck dashboard lists without loading the document:
 * words, pending suggestions, unresolved threads and the ministries they mention.
 */
import * as Y from 'yjs'
import { ANSWER_FIELD, THREADS_FIELD, ThreadField } from './cardLayout.ts'
import { countWords, fragmentToPlainText } from './plainText.ts'
import { idOfSuggestionKey, suggestionTexts } from './storedSuggestionMarks.ts'

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
  // Pending = still marked in the answer: an editor deleting someone's suggested text ends it
  // even though its metadata entry stays behind.
  const answer = doc.getXmlFragment(ANSWER_FIELD)
  const marked = new Set(Array.from(suggestionTexts(answer).keys(), idOfSuggestionKey))
  return {
    wordCount: countWords(fragmentToPlainText(answer)),
    openSuggestions: marked.size,
    openThreads,
    mentionedMinistries: Array.from(mentioned).sort(),
  }
}
