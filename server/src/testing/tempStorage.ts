/**
 * A real data folder in a fresh temp directory, for unit tests, with its storage open on the
 * engine the suite runs on (SQLite by default; see testStore.ts).
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { Ministry } from '@kartu/protocol'
import { importDeck } from '../deckImport.ts'
import { DEMO_DECK_FILE } from '../demo/demoAccounts.ts'
import type { Storage } from '../store/openStore.ts'
import { dropTestStore, openTestStorage } from './testStore.ts'

export function makeTempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'kartu-unit-'))
}

export function removeDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true })
}

export type TempStorage = { dir: string; storage: Storage; cleanup(): Promise<void> }

export async function openTempStorage(): Promise<TempStorage> {
  const dir = makeTempDir()
  const storage = await openTestStorage(dir)
  return {
    dir,
    storage,
    async cleanup() {
      await storage.close()
      await dropTestStore(dir)
      removeDir(dir)
    },
  }
}

/** The demo deck's file, parsed: what a unit test imports to have cards, clusters, ministries. */
export function demoDeckFile(): unknown {
  return JSON.parse(fs.readFileSync(DEMO_DECK_FILE, 'utf8'))
}

/** Imports the demo deck into the temp storage (without an audit entry); its ids. */
export function importDemoDeck(temp: TempStorage): Promise<{ deckId: string; cardIds: string[] }> {
  return importDeck(temp.storage.repository, temp.storage.documents, demoDeckFile())
}

/** One ministry, for tests of accounts and tokens that need a person to belong somewhere. */
export const KP2MI: Ministry = {
  id: 'KP2MI',
  short: 'KP2MI',
  nameId: 'Kementerian Pelindungan Pekerja Migran Indonesia',
  nameEn: 'Ministry of Protection of Indonesian Migrant Workers',
  aliases: ['BP2MI (Badan Pelindungan Pekerja Migran Indonesia)'],
  color: '#b91c1c',
}
