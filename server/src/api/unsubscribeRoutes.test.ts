/**
 * E-mail in the built app: no mailer without KARTU_SMTP_URL; with it, a mail goes out through a
 * real SMTP server, and its unsubscribe link turns the person's e-mail off without a sign-in. The
 * app keeps answering while the SMTP server is down.
 */
import { DEFAULT_NOTIFICATION_SETTINGS } from '@kartu/protocol'
import { afterEach, describe, expect, it } from 'vitest'
import { type BuiltApp, buildApp } from '../app.ts'
import { configFrom, type Environment } from '../config.ts'
import { deadPort, type Smtp, startSmtp } from '../testing/smtpServer.ts'
import { importDemoDeck, openTempStorage, type TempStorage } from '../testing/tempStorage.ts'

describe('e-mail in the app, and GET /api/unsubscribe', () => {
  let temp: TempStorage | null = null
  let built: BuiltApp | null = null
  let smtp: Smtp | null = null
  let imported = { deckId: '', cardIds: [] as string[] }

  afterEach(async () => {
    await built?.app.close()
    await smtp?.close()
    await temp?.cleanup()
    built = null
    smtp = null
    temp = null
  })

  async function start(env: Environment): Promise<BuiltApp> {
    temp = await openTempStorage()
    const config = configFrom({
      KARTU_LOG_LEVEL: 'silent',
      KARTU_DATA_DIR: temp.dir,
      KARTU_PUBLIC_ORIGIN: 'https://kartu.example',
      ...env,
    })
    built = await buildApp(config, temp.storage)
    // The demo deck brings its ministries, KP2MI among them.
    imported = await importDemoDeck(temp)
    await temp.storage.repository.createUser({
      id: 'ana',
      email: 'ana@kartu.test',
      name: 'Ana',
      ministryId: 'KP2MI',
      passwordHash: null,
    })
    return built
  }

  async function addMention(storage: TempStorage, at: number): Promise<void> {
    const { deckId, cardIds } = imported
    await storage.storage.inbox.addInboxItems([
      {
        id: 'mention-1',
        userId: 'ana',
        deckId,
        cardId: cardIds[0] as string,
        kind: 'mention',
        at,
        actorUserId: null,
        threadId: 'thread-1',
        suggestionId: null,
        versionId: null,
        details: { excerpt: 'Mohon dicek' },
        dedupeKey: null,
      },
    ])
  }

  it('has no mailer without KARTU_SMTP_URL', async () => {
    const { services } = await start({})
    expect(services.mailer).toBeNull()
  })

  it('mails through the SMTP server, and the mail’s link turns the person’s e-mail off', async () => {
    smtp = await startSmtp()
    const { app, services } = await start({ KARTU_SMTP_URL: `smtp://127.0.0.1:${smtp.port}` })
    if (!temp) throw new Error('no storage')
    const { inbox } = temp.storage
    await inbox.setNotificationSettings('ana', { ...DEFAULT_NOTIFICATION_SETTINGS, language: 'en' })
    await addMention(temp, Date.now() - 120_000)
    await services.mailer?.runOnce()
    expect(smtp.received.map((mail) => mail.to)).toEqual([['ana@kartu.test']])
    const link = /https:\/\/kartu\.example(\/api\/unsubscribe\?token=[A-Za-z0-9_-]+)/.exec(
      smtp.received[0]?.body ?? '',
    )?.[1]
    expect(link).toBeDefined()

    // Followed from a mail client: no cookie, no token, no Origin header.
    const answer = await app.inject({ url: link as string })
    expect(answer.statusCode).toBe(200)
    expect(answer.headers['content-type']).toMatch(/^text\/html/)
    expect(answer.headers['cache-control']).toBe('no-store')
    expect(answer.body).toContain('Anda tidak akan lagi menerima e-mail dari Kartu')
    expect(answer.body).toContain('You will no longer receive e-mail from Kartu')
    expect(await inbox.getNotificationSettings('ana')).toEqual({
      ...DEFAULT_NOTIFICATION_SETTINGS,
      language: 'en',
      emailMentions: false,
      emailDigest: false,
    })
    // Followed twice, it says the same.
    expect((await app.inject({ url: link as string })).statusCode).toBe(200)
  })

  it('answers an unknown token with a 404 page that says nothing more, and a missing one with 400', async () => {
    const { app } = await start({})
    if (!temp) throw new Error('no storage')
    await temp.storage.inbox.unsubscribeTokenOf('ana', 'known-token')
    const unknown = await app.inject({ url: '/api/unsubscribe?token=<b>nope</b>' })
    expect(unknown.statusCode).toBe(404)
    expect(unknown.headers['content-type']).toMatch(/^text\/html/)
    expect(unknown.body).toContain('This unsubscribe link is not known.')
    expect(unknown.body).not.toContain('nope')
    expect(await temp.storage.inbox.getNotificationSettings('ana')).toBeNull()

    const missing = await app.inject({ url: '/api/unsubscribe' })
    expect(missing.statusCode).toBe(400)
    expect(missing.json().error.code).toBe('invalid_request')
  })

  it('keeps answering while the SMTP server is down, the mail left for later', async () => {
    const port = await deadPort()
    const { app, services } = await start({ KARTU_SMTP_URL: `smtp://127.0.0.1:${port}` })
    if (!temp) throw new Error('no storage')
    await addMention(temp, Date.now() - 120_000)
    await expect(services.mailer?.runOnce()).resolves.toBeUndefined()
    expect((await app.inject({ url: '/readyz' })).statusCode).toBe(200)
    const left = await temp.storage.inbox.listUnmailed(Date.now(), 10)
    expect(left.map((item) => item.id)).toEqual(['mention-1'])
  })
})
