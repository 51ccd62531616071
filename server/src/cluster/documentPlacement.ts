/**
 * Where a document is served when several nodes share one database (decision 0018): here,
 * under this node's lease, or by the node holding it, to which the connection is forwarded.
 *
 * - `place` is asked at each websocket upgrade: here when the lease is (or becomes) this node's.
 * - `takeOver` takes a document from a holder that does not answer on its port.
 * - As the rooms' gate, a room loads only under this node's lease, and its lease ends when it
 *   unloads, so the next node to need it takes it at once.
 * - Every third of the lease's lifetime the leases are renewed; a document this node lost (it
 *   paused too long, or another node took it while this one seemed gone) has its room evicted:
 *   its connections close with 4503 and reconnect to the holder, and they send it what this
 *   node never stored (the fence refused it).
 */
import { CloseCode } from '@kartu/protocol'
import type { RoomGate, RoomManager } from '../collab/RoomManager.ts'
import type { Logger } from '../collab/types.ts'
import {
  DocumentHeldElsewhereError,
  type DocumentLeases,
  type LeaseHolder,
} from '../store/postgres/DocumentLeases.ts'

export type Placement = { here: true } | { here: false; holder: LeaseHolder }

export class DocumentPlacement implements RoomGate {
  /** When each document was last placed here: its lease is kept while its room loads. */
  private readonly placedAt = new Map<string, number>()
  private readonly releasing = new Set<Promise<void>>()
  private rooms: Pick<RoomManager, 'get' | 'evict'> | null = null
  private timer: NodeJS.Timeout | null = null
  private renewing: Promise<void> | null = null

  constructor(
    private readonly leases: DocumentLeases,
    private readonly logger: Logger,
    private readonly ttlMs: number,
  ) {}

  /** The rooms whose leases this renews (they are made with this as their gate). */
  attach(rooms: Pick<RoomManager, 'get' | 'evict'>): void {
    this.rooms = rooms
  }

  start(): void {
    this.timer = setInterval(
      () => {
        // One renewal at a time: a slow database must not pile them up.
        this.renewing ??= this.renew().finally(() => {
          this.renewing = null
        })
      },
      Math.max(100, Math.floor(this.ttlMs / 3)),
    )
    this.timer.unref()
  }

  async place(name: string): Promise<Placement> {
    const answer = await this.leases.acquire(name)
    if (answer.mine) {
      this.placedAt.set(name, Date.now())
      return { here: true }
    }
    return { here: false, holder: answer.holder }
  }

  /** The holder `gone` did not answer: take the document, unless another node has it now. */
  async takeOver(name: string, gone: LeaseHolder): Promise<Placement> {
    const answer = await this.leases.takeOver(name, gone.nodeId)
    if (answer.mine) {
      this.logger.warn(
        { room: name, from: gone.nodeId },
        'took over a document from a node that does not answer',
      )
      this.placedAt.set(name, Date.now())
      return { here: true }
    }
    return { here: false, holder: answer.holder }
  }

  /** Whether this node holds the document now (as far as it knows). */
  holds(name: string): boolean {
    return this.leases.tokenOf(name) !== undefined
  }

  async beforeLoad(name: string): Promise<void> {
    // Placed at the upgrade just before, usually; a room loaded for a REST request (a restore,
    // an import) is leased here.
    if (this.holds(name)) return
    const placement = await this.place(name)
    if (!placement.here) throw new DocumentHeldElsewhereError([name])
  }

  unloaded(name: string): void {
    this.placedAt.delete(name)
    this.track(this.leases.release(name))
  }

  /** Renews the leases of the rooms here; evicts those lost, lets go of those not needed. */
  async renew(): Promise<void> {
    const now = Date.now()
    const keep: string[] = []
    for (const name of this.leases.heldNames()) {
      const placed = this.placedAt.get(name)
      if (this.rooms?.get(name) || (placed !== undefined && now - placed < this.ttlMs)) {
        keep.push(name)
      } else {
        // Placed, but no room came (the connection went away before it loaded).
        this.placedAt.delete(name)
        this.track(this.leases.release(name))
      }
    }
    if (keep.length === 0) return
    let lost: string[]
    try {
      lost = await this.leases.renew(keep)
    } catch (error) {
      this.logger.error({ err: error }, 'renewing document leases failed; retrying')
      return
    }
    for (const name of lost) {
      this.placedAt.delete(name)
      this.logger.warn({ room: name }, 'another node took this document; its connections move')
      this.rooms?.evict(name, CloseCode.ShuttingDown, 'the document moved to another node')
    }
  }

  /** Stops renewing and waits for the leases being given up (shutdown, after the rooms closed). */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
    await this.renewing
    await Promise.all(this.releasing)
  }

  private track(release: Promise<void>): void {
    const tracked = release.catch((error: unknown) => {
      // The lease runs out by itself; the next node waits for that instead.
      this.logger.warn({ err: error }, 'could not end a document lease')
    })
    this.releasing.add(tracked)
    void tracked.finally(() => this.releasing.delete(tracked))
  }
}
