/**
 * What every node must hear at once (decision 0018), over Redis pub/sub: access changes, inbox
 * events. None of it is needed for correctness (each listener has a slower way to catch up), so
 * the bus never throws into its callers: while Redis is away a publish is dropped and said (now
 * and then, not at every publish), ioredis reconnects by itself with backoff, and once the
 * subscription is back every handler's `resync()` runs so that it catches up on what it missed
 * (Redis pub/sub keeps nothing for a subscriber that was away).
 *
 * Two connections: one that subscribes can do nothing else reliably, so publishing (and the
 * commands of those who share this Redis through `commands`, such as the sign-in counts) go
 * through the other. One channel per topic, all under one prefix (`kartu:` by default), and one
 * pattern subscription for all of them. A message is JSON `{ from, data }`: `from` is the
 * sender's node id, and every node, the sender too, receives it.
 */
import { Redis, type RedisOptions } from 'ioredis'
import { z } from 'zod'
import type { Logger } from '../collab/types.ts'
import { throttledWarning } from './throttledWarning.ts'

export type BusHandler = {
  /** A message on the topic, from any node, this one included (`from` says which). */
  receive(data: unknown, from: string): void
  /**
   * The subscription was (re-)established: what was published before is lost to this node.
   * Called on the first subscription too, since a node that came up while Redis was away missed
   * what was said meanwhile.
   */
  resync(): void
}

/** The bus as its users see it (the inbox, access changes): no Redis in sight. */
export type Bus = {
  readonly nodeId: string
  /** Sends to every node, this one too; never throws, dropped while Redis is away. */
  publish(topic: string, data: unknown): void
  /** Returns how to stop listening. */
  subscribe(topic: string, handler: BusHandler): () => void
}

export type ClusterBusOptions = {
  /** It may hold a password: never logged. */
  redisUrl: string
  nodeId: string
  logger: Logger
  /** Starts every channel, and every key of those who share `commands` (default `kartu:`). */
  prefix?: string
  /** Delay before reconnection attempt `attempt` (1-based); default doubles from 100 ms to 2 s. */
  retryDelayMs?: (attempt: number) => number
}

export const DEFAULT_BUS_PREFIX = 'kartu:'

const envelopeSchema = z.object({ from: z.string(), data: z.unknown() })

/** Glob characters would change what the pattern subscription matches. */
const PREFIX_PATTERN = /^[A-Za-z0-9._:-]{1,64}$/

const defaultRetryDelayMs = (attempt: number) => Math.min(100 * 2 ** (attempt - 1), 2000)

export class ClusterBus implements Bus {
  readonly nodeId: string
  readonly prefix: string
  /**
   * Regular commands (the publishes, and those of anyone sharing this Redis). A command made
   * while Redis is away fails at once instead of waiting in a queue.
   */
  readonly commands: Redis
  private readonly subscriber: Redis
  private readonly handlers = new Map<string, Set<BusHandler>>()
  private readonly logger: Logger
  private readonly warnDropped: (fields: object, message: string) => void
  private readonly warnUnreachable: (fields: object, message: string) => void
  /** The pattern subscription holds on the current connection. */
  private subscribed = false
  /** Bumped on every connection of the subscriber: a late answer of an old one is ignored. */
  private connection = 0
  private closed = false

  constructor(options: ClusterBusOptions) {
    const prefix = options.prefix ?? DEFAULT_BUS_PREFIX
    if (!PREFIX_PATTERN.test(prefix)) throw new Error(`bus prefix ${prefix}: letters, digits, ._:-`)
    this.nodeId = options.nodeId
    this.prefix = prefix
    this.logger = options.logger
    this.warnDropped = throttledWarning(options.logger)
    this.warnUnreachable = throttledWarning(options.logger)
    const redisOptions: RedisOptions = {
      // Dropped rather than queued while Redis is away: resync() covers what was missed, and a
      // queue would grow for as long as the outage lasts and then arrive late, all at once.
      enableOfflineQueue: false,
      // Nor resent after a reconnection: its caller already went on without it.
      autoResendUnfulfilledCommands: false,
      // A Redis that takes a connection and never answers must not hold a sign-in or a publish.
      commandTimeout: 2000,
      connectTimeout: 3000,
      retryStrategy: options.retryDelayMs ?? defaultRetryDelayMs,
      // We subscribe again ourselves, to know when the subscription is back (see resubscribe).
      autoResubscribe: false,
    }
    // Named, so that CLIENT LIST on Redis tells the nodes (and their two connections) apart.
    this.commands = new Redis(options.redisUrl, {
      ...redisOptions,
      connectionName: `kartu:${options.nodeId}:commands`,
    })
    this.subscriber = new Redis(options.redisUrl, {
      ...redisOptions,
      connectionName: `kartu:${options.nodeId}:subscriber`,
    })
    // Without a listener, ioredis prints every connection error to the console.
    const onError = (error: Error) =>
      this.warnUnreachable({ err: error }, 'Redis unreachable: live notices between nodes wait')
    this.commands.on('error', onError)
    this.subscriber.on('error', onError)
    this.subscriber.on('ready', () => void this.resubscribe())
    this.subscriber.on('close', () => {
      this.connection++
      if (this.subscribed && !this.closed) {
        this.logger.warn({}, 'lost Redis: live notices between nodes wait until it is back')
      }
      this.subscribed = false
    })
    this.subscriber.on('pmessage', (_pattern: string, channel: string, message: string) =>
      this.dispatch(channel, message),
    )
  }

