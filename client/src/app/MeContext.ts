import type { MeResponse } from '@kartu/protocol'
import { createContext } from 'react'

/** The signed-in user, provided by AuthenticatedLayout to every page behind it. */
export const MeContext = createContext<MeResponse | null>(null)
