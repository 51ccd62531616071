import type { PresenceUser } from '@kartu/protocol'
import { useMemo } from 'react'
import { safeColor } from './colors.ts'
import { useMe } from './useMe.ts'

/** Our identity in awareness (the server overwrites it from the session anyway). */
export function usePresenceUser(): PresenceUser {
  const { user, ministry } = useMe()
  return useMemo(
    () => ({
      id: user.id,
      name: user.name,
      ministryId: user.ministryId,
      ministry: ministry?.short ?? user.ministryId,
      color: safeColor(ministry?.color),
    }),
    [user, ministry],
  )
}
