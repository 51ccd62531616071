/**
 * A wait the server asked for (Retry-After), as a person reads it: seconds while it is short,
 * whole minutes (rounded up, never promising too soon) after that.
 */
export type WaitParts = { unit: 'seconds' | 'minutes'; count: number }

export function waitParts(seconds: number): WaitParts {
  const whole = Math.max(1, Math.ceil(seconds))
  if (whole < 120) return { unit: 'seconds', count: whole }
  return { unit: 'minutes', count: Math.ceil(whole / 60) }
}
