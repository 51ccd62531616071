import type { PresenceUser } from '@kartu/protocol'
import i18next from 'i18next'
import { describe, expect, it } from 'vitest'
import { en } from '../../i18n/en.ts'
import { id } from '../../i18n/id.ts'
import { messageText } from './messageText.ts'

const person = (name: string, ministry: string): PresenceUser => ({
  id: `u-${name}`,
  name,
  ministryId: ministry.toUpperCase(),
  ministry,
  color: '#1f6f43',
})
const rina = person('Rina', 'KP2MI')
const budi = person('Budi', 'Kemlu')
const sari = person('Sari', 'KemenHAM')

async function translator(language: 'id' | 'en') {
  const i18n = i18next.createInstance()
  await i18n.init({
    resources: { id: { translation: id }, en: { translation: en } },
    lng: language,
    interpolation: { escapeValue: false },
  })
  return i18n.t
}

describe('messageText', () => {
  it('speaks Bahasa Indonesia', async () => {
    const t = await translator('id')
    expect(messageText({ kind: 'joined', people: [rina] }, t, 'id')).toBe('Rina (KP2MI) bergabung')
    expect(messageText({ kind: 'left', people: [rina, budi] }, t, 'id')).toBe(
      'Rina (KP2MI) dan Budi (Kemlu) keluar',
    )
    expect(messageText({ kind: 'editingNear', people: [budi] }, t, 'id')).toBe(
      'Budi (Kemlu) sedang menyunting di dekat kursor Anda',
    )
  })

  it('speaks English', async () => {
    const t = await translator('en')
    expect(messageText({ kind: 'joined', people: [rina, budi, sari] }, t, 'en')).toBe(
      'Rina (KP2MI), Budi (Kemlu), and Sari (KemenHAM) joined',
    )
    expect(messageText({ kind: 'left', people: [rina] }, t, 'en')).toBe('Rina (KP2MI) left')
    expect(messageText({ kind: 'editingNear', people: [budi] }, t, 'en')).toBe(
      'Budi (Kemlu) is editing near your cursor',
    )
    expect(messageText({ kind: 'editingNear', people: [budi, rina] }, t, 'en')).toBe(
      'Budi (Kemlu) and Rina (KP2MI) are editing near your cursor',
    )
  })
})
