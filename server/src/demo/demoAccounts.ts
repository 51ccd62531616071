/**
 * The demo: the illustrative CMW deck and one account per ministry, the chair at Kemenko Polkam.
 */
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Role } from '@kartu/protocol'

export const DEMO_DECK_FILE = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  'demo',
  'cmw-demo-deck.json',
)

export const DEMO_PASSWORD = 'kartu-demo'

export type DemoAccount = { email: string; name: string; ministryId: string; role: Role }

export const DEMO_ACCOUNTS: readonly DemoAccount[] = [
  {
    email: 'ketua@kartu.test',
    name: 'Ratna Wulandari',
    ministryId: 'KEMENKO_POLKAM',
    role: 'chair',
  },
  { email: 'pmk@kartu.test', name: 'Budi Santoso', ministryId: 'KEMENKO_PMK', role: 'suggester' },
  { email: 'kemlu@kartu.test', name: 'Sari Anggraini', ministryId: 'KEMLU', role: 'editor' },
  { email: 'kemenham@kartu.test', name: 'Dimas Pratama', ministryId: 'KEMENHAM', role: 'editor' },
  { email: 'kemnaker@kartu.test', name: 'Yuli Hartati', ministryId: 'KEMNAKER', role: 'suggester' },
  { email: 'kemenpppa@kartu.test', name: 'Nur Aisyah', ministryId: 'KEMENPPPA', role: 'commenter' },
  {
    email: 'imipas@kartu.test',
    name: 'Agus Setiawan',
    ministryId: 'KEMENIMIPAS',
    role: 'suggester',
  },
  { email: 'kp2mi@kartu.test', name: 'Fajar Nugroho', ministryId: 'KP2MI', role: 'editor' },
]