  /** 'up' when both connections work and the subscription holds (readiness). */
  get state(): 'up' | 'down' {
    return this.subscribed && this.commands.status === 'ready' ? 'up' : 'down'
  }

  publish(topic: string, data: unknown): void {
    if (this.closed) return
    if (this.commands.status !== 'ready') {
      this.warnDropped({ topic }, 'Redis unreachable: a notice to the other nodes was dropped')
      return
    }
    try {
      const message = JSON.stringify({ from: this.nodeId, data })
      this.commands.publish(this.prefix + topic, message).catch((error: unknown) => {
        this.warnDropped({ err: error, topic }, 'a notice to the other nodes was dropped')
      })
    } catch (error) {
      // Data that is not JSON: a bug of the caller, said, but not thrown at it.
      this.warnDropped({ err: error, topic }, 'a notice to the other nodes was dropped')
    }
  }

  subscribe(topic: string, handler: BusHandler): () => void {
    const set = this.handlers.get(topic) ?? new Set<BusHandler>()
    set.add(handler)
    this.handlers.set(topic, set)
    return () => {
      set.delete(handler)
      if (set.size === 0 && this.handlers.get(topic) === set) this.handlers.delete(topic)
    }
  }

  /** Ends both connections (shutdown); no handler is called after it. */
  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    this.subscribed = false
    this.handlers.clear()
    await Promise.all([quitOrDrop(this.subscriber), quitOrDrop(this.commands)])
  }

  /**
   * On every (re)connection of the subscriber. The subscription comes first and resync() after
   * it: anything published from then on arrives, and what each handler re-reads is at least as
   * new as what it missed. The other way round, a notice published between the two would be lost.
   */
  private async resubscribe(): Promise<void> {
    const connection = this.connection
    try {
      await this.subscriber.psubscribe(`${this.prefix}*`)
    } catch (error) {
      // The connection went away again: its next 'ready' tries again.
      this.warnUnreachable({ err: error }, 'could not subscribe to Redis')
      return
    }
    if (this.closed || connection !== this.connection) return
    this.subscribed = true
    this.logger.info({ node: this.nodeId }, 'subscribed to Redis: live notices between nodes')
    for (const handler of this.allHandlers()) {
      try {
        handler.resync()
      } catch (error) {
        this.logger.warn({ err: error }, 'a bus handler failed to resync')
      }
    }
  }

  private dispatch(channel: string, message: string): void {
    if (this.closed || !channel.startsWith(this.prefix)) return
    const handlers = this.handlers.get(channel.slice(this.prefix.length))
    if (!handlers) return
    let envelope: z.infer<typeof envelopeSchema>
    try {
      envelope = envelopeSchema.parse(JSON.parse(message))
    } catch (error) {
      this.warnDropped({ err: error, channel }, 'a notice from Redis was not understood')
      return
    }
    // A copy: a handler may stop listening while it is called.
    for (const handler of [...handlers]) {
      try {
        handler.receive(envelope.data, envelope.from)
      } catch (error) {
        this.logger.warn({ err: error, channel }, 'a bus handler failed')
      }
    }
  }

  private allHandlers(): BusHandler[] {
    return [...this.handlers.values()].flatMap((set) => [...set])
  }
}

/** QUIT when Redis answers (what was sent goes out first); otherwise just stop reconnecting. */
async function quitOrDrop(redis: Redis): Promise<void> {
  if (redis.status === 'ready') {
    try {
      await redis.quit()
      return
    } catch {
      // It stopped answering meanwhile: dropped below.
    }
  }
  redis.disconnect()
}
