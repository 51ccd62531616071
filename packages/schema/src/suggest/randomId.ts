/** Random suggestion ids (UUID v4). */

/**
 * A random UUID. crypto.randomUUID exists only in secure contexts (HTTPS or localhost), and a
 * self-hosted Kartu may be served over plain HTTP on a meeting room's network: then the UUID is
 * built from crypto.getRandomValues, which is always there.
 */
export function randomId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID()
  const bytes = crypto.getRandomValues(new Uint8Array(16))
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}
