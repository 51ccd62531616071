import { useEffect, useState } from 'react'

/** The time now, renewed every `everyMs`: "5 menit yang lalu" keeps true while the page is open. */
export function useNow(everyMs: number): number {
  const [now, setNow] = useState(Date.now)
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs)
    return () => clearInterval(timer)
  }, [everyMs])
  return now
}
