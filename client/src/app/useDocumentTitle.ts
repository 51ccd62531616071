import { useEffect } from 'react'

/**
 * The browser tab's title: what the page shows, most specific first, then "Kartu" ("CC-01 ·
 * Demo deck · Kartu"). A delegate with several cards open in tabs tells them apart; screen
 * readers announce it when the page changes. Empty parts (data still loading) are left out.
 */
export function useDocumentTitle(...parts: ReadonlyArray<string | null | undefined>): void {
  const title = [...parts.filter((part): part is string => Boolean(part?.trim())), 'Kartu'].join(
    ' · ',
  )
  useEffect(() => {
    document.title = title
  }, [title])
}
