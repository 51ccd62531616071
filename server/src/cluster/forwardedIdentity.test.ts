/**
 * The identity one node forwards to another: taken only when signed with the cluster's secret,
 * for this document, fresh, and unchanged; anything else is refused (null), never half-read.
 */
import { createHmac } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import {
  type ForwardedIdentity,
  signForwardedIdentity,
  verifyForwardedIdentity,
} from './forwardedIdentity.ts'

const SECRET = 'a-secret-of-at-least-thirty-two-characters'
const NOW = Date.UTC(2026, 11, 6, 9, 0)
const identity: ForwardedIdentity = {
  documentName: 'card:c1',
  locked: false,
  participant: {
    userId: 'u1',
    credential: { kind: 'session', secretHash: 'h1' },
    deckId: 'd1',
    role: 'suggester',
    presence: { id: 'u1', name: 'Siti', ministryId: 'KP2MI', ministry: 'KP2MI', color: '#b91c1c' },
  },
}

describe('forwarded identities', () => {
  const header = signForwardedIdentity(SECRET, identity, NOW)

  it('reads back what was signed, for its document, while fresh', () => {
    expect(verifyForwardedIdentity(SECRET, header, 'card:c1', NOW + 29_000)).toEqual(identity)
  })

  it('refuses another secret, another document, a stale one, and none', () => {
    expect(verifyForwardedIdentity(`${SECRET}x`, header, 'card:c1', NOW)).toBeNull()
    expect(verifyForwardedIdentity(SECRET, header, 'card:c2', NOW)).toBeNull()
    expect(verifyForwardedIdentity(SECRET, header, 'card:c1', NOW + 31_000)).toBeNull()
    expect(verifyForwardedIdentity(SECRET, undefined, 'card:c1', NOW)).toBeNull()
  })

  it('refuses a payload changed after signing (a role raised to chair) and malformed headers', () => {
    const [payload, signature] = header.split('.') as [string, string]
    const raised = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'))
    raised.participant.role = 'chair'
    const forged = `${Buffer.from(JSON.stringify(raised)).toString('base64url')}.${signature}`
    expect(verifyForwardedIdentity(SECRET, forged, 'card:c1', NOW)).toBeNull()
    for (const bad of ['', 'x', `${payload}.`, `${payload}.${signature}.x`, `.${signature}`]) {
      expect(verifyForwardedIdentity(SECRET, bad, 'card:c1', NOW)).toBeNull()
    }
  })

  it('refuses a correctly signed payload that is not an identity', () => {
    const payload = Buffer.from(
      JSON.stringify({ documentName: 'card:c1', expiresAt: NOW + 1000 }),
    ).toString('base64url')
    const signature = createHmac('sha256', SECRET).update(payload).digest('base64url')
    expect(verifyForwardedIdentity(SECRET, `${payload}.${signature}`, 'card:c1', NOW)).toBeNull()
  })
})
