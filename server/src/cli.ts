/**
 * `pnpm kartu <command>`: serve, demo, and the admin commands. Commands that print an id or a
 * secret print it alone on the last line, so scripts can take it with `tail -n 1`.
 */
import { randomInt } from 'node:crypto'
import fs from 'node:fs'
import { parseArgs } from 'node:util'
import { dueDateSchema, roleSchema } from '@kartu/protocol'
import { AuditLog } from './audit/AuditLog.ts'
import { Auth, TOKEN_DEFAULT_DAYS } from './auth/Auth.ts'
import { type Config, loadConfig } from './config.ts'
import { runningServer } from './dataDirLock.ts'
import { DeckImportError } from './deckImport.ts'
import { DEMO_ACCOUNTS, DEMO_DECK_FILE } from './demo/demoAccounts.ts'
import { type CardFinding, examineCards } from './doctor.ts'
import { examineRecords, type RecordFinding } from './doctorRecords.ts'
import { CardVersions } from './history/cardVersions.ts'
import { Inbox } from './inbox/inbox.ts'
import { serve } from './main.ts'
import { AccountError, Accounts } from './services/accounts.ts'
import { Cards } from './services/cards.ts'
import { DeckImports } from './services/deckImports.ts'
import { Members } from './services/members.ts'
import { SuggestOnlySwitches } from './services/suggestOnly.ts'
import { Tokens } from './services/tokens.ts'
import { AnswerHashes } from './signoff/answerHashes.ts'
import { SignOff, SignOffError } from './signoff/signOff.ts'
import { openStorage, type Storage } from './store/openStore.ts'
import { migratePg, openPool } from './store/postgres/database.ts'
import { pgMigrations } from './store/postgres/migrations.ts'
import { backupDatabase, restoreDatabase } from './store/sqlite/backup.ts'
import { migrations } from './store/sqlite/migrations.ts'
import type { Repository, TokenRecord, UserRecord } from './store/types.ts'

const USAGE = `Usage: pnpm kartu <command>
  serve                         start the server (env: PORT, HOST, KARTU_DATA_DIR, KARTU_PUBLIC_ORIGIN, ...)
  demo                          create the demo deck and accounts if the data folder has none, then serve
  migrate                       bring the database's schema up to date (SQLite, or PostgreSQL with
                                KARTU_DATABASE_URL); serve does it too, this does it alone
  user add --email E --name N --ministry M --password P
  user password --email E --password P     set a new password; every session of the person ends
  user disable --email E                   refuse the account everywhere (sessions, tokens, open
                                           connections); nothing of its history is deleted
  user enable --email E                    allow a disabled account again
  session end --email E                    sign the person out everywhere (their open connections
                                           close within seconds)
  card assign --card C --lead M [--contributing M2,M3] [--due YYYY-MM-DD|none]
                                           who answers the card and by when; the ministries
                                           newly assigned find it in their inbox
  deck import FILE              import a deck (JSON shaped like the sample deck); prints the deck id
  member add --deck D --email E --role R   (chair, editor, suggester, commenter, viewer)
  member remove --deck D --email E         the person's open connections to the deck close
  suggest-only on|off --deck D | --card C  "everyone suggests" for a whole deck or one card:
                                           editors' changes become suggestions (open
                                           connections follow within seconds)
  token issue --email E [--label L] [--days N]   a personal access token, valid N days (default
                                           ${TOKEN_DEFAULT_DAYS}); prints its id, then the token alone on the last line
  token revoke --id ID                     the token stops working at once, everywhere
  token list --email E                     id, label, created, expires, revoked
  doctor [--repair]                        lists stored cards that do not fit the card's schema (exit 1
                                           if any); --repair rewrites them, keeping every character
                                           of text (stop the server first)
  audit verify                             checks the audit log's hash chain; exit 1 names the first broken entry
  audit list [--after SEQ] [--limit N]     audit entries as JSON lines, oldest first
  backup FILE                              a consistent copy of the database, safe while the server runs
  restore FILE                             put a backup back (stop the server first); the current
                                           database is kept beside it
                                           (SQLite; on PostgreSQL use pg_dump and pg_restore)`

class UsageError extends Error {}

