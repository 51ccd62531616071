import { useMutation } from '@tanstack/react-query'
import { changePassword } from './api.ts'

/**
 * Changes the signed-in person's password. Nothing cached changes with it: this browser stays
 * signed in as the same person (the server ends only the other sessions). A 401 (this session
 * ended meanwhile) leads to the sign-in page through the query client's mutation cache.
 */
export function useChangePassword() {
  return useMutation({ mutationKey: ['me', 'password'], mutationFn: changePassword })
}
