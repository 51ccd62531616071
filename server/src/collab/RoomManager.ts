/**
 * Keeps one Room per document name and decides when rooms load and unload.
 *
 * Races closed here (the ones the old y-websocket server had):
 * - Two connections arriving while a document loads share one load (`loading` promise map).
 * - A connection arriving while the room unloads waits for the unload to finish storing, then
 *   loads the document again (`unloading` promise map); it never sees a half-destroyed room.
 * - A room is unloaded only when no one holds it: `acquire` counts holders *before* awaiting,
 *   so a connection between "loaded" and "added to the room" keeps the room alive.
 */
import { Room, type RoomOptions } from './Room.ts'

type Entry = { room: Room; holders: number; unloadTimer: NodeJS.Timeout | null }

/**
 * Where several nodes serve documents (decision 0018), whether this node may load one: the
 * gate is asked before each load (and throws if another node holds the document), and told when
 * a room is gone.
 */
export interface RoomGate {
  beforeLoad(name: string): Promise<void>
  unloaded(name: string): void
}

export type RoomManagerOptions = RoomOptions & {
  /** How long an empty room stays loaded, in case someone comes back (0: unload at once). */
  unloadDelayMs: number
  gate?: RoomGate
}

export class RoomManager {
  private readonly rooms = new Map<string, Entry>()
  private readonly loading = new Map<string, Promise<Entry>>()
  private readonly unloading = new Map<string, Promise<void>>()

  constructor(private readonly options: RoomManagerOptions) {}

  /** Returns the loaded room, loading it if needed; the caller must `release` it later. */
  async acquire(name: string): Promise<Room> {
    for (;;) {
      const pendingUnload = this.unloading.get(name)
      if (pendingUnload) {
        await pendingUnload
        continue
      }
      const entry = this.rooms.get(name)
      if (entry) {
        entry.holders++
        if (entry.unloadTimer) {
          clearTimeout(entry.unloadTimer)
          entry.unloadTimer = null
        }
        return entry.room
      }
      let load = this.loading.get(name)
      if (!load) {
        load = this.load(name)
        this.loading.set(name, load)
      }
      // Count this holder as soon as the load resolves, before anything else can run.
      const loaded = await load
      if (this.rooms.get(name) === loaded) {
        loaded.holders++
        if (loaded.unloadTimer) {
          clearTimeout(loaded.unloadTimer)
          loaded.unloadTimer = null
        }
        return loaded.room
      }
      // The room was loaded and unloaded again before we ran: start over.
    }
  }

  private async load(name: string): Promise<Entry> {
    try {
      await this.options.gate?.beforeLoad(name)
      const room = await Room.load(name, this.options)
      const entry: Entry = { room, holders: 0, unloadTimer: null }
      this.rooms.set(name, entry)
      return entry
    } finally {
      this.loading.delete(name)
    }
  }

  release(room: Room): void {
    const entry = this.rooms.get(room.name)
    if (!entry || entry.room !== room) return
    entry.holders--
    if (entry.holders > 0) return
    if (this.options.unloadDelayMs === 0) {
      void this.unload(room.name)
    } else {
      entry.unloadTimer = setTimeout(() => void this.unload(room.name), this.options.unloadDelayMs)
    }
  }

  /** Stores everything, compacts, and forgets the room, unless someone took it meanwhile. */
  private unload(name: string): Promise<void> {
    const entry = this.rooms.get(name)
    if (!entry || entry.holders > 0) return Promise.resolve()
    const existing = this.unloading.get(name)
    if (existing) return existing
    entry.unloadTimer = null
    const run = async () => {
      await entry.room.drain()
      await entry.room.compact()
      // Only after the state is stored does the room leave the map; `acquire` waits for us.
      this.rooms.delete(name)
      entry.room.destroy()
      this.options.gate?.unloaded(name)
    }
    const promise = run().finally(() => this.unloading.delete(name))
    this.unloading.set(name, promise)
    return promise
  }

  /**
   * Drops a room this node may no longer serve (another node took the document): its
   * connections close with `code` and reconnect to the new holder, which has everything stored;
   * what this room had not stored is still in those clients, which send it again there. Nothing
   * is stored from here: the store would refuse it (the fence), and must.
   */
  evict(name: string, code: number, reason: string): void {
    const entry = this.rooms.get(name)
    if (!entry) return
    if (entry.unloadTimer) clearTimeout(entry.unloadTimer)
    this.rooms.delete(name)
    entry.room.closeConnections(code, reason)
    entry.room.destroy()
  }

  /** The rooms loaded now (not those loading or unloading). */
  loadedRooms(): Room[] {
    return Array.from(this.rooms.values(), (entry) => entry.room)
  }

  get(name: string): Room | undefined {
    return this.rooms.get(name)?.room
  }

  get size(): number {
    return this.rooms.size
  }

  /** For shutdown: closes every connection, stores everything, unloads every room. */
  async closeAll(code: number, reason: string): Promise<void> {
    for (const { room } of this.rooms.values()) room.closeConnections(code, reason)
    await Promise.all(Array.from(this.loading.values()).map((p) => p.catch(() => undefined)))
    await Promise.all(Array.from(this.unloading.values()))
    await Promise.all(
      Array.from(this.rooms.values()).map(async (entry) => {
        if (entry.unloadTimer) clearTimeout(entry.unloadTimer)
        await entry.room.drain()
        await entry.room.compact()
        entry.room.destroy()
        this.options.gate?.unloaded(entry.room.name)
      }),
    )
    this.rooms.clear()
  }
}
