/**
 * `pnpm kartu <command>`: serve, demo, and the admin commands. Commands that print an id or a
 * secret print it alone on the last line, so scripts can take it with `tail -n 1`.
 */
import { randomUUID } from 'node:crypto'
import fs from 'node:fs'
import { parseArgs } from 'node:util'
import { type Ministry, roleSchema } from '@kartu/protocol'
import { Auth } from './auth/Auth.ts'
import { hashPassword } from './auth/passwords.ts'
import { type Config, loadConfig } from './config.ts'
import { importDeck } from './deckImport.ts'
import { DEMO_ACCOUNTS, DEMO_DECK_FILE, DEMO_PASSWORD } from './demo/demoAccounts.ts'
import { serve } from './main.ts'
import { openStorage, type Storage } from './store/openStore.ts'
import type { Repository } from './store/types.ts'

const USAGE = `Usage: pnpm kartu <command>
  serve                         start the server (env: PORT, HOST, KARTU_DATA_DIR, KARTU_PUBLIC_ORIGIN, ...)
  demo                          create the demo deck and accounts if the data folder has none, then serve
  user add --email E --name N --ministry M --password P
  deck import FILE              import a deck (JSON shaped like the sample deck); prints the deck id
  member add --deck D --email E --role R   (chair, editor, suggester, commenter, viewer)
  token issue --email E [--label L]        prints a personal access token once`

class UsageError extends Error {}

function option(values: Record<string, string | boolean | undefined>, name: string): string {
  const value = values[name]
  if (typeof value !== 'string' || value.length === 0) throw new UsageError(`--${name} is required`)
  return value
}

function findMinistry(ministries: Ministry[], query: string): Ministry | undefined {
  const q = query.trim().toLowerCase()
  return ministries.find(
    (m) =>
      m.id.toLowerCase() === q ||
      m.short.toLowerCase() === q ||
      m.aliases.some(
        (alias) => alias.toLowerCase() === q || alias.toLowerCase().startsWith(`${q} (`),
      ),
  )
}

async function addUser(
  repository: Repository,
  input: { email: string; name: string; ministry: string; password: string },
): Promise<string> {
  const ministries = await repository.listMinistries()
  const ministry = findMinistry(ministries, input.ministry)
  if (!ministry) {
    const known =
      ministries.map((m) => `${m.id} (${m.short})`).join(', ') || 'none: import a deck first'
    throw new UsageError(`unknown ministry "${input.ministry}"; known: ${known}`)
  }
  const email = input.email.trim().toLowerCase()
  if (await repository.findUserByEmail(email))
    throw new UsageError(`${email} already has an account`)
  if (input.password.length < 8) throw new UsageError('the password needs at least 8 characters')
  const id = randomUUID()
  await repository.createUser({
    id,
    email,
    name: input.name,
    ministryId: ministry.id,
    passwordHash: await hashPassword(input.password),
  })
  return id
}

async function seedDemo(storage: Storage): Promise<string | null> {
  const { repository, documents } = storage
  if ((await repository.listMinistries()).length > 0) return null
  const file: unknown = JSON.parse(fs.readFileSync(DEMO_DECK_FILE, 'utf8'))
  const { deckId } = await importDeck(repository, documents, file)
  for (const account of DEMO_ACCOUNTS) {
    const userId = await addUser(repository, {
      ...account,
      ministry: account.ministryId,
      password: DEMO_PASSWORD,
    })
    await repository.setMember(deckId, userId, account.role)
  }
  return deckId
}

function printDemoSignIn(config: Config): void {
  const origin = config.publicOrigins[0] ?? `http://localhost:${config.port}`
  const lines = [
    '',
    `Kartu is running: open ${origin}`,
    `Sign in with any demo account below; the password of each is "${DEMO_PASSWORD}".`,
    ...DEMO_ACCOUNTS.map((a) => `  ${a.email.padEnd(24)} ${a.role.padEnd(7)} ${a.ministryId}`),
    '',
  ]
  process.stdout.write(`${lines.join('\n')}\n`)
}

async function withStorage<T>(config: Config, run: (storage: Storage) => Promise<T>): Promise<T> {
  const storage = openStorage(config.dataDir)
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
        role: { type: 'string' },
        label: { type: 'string' },
      },
    })

  switch (command) {
    case 'serve':
      await serve(config)
      return
    case 'demo': {
      const deckId = await withStorage(config, seedDemo)
      if (deckId) process.stdout.write(`Created the demo deck ${deckId} and its accounts.\n`)
      await serve(config, () => printDemoSignIn(config))
      return
    }
    case 'user': {
      if (sub !== 'add') break
      const { values } = parse(rest)
      const id = await withStorage(config, (s) =>
        addUser(s.repository, {
          email: option(values, 'email'),
          name: option(values, 'name'),
          ministry: option(values, 'ministry'),
          password: option(values, 'password'),
        }),
      )
      process.stdout.write(`${id}\n`)
      return
    }
    case 'deck': {
      if (sub !== 'import') break
      const { positionals } = parse(rest)
      const file = positionals[0]
      if (!file) throw new UsageError('deck import needs a FILE')
      const input: unknown = JSON.parse(fs.readFileSync(file, 'utf8'))
      const { deckId, cardIds } = await withStorage(config, (s) =>
        importDeck(s.repository, s.documents, input),
      )
      process.stdout.write(`Imported ${cardIds.length} cards.\n${deckId}\n`)
      return
    }
    case 'member': {
      if (sub !== 'add') break
      const { values } = parse(rest)
      const role = roleSchema.safeParse(option(values, 'role'))
      if (!role.success)
        throw new UsageError(`--role must be one of ${roleSchema.options.join(', ')}`)
      const deckId = option(values, 'deck')
      const email = option(values, 'email').toLowerCase()
      await withStorage(config, async ({ repository }) => {
        if (!(await repository.getDeck(deckId))) throw new UsageError(`no deck ${deckId}`)
        const user = await repository.findUserByEmail(email)
        if (!user) throw new UsageError(`no account for ${email}`)
        await repository.setMember(deckId, user.id, role.data)
      })
      process.stdout.write(`${email} is ${role.data} of ${deckId}\n`)
      return
    }
    case 'token': {
      if (sub !== 'issue') break
      const { values } = parse(rest)
      const email = option(values, 'email').toLowerCase()
      const label = typeof values.label === 'string' ? values.label : 'cli'
      const token = await withStorage(config, async ({ repository }) => {
        const user = await repository.findUserByEmail(email)
        if (!user) throw new UsageError(`no account for ${email}`)
        const auth = new Auth(repository, {
          sessionIdleMs: config.sessionIdleMs,
          sessionMaxMs: config.sessionMaxMs,
        })
        return (await auth.issueToken(user.id, label)).token
      })
      process.stdout.write(`Token for ${email} (shown once, keep it secret):\n${token}\n`)
      return
    }
  }
  throw new UsageError(command ? `unknown command: ${argv.join(' ')}` : 'no command given')
}

runCli(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UsageError) {
    process.stderr.write(`kartu: ${error.message}\n\n${USAGE}\n`)
    process.exit(2)
  }
  process.stderr.write(
    `kartu: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  )
  process.exit(1)
})
