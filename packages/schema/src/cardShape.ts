/**
 * Every problem of a whole card document against its schema and layout: the answer's blocks
 * (answerShape.ts) and the entries of the other fields (cardFieldShapes.ts). Used when a card is
 * loaded (an ALERT: it was stored before the server checked every update) and by
 * `pnpm kartu doctor`. The server's per-update guard checks only what an update touched.
 */
import type { Schema } from '@tiptap/pm/model'
import type * as Y from 'yjs'
import { answerProblems } from './answerShape.ts'
import { storedDecisionProblem, suggestionEntryProblem, threadProblem } from './cardFieldShapes.ts'
import { ANSWER_FIELD, DECISIONS_FIELD, SUGGESTIONS_FIELD, THREADS_FIELD } from './cardLayout.ts'

export function cardProblems(schema: Schema, doc: Y.Doc): string[] {
  const problems = answerProblems(schema, doc.getXmlFragment(ANSWER_FIELD)).map(
    (problem) => `answer, ${problem}`,
  )
  for (const [id, value] of doc.getMap<unknown>(SUGGESTIONS_FIELD).entries()) {
    const problem = suggestionEntryProblem(id, value)
    if (problem) problems.push(`suggestion ${id.slice(0, 64)}: ${problem}`)
  }
  doc
    .getArray<unknown>(DECISIONS_FIELD)
    .toArray()
    .forEach((value, index) => {
      const problem = storedDecisionProblem(value)
      if (problem) problems.push(`decision ${index + 1}: ${problem}`)
    })
  for (const [id, value] of doc.getMap<unknown>(THREADS_FIELD).entries()) {
    const problem = threadProblem(id, value)
    if (problem) problems.push(`thread ${id.slice(0, 64)}: ${problem}`)
  }
  return problems
}
