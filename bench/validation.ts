/**
 * The cost of the server's update policy per update, on a card of about 5 KB: median and p99 for
 * an editor's keystroke and a suggester's suggested keystroke (the dearest check: the answer "as
 * if all suggestions were rejected" before and after); and the room's repair of suggestion marks
 * after each (suggestionRepair.ts: a walk of the paragraph, when it holds a suggestion). Results
 * go to bench/results/.
 */
import { performance } from 'node:perf_hooks'
import { Role } from '@kartu/protocol'
import { ANSWER_FIELD, AUTHORS_FIELD, answerMarkFormat, SUGGESTIONS_FIELD } from '@kartu/schema'
import * as Y from 'yjs'
import { UpdatePolicy } from '../server/src/collab/policy/UpdatePolicy.ts'
import { SuggestionRepair } from '../server/src/collab/suggestionRepair.ts'

const SENTENCE =
  'Pemerintah Indonesia terus memperkuat pelindungan pekerja migran sejak sebelum bekerja, selama bekerja, hingga setelah bekerja. '

/** A card answer of about `bytes` bytes of encoded state: paragraphs of Indonesian text. */
function makeCard(bytes: number): Y.Doc {
  const doc = new Y.Doc()
  doc.clientID = 1
  const fragment = doc.getXmlFragment(ANSWER_FIELD)
  while (Y.encodeStateAsUpdate(doc).length < bytes) {
    const paragraph = new Y.XmlElement('paragraph')
    fragment.push([paragraph])
    paragraph.push([new Y.XmlText(SENTENCE.repeat(3))])
  }
  return doc
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] as number
}

export type ValidationResult = {
  /** Encoded size of the card when the run starts. */
  cardBytes: number
  role: string
  updates: number
  medianMs: number
  p99Ms: number
  /** The room's repair of suggestion marks after the update. */
  repairMedianMs: number
  repairP99Ms: number
}

function measure(role: 'editor' | 'suggester', updates: number): ValidationResult {
  const room = makeCard(5 * 1024)
  const cardBytes = Y.encodeStateAsUpdate(room).length
  const policy = new UpdatePolicy(room)
  const repair = new SuggestionRepair(room)
  room.on('afterTransaction', (transaction: Y.Transaction) => {
    if (transaction.origin === 'client') repair.touched(transaction)
  })
  const repairTimes: number[] = []
  const client = new Y.Doc()
  client.clientID = 2
  Y.applyUpdate(client, Y.encodeStateAsUpdate(room))
  const times: number[] = []
  for (let i = 0; i < updates; i++) {
    const paragraph = client.getXmlFragment(ANSWER_FIELD).get(i % 5) as Y.XmlElement
    const text = paragraph.get(0) as Y.XmlText
    const before = Y.encodeStateVector(client)
    client.transact(() => {
      if (role === 'suggester') {
        text.insert(10, 'x', answerMarkFormat('insertion', { id: 's1' }))
        if (i === 0) client.getMap(SUGGESTIONS_FIELD).set('s1', { kind: 'insert', createdAt: 0 })
      } else {
        text.insert(10, 'x')
      }
    })
    const update = Y.encodeStateAsUpdate(client, before)
    const start = performance.now()
    const verdict = policy.check(update, {
      userId: 'u2',
      role: role === 'editor' ? Role.Editor : Role.Suggester,
    })
    times.push(performance.now() - start)
    if (!verdict.ok) throw new Error(`refused: ${verdict.code}`)
    Y.applyUpdate(room, update, 'client')
    // Bind new clientIDs as the room does (a server change, mirrored in the policy's shadow).
    if (verdict.newClients.length > 0) {
      const bound = Y.encodeStateVector(room)
      room.transact(() => {
        for (const clientId of verdict.newClients) {
          room
            .getMap(AUTHORS_FIELD)
            .set(String(clientId), { userId: 'u2', name: 'U', ministryId: 'M' })
        }
      })
      policy.applyServerUpdate(Y.encodeStateAsUpdate(room, bound))
    }
    const repairStart = performance.now()
    repair.repair('server')
    repairTimes.push(performance.now() - repairStart)
  }
  times.sort((a, b) => a - b)
  repairTimes.sort((a, b) => a - b)
  return {
    cardBytes,
    role,
    updates,
    medianMs: percentile(times, 0.5),
    p99Ms: percentile(times, 0.99),
    repairMedianMs: percentile(repairTimes, 0.5),
    repairP99Ms: percentile(repairTimes, 0.99),
  }
}

export function runValidationBench(): ValidationResult[] {
  // Warm up the JIT first, then measure.
  measure('editor', 300)
  measure('suggester', 300)
  return [measure('editor', 2000), measure('suggester', 2000)]
}
