/**
 * The only reader of the environment. One zod schema turns process.env into a typed Config;
 * everything else receives a Config (tests build one with `configFrom({...})`).
 */
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { z } from 'zod'

const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')

const int = (fallback: number, min = 0) => z.coerce.number().int().min(min).default(fallback)

const envSchema = z.object({
  PORT: int(8080),
  HOST: z.string().default('0.0.0.0'),
  KARTU_DATA_DIR: z.string().default(path.join(repositoryRoot, 'data')),
  /** PostgreSQL instead of the embedded SQLite: `postgres://…` (empty: SQLite in the data folder). */
  KARTU_DATABASE_URL: z
    .string()
    .default('')
    .refine((url) => /^((postgres|postgresql):\/\/.+)?$/i.test(url.trim()), 'a postgres:// URL'),
  /** Comma-separated origins from which browsers may use a session cookie. */
  KARTU_PUBLIC_ORIGIN: z.string().default('http://localhost:8080'),
  /** Several nodes (decision 0018): Redis, and how the other nodes reach this one. */
  KARTU_REDIS_URL: z
    .string()
    .default('')
    .refine((url) => /^(rediss?:\/\/.+)?$/i.test(url.trim()), 'a redis:// or rediss:// URL'),
  KARTU_NODE_ID: z.string().default(''),
  KARTU_NODE_URL: z.string().default(''),
  KARTU_CLUSTER_SECRET: z.string().default(''),
  KARTU_LEASE_TTL_MS: int(3000, 500),
  KARTU_CLIENT_DIR: z.string().default(path.join(repositoryRoot, 'client', 'dist')),
  KARTU_LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info'),
  KARTU_SESSION_IDLE_MINUTES: int(12 * 60, 1),
  KARTU_SESSION_MAX_HOURS: int(7 * 24, 1),
  KARTU_MAX_MESSAGE_BYTES: int(1024 * 1024, 1024),
  KARTU_COMPACT_AFTER_UPDATES: int(500, 1),
  KARTU_ROOM_UNLOAD_DELAY_MS: int(2000, 0),
  KARTU_SHUTDOWN_TIMEOUT_MS: int(4000, 100),
  KARTU_PERMISSION_REFRESH_MS: int(2000, 100),
  KARTU_VERSION_QUIET_MS: int(300_000, 100),
  KARTU_VERSION_BUDGET_BYTES: int(50 * 1024 * 1024, 1024),
  KARTU_MAX_UPDATE_BYTES: int(512 * 1024, 1024),
  KARTU_DOC_WARN_BYTES: int(2 * 1024 * 1024, 1024),
  KARTU_DOC_MAX_BYTES: int(8 * 1024 * 1024, 1024),
  KARTU_MAX_MESSAGES_PER_SECOND: int(100, 1),
  KARTU_PRESENCE_MAX_STATE_BYTES: int(4096, 256),
  KARTU_PRESENCE_MAX_ROOM_BYTES: int(512 * 1024, 4096),
  KARTU_PRESENCE_FLUSH_MS: int(100, 0),
  KARTU_MAX_CONNECTIONS_PER_USER: int(50, 1),
  KARTU_SIGNIN_WINDOW_MINUTES: int(15, 1),
  KARTU_SIGNIN_MAX_FAILURES_PER_ACCOUNT: int(5, 1),
  KARTU_SIGNIN_MAX_FAILURES_PER_ADDRESS: int(20, 1),
  /** Which proxies may set X-Forwarded-For: false, true, or addresses/CIDRs. */
  KARTU_TRUST_PROXY: z.string().default('false'),
  /** The handling marking printed on every exported page (briefing book, minutes); empty: none. */
  KARTU_EXPORT_MARKING: z.string().max(40).default('TERBATAS'),
  /** The zone of dates printed in exports and of `?session=<date>` (an IANA name). */
  KARTU_TIME_ZONE: z
    .string()
    .default('Asia/Jakarta')
    .refine((zone) => {
      try {
        new Intl.DateTimeFormat('en-US', { timeZone: zone })
        return true
      } catch {
        return false
      }
    }, 'an IANA time zone such as Asia/Jakarta'),
  /** E-mail of inbox items (inbox/mailer.ts): `smtp://` or `smtps://`; empty sends no mail. */
  KARTU_SMTP_URL: z
    .string()
    .default('')
    .refine((url) => /^(smtps?:\/\/.+)?$/i.test(url.trim()), 'an smtp:// or smtps:// URL'),
  KARTU_MAIL_FROM: z.string().min(3).default('Kartu <kartu@localhost>'),
  KARTU_MAIL_MENTION_DELAY_MS: int(60_000, 0),
  KARTU_MAIL_DIGEST_INTERVAL_MS: int(4 * 3_600_000, 0),
  KARTU_MAIL_RETRY_MS: int(60_000, 1000),
  /** Test only: refuse client updates that write this word into an answer (empty: off). */
  KARTU_TEST_REFUSE_TEXT: z.string().default(''),
  /** GET /metrics for a scraper bearing this token (empty: no metrics, 404). */
  KARTU_METRICS_TOKEN: z
    .string()
    .default('')
    .refine(
      (token) => /^(\S{16,})?$/.test(token.trim()),
      'at least 16 characters without spaces (empty: no /metrics)',
    ),
})

