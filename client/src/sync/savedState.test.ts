import { describe, expect, it, vi } from 'vitest'
import { SavedStateTracker, SaveState } from './savedState.ts'

/** A tracker whose connection is open and synced, as after a normal page load. */
function connectedTracker(): SavedStateTracker {
  const tracker = new SavedStateTracker()
  tracker.connected()
  tracker.messageSent(true, true) // our Sync Step2 in reply to the server's Step1: seq 1
  tracker.synced()
  tracker.persisted(1)
  return tracker
}

/** A local edit as y-websocket sends it: the change first, then its Sync Update frame. */
function editAndSend(tracker: SavedStateTracker): void {
  tracker.localChange()
  tracker.messageSent(true, false)
}

describe('SavedStateTracker', () => {
  it('says since when the oldest unsaved change waits, so that a stall can be shown', () => {
    let now = 1000
    const tracker = new SavedStateTracker(undefined, () => now)
    tracker.connected()
    tracker.messageSent(true, true)
    tracker.synced()
    tracker.persisted(1)
    expect(tracker.snapshot.waitingSince).toBeNull()
    editAndSend(tracker) // seq 2, made at 1000
    now = 1500
    editAndSend(tracker) // seq 3, made at 1500
    expect(tracker.snapshot).toEqual({ state: SaveState.Saving, pending: 2, waitingSince: 1000 })
    tracker.persisted(2)
    expect(tracker.snapshot.waitingSince).toBe(1500)
    tracker.persisted(3)
    expect(tracker.snapshot).toEqual({ state: SaveState.Saved, pending: 0, waitingSince: null })
  })

  it('starts as connecting with nothing pending', () => {
    const tracker = new SavedStateTracker()
    expect(tracker.snapshot).toMatchObject({ state: SaveState.Connecting, pending: 0 })
  })

  it('is saved once connected and synced, and not before the sync', () => {
    const tracker = new SavedStateTracker()
    tracker.connected()
    expect(tracker.snapshot.state).toBe(SaveState.Connecting)
    tracker.messageSent(true, true)
    tracker.synced()
    expect(tracker.snapshot).toMatchObject({ state: SaveState.Saved, pending: 0 })
  })

  it('is saving from a local change until the Persisted that covers it', () => {
    const tracker = connectedTracker()
    editAndSend(tracker) // seq 2
    expect(tracker.snapshot).toMatchObject({ state: SaveState.Saving, pending: 1 })
    tracker.persisted(2)
    expect(tracker.snapshot).toMatchObject({ state: SaveState.Saved, pending: 0 })
  })

  it('keeps later changes pending when an earlier message is persisted', () => {
    const tracker = connectedTracker()
    editAndSend(tracker) // seq 2
    editAndSend(tracker) // seq 3
    editAndSend(tracker) // seq 4
    tracker.persisted(3)
    expect(tracker.snapshot).toMatchObject({ state: SaveState.Saving, pending: 1 })
    tracker.persisted(4)
    expect(tracker.snapshot).toMatchObject({ state: SaveState.Saved, pending: 0 })
  })

  it('acknowledges all earlier messages with one Persisted', () => {
    const tracker = connectedTracker()
    for (let i = 0; i < 5; i++) editAndSend(tracker)
    expect(tracker.snapshot.pending).toBe(5)
    tracker.persisted(6)
    expect(tracker.snapshot).toMatchObject({ state: SaveState.Saved, pending: 0 })
  })

  it('does not count a change as saved by a Persisted for messages sent before it', () => {
    const tracker = connectedTracker()
    editAndSend(tracker) // seq 2
    tracker.localChange() // not sent yet (for instance while the socket is busy closing)
    tracker.persisted(2)
    expect(tracker.snapshot).toMatchObject({ state: SaveState.Saving, pending: 1 })
  })

  it('does not number awareness, Sync Step1 or other frames', () => {
    const tracker = connectedTracker()
    tracker.messageSent(false, false) // awareness
    tracker.messageSent(false, false) // Sync Step1
    editAndSend(tracker) // still seq 2
    tracker.persisted(2)
    expect(tracker.snapshot).toMatchObject({ state: SaveState.Saved, pending: 0 })
  })

  it('counts changes made offline and shows them as offline', () => {
    const tracker = connectedTracker()
    tracker.disconnected()
    expect(tracker.snapshot).toMatchObject({ state: SaveState.Offline, pending: 0 })
    tracker.localChange()
    tracker.localChange()
    expect(tracker.snapshot).toMatchObject({ state: SaveState.Offline, pending: 2 })
  })

  it('covers offline changes with the Step2 of the next connection', () => {
    const tracker = connectedTracker()
    tracker.disconnected()
    tracker.localChange()
    tracker.localChange()
    tracker.connected()
    expect(tracker.snapshot).toMatchObject({ state: SaveState.Saving, pending: 2 })
    tracker.messageSent(true, true) // Step2 of the new connection: seq 1 again
    tracker.synced()
    tracker.persisted(1)
    expect(tracker.snapshot).toMatchObject({ state: SaveState.Saved, pending: 0 })
  })

  it('covers again the changes whose acknowledgement was lost with the connection', () => {
    const tracker = connectedTracker()
    editAndSend(tracker) // seq 2, never acknowledged
    editAndSend(tracker) // seq 3, never acknowledged
    tracker.disconnected()
    expect(tracker.snapshot).toMatchObject({ state: SaveState.Offline, pending: 2 })
    tracker.connected()
    tracker.messageSent(true, true) // the new connection's Step2 carries them: seq 1
    tracker.synced()
    expect(tracker.snapshot).toMatchObject({ state: SaveState.Saving, pending: 2 })
    tracker.persisted(1)
    expect(tracker.snapshot).toMatchObject({ state: SaveState.Saved, pending: 0 })
  })

  it('restarts numbering on every connection', () => {
    const tracker = connectedTracker()
    tracker.disconnected()
    tracker.localChange()
    tracker.connected()
    tracker.messageSent(true, true) // seq 1
    tracker.synced()
    editAndSend(tracker) // seq 2
    tracker.persisted(1)
    expect(tracker.snapshot).toMatchObject({ state: SaveState.Saving, pending: 1 })
    tracker.persisted(2)
    expect(tracker.snapshot).toMatchObject({ state: SaveState.Saved, pending: 0 })
  })

  it('treats a Step2 with content from the offline cache as pending until persisted', () => {
    const tracker = new SavedStateTracker()
    tracker.connected()
    tracker.messageSent(true, true, true)
    tracker.synced()
    expect(tracker.snapshot).toMatchObject({ state: SaveState.Saving, pending: 1 })
    tracker.persisted(1)
    expect(tracker.snapshot).toMatchObject({ state: SaveState.Saved, pending: 0 })
  })

  it('ignores the content flag on Sync Updates', () => {
    const tracker = connectedTracker()
    tracker.messageSent(true, false, true)
    expect(tracker.snapshot).toMatchObject({ state: SaveState.Saved, pending: 0 })
  })

  it('is offline, not connecting, when the first connection attempt fails', () => {
    const tracker = new SavedStateTracker()
    tracker.disconnected()
    expect(tracker.snapshot).toMatchObject({ state: SaveState.Offline, pending: 0 })
  })

  it('is offline with pending changes made before any connection', () => {
    const tracker = new SavedStateTracker()
    tracker.localChange()
    expect(tracker.snapshot).toMatchObject({ state: SaveState.Offline, pending: 1 })
  })

  it('drops the changes of a rejected message and reports how many', () => {
    const tracker = connectedTracker()
    tracker.localChange()
    tracker.localChange()
    tracker.messageSent(true, false) // seq 2 carries both changes
    editAndSend(tracker) // seq 3
    expect(tracker.rejected(2)).toBe(2)
    expect(tracker.snapshot).toMatchObject({ state: SaveState.Saving, pending: 1 })
    tracker.persisted(3)
    expect(tracker.snapshot).toMatchObject({ state: SaveState.Saved, pending: 0 })
  })

  it('notifies only when the visible state changes', () => {
    const onChange = vi.fn()
    const tracker = new SavedStateTracker(onChange, () => 7)
    tracker.connected() // connecting -> connecting: nothing visible changed
    expect(onChange).not.toHaveBeenCalled()
    tracker.messageSent(true, true)
    tracker.synced()
    expect(onChange).toHaveBeenLastCalledWith({
      state: SaveState.Saved,
      pending: 0,
      waitingSince: null,
    })
    tracker.persisted(1) // nothing was pending
    expect(onChange).toHaveBeenCalledTimes(1)
    editAndSend(tracker)
    expect(onChange).toHaveBeenLastCalledWith({
      state: SaveState.Saving,
      pending: 1,
      waitingSince: 7,
    })
  })

  it('restores the count of changes an earlier page left unsaved, until they are persisted', () => {
    const tracker = new SavedStateTracker()
    tracker.restore(3)
    expect(tracker.snapshot).toMatchObject({ state: SaveState.Offline, pending: 3 })
    tracker.disconnected() // the server is still unreachable after the reload
    tracker.localChange()
    expect(tracker.snapshot).toMatchObject({ state: SaveState.Offline, pending: 4 })
    tracker.connected()
    // The Step2 holds the cached content: it is already counted, not counted again.
    tracker.messageSent(true, true, true)
    tracker.synced()
    expect(tracker.snapshot).toMatchObject({ state: SaveState.Saving, pending: 4 })
    tracker.persisted(1)
    expect(tracker.snapshot).toMatchObject({ state: SaveState.Saved, pending: 0 })
  })

  it('ignores a restored count that is not a positive integer', () => {
    const tracker = new SavedStateTracker()
    tracker.restore(0)
    tracker.restore(-2)
    tracker.restore(Number.NaN)
    expect(tracker.snapshot).toMatchObject({ state: SaveState.Connecting, pending: 0 })
  })
})
