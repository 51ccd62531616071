/**
 * Inbox items by e-mail (issue 16), only when KARTU_SMTP_URL is set (app.ts creates no Mailer
 * otherwise). Each pass reads the items nobody has read or mailed yet and, per person:
 *
 * - mentions still unread `mentionDelayMs` after they came go out at once, all in one mail;
 * - the other kinds wait for the person's digest, due once the oldest of them has waited
 *   `digestIntervalMs`, which sends them all (so a person gets one digest per interval at most);
 * - what the person read in the app in the meantime is never mailed (the store skips read items),
 *   nor a kind they muted, nor what their settings turn off, nor anything to a disabled account:
 *   those are marked e-mailed so that no later pass looks at them again.
 *
 * Items are marked e-mailed only after the SMTP server accepted their mail. A failure (server
 * down, mail refused) is logged and the items stay as they were: the next pass, `retryMs` later,
 * tries again. Passes run on an unref'd timer, never inside a request, and never throw out of it.
 */
import { randomBytes } from 'node:crypto'
import { DEFAULT_NOTIFICATION_SETTINGS, type NotificationSettings } from '@kartu/protocol'
import { createTransport } from 'nodemailer'
import type { Logger } from '../collab/types.ts'
import type { Decks, InboxRecord, InboxRecords, UserRecord, Users } from '../store/types.ts'
import {
  digestMail,
  itemLink,
  type MailEntry,
  type MailLanguage,
  mentionMail,
  unsubscribeLink,
} from './mailTemplates.ts'

export type MailerOptions = {
  /** KARTU_SMTP_URL (smtp:// or smtps://, with user and password if the server wants them). */
  smtpUrl: string
  /** The From header, e.g. `Kartu <kartu@kementerian.go.id>`. */
  from: string
  /** The origin links in mails point to (the first KARTU_PUBLIC_ORIGIN). */
  origin: string
  mentionDelayMs: number
  digestIntervalMs: number
  retryMs: number
}

export type MailerRecords = { inbox: InboxRecords; users: Users; decks: Decks }

/**
 * Items read per pass. What waits for a digest is at most one interval's worth per person, so
 * this is far above a pass's need; were it ever reached, the newer items wait for the next pass.
 */
const PASS_LIMIT = 5000

/**
 * Short SMTP timeouts (nodemailer's own are minutes): a pass that hangs on an unreachable server
 * would hold up close() at shutdown.
 */
const SMTP_TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 }

type MailKind = 'mentions' | 'digest'

/** A mention the person wants at once; any other item they want goes in the digest. */
function instant(item: InboxRecord, settings: NotificationSettings): boolean {
  return item.kind === 'mention' && settings.emailMentions
}

/**
 * Whether the person wants this item mailed at all: at once, or in the digest (a mention too,
 * when they turned off mentions at once but not the digest).
 */
function wanted(item: InboxRecord, settings: NotificationSettings): boolean {
  if (settings.muted.includes(item.kind)) return false
  return instant(item, settings) || settings.emailDigest
}

/** What one pass looks up more than once: decks and the names of who acted. */
class PassLookups {
  private readonly decks = new Map<string, Promise<{ title: string; titleEn: string } | null>>()
  private readonly names = new Map<string, Promise<string | null>>()

  constructor(private readonly records: MailerRecords) {}

  private deck(deckId: string) {
    let deck = this.decks.get(deckId)
    if (!deck) {
      deck = this.records.decks.getDeck(deckId)
      this.decks.set(deckId, deck)
    }
    return deck
  }

  private name(userId: string) {
    let name = this.names.get(userId)
    if (!name) {
      name = this.records.users.findUserById(userId).then((user) => user?.name ?? null)
      this.names.set(userId, name)
    }
    return name
  }

  async entry(item: InboxRecord, language: MailLanguage, origin: string): Promise<MailEntry> {
    const deck = await this.deck(item.deckId)
    const excerpt = item.details.excerpt
    return {
      kind: item.kind,
      deckTitle: deck ? (language === 'en' && deck.titleEn ? deck.titleEn : deck.title) : '',
      cardRef: item.cardRef,
      actorName: item.actorUserId === null ? null : await this.name(item.actorUserId),
      excerpt: typeof excerpt === 'string' ? excerpt : null,
      link: itemLink(origin, item),
    }
  }
}

export class Mailer {
  private readonly transport
  private timer: NodeJS.Timeout | null = null
  /** The pass in flight: a second caller waits for it rather than mailing the same items twice. */
  private pass: Promise<boolean> | null = null
  private closed = false

  constructor(
    private readonly records: MailerRecords,
    private readonly options: MailerOptions,
    private readonly logger: Logger,
  ) {
    this.transport = createTransport({ url: options.smtpUrl, ...SMTP_TIMEOUTS })
  }

  /** How often passes run while mail goes out: often enough that a mention is not much late. */
  private get pollMs(): number {
    return Math.min(Math.max(this.options.mentionDelayMs, 1000), 60_000)
  }