export type Config = {
  port: number
  host: string
  dataDir: string
  /**
   * Where cards, accounts and documents are stored: PostgreSQL at this URL (it may hold a
   * password: never logged), or null for SQLite in the data folder (the embedded default).
   */
  databaseUrl: string | null
  /** Set when this process is one of several nodes (KARTU_REDIS_URL); null for one process. */
  cluster: ClusterConfig | null
  /** Normalised origins (normaliseOrigin), so that they compare with an Origin header. */
  publicOrigins: string[]
  /** Secure cookies when the public origin is https. */
  secureCookies: boolean
  clientDir: string
  logLevel: z.infer<typeof envSchema>['KARTU_LOG_LEVEL']
  sessionIdleMs: number
  sessionMaxMs: number
  maxMessageBytes: number
  compactAfterUpdates: number
  roomUnloadDelayMs: number
  shutdownTimeoutMs: number
  /** How often open connections re-read roles and locks changed by another process. */
  permissionRefreshMs: number
  /** A card's automatic version is taken after this long without a change (history/). */
  versionQuietMs: number
  /** Bytes of a card's versions over which the card's history warns (docs/operations.md). */
  versionBudgetBytes: number
  /** Largest single Yjs update accepted from a client. */
  maxUpdateBytes: number
  /** Stored size of a document at which a warning is logged, and past which growth is refused. */
  docWarnBytes: number
  docMaxBytes: number
  /** Sustained messages per second per connection (bursts of three times as many pass). */
  maxMessagesPerSecond: number
  /** Largest presence (awareness) state one connection may announce, in bytes of JSON. */
  presenceMaxStateBytes: number
  /** All presence states of one document together, in bytes of JSON. */
  presenceMaxRoomBytes: number
  /** Presence changes of a room go out together at most this often (ms). */
  presenceFlushMs: number
  maxConnectionsPerUser: number
  /** Failed sign-ins allowed per account and per remote address within the window. */
  signInWindowMs: number
  signInMaxFailuresPerAccount: number
  signInMaxFailuresPerAddress: number
  /** Fastify's trustProxy: whose X-Forwarded-For gives the remote address (rate limits, audit). */
  trustProxy: TrustProxy
  /**
   * Test only (browser tests of what the client does with a refusal): client updates that write
   * this word into a card's answer outside suggestions are refused with `test_refusal`. Null: off.
   */
  testRefuseText: string | null
  /** Printed on every exported page (e.g. TERBATAS); empty prints none. */
  exportMarking: string
  /** IANA zone of exported dates and of minutes asked for by date. */
  timeZone: string
  /** Where inbox e-mail goes out (it may hold a password: never logged); null: no e-mail. */
  smtpUrl: string | null
  /** The From of every e-mail. */
  mailFrom: string
  /** A mention still unread this long after it came is e-mailed. */
  mailMentionDelayMs: number
  /** A person's other items are e-mailed together once the oldest has waited this long. */
  mailDigestIntervalMs: number
  /** After a failed send, the next try is this much later. */
  mailRetryMs: number
  /**
   * The bearer token of GET /metrics (a secret: never logged); null: nothing is measured and
   * /metrics is not found.
   */
  metricsToken: string | null
}

export type ClusterConfig = {
  /** Redis, for what every node must hear at once (it may hold a password: never logged). */
  redisUrl: string
  /** This node's name among the nodes (unique). */
  nodeId: string
  /** Where the other nodes reach this one (http://host:port, inside the data centre). */
  nodeUrl: string
  /** Signs the identity a node forwards with a connection to another (shared by all nodes). */
  secret: string
  /** How long a node holds a document without renewing its lease. */
  leaseTtlMs: number
}

export type TrustProxy = boolean | string[]

/**
 * "false" (default), "true" (trust any proxy: only when nothing else can reach the port), or
 * comma-separated addresses or CIDRs of the proxies (e.g. "127.0.0.1,10.0.0.0/8").
 */
export function parseTrustProxy(value: string): TrustProxy {
  const text = value.trim().toLowerCase()
  if (text === '' || text === 'false') return false
  if (text === 'true') return true
  return text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.length > 0)
}

export type Environment = Record<string, string | undefined>

/**
 * `scheme://host[:port]`, lower case, without a default port (the form of a browser's Origin
 * header); null for anything that is not an http(s) origin, such as the `null` that sandboxed
 * frames send.
 */
export function normaliseOrigin(value: string): string | null {
  try {
    const url = new URL(value)
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null
    return url.origin
  } catch {
    return null
  }
}

/**
 * Several nodes need one PostgreSQL (documents are leased there), Redis, a unique node id, the
 * address other nodes reach this one at, and a shared secret of some length.
 */
