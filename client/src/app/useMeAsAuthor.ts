import type { Author } from '@kartu/schema'
import { useMemo } from 'react'
import { useMe } from './useMe.ts'

/**
 * The signed-in person as a card document's authors map records them: shown for our own fresh
 * changes until the server's record of our clientID arrives.
 */
export function useMeAsAuthor(): Author {
  const { user } = useMe()
  return useMemo(
    () => ({ userId: user.id, name: user.name, ministryId: user.ministryId }),
    [user.id, user.name, user.ministryId],
  )
}
