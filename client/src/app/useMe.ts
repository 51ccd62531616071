import type { MeResponse } from '@kartu/protocol'
import { useContext } from 'react'
import { MeContext } from './MeContext.ts'

/** The signed-in user; only for components rendered behind AuthenticatedLayout. */
export function useMe(): MeResponse {
  const me = useContext(MeContext)
  if (me === null) throw new Error('useMe outside AuthenticatedLayout')
  return me
}
