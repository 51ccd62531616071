/**
 * Feeds activity.ts from the card's session and editor, and keeps what it says for the live
 * region (ActivityAnnouncer.tsx): the people on the card from its awareness, and each remote
 * change near the person's caret with who made it. Nothing is listened to while announcements
 * are off, and turning them on starts afresh (those there already are not "joined").
 */
import type { PresenceUser } from '@kartu/protocol'
import type { Editor } from '@tiptap/core'
import type { Transaction } from '@tiptap/pm/state'
import { relativePositionToAbsolutePosition, ySyncPluginKey } from '@tiptap/y-tiptap'
import i18next from 'i18next'
import { useEffect, useState } from 'react'
import type { Awareness } from 'y-protocols/awareness'
import * as Y from 'yjs'
import { isPresenceUser, peopleIn } from '../../deck/presence.ts'
import { currentLanguage } from '../../i18n/i18n.ts'
import type { SyncSession } from '../../sync/syncSession.ts'
import type { PeerState } from '../../sync/useAwarenessStates.ts'
import { isRemoteTransaction } from '../review/reviewExtensions.ts'
import {
  type ActivityMemory,
  type ActivityMessage,
  dueAt,
  FRESH_ACTIVITY,
  observeEdit,
  observePeople,
  takeDue,
} from './activity.ts'
import { messageText } from './messageText.ts'
import { blockAround, changedRange, isNearCaret } from './nearCaret.ts'
import { type Peer, whoEdited } from './whoEdited.ts'

/** One thing said, in the live region until KEPT newer ones follow. */
export type Said = { readonly id: number; readonly text: string }

/** The live region holds the last few messages (only additions are read out). */
const KEPT = 3

let lastId = 0

function peerStates(awareness: Awareness): PeerState[] {
  const peers: PeerState[] = []
  for (const [clientId, state] of awareness.getStates()) {
    if (clientId !== awareness.clientID) peers.push({ clientId, state })
  }
  return peers
}

type SyncState = {
  doc: Y.Doc
  type: Y.XmlFragment
  binding: { mapping: Parameters<typeof relativePositionToAbsolutePosition>[3] } | null
}

/** Other people's clients with where their caret is in the answer (the caret plugin's `cursor`). */
function peersOf(editor: Editor, awareness: Awareness, myUserId: string): Peer[] {
  const sync = ySyncPluginKey.getState(editor.state) as SyncState | undefined
  const caretOf = (cursor: unknown): number | null => {
    const mapping = sync?.binding?.mapping
    if (!sync || !mapping || typeof cursor !== 'object' || cursor === null) return null
    const head: unknown = (cursor as { head?: unknown }).head
    if (typeof head !== 'object' || head === null) return null
    try {
      const relative = Y.createRelativePositionFromJSON(head)
      return relativePositionToAbsolutePosition(sync.doc, sync.type, relative, mapping)
    } catch {
      // Not a relative position (presence comes from other clients).
      return null
    }
  }
  const peers: Peer[] = []
  for (const { clientId, state } of peerStates(awareness)) {
    const { user } = state
    if (!isPresenceUser(user) || user.id === myUserId) continue
    peers.push({ clientId, user, caret: caretOf(state.cursor) })
  }
  return peers
}

/** The clients whose clock a Yjs transaction moved on: those who wrote what it inserted. */
function writersOf(transaction: Y.Transaction): Set<number> {
  const writers = new Set<number>()
  for (const [client, clock] of transaction.afterState) {
    if (clock > (transaction.beforeState.get(client) ?? 0)) writers.add(client)
  }
  return writers
}

export function useActivityAnnouncements(
  editor: Editor,
  session: SyncSession,
  me: PresenceUser,
  on: boolean,
): Said[] {
  const [said, setSaid] = useState<Said[]>([])
  const myUserId = me.id

  useEffect(() => {
    if (!on) {
      setSaid([])
      return
    }
    const { awareness, provider, doc } = session
    let memory: ActivityMemory = FRESH_ACTIVITY
    let timer: ReturnType<typeof setTimeout> | undefined
    let active = true

    const say = (messages: readonly ActivityMessage[]): void => {
      if (messages.length === 0) return
      const texts = messages.map((message) => messageText(message, i18next.t, currentLanguage()))
      // Not from inside the editor's or Yjs' dispatch.
      queueMicrotask(() => {
        if (!active) return
        setSaid((before) =>
          [...before, ...texts.map((text) => ({ id: ++lastId, text }))].slice(-KEPT),
        )
      })
    }
    const schedule = (): void => {
      clearTimeout(timer)
      const due = dueAt(memory)
      timer = due === null ? undefined : setTimeout(flush, Math.max(0, due - Date.now()))
    }
    const flush = (): void => {
      const next = takeDue(memory, Date.now())
      memory = next.memory
      say(next.say)
      schedule()
    }
    const observe = (): void => {
      const people = peopleIn(peerStates(awareness), myUserId)
      memory = observePeople(memory, people, provider.synced, Date.now())
      schedule()
    }

    // The Yjs transaction a remote editor change comes from: y-sync dispatches it to the editor
    // while Yjs calls its observers, between these two events.
    let writing: { local: boolean; writers: Set<number> } | null = null
    const beforeObservers = (transaction: Y.Transaction): void => {
      writing = { local: transaction.local, writers: writersOf(transaction) }
    }
    const afterTransaction = (): void => {
      writing = null
    }
    // The person's caret counts once they have been in the answer.
    let placed = editor.isFocused
    const onFocus = (): void => {
      placed = true
    }
    const onTransaction = ({ transaction }: { transaction: Transaction }): void => {
      const origin = writing
      if (!placed || origin === null || origin.local) return
      if (!transaction.docChanged || !isRemoteTransaction(transaction)) return
      const change = changedRange(transaction.before, transaction.doc)
      if (change === null) return
      const caret = { from: transaction.selection.from, to: transaction.selection.to }
      if (!isNearCaret(change, caret, blockAround(transaction.doc, caret))) return
      const editors = whoEdited(change, peersOf(editor, awareness, myUserId), origin.writers)
      const next = observeEdit(memory, editors, Date.now())
      memory = next.memory
      say(next.say)
    }

    awareness.on('change', observe)
    provider.on('sync', observe)
    doc.on('beforeObserverCalls', beforeObservers)
    doc.on('afterTransaction', afterTransaction)
    editor.on('focus', onFocus)
    editor.on('transaction', onTransaction)
    observe()
    return () => {
      active = false
      clearTimeout(timer)
      awareness.off('change', observe)
      provider.off('sync', observe)
      doc.off('beforeObserverCalls', beforeObservers)
      doc.off('afterTransaction', afterTransaction)
      editor.off('focus', onFocus)
      editor.off('transaction', onTransaction)
      setSaid([])
    }
  }, [editor, session, myUserId, on])

  return said
}
