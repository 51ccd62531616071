import { useCallback, useRef, useSyncExternalStore } from 'react'
import type { Awareness } from 'y-protocols/awareness'

export type PeerState = { clientId: number; state: Record<string, unknown> }

const empty: PeerState[] = []

function readPeers(awareness: Awareness): PeerState[] {
  const peers: PeerState[] = []
  for (const [clientId, state] of awareness.getStates()) {
    if (clientId !== awareness.clientID) peers.push({ clientId, state })
  }
  return peers
}

/** The awareness states of everyone else on the document, updated live. */
export function useAwarenessStates(awareness: Awareness | null): PeerState[] {
  // useSyncExternalStore needs the same array until something changed.
  const cache = useRef<{ awareness: Awareness | null; peers: PeerState[] }>({
    awareness: null,
    peers: empty,
  })
  const subscribe = useCallback(
    (listener: () => void) => {
      if (!awareness) return () => {}
      let active = true
      const onChange = (): void => {
        // Deliver after the current work: Tiptap sets our caret's awareness state while the
        // editor is created during a render, and React must not update another component then.
        queueMicrotask(() => {
          if (!active) return
          cache.current = { awareness, peers: readPeers(awareness) }
          listener()
        })
      }
      awareness.on('change', onChange)
      return () => {
        active = false
        awareness.off('change', onChange)
      }
    },
    [awareness],
  )
  const getSnapshot = useCallback((): PeerState[] => {
    if (!awareness) return empty
    if (cache.current.awareness !== awareness) {
      cache.current = { awareness, peers: readPeers(awareness) }
    }
    return cache.current.peers
  }, [awareness])
  return useSyncExternalStore(subscribe, getSnapshot)
}
