/**
 * Random secrets (session ids, personal access tokens) and the hashes under which they are
 * stored. Only hashes reach the database, so a copy of it grants no access.
 */
import { createHash, randomBytes } from 'node:crypto'

export const TOKEN_PREFIX = 'kartu_'

export function newSecret(prefix = ''): string {
  return prefix + randomBytes(32).toString('base64url')
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex')
}