function option(values: Record<string, string | boolean | undefined>, name: string): string {
  const value = values[name]
  if (typeof value !== 'string' || value.length === 0) throw new UsageError(`--${name} is required`)
  return value
}

/**
 * A password for the demo accounts of one data folder: random, shown once when the accounts are
 * made, stored only as argon2 hashes. Easy to read out in a meeting room (no 0/O, 1/l).
 */
function demoPassword(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789'
  // Three groups of four: 60 bits, plenty against an online guess (sign-ins are rate-limited).
  const group = () => Array.from({ length: 4 }, () => alphabet[randomInt(alphabet.length)]).join('')
  return `kartu-${group()}-${group()}-${group()}`
}

/** Creates the demo deck and accounts in an empty data folder; returns their password once. */
async function seedDemo(storage: Storage): Promise<{ deckId: string; password: string } | null> {
  const { repository, documents } = storage
  if ((await repository.listMinistries()).length > 0) return null
  const file: unknown = JSON.parse(fs.readFileSync(DEMO_DECK_FILE, 'utf8'))
  const audit = new AuditLog(repository)
  const { deckId } = await new DeckImports(repository, documents, audit).import(file)
  const password = demoPassword()
  const accounts = new Accounts(repository, audit)
  const members = new Members(repository, audit)
  for (const account of DEMO_ACCOUNTS) {
    const user = await accounts.create({ ...account, ministry: account.ministryId, password })
    await members.set({ actorUserId: null, deckId, user, role: account.role })
  }
  return { deckId, password }
}

function printDemoSignIn(config: Config, password: string | null): void {
  const origin = config.publicOrigins[0] ?? `http://localhost:${config.port}`
  const lines = [
    '',
    `Kartu is running: open ${origin}`,
    password
      ? `Sign in with any demo account below; the password of each is "${password}".\n` +
        'It is shown this once and stored only as a hash: note it now. Forgot it? Set another with\n' +
        '  pnpm kartu user password --email E --password P'
      : 'Sign in with a demo account below, with the password printed when the demo was created\n' +
        '(set another with: pnpm kartu user password --email E --password P).',
    ...DEMO_ACCOUNTS.map((a) => `  ${a.email.padEnd(24)} ${a.role.padEnd(7)} ${a.ministryId}`),
    '',
  ]
  process.stdout.write(`${lines.join('\n')}\n`)
}

function integerOption(
  values: Record<string, string | boolean | undefined>,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const value = values[name]
  if (value === undefined) return fallback
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : Number.NaN
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max}`)
  }
  return n
}

const isoMinute = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ')

function tokenTable(tokens: TokenRecord[], now: number): string {
  const rows = [['id', 'label', 'created', 'expires', 'revoked', 'state']]
  for (const t of tokens) {
    const state = t.revokedAt !== null ? 'revoked' : now >= t.expiresAt ? 'expired' : 'active'
    rows.push([
      t.id,
      t.label,
      isoMinute(t.createdAt),
      isoMinute(t.expiresAt),
      t.revokedAt === null ? '-' : isoMinute(t.revokedAt),
      state,
    ])
  }
  const widths = rows[0]?.map((_, column) =>
    Math.max(...rows.map((row) => row[column]?.length ?? 0)),
  )
  return rows
    .map((row) =>
      row
        .map((cell, column) => cell.padEnd(widths?.[column] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n')
}

async function userByEmail(repository: Repository, values: Values): Promise<UserRecord> {
  const email = option(values, 'email').trim().toLowerCase()
  const user = await repository.findUserByEmail(email)
  if (!user) throw new UsageError(`no account for ${email}`)
  return user
}

type Values = Record<string, string | boolean | undefined>

/** Commands that would be overwritten by a running server's memory refuse to run beside one. */
function refuseBesideServer(config: Config, command: string): void {
  const pid = runningServer(config.dataDir)
  if (pid !== null) {
    throw new UsageError(
      `a Kartu server (process ${pid}) is serving ${config.dataDir}: stop it before ${command}`,
    )
  }
}

function doctorReport(findings: CardFinding[], cards: number, repair: boolean): string {
  const lines: string[] = []
  for (const finding of findings) {
    const name = `${finding.ref ?? '(no card in the database)'} (${finding.documentName})`
    if (finding.unreadable) {
      lines.push(`${name}: cannot be read: ${finding.unreadable}`)
      continue
    }
    lines.push(`${name}: ${finding.problems.length} problem(s)`)
    for (const problem of finding.problems) lines.push(`  ${problem}`)
    if (finding.repair) {
      lines.push(
        `  repaired (${finding.repair.changes.length} change(s)); all ${finding.repair.characters} characters of text kept`,
      )
    }
  }
  const broken = findings.length
  lines.push(
    broken === 0
      ? `All ${cards} cards fit their schema.`
      : repair
        ? `${broken} of ${cards} cards did not fit their schema and were repaired (see the audit log).`
        : `${broken} of ${cards} cards do not fit their schema. Stop the server and run \`pnpm kartu doctor --repair\`.`,
  )
  return `${lines.join('\n')}\n`
}

