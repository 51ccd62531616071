import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { AuditLog } from '../audit/AuditLog.ts'
import { AuditAction } from '../audit/auditEvents.ts'
import { Auth } from '../auth/Auth.ts'
import { KP2MI, openTempStorage, type TempStorage } from '../testing/tempStorage.ts'
import { AccountError, Accounts } from './accounts.ts'

describe('Accounts', () => {
  let temp: TempStorage
  let accounts: Accounts
  let accessChanges: number

  beforeEach(async () => {
    temp = await openTempStorage()
    const { repository } = temp.storage
    await repository.upsertMinistry(KP2MI)
    accessChanges = 0
    accounts = new Accounts(repository, new AuditLog(repository), {
      afterAccessChange: async () => {
        accessChanges++
      },
    })
  })

  afterEach(async () => {
    await temp.cleanup()
  })

  const actions = async () =>
    (await temp.storage.repository.listAudit(0, 100)).map((entry) => entry.action)

  it('creates an account in a ministry named by an alias, which signs in, and records it once', async () => {
    const user = await accounts.create({
      email: ' Rina@Kartu.Test ',
      name: 'Rina',
      ministry: 'bp2mi',
      password: 'a long enough password',
    })
    expect(user).toMatchObject({ email: 'rina@kartu.test', name: 'Rina', ministryId: 'KP2MI' })
    const auth = new Auth(temp.storage.repository, { sessionIdleMs: 60_000, sessionMaxMs: 600_000 })
    expect((await auth.checkPassword('rina@kartu.test', 'a long enough password'))?.id).toBe(
      user.id,
    )
    const [entry] = await temp.storage.repository.listAudit(0, 100)
    expect(entry).toMatchObject({ action: AuditAction.UserCreated, subject: `user:${user.id}` })
    expect(JSON.parse(entry?.details ?? 'null')).toEqual({
      via: 'cli',
      email: 'rina@kartu.test',
      ministryId: 'KP2MI',
    })
    expect(await actions()).toEqual([AuditAction.UserCreated])
  })

  it('refuses an unknown ministry, a taken email and a short password, storing and recording nothing', async () => {
    const input = {
      email: 'rina@kartu.test',
      name: 'Rina',
      ministry: 'KP2MI',
      password: 'long enough',
    }
    await expect(accounts.create({ ...input, ministry: 'Nowhere' })).rejects.toThrow(
      new AccountError('unknown ministry "Nowhere"; known: KP2MI (KP2MI)'),
    )
    await expect(accounts.create({ ...input, password: 'short' })).rejects.toBeInstanceOf(
      AccountError,
    )
    expect(await temp.storage.repository.findUserByEmail('rina@kartu.test')).toBeNull()
    await accounts.create(input)
    await expect(accounts.create({ ...input, email: 'RINA@kartu.test' })).rejects.toThrow(
      'rina@kartu.test already has an account',
    )
    expect(await actions()).toEqual([AuditAction.UserCreated])
  })

  it('disables an account once: its sessions end, open connections are told, one entry', async () => {
    const user = await accounts.create({
      email: 'rina@kartu.test',
      name: 'Rina',
      ministry: 'KP2MI',
      password: 'long enough',
    })
    const auth = new Auth(temp.storage.repository, { sessionIdleMs: 60_000, sessionMaxMs: 600_000 })
    await auth.startSession(user.id)
    expect(
      await accounts.setDisabled({ actorUserId: null, userId: user.id, disabled: true }),
    ).toEqual({ changed: true, sessionsEnded: 1 })
    expect(
      await accounts.setDisabled({ actorUserId: null, userId: user.id, disabled: true }),
    ).toEqual({ changed: false, sessionsEnded: 0 })
    expect(accessChanges).toBe(1)
    expect(await actions()).toEqual([AuditAction.UserCreated, AuditAction.UserDisabled])
  })
})
