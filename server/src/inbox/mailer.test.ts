/**
 * Inbox e-mail through a real SMTP server (smtp-server, on a free port) and a real SQLite store:
 * who gets what and when, what is never mailed, and what happens while the SMTP server is down.
 */
import type { InboxKind, NotificationSettings } from '@kartu/protocol'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { NewInboxItem } from '../store/types.ts'
import { deadPort, type Smtp, startSmtp } from '../testing/smtpServer.ts'
import { importDemoDeck, openTempStorage, type TempStorage } from '../testing/tempStorage.ts'
import { Mailer, type MailerOptions } from './mailer.ts'

const T0 = Date.UTC(2026, 0, 5, 2, 0)
const MINUTE = 60_000
const HOUR = 60 * MINUTE
const ORIGIN = 'https://kartu.example'

function recordingLogger() {
  const warnings: string[] = []
  return {
    warnings,
    logger: {
      info: () => {},
      debug: () => {},
      error: (_: object, message?: string) => warnings.push(message ?? ''),
      warn: (_: object, message?: string) => warnings.push(message ?? ''),
    },
  }
}

describe('Mailer', () => {
  let temp: TempStorage
  let deckId: string
  let cardId: string
  let cardRef: string
  let deckTitle: string
  let mailer: Mailer | null = null
  let smtp: Smtp | null = null
  let serial = 0

  beforeEach(async () => {
    serial = 0
    temp = await openTempStorage()
    const { repository } = temp.storage
    const imported = await importDemoDeck(temp)
    deckId = imported.deckId
    cardId = imported.cardIds[0] as string
    cardRef = (await repository.getCard(cardId))?.ref ?? ''
    deckTitle = (await repository.getDeck(deckId))?.title ?? ''
    for (const [id, name] of [
      ['ana', 'Ana'],
      ['budi', 'Budi'],
      ['cici', 'Cici'],
      ['dedi', 'Dedi'],
    ] as const) {
      await repository.createUser({
        id,
        email: `${id}@kartu.test`,
        name,
        // The demo deck brings its ministries, KP2MI among them.
        ministryId: 'KP2MI',
        passwordHash: null,
      })
    }
  })

  afterEach(async () => {
    await mailer?.close()
    await smtp?.close()
    mailer = null
    smtp = null
    await temp.cleanup()
  })

  function makeMailer(port: number, logger = recordingLogger().logger, options = {}): Mailer {
    const settings: MailerOptions = {
      smtpUrl: `smtp://127.0.0.1:${port}`,
      from: 'Kartu <kartu@kartu.test>',
      origin: ORIGIN,
      mentionDelayMs: MINUTE,
      digestIntervalMs: 4 * HOUR,
      retryMs: MINUTE,
      ...options,
    }
    const { storage } = temp
    mailer = new Mailer(
      { inbox: storage.inbox, users: storage.repository, decks: storage.repository },
      settings,
      logger,
    )
    return mailer
  }

  function item(
    userId: string,
    kind: InboxKind,
    at: number,
    extra: Partial<NewInboxItem> = {},
  ): NewInboxItem {
    serial += 1
    return {
      id: `item-${serial}`,
      userId,
      deckId,
      cardId,
      kind,
      at,
      actorUserId: null,
      threadId: null,
      suggestionId: null,
      versionId: null,
      details: {},
      dedupeKey: null,
      ...extra,
    }
  }

  const setSettings = (userId: string, settings: Partial<NotificationSettings>) =>
    temp.storage.inbox.setNotificationSettings(userId, {
      emailMentions: true,
      emailDigest: true,
      language: 'id',
      muted: [],
      ...settings,
    })

  const unmailed = async () =>
    (await temp.storage.inbox.listUnmailed(Number.MAX_SAFE_INTEGER, 100)).map((i) => i.id).sort()

  it('mails a mention once it waited unread, and the other kinds only in a digest, to whom they are for', async () => {
    smtp = await startSmtp()
    const mail = makeMailer(smtp.port)
    await setSettings('budi', { language: 'en' })
    await temp.storage.inbox.addInboxItems([
      item('ana', 'mention', T0, {
        actorUserId: 'budi',
        threadId: 'thread-1',
        details: { excerpt: 'Mohon cek angka 2024, @KP2MI' },
      }),
      item('ana', 'reply', T0, { actorUserId: 'budi', threadId: 'thread-1' }),
      item('budi', 'assigned', T0 + MINUTE, { actorUserId: 'ana' }),
    ])

    await mail.runOnce(T0 + MINUTE - 1)
    expect(smtp.received).toEqual([])

    await mail.runOnce(T0 + MINUTE)
    expect(smtp.received).toHaveLength(1)
    const mention = smtp.received[0]
    expect(mention?.to).toEqual(['ana@kartu.test'])
    expect(mention?.subject).toBe(`[Kartu] Budi menyebut Anda di ${cardRef}`)
    expect(mention?.body).toContain('Mohon cek angka 2024, @KP2MI')
    expect(mention?.body).toContain(deckTitle)
    expect(mention?.body).toContain(`${ORIGIN}/cards/${cardId}?thread=thread-1`)
    expect(mention?.headers).toMatch(
      /^List-Unsubscribe: <https:\/\/kartu\.example\/api\/unsubscribe\?token=/m,
    )

    // Nothing more until a digest is due; the mention is not mailed twice.
    await mail.runOnce(T0 + 4 * HOUR - 1)
    expect(smtp.received).toHaveLength(1)

    await mail.runOnce(T0 + 4 * HOUR)
    expect(smtp.received).toHaveLength(2)
    const anaDigest = smtp.received[1]
    expect(anaDigest?.to).toEqual(['ana@kartu.test'])
    expect(anaDigest?.subject).toBe('[Kartu] Ringkasan: 1 hal menunggu Anda')
    expect(anaDigest?.body).toContain('Balasan di utas')

    await mail.runOnce(T0 + 4 * HOUR + MINUTE)
    expect(smtp.received).toHaveLength(3)
    const budiDigest = smtp.received[2]
    expect(budiDigest?.to).toEqual(['budi@kartu.test'])
    expect(budiDigest?.subject).toBe('[Kartu] Digest: 1 item waiting for you')
    expect(budiDigest?.body).toContain('Card assigned')
    expect(budiDigest?.body).toContain('by Ana')

    await mail.runOnce(T0 + 24 * HOUR)
    expect(smtp.received).toHaveLength(3)
    expect(await unmailed()).toEqual([])
  })

  it('puts several mentions in one mail, and a digest holds everything waiting', async () => {
    smtp = await startSmtp()
    const mail = makeMailer(smtp.port)
    await temp.storage.inbox.addInboxItems([
      item('ana', 'mention', T0, { actorUserId: 'budi' }),
      item('ana', 'mention', T0 + 1, { actorUserId: 'cici' }),
      item('ana', 'decision', T0, { suggestionId: 'suggestion-9' }),
      item('ana', 'due_soon', T0 + 3 * HOUR),
      item('ana', 'clearance_stale', T0 + 4 * HOUR),
    ])
    await mail.runOnce(T0 + 4 * HOUR)
    expect(smtp.received.map((m) => m.subject)).toEqual([
      '[Kartu] Anda disebut di 2 komentar',
      '[Kartu] Ringkasan: 3 hal menunggu Anda',
    ])
    expect(smtp.received[1]?.body).toContain(`${ORIGIN}/cards/${cardId}?suggestion=suggestion-9`)
    expect(await unmailed()).toEqual([])
  })

  it('never mails what was read in the app, a muted kind, what settings turn off, or to a disabled account', async () => {
    smtp = await startSmtp()
    const mail = makeMailer(smtp.port)
    const { inbox, repository } = temp.storage
    await setSettings('budi', { emailMentions: false, muted: ['reply'] })
    await setSettings('dedi', { emailDigest: false })
    await repository.setUserDisabled('cici', T0)
    const [read] = await inbox.addInboxItems([
      item('ana', 'mention', T0),
      item('budi', 'mention', T0),
      item('budi', 'reply', T0),
      item('budi', 'decision', T0),
      item('cici', 'mention', T0),
      item('cici', 'assigned', T0),
      item('dedi', 'assigned', T0),
      item('dedi', 'mention', T0),
    ])
    // Ana saw her mention in the app before any pass.
    await inbox.markRead('ana', [read?.id as string], T0 + 1000)

    await mail.runOnce(T0 + 4 * HOUR)
    expect(smtp.received.map((m) => [m.to[0], m.subject])).toEqual([
      ['budi@kartu.test', '[Kartu] Ringkasan: 2 hal menunggu Anda'],
      ['dedi@kartu.test', `[Kartu] Anda disebut di ${cardRef}`],
    ])
    // Mentions at once turned off: his mention waits for the digest, with the decision.
    expect(smtp.received[0]?.body).toContain('Keputusan atas usulan')
    expect(smtp.received[0]?.body).toMatch(/disebut/i)
    expect(smtp.received[0]?.body).not.toContain('Balasan di utas')
    // Nothing is left for a later pass to look at again.
    expect(await unmailed()).toEqual([])
    await mail.runOnce(T0 + 48 * HOUR)
    expect(smtp.received).toHaveLength(2)
  })

  it('sends nothing while the SMTP server is down, without throwing, and sends it once it is up', async () => {
    const port = await deadPort()
    const { logger, warnings } = recordingLogger()
    const mail = makeMailer(port, logger)
    await temp.storage.inbox.addInboxItems([item('ana', 'mention', T0), item('ana', 'reply', T0)])

    await expect(mail.runOnce(T0 + 4 * HOUR)).resolves.toBeUndefined()
    expect(warnings).toEqual([
      'an e-mail could not be sent; it is tried again later',
      'an e-mail could not be sent; it is tried again later',
    ])
    expect(await unmailed()).toEqual(['item-1', 'item-2'])

    smtp = await startSmtp(port)
    await mail.runOnce(T0 + 4 * HOUR + MINUTE)
    expect(smtp.received.map((m) => m.subject)).toEqual([
      `[Kartu] Anda disebut di ${cardRef}`,
      '[Kartu] Ringkasan: 1 hal menunggu Anda',
    ])
    expect(await unmailed()).toEqual([])
  })

  it('on its timer, retries a failed send retryMs later', async () => {
    const port = await deadPort()
    const { logger, warnings } = recordingLogger()
    const mail = makeMailer(port, logger, { mentionDelayMs: 0, retryMs: 100 })
    await temp.storage.inbox.addInboxItems([item('ana', 'mention', Date.now())])
    mail.start()
    // The first pass (a second after start) fails ...
    await vi.waitFor(() => expect(warnings.length).toBeGreaterThan(0), { timeout: 3000 })
    expect(await unmailed()).toEqual(['item-1'])
    // ... and a later one, retryMs after it, sends the mail.
    const up = await startSmtp(port)
    smtp = up
    await vi.waitFor(() => expect(up.received).toHaveLength(1), { timeout: 3000 })
    // The SMTP server has the mail before the mailer hears its answer and records the items as
    // mailed, so the record is awaited too rather than read at once.
    await vi.waitFor(async () => expect(await unmailed()).toEqual([]), { timeout: 3000 })
  })

  it('keeps one unsubscribe token per person, carried by each of their mails', async () => {
    const { inbox } = temp.storage
    expect(await inbox.unsubscribeTokenOf('ana', 'token-a')).toBe('token-a')
    expect(await inbox.unsubscribeTokenOf('ana', 'token-b')).toBe('token-a')
    expect(await inbox.findUnsubscribeToken('token-a')).toBe('ana')
    expect(await inbox.findUnsubscribeToken('token-b')).toBeNull()

    smtp = await startSmtp()
    const mail = makeMailer(smtp.port)
    await inbox.addInboxItems([item('ana', 'mention', T0), item('budi', 'mention', T0)])
    await mail.runOnce(T0 + HOUR)
    const links = smtp.received.map(
      (m) => /^List-Unsubscribe: <[^>]*token=([^>]+)>/m.exec(m.headers)?.[1],
    )
    expect(links[0]).toBe('token-a')
    const budiToken = links[1] as string
    expect(budiToken).toMatch(/^[A-Za-z0-9_-]{32}$/)
    expect(await inbox.findUnsubscribeToken(budiToken)).toBe('budi')
    expect(smtp.received[1]?.body).toContain(`${ORIGIN}/api/unsubscribe?token=${budiToken}`)
  })
})