function recordsReport(records: readonly RecordFinding[]): string {
  if (records.length === 0)
    return 'Every ministry, deck and card record can be served by the API.\n'
  const lines = records.flatMap((record) => [
    `${record.kind} ${record.id}: the API cannot answer with it`,
    ...record.problems.map((problem) => `  ${problem}`),
  ])
  lines.push(
    `${records.length} record(s) the API cannot answer with: correct them in the deck file and import it again, or ask for help (docs/operations.md).`,
  )
  return `${lines.join('\n')}\n`
}

/** Sign-off as the command line uses it (assignment), on the storage it opened. */
function signOffOf(storage: Storage): SignOff {
  const { repository, documents } = storage
  const logger = {
    info() {},
    debug() {},
    warn: (obj: object, msg?: string) =>
      process.stderr.write(`${msg ?? ''} ${JSON.stringify(obj)}\n`),
    error: (obj: object, msg?: string) =>
      process.stderr.write(`${msg ?? ''} ${JSON.stringify(obj)}\n`),
  }
  const audit = new AuditLog(repository)
  const inbox = new Inbox(storage.inbox, repository, storage.signOff, logger)
  return new SignOff(
    repository,
    storage.signOff,
    documents,
    new CardVersions(repository, documents, logger),
    new Cards(repository, audit),
    audit,
    inbox,
    new AnswerHashes(storage.signOff, repository, inbox),
    logger,
  )
}

/** backup and restore copy SQLite's file; PostgreSQL has its own tools (docs/operations.md). */
function refuseOnPostgres(config: Config, command: string, tool: string): void {
  if (config.databaseUrl) {
    throw new UsageError(
      `${command} copies the SQLite database; with KARTU_DATABASE_URL set, use PostgreSQL's ${tool} (docs/operations.md)`,
    )
  }
}

async function withStorage<T>(config: Config, run: (storage: Storage) => Promise<T>): Promise<T> {
  const storage = await openStorage(config)
  try {
    return await run(storage)
  } finally {
    await storage.close()
  }
}

