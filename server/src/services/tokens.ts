/**
 * Personal access tokens as the command line (and later the account page) issues and revokes
 * them: one place that writes the token and its audit entry once. The token itself is shown to
 * its owner once and stored only as a hash (auth/Auth.ts).
 */
import type { AuditLog } from '../audit/AuditLog.ts'
import { tokenIssuedEvent, tokenRevokedEvent } from '../audit/auditEvents.ts'
import type { Auth } from '../auth/Auth.ts'
import type { TokenRecord, Tokens as TokenRecords } from '../store/types.ts'

export class Tokens {
  constructor(
    private readonly auth: Pick<Auth, 'issueToken'>,
    private readonly repository: TokenRecords,
    private readonly audit: AuditLog,
  ) {}

  /** A new token for `userId`; the secret is in the answer and nowhere else. */
  async issue(input: {
    userId: string
    label: string
    days: number
  }): Promise<{ id: string; token: string; expiresAt: number }> {
    const issued = await this.auth.issueToken(input.userId, input.label, input.days)
    await this.audit.append(
      tokenIssuedEvent({
        tokenId: issued.id,
        userId: input.userId,
        label: input.label,
        expiresAt: issued.expiresAt,
      }),
    )
    return issued
  }

  /**
   * Revokes a token; null when there is none. A token revoked earlier keeps its first time and is
   * not recorded twice.
   */
  async revoke(id: string, now = Date.now()): Promise<TokenRecord | null> {
    const token = await this.repository.revokeToken(id, now)
    if (!token) return null
    if (token.revokedAt === now) {
      await this.audit.append(tokenRevokedEvent({ tokenId: token.id, userId: token.userId }))
    }
    return token
  }

  list(userId: string): Promise<TokenRecord[]> {
    return this.repository.listTokens(userId)
  }
}
