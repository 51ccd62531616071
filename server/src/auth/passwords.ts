/**
 * Password hashing with argon2id (OWASP's recommended parameters: 19 MiB, 2 passes).
 */
import { hash, verify } from '@node-rs/argon2'

const ARGON2ID = 2
const options = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const

export function hashPassword(password: string): Promise<string> {
  return hash(password, options)
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password)
  } catch {
    return false
  }
}

/** A hash to verify against when the account does not exist, so timing does not reveal it. */
let decoyHash: Promise<string> | null = null
export function getDecoyHash(): Promise<string> {
  decoyHash ??= hashPassword('kartu-decoy-password')
  return decoyHash
}