function clusterConfig(e: z.infer<typeof envSchema>): ClusterConfig | null {
  const redisUrl = e.KARTU_REDIS_URL.trim()
  if (redisUrl === '') return null
  const problems: string[] = []
  if (e.KARTU_DATABASE_URL.trim() === '') {
    problems.push(
      'KARTU_DATABASE_URL: several nodes share one PostgreSQL; set it with KARTU_REDIS_URL',
    )
  }
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(e.KARTU_NODE_ID)) {
    problems.push('KARTU_NODE_ID: a unique name for this node (letters, digits, . _ -)')
  }
  if (normaliseOrigin(e.KARTU_NODE_URL) === null) {
    problems.push('KARTU_NODE_URL: the http(s)://host:port other nodes reach this node at')
  }
  if (e.KARTU_CLUSTER_SECRET.length < 32) {
    problems.push('KARTU_CLUSTER_SECRET: at least 32 characters, the same on every node')
  }
  if (problems.length > 0) throw new Error(`Invalid configuration:\n  ${problems.join('\n  ')}`)
  return {
    redisUrl,
    nodeId: e.KARTU_NODE_ID,
    nodeUrl: normaliseOrigin(e.KARTU_NODE_URL) as string,
    secret: e.KARTU_CLUSTER_SECRET,
    leaseTtlMs: e.KARTU_LEASE_TTL_MS,
  }
}

/** Builds a Config from environment-style variables; throws a readable error on bad values. */
export function configFrom(env: Environment): Config {
  const parsed = envSchema.safeParse(env)
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`)
    throw new Error(`Invalid configuration:\n  ${lines.join('\n  ')}`)
  }
  const e = parsed.data
  const publicOrigins = e.KARTU_PUBLIC_ORIGIN.split(',')
    .map((origin) => origin.trim())
    .filter((origin) => origin.length > 0)
    .map((origin) => {
      const normalised = normaliseOrigin(origin)
      if (normalised === null) {
        throw new Error(
          `Invalid configuration:\n  KARTU_PUBLIC_ORIGIN: ${origin} is not an http(s) origin`,
        )
      }
      return normalised
    })
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(e.KARTU_DATA_DIR),
    databaseUrl: e.KARTU_DATABASE_URL.trim() === '' ? null : e.KARTU_DATABASE_URL.trim(),
    cluster: clusterConfig(e),
    publicOrigins,
    secureCookies: publicOrigins.some((origin) => origin.startsWith('https:')),
    clientDir: path.resolve(e.KARTU_CLIENT_DIR),
    logLevel: e.KARTU_LOG_LEVEL,
    sessionIdleMs: e.KARTU_SESSION_IDLE_MINUTES * 60_000,
    sessionMaxMs: e.KARTU_SESSION_MAX_HOURS * 3_600_000,
    maxMessageBytes: e.KARTU_MAX_MESSAGE_BYTES,
    compactAfterUpdates: e.KARTU_COMPACT_AFTER_UPDATES,
    roomUnloadDelayMs: e.KARTU_ROOM_UNLOAD_DELAY_MS,
    shutdownTimeoutMs: e.KARTU_SHUTDOWN_TIMEOUT_MS,
    permissionRefreshMs: e.KARTU_PERMISSION_REFRESH_MS,
    versionQuietMs: e.KARTU_VERSION_QUIET_MS,
    versionBudgetBytes: e.KARTU_VERSION_BUDGET_BYTES,
    maxUpdateBytes: e.KARTU_MAX_UPDATE_BYTES,
    docWarnBytes: e.KARTU_DOC_WARN_BYTES,
    docMaxBytes: e.KARTU_DOC_MAX_BYTES,
    maxMessagesPerSecond: e.KARTU_MAX_MESSAGES_PER_SECOND,
    presenceMaxStateBytes: e.KARTU_PRESENCE_MAX_STATE_BYTES,
    presenceMaxRoomBytes: e.KARTU_PRESENCE_MAX_ROOM_BYTES,
    presenceFlushMs: e.KARTU_PRESENCE_FLUSH_MS,
    maxConnectionsPerUser: e.KARTU_MAX_CONNECTIONS_PER_USER,
    signInWindowMs: e.KARTU_SIGNIN_WINDOW_MINUTES * 60_000,
    signInMaxFailuresPerAccount: e.KARTU_SIGNIN_MAX_FAILURES_PER_ACCOUNT,
    signInMaxFailuresPerAddress: e.KARTU_SIGNIN_MAX_FAILURES_PER_ADDRESS,
    trustProxy: parseTrustProxy(e.KARTU_TRUST_PROXY),
    testRefuseText: e.KARTU_TEST_REFUSE_TEXT.trim() || null,
    exportMarking: e.KARTU_EXPORT_MARKING.trim(),
    timeZone: e.KARTU_TIME_ZONE,
    smtpUrl: e.KARTU_SMTP_URL.trim() || null,
    mailFrom: e.KARTU_MAIL_FROM,
    mailMentionDelayMs: e.KARTU_MAIL_MENTION_DELAY_MS,
    mailDigestIntervalMs: e.KARTU_MAIL_DIGEST_INTERVAL_MS,
    mailRetryMs: e.KARTU_MAIL_RETRY_MS,
    metricsToken: e.KARTU_METRICS_TOKEN.trim() || null,
  }
}

export function loadConfig(): Config {
  return configFrom(process.env)
}
