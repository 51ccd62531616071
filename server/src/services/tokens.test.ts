import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { AuditLog } from '../audit/AuditLog.ts'
import { AuditAction } from '../audit/auditEvents.ts'
import { Auth } from '../auth/Auth.ts'
import { KP2MI, openTempStorage, type TempStorage } from '../testing/tempStorage.ts'
import { Tokens } from './tokens.ts'

describe('Tokens', () => {
  let temp: TempStorage
  let tokens: Tokens
  let auth: Auth

  beforeEach(async () => {
    temp = await openTempStorage()
    const { repository } = temp.storage
    await repository.upsertMinistry(KP2MI)
    await repository.createUser({
      id: 'u1',
      email: 'rina@kartu.test',
      name: 'Rina',
      ministryId: 'KP2MI',
      passwordHash: null,
    })
    auth = new Auth(repository, { sessionIdleMs: 60_000, sessionMaxMs: 600_000 })
    tokens = new Tokens(auth, repository, new AuditLog(repository))
  })

  afterEach(async () => {
    await temp.cleanup()
  })

  const actions = async () =>
    (await temp.storage.repository.listAudit(0, 100)).map((entry) => entry.action)

  it('issues a token that signs in, and records it once', async () => {
    const issued = await tokens.issue({ userId: 'u1', label: 'sistem K/L', days: 30 })
    expect((await auth.fromToken(issued.token))?.user.id).toBe('u1')
    expect(await actions()).toEqual([AuditAction.TokenIssued])
    const [listed] = await tokens.list('u1')
    expect(listed?.label).toBe('sistem K/L')
    // Kept as a hash only: the secret is in the answer and nowhere in the store.
    expect(JSON.stringify(listed)).not.toContain(issued.token)
  })

  it('revokes a token once: a second revocation keeps the first time and records nothing', async () => {
    const issued = await tokens.issue({ userId: 'u1', label: 'cli', days: 30 })
    const first = await tokens.revoke(issued.id, 1_000)
    const again = await tokens.revoke(issued.id, 2_000)
    expect(first?.revokedAt).toBe(1_000)
    expect(again?.revokedAt).toBe(1_000)
    expect(await auth.fromToken(issued.token)).toBeNull()
    expect(await actions()).toEqual([AuditAction.TokenIssued, AuditAction.TokenRevoked])
    expect(await tokens.revoke('no-such-token')).toBeNull()
  })
})
