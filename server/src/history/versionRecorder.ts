/**
 * Automatic versions: a card whose changes were stored gets a version once it has been quiet for
 * `quietMs` (five minutes by default), as Google Docs groups a session's edits; and every card
 * changed since its last version gets one when the server stops. A room listener (it hears of
 * every commit) that writes nothing into the room: the version is taken from the store.
 */
import { DocumentKind, parseDocumentName } from '@kartu/protocol'
import { SliceClock } from '../collab/backgroundWork.ts'
import type { RoomListener, StoredRoom } from '../collab/roomListener.ts'
import type { Logger } from '../collab/types.ts'
import type { CardVersions } from './cardVersions.ts'

export class VersionRecorder implements RoomListener {
  /** Cards changed since their last automatic version, with the time of their last change. */
  private readonly changed = new Map<string, number>()
  private timer: NodeJS.Timeout | null = null
  private running: Promise<void> = Promise.resolve()

  constructor(
    private readonly versions: CardVersions,
    private readonly logger: Logger,
    private readonly quietMs: number,
  ) {}

  /** After a room's updates were stored: the card's quiet period starts again. */
  readonly stored = (room: StoredRoom): void => {
    const parsed = parseDocumentName(room.name)
    if (parsed?.kind !== DocumentKind.Card) return
    this.changed.set(parsed.id, Date.now())
    this.timer ??= this.arm(this.quietMs)
  }

  /** Takes the versions of every card changed since its last one (on shutdown). */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    await this.running
    await this.take([...this.changed.keys()])
  }

  private arm(delayMs: number): NodeJS.Timeout {
    const timer = setTimeout(() => {
      this.timer = null
      this.running = this.due()
    }, delayMs)
    // A pending version must not keep a stopping process alive: flush() takes it.
    timer.unref()
    return timer
  }

  /** Takes the versions of the cards quiet long enough, and waits for the next one due. */
  private async due(): Promise<void> {
    const now = Date.now()
    const quiet = [...this.changed].filter(([, at]) => now - at >= this.quietMs).map(([id]) => id)
    await this.take(quiet)
    if (this.changed.size === 0 || this.timer) return
    const next = Math.min(...this.changed.values()) + this.quietMs
    this.timer = this.arm(Math.max(0, next - Date.now()))
  }

  private async take(cardIds: readonly string[]): Promise<void> {
    // Background work in slices (collab/backgroundWork.ts): a deck whose cards all went quiet
    // together gets a version of each, one loading and storing a whole card, while other
    // rooms may be typing.
    const slices = new SliceClock()
    for (const cardId of cardIds) {
      await slices.next()
      this.changed.delete(cardId)
      try {
        const taken = await this.versions.take({
          cardId,
          kind: 'auto',
          name: null,
          createdBy: null,
          onlyIfChanged: true,
        })
        // A new automatic version is when older ones may have aged out of being all kept.
        if (taken) await this.versions.thin(cardId)
      } catch (error) {
        // Tried again one quiet period later (a passing failure: a busy disk); the card's
        // changes are stored whatever happens to its version.
        if (!this.changed.has(cardId)) this.changed.set(cardId, Date.now())
        this.logger.warn({ card: cardId, err: error }, 'automatic version not taken')
      }
    }
  }
}
