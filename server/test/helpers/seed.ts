/**
 * Seeds a real data folder (SQLite file) for a test: the demo deck and a few accounts.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { Role } from '@kartu/protocol'
import { Auth } from '../../src/auth/Auth.ts'
import { hashPassword } from '../../src/auth/passwords.ts'
import { importDeck } from '../../src/deckImport.ts'
import { DEMO_DECK_FILE } from '../../src/demo/demoAccounts.ts'
import { openTestStorage } from '../../src/testing/testStore.ts'

export type SeededUser = { id: string; email: string; password: string; token: string; role: Role }
export type Seeded = {
  dataDir: string
  deckId: string
  cardIds: string[]
  users: Record<string, SeededUser>
}

export const TEST_PASSWORD = 'correct horse battery'

export function makeDataDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'kartu-test-'))
}

/** Accounts by key: ministry id and role. */
const ACCOUNTS: Array<{ key: string; ministryId: string; role: Role }> = [
  { key: 'chair', ministryId: 'KEMENKO_POLKAM', role: 'chair' },
  { key: 'kp2mi', ministryId: 'KP2MI', role: 'editor' },
  { key: 'kemlu', ministryId: 'KEMLU', role: 'editor' },
  { key: 'viewer', ministryId: 'KEMENHAM', role: 'viewer' },
  { key: 'suggester', ministryId: 'KEMNAKER', role: 'suggester' },
  { key: 'commenter', ministryId: 'KEMENPPPA', role: 'commenter' },
]

export async function seed(dataDir = makeDataDir()): Promise<Seeded> {
  const storage = await openTestStorage(dataDir)
  try {
    const deck: unknown = JSON.parse(fs.readFileSync(DEMO_DECK_FILE, 'utf8'))
    const { deckId, cardIds } = await importDeck(storage.repository, storage.documents, deck)
    const auth = new Auth(storage.repository, { sessionIdleMs: 3_600_000, sessionMaxMs: 3_600_000 })
    const passwordHash = await hashPassword(TEST_PASSWORD)
    const users: Record<string, SeededUser> = {}
    for (const account of ACCOUNTS) {
      const id = `user-${account.key}`
      const email = `${account.key}@kartu.test`
      await storage.repository.createUser({
        id,
        email,
        name: `Test ${account.key}`,
        ministryId: account.ministryId,
        passwordHash,
      })
      await storage.repository.setMember(deckId, id, account.role)
      const { token } = await auth.issueToken(id, 'test')
      users[account.key] = { id, email, password: TEST_PASSWORD, token, role: account.role }
    }
    return { dataDir, deckId, cardIds, users }
  } finally {
    await storage.close()
  }
}

/** The id of the deck `addOtherDeck` makes. */
export const OTHER_DECK_ID = 'other-deck'

/**
 * A second deck beside the seeded one (KP2MI only, the seeded deck's clusters), for tests that
 * show nothing crosses from one deck to another. Call before the server starts.
 */
export async function addOtherDeck(seeded: Seeded): Promise<string> {
  const storage = await openTestStorage(seeded.dataDir)
  try {
    const deck = await storage.repository.getDeck(seeded.deckId)
    await storage.repository.createDeck({
      id: OTHER_DECK_ID,
      title: 'UPR',
      titleEn: 'UPR',
      committee: 'HRC',
      stateParty: 'Indonesia',
      clusters: deck?.clusters ?? [],
      ministryIds: ['KP2MI'],
    })
    return OTHER_DECK_ID
  } finally {
    await storage.close()
  }
}
