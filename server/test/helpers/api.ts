/**
 * Calling the REST API as a seeded person (their personal access token), and reaching the
 * people of the seed by key.
 */
import type { Seeded, SeededUser } from './seed.ts'
import type { ServerProcess } from './serverProcess.ts'

/** A person of the seed by key (`chair`, `kp2mi`, ...); a missing one fails the test. */
export function userOf(seeded: Seeded, key: string): SeededUser {
  const user = seeded.users[key]
  if (!user) throw new Error(`seed is missing ${key}`)
  return user
}

/** One request as `user`, with a JSON body when one is given. */
export function callAs(
  server: ServerProcess,
  user: SeededUser,
  method: string,
  path: string,
  body?: unknown,
): Promise<Response> {
  return fetch(`${server.httpUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${user.token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
}
