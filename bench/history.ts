/**
 * History figures measured without a server process (scenario 9), through the code the API runs
 * (history/cardVersions.ts on the SQLite store):
 * - listing a card's versions (`GET /api/cards/:cardId/versions`), for a card with 1,000 versions
 *   made by a few people and by the server. Target (issue 14): under 100 ms.
 * - comparing two versions of the trace card (`GET .../versions/:id/compare?to=`): the state
 *   halfway through the editing trace with its end, and its start with its end, with one
 *   recorded edit per keystroke (each keystroke its own commit, the worst case for the edit log).
 *   Target (issue 14): under 300 ms.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { cardDocumentName, Role } from '@kartu/protocol'
import * as Y from 'yjs'
import { importDeck } from '../server/src/deckImport.ts'
import { CardVersions } from '../server/src/history/cardVersions.ts'
import { EditRecorder } from '../server/src/history/editRecorder.ts'
import { openDatabase } from '../server/src/store/sqlite/openDatabase.ts'
import { SqliteDocumentStore } from '../server/src/store/sqlite/SqliteDocumentStore.ts'
import { SqliteRepository } from '../server/src/store/sqlite/SqliteRepository.ts'
import { participant } from '../server/src/testing/collabFixtures.ts'
import { CARD_TEXT, replayTrace, tracePath } from './lib/fixtures.ts'

export type HistoryResult = {
  versions: number
  listMedianMs: number
  listP99Ms: number
  /** Comparing the trace card's halfway version with its last (null without the trace). */
  compareHalfMedianMs: number | null
  /** Comparing the trace card's first version with its last (null without the trace). */
  compareWholeMedianMs: number | null
}

const VERSIONS = 1000
const LISTINGS = 30

const silent = { info() {}, warn() {}, error() {}, debug() {} }

export async function runHistoryBench(): Promise<HistoryResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kartu-bench-history-'))
  const db = openDatabase(dir)
  try {
    const repository = new SqliteRepository(db)
    const documents = new SqliteDocumentStore(db)
    const { cardIds } = await importDeck(repository, documents, {
      title: 'History',
      ministries: [{ id: 'KP2MI', short: 'KP2MI' }],
      clusters: [{ id: 'h' }],
      cards: [
        { id: 'h1', cluster: 'h', question: 'Q?', lead_ministry: 'KP2MI', draft_answer: CARD_TEXT },
      ],
    })
    const cardId = cardIds[0] as string
    const people = ['a', 'b', 'c'].map((key) => `bench-${key}`)
    for (const id of people) {
      await repository.createUser({
        id,
        email: `${id}@kartu.test`,
        name: id,
        ministryId: 'KP2MI',
        passwordHash: null,
      })
    }
    const doc = new Y.Doc()
    doc.getText('x').insert(0, CARD_TEXT)
    const state = Y.encodeStateAsUpdate(doc)
    const snapshot = Y.encodeSnapshot(Y.snapshot(doc))
    db.transaction(() => {
      for (let i = 0; i < VERSIONS; i++) {
        void repository.addVersion({
          id: `v${i}`,
          cardId,
          kind: i % 10 === 0 ? 'named' : 'auto',
          name: i % 10 === 0 ? `Versi ${i}` : null,
          createdAt: 1_800_000_000_000 + i * 60_000,
          createdBy: i % 10 === 0 ? (people[i % people.length] as string) : null,
          words: 120,
          state,
          snapshot,
        })
      }
    })()
    const versions = new CardVersions(repository, documents, silent)
    const times: number[] = []
    for (let i = 0; i < LISTINGS; i++) {
      const start = performance.now()
      const listed = await versions.list(cardId)
      times.push(performance.now() - start)
      if (listed.length !== VERSIONS) throw new Error(`listed ${listed.length} versions`)
    }
    times.sort((a, b) => a - b)
    const compared = fs.existsSync(tracePath())
      ? await compareTraceVersions(db, repository, versions, cardId, people[0] as string)
      : null
    return {
      versions: VERSIONS,
      listMedianMs: times[Math.floor(times.length / 2)] as number,
      listP99Ms: times[times.length - 1] as number,
      compareHalfMedianMs: compared?.halfMs ?? null,
      compareWholeMedianMs: compared?.wholeMs ?? null,
    }
  } finally {
    db.close()
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

const COMPARISONS = 5

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] as number
}

/**
 * Replays the editing trace into the card's answer as one person, recording an edit per
 * keystroke as the edit recorder would, and versions at its start, halfway and at its end; then
 * times the comparisons.
 */
async function compareTraceVersions(
  db: ReturnType<typeof openDatabase>,
  repository: SqliteRepository,
  versions: CardVersions,
  cardId: string,
  userId: string,
): Promise<{ halfMs: number; wholeMs: number }> {
  const ids: string[] = []
  let at = 1_900_000_000_000
  // The server's own recorder, one commit per keystroke, 200 ms apart.
  const recorder = new EditRecorder(repository, silent, () => at)
  const documentName = cardDocumentName(cardId)
  const person = participant(userId, Role.Editor)
  const keep = async (doc: Y.Doc, name: string) => {
    const kept = await versions.keep(doc, {
      cardId,
      kind: 'named',
      name,
      createdBy: userId,
      onlyIfChanged: false,
    })
    if (!kept) throw new Error('version not kept')
    // Versions are timed by the clock; the edits between them by the replay's own clock.
    db.prepare('UPDATE card_versions SET created_at = ? WHERE id = ?').run(at, kept.id)
    ids.push(kept.id)
  }
  await replayTrace({
    onStart: (doc) => keep(doc, 'start'),
    onUpdate: (update, doc) => {
      at += 200
      recorder.updateApplied({
        documentName,
        doc,
        participant: person,
        update,
        newClients: [],
        decisions: [],
        blockLocks: [],
      })
      recorder.stored({ name: documentName, doc })
    },
    onHalf: async (doc) => {
      await recorder.flush()
      await keep(doc, 'half')
    },
    onEnd: async (doc) => {
      await recorder.flush()
      await keep(doc, 'end')
    },
  })
  const time = async (from: string, to: string) => {
    const runs: number[] = []
    for (let i = 0; i < COMPARISONS; i++) {
      const start = performance.now()
      const comparison = await versions.compare(cardId, from, to)
      runs.push(performance.now() - start)
      if (!comparison || comparison.changes.length === 0) throw new Error('nothing compared')
    }
    return median(runs)
  }
  const [first, half, last] = ids as [string, string, string]
  return { halfMs: await time(half, last), wholeMs: await time(first, last) }
}
