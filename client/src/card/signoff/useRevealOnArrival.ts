import { useCallback, useRef } from 'react'

/**
 * A callback ref that scrolls to an element and focuses it the first time it appears, when
 * `wanted` (a link asked for it). It waits for the element rather than the page: a comparison's
 * heading arrives with its data, after the card has opened. Later renders, and the element
 * coming back after being closed, leave the reader where they are.
 */
export function useRevealOnArrival(wanted: boolean): (node: HTMLElement | null) => void {
  const pending = useRef(wanted)
  return useCallback((node: HTMLElement | null) => {
    if (node === null || !pending.current) return
    pending.current = false
    node.scrollIntoView({ block: 'start' })
    // Focus last, without a second scroll: the heading is where the keys and the reader go.
    node.focus({ preventScroll: true })
  }, [])
}
