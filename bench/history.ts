/**
 * History figures measured without a server process (scenario 9): listing a card's versions as
 * `GET /api/cards/:cardId/versions` does (history/cardVersions.ts on the SQLite store), for a card
 * with 1,000 versions made by a few people and by the server. Target (issue 14): under 100 ms.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import * as Y from 'yjs'
import { importDeck } from '../server/src/deckImport.ts'
import { CardVersions } from '../server/src/history/cardVersions.ts'
import { openDatabase } from '../server/src/store/sqlite/openDatabase.ts'
import { SqliteDocumentStore } from '../server/src/store/sqlite/SqliteDocumentStore.ts'
import { SqliteRepository } from '../server/src/store/sqlite/SqliteRepository.ts'
import { CARD_TEXT } from './lib/fixtures.ts'

export type HistoryResult = {
  versions: number
  listMedianMs: number
  listP99Ms: number
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
    const stateVector = Y.encodeStateVector(doc)
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
          stateVector,
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
    return {
      versions: VERSIONS,
      listMedianMs: times[Math.floor(times.length / 2)] as number,
      listP99Ms: times[times.length - 1] as number,
    }
  } finally {
    db.close()
    fs.rmSync(dir, { recursive: true, force: true })
  }
}
