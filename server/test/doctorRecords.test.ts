/**
 * `pnpm kartu doctor` names stored records the API cannot answer with (every answer is checked
 * against its schema): a ministry id with a space, as an older deck import could store it.
 */
import { describe, expect, it } from 'vitest'
import { openTestStorage } from '../src/testing/testStore.ts'
import { kartu } from './helpers/cli.ts'
import { seed } from './helpers/seed.ts'

describe('the doctor and records the API cannot answer with', () => {
  it('finds none in a sound data folder, and names one stored with an id the API refuses', async () => {
    const seeded = await seed()
    const sound = await kartu(seeded.dataDir, 'doctor')
    expect(sound.code).toBe(0)
    expect(sound.stdout).toContain('Every ministry, deck and card record can be served by the API.')

    const storage = await openTestStorage(seeded.dataDir)
    try {
      await storage.repository.upsertMinistry({
        id: 'KEMEN PPPA',
        short: 'KemenPPPA',
        nameId: 'Kementerian Pemberdayaan Perempuan dan Perlindungan Anak',
        nameEn: "Ministry of Women's Empowerment and Child Protection",
        aliases: [],
        color: '#7c3aed',
      })
    } finally {
      await storage.close()
    }
    const found = await kartu(seeded.dataDir, 'doctor')
    expect(found.code).toBe(1)
    expect(found.stdout).toContain('ministry KEMEN PPPA: the API cannot answer with it')
    expect(found.stdout).toContain('id: letters, digits, dot, dash or underscore')
    expect(found.stdout).toContain('1 record(s) the API cannot answer with')
  })
})