  /** Starts the passes on a timer that does not keep the process alive. */
  start(): void {
    if (this.closed || this.timer) return
    this.schedule(this.pollMs)
  }

  /** One pass at `now`: due mentions, then due digests. Resolves when it is over. */
  async runOnce(now = Date.now()): Promise<void> {
    await this.runPass(now)
  }

  /** Stops the timer, waits for a pass in flight, and closes the SMTP transport. */
  async close(): Promise<void> {
    this.closed = true
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    await this.pass?.catch(() => undefined)
    this.transport.close()
  }

  private schedule(delayMs: number): void {
    this.timer = setTimeout(() => {
      this.timer = null
      void this.tick()
    }, delayMs)
    this.timer.unref()
  }

  private async tick(): Promise<void> {
    let allSent = false
    try {
      allSent = await this.runPass(Date.now())
    } catch (error) {
      this.logger.warn({ err: error }, 'the e-mail pass failed; it runs again later')
    }
    if (!this.closed) this.schedule(allSent ? this.pollMs : this.options.retryMs)
  }

  /** True when every mail due went out. */
  private runPass(now: number): Promise<boolean> {
    if (this.closed) return Promise.resolve(true)
    if (!this.pass) {
      this.pass = this.sendDue(now).finally(() => {
        this.pass = null
      })
    }
    return this.pass
  }

  private async sendDue(now: number): Promise<boolean> {
    const items = await this.records.inbox.listUnmailed(now, PASS_LIMIT)
    const byUser = new Map<string, InboxRecord[]>()
    for (const item of items) {
      const list = byUser.get(item.userId)
      if (list) list.push(item)
      else byUser.set(item.userId, [item])
    }
    const lookups = new PassLookups(this.records)
    let allSent = true
    for (const [userId, pending] of byUser) {
      // At shutdown, the pass ends after the mail in flight; the rest waits for the next start.
      if (this.closed) break
      if (!(await this.sendFor(userId, pending, now, lookups))) allSent = false
    }
    return allSent
  }

  /** The person's due mails; `pending` is oldest first. False when a mail could not be sent. */
  private async sendFor(
    userId: string,
    pending: InboxRecord[],
    now: number,
    lookups: PassLookups,
  ): Promise<boolean> {
    const { inbox, users } = this.records
    const user = await users.findUserById(userId)
    if (!user || user.disabledAt !== null) {
      await inbox.markEmailed(
        pending.map((item) => item.id),
        now,
      )
      return true
    }
    const settings = (await inbox.getNotificationSettings(userId)) ?? DEFAULT_NOTIFICATION_SETTINGS
    const unwanted = pending.filter((item) => !wanted(item, settings))
    if (unwanted.length > 0) {
      await inbox.markEmailed(
        unwanted.map((item) => item.id),
        now,
      )
    }
    const mentions = pending.filter(
      (item) =>
        instant(item, settings) &&
        wanted(item, settings) &&
        item.at <= now - this.options.mentionDelayMs,
    )
    const rest = pending.filter((item) => !instant(item, settings) && wanted(item, settings))
    const digestDue = rest[0] !== undefined && rest[0].at <= now - this.options.digestIntervalMs
    let allSent = true
    if (mentions.length > 0) {
      allSent = (await this.send(user, settings, 'mentions', mentions, now, lookups)) && allSent
    }
    if (digestDue) {
      allSent = (await this.send(user, settings, 'digest', rest, now, lookups)) && allSent
    }
    return allSent
  }

  private async send(
    user: UserRecord,
    settings: NotificationSettings,
    kind: MailKind,
    items: InboxRecord[],
    now: number,
    lookups: PassLookups,
  ): Promise<boolean> {
    const { origin } = this.options
    const token = await this.records.inbox.unsubscribeTokenOf(
      user.id,
      randomBytes(24).toString('base64url'),
    )
    const unsubscribeUrl = unsubscribeLink(origin, token)
    const entries = await Promise.all(
      items.map((item) => lookups.entry(item, settings.language, origin)),
    )
    const input = {
      language: settings.language,
      recipientName: user.name,
      entries,
      unsubscribeUrl,
    }
    const content = kind === 'mentions' ? mentionMail(input) : digestMail(input)
    try {
      await this.transport.sendMail({
        from: this.options.from,
        // An address object: a name with a comma or quotes cannot add a recipient.
        to: { name: user.name, address: user.email },
        subject: content.subject,
        text: content.text,
        html: content.html,
        list: { unsubscribe: unsubscribeUrl },
        textEncoding: 'quoted-printable',
      })
    } catch (error) {
      // The address stays out of the log: the person's id says whose mail it was.
      this.logger.warn(
        { err: error, userId: user.id, mail: kind, items: items.length },
        'an e-mail could not be sent; it is tried again later',
      )
      return false
    }
    await this.records.inbox.markEmailed(
      items.map((item) => item.id),
      now,
    )
    this.logger.info({ userId: user.id, mail: kind, items: items.length }, 'e-mail sent')
    return true
  }
}