export async function runCli(argv: string[]): Promise<void> {
  const [command, sub, ...rest] = argv
  const config = loadConfig()
  const parse = (args: string[]) =>
    parseArgs({
      args,
      allowPositionals: true,
      options: {
        email: { type: 'string' },
        name: { type: 'string' },
        ministry: { type: 'string' },
        password: { type: 'string' },
        deck: { type: 'string' },
        card: { type: 'string' },
        role: { type: 'string' },
        label: { type: 'string' },
        id: { type: 'string' },
        days: { type: 'string' },
        after: { type: 'string' },
        limit: { type: 'string' },
        repair: { type: 'boolean' },
        lead: { type: 'string' },
        contributing: { type: 'string' },
        due: { type: 'string' },
      },
    })

  switch (command) {
    case 'serve':
      await serve(config, { warnAboutDemoAccounts: true })
      return
    case 'demo': {
      const created = await withStorage(config, seedDemo)
      if (created) {
        process.stdout.write(`Created the demo deck ${created.deckId} and its accounts.\n`)
      }
      await serve(config, {
        onListening: () => printDemoSignIn(config, created?.password ?? null),
        warnAboutDemoAccounts: false,
      })
      return
    }
    case 'user': {
      const { values } = parse(rest)
      if (sub === 'add') {
        const input = {
          email: option(values, 'email'),
          name: option(values, 'name'),
          ministry: option(values, 'ministry'),
          password: option(values, 'password'),
        }
        const user = await withStorage(config, ({ repository }) =>
          // What the operator typed was wrong (ministry, email, password): usage, exit 2.
          accountsOf(repository)
            .create(input)
            .catch((error: unknown) => {
              throw error instanceof AccountError ? new UsageError(error.message) : error
            }),
        )
        process.stdout.write(`${user.id}\n`)
        return
      }
      if (sub === 'password') {
        const password = option(values, 'password')
        const result = await withStorage(config, async ({ repository }) => {
          const user = await userByEmail(repository, values)
          const ended = await accountsOf(repository).setPassword({
            actorUserId: null,
            userId: user.id,
            password,
          })
          return { user, ...ended }
        })
        process.stdout.write(
          `New password set for ${result.user.email}; ${result.sessionsEnded} session(s) ended.\n`,
        )
        return
      }
      if (sub === 'disable' || sub === 'enable') {
        const disabled = sub === 'disable'
        const result = await withStorage(config, async ({ repository }) => {
          const user = await userByEmail(repository, values)
          const changed = await accountsOf(repository).setDisabled({
            actorUserId: null,
            userId: user.id,
            disabled,
          })
          return { user, ...changed }
        })
        const state = disabled ? 'disabled' : 'enabled'
        process.stdout.write(
          result.changed
            ? `${result.user.email} is ${state}${disabled ? `; ${result.sessionsEnded} session(s) ended` : ''}.\n`
            : `${result.user.email} was already ${state}.\n`,
        )
        return
      }
      break
    }
    case 'session': {
      if (sub !== 'end') break
      const { values } = parse(rest)
      const result = await withStorage(config, async ({ repository }) => {
        const user = await userByEmail(repository, values)
        const count = await accountsOf(repository).endSessions({
          actorUserId: null,
          userId: user.id,
        })
        return { user, count }
      })
      process.stdout.write(`${result.count} session(s) of ${result.user.email} ended.\n`)
      return
    }
    case 'card': {
      if (sub !== 'assign') break
      const { values } = parse(rest)
      const cardId = option(values, 'card')
      const lead = option(values, 'lead')
      const contributing = typeof values.contributing === 'string' ? values.contributing : ''
      const due = typeof values.due === 'string' ? values.due : 'none'
      const dueDate = due === 'none' ? null : due
      if (dueDate !== null && !dueDateSchema.safeParse(dueDate).success) {
        throw new UsageError('--due must be a date (YYYY-MM-DD) or none')
      }
      const card = await withStorage(config, async (storage) => {
        try {
          return await signOffOf(storage).assign({
            actorUserId: null,
            cardId,
            change: {
              leadMinistryId: lead,
              contributingMinistryIds: contributing.split(',').filter((id) => id.trim() !== ''),
              dueDate,
            },
          })
        } catch (error) {
          if (error instanceof SignOffError) throw new UsageError(error.message)
          throw error
        }
      })
      const others = card.contributingMinistries.join(', ') || 'none'
      process.stdout.write(
        `${card.ref}: lead ${card.leadMinistry}, contributing ${others}, due ${card.dueDate ?? 'none'}\n`,
      )
      return
    }
    case 'deck': {
      if (sub !== 'import') break
      const { positionals } = parse(rest)
      const file = positionals[0]
      if (!file) throw new UsageError('deck import needs a FILE')
      const input: unknown = JSON.parse(fs.readFileSync(file, 'utf8'))
      const { deckId, cardIds } = await withStorage(config, ({ repository, documents }) =>
        new DeckImports(repository, documents, new AuditLog(repository)).import(input),
      )
      process.stdout.write(`Imported ${cardIds.length} cards.\n${deckId}\n`)
      return
    }
    case 'member': {
      const { values } = parse(rest)
      const deckId = option(values, 'deck')
      if (sub === 'add') {
        const role = roleSchema.safeParse(option(values, 'role'))
        if (!role.success) {
          throw new UsageError(`--role must be one of ${roleSchema.options.join(', ')}`)
        }
        const email = await withStorage(config, async ({ repository }) => {
          if (!(await repository.getDeck(deckId))) throw new UsageError(`no deck ${deckId}`)
          const user = await userByEmail(repository, values)
          await membersOf(repository).set({ actorUserId: null, deckId, user, role: role.data })
          return user.email
        })
        process.stdout.write(`${email} is ${role.data} of ${deckId}\n`)
        return
      }
      if (sub === 'remove') {
        const email = await withStorage(config, async ({ repository }) => {
          if (!(await repository.getDeck(deckId))) throw new UsageError(`no deck ${deckId}`)
          const user = await userByEmail(repository, values)
          const removed = await membersOf(repository).remove({
            actorUserId: null,
            deckId,
            userId: user.id,
          })
          if (!removed) throw new UsageError(`${user.email} is not a member of ${deckId}`)
          return user.email
        })
        process.stdout.write(`${email} is no longer a member of ${deckId}\n`)
        return
      }
      break
    }
    case 'suggest-only': {
      if (sub !== 'on' && sub !== 'off') throw new UsageError('suggest-only needs on or off')
      const { values } = parse(rest)
      const on = sub === 'on'
      const deckId = typeof values.deck === 'string' ? values.deck : undefined
      const cardId = typeof values.card === 'string' ? values.card : undefined
      if ((deckId === undefined) === (cardId === undefined)) {
        throw new UsageError('suggest-only needs --deck D or --card C')
      }
      const result = await withStorage(config, ({ repository }) => {
        const switches = new SuggestOnlySwitches(repository, new AuditLog(repository))
        return deckId !== undefined
          ? switches.setDeck({ actorUserId: null, deckId, on })
          : switches.setCard({ actorUserId: null, cardId: cardId as string, on })
      })
      const what = deckId !== undefined ? `deck ${deckId}` : `card ${cardId}`
      if (result === 'not_found') throw new UsageError(`no ${what}`)
      process.stdout.write(
        `"Everyone suggests" is ${sub} for ${what}${result === 'unchanged' ? ' (it was already)' : ''}.\n`,
      )
      return
    }
    case 'token': {
      const { values } = parse(rest)
      if (sub === 'issue') {
        const email = option(values, 'email').toLowerCase()
        const label = typeof values.label === 'string' ? values.label : 'cli'
        const days = integerOption(values, 'days', TOKEN_DEFAULT_DAYS, 1, 3650)
        const issued = await withStorage(config, async ({ repository }) => {
          const user = await repository.findUserByEmail(email)
          if (!user) throw new UsageError(`no account for ${email}`)
          return tokensOf(config, repository).issue({ userId: user.id, label, days })
        })
        process.stdout.write(
          `Token for ${email}, label "${label}", expires ${new Date(issued.expiresAt).toISOString()}.\n` +
            `Its id (for token revoke), then the token (shown once, keep it secret):\n` +
            `${issued.id}\n${issued.token}\n`,
        )
        return
      }
      if (sub === 'revoke') {
        const id = option(values, 'id')
        const now = Date.now()
        const revoked = await withStorage(config, async ({ repository }) => {
          const token = await tokensOf(config, repository).revoke(id, now)
          if (!token) throw new UsageError(`no token ${id}`)
          return token
        })
        process.stdout.write(
          `Token ${revoked.id} ("${revoked.label}") is revoked since ${new Date(revoked.revokedAt ?? now).toISOString()}.\n`,
        )
        return
      }
      if (sub === 'list') {
        const email = option(values, 'email').toLowerCase()
        const tokens = await withStorage(config, async ({ repository }) => {
          const user = await repository.findUserByEmail(email)
          if (!user) throw new UsageError(`no account for ${email}`)
          return tokensOf(config, repository).list(user.id)
        })
        process.stdout.write(
          tokens.length > 0 ? `${tokenTable(tokens, Date.now())}\n` : `No tokens for ${email}.\n`,
        )
        return
      }
      break
    }
    case 'migrate': {
      if (config.databaseUrl) {
        const pool = openPool(config.databaseUrl, { max: 1 })
        try {
          const ran = await migratePg(pool)
          process.stdout.write(
            `PostgreSQL schema up to date (version ${pgMigrations.length}); ${ran} migration${ran === 1 ? '' : 's'} applied now\n`,
          )
        } finally {
          await pool.end()
        }
      } else {
        await withStorage(config, async () => {})
        process.stdout.write(`SQLite schema up to date (version ${migrations.length})\n`)
      }
      return
    }
    case 'backup': {
      if (!sub) throw new UsageError('backup needs a FILE')
      refuseOnPostgres(config, 'backup', 'pg_dump')
      const documents = await backupDatabase(config.dataDir, sub)
      process.stdout.write(`Backed up ${documents} documents to ${sub}\n`)
      return
    }
    case 'doctor': {
      const { values } = parse(sub === undefined ? rest : [sub, ...rest])
      const repair = values.repair === true
      if (repair) refuseBesideServer(config, 'doctor --repair')
      const { findings, cards, records } = await withStorage(config, async (storage) => ({
        findings: await examineCards(storage, {
          repair,
          audit: new AuditLog(storage.repository),
        }),
        cards: (await storage.documents.listDocumentNames()).filter((n) => n.startsWith('card:'))
          .length,
        records: await examineRecords(storage),
      }))
      process.stdout.write(doctorReport(findings, cards, repair))
      process.stdout.write(recordsReport(records))
      if (findings.some((f) => f.unreadable || !f.repair) || records.length > 0) {
        process.exitCode = 1
      }
      return
    }
    case 'restore': {
      if (!sub) throw new UsageError('restore needs a FILE')
      refuseOnPostgres(config, 'restore', 'pg_restore')
      refuseBesideServer(config, 'restore')
      const { kept } = restoreDatabase(config.dataDir, sub)
      process.stdout.write(
        `Restored ${sub} into ${config.dataDir}${kept ? `; the previous database is kept as ${kept}` : ''}\n`,
      )
      return
    }
    case 'audit': {
      const { values } = parse(rest)
      if (sub === 'verify') {
        const result = await withStorage(config, ({ repository }) =>
          new AuditLog(repository).verify(),
        )
        if (result.ok) {
          process.stdout.write(
            result.head
              ? `OK: ${result.count} entries, the chain is intact. Head: #${result.head.seq} ${result.head.hash}\n`
              : 'OK: 0 entries.\n',
          )
          return
        }
        process.stdout.write(
          `BROKEN at entry #${result.seq} (${result.problem}): ${result.message}. ` +
            `${result.count} entries before it verified.\n`,
        )
        process.exitCode = 1
        return
      }
      if (sub === 'list') {
        const after = integerOption(values, 'after', 0, 0, Number.MAX_SAFE_INTEGER)
        const limit = integerOption(values, 'limit', 100, 1, 100_000)
        const entries = await withStorage(config, ({ repository }) =>
          new AuditLog(repository).list(after, limit),
        )
        for (const entry of entries) {
          process.stdout.write(
            `${JSON.stringify({ ...entry, at: new Date(entry.at).toISOString() })}\n`,
          )
        }
        return
      }
      break
    }
  }
  throw new UsageError(command ? `unknown command: ${argv.join(' ')}` : 'no command given')
}

/** The command line's own services: no running server to tell; it polls the database. */
const accountsOf = (repository: Repository) => new Accounts(repository, new AuditLog(repository))
const membersOf = (repository: Repository) => new Members(repository, new AuditLog(repository))
const tokensOf = (config: Config, repository: Repository) =>
  new Tokens(
    new Auth(repository, {
      sessionIdleMs: config.sessionIdleMs,
      sessionMaxMs: config.sessionMaxMs,
    }),
    repository,
    new AuditLog(repository),
  )

runCli(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof DeckImportError || error instanceof AccountError) {
    process.stderr.write(`kartu: ${error.message}\n`)
    process.exit(1)
  }
  if (error instanceof UsageError) {
    process.stderr.write(`kartu: ${error.message}\n\n${USAGE}\n`)
    process.exit(2)
  }
  process.stderr.write(
    `kartu: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  )
  process.exit(1)
})
