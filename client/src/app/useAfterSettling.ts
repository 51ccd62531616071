import { useIsFetching } from '@tanstack/react-query'
import { useEffect, useRef } from 'react'
import { useNavigation } from 'react-router'

/** Quiet for this long after the last route load or REST answer counts as settled. */
const SETTLE_MS = 500

/**
 * Runs `task` once, when the page on screen has what it asked for: no route is loading and no
 * REST query is fetching, for a moment. What the task fetches then (loadAhead.ts) does not take
 * a slow link's bandwidth from what the person is waiting for. Nothing runs while `enabled` is
 * false.
 */
export function useAfterSettling(task: () => void, enabled = true): void {
  const navigation = useNavigation()
  const fetching = useIsFetching()
  const busy = navigation.state !== 'idle' || fetching > 0
  const latest = useRef(task)
  const done = useRef(false)
  useEffect(() => {
    latest.current = task
  })
  useEffect(() => {
    if (busy || done.current || !enabled) return
    const timer = setTimeout(() => {
      done.current = true
      latest.current()
    }, SETTLE_MS)
    return () => clearTimeout(timer)
  }, [busy, enabled])
}
