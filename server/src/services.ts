/**
 * The composition root's product: every long-lived service of one running server, passed to the
 * transport and the API routes.
 */

import type { AuditLog } from './audit/AuditLog.ts'
import type { Auth } from './auth/Auth.ts'
import type { SignInGuard } from './auth/SignInLimiter.ts'
import type { BriefingBook } from './briefing/briefingBook.ts'
import type { ExportJobs } from './briefing/exportJobs.ts'
import type { ExportRunner } from './briefing/exportRunner.ts'
import type { DeckWordImport } from './briefing/importDeckFromWord.ts'
import type { CardImport } from './briefing/importIntoCard.ts'
import type { CollabServer } from './collab/CollabServer.ts'
import type { CardStats } from './collab/cardStats.ts'
import type { PermissionWatcher } from './collab/PermissionWatcher.ts'
import type { RoomManager } from './collab/RoomManager.ts'
import type { Config } from './config.ts'
import type { DeckActivity } from './history/activity.ts'
import type { CardVersions } from './history/cardVersions.ts'
import type { VersionRestore } from './history/versionRestore.ts'
import type { ClusterRouting } from './http/forwardedConnection.ts'
import type { DueDates } from './inbox/dueDates.ts'
import type { Inbox } from './inbox/inbox.ts'
import type { Mailer } from './inbox/mailer.ts'
import type { DeckSearch } from './search/deckSearch.ts'
import type { Accounts } from './services/accounts.ts'
import type { Cards } from './services/cards.ts'
import type { Members } from './services/members.ts'
import type { SuggestOnlySwitches } from './services/suggestOnly.ts'
import type { SignOff } from './signoff/signOff.ts'
import type { Storage } from './store/openStore.ts'

export type Services = {
  config: Config
  /** Several nodes: where documents are served, and the secret of forwarded identities. */
  cluster: ClusterRouting | null
  storage: Storage
  auth: Auth
  /** Failed sign-ins: in this process, or in Redis shared by the nodes. */
  signInLimiter: SignInGuard
  audit: AuditLog
  rooms: RoomManager
  collab: CollabServer
  cardStats: CardStats
  versions: CardVersions
  restore: VersionRestore
  activity: DeckActivity
  permissions: PermissionWatcher
  accounts: Accounts
  members: Members
  cards: Cards
  suggestOnly: SuggestOnlySwitches
  /** The briefing book: what exports print (briefing/). */
  briefing: BriefingBook
  exportJobs: ExportJobs
  /** Makes export files in a worker thread. */
  exportRunner: ExportRunner
  /** Word in: into a card, or a deck as new cards. */
  cardImport: CardImport
  deckWordImport: DeckWordImport
  /** Assignment, clearances and final (signoff/). */
  signOff: SignOff
  inbox: Inbox
  /** Open inbox event streams, ended on shutdown. */
  inboxStreams: Set<import('node:http').ServerResponse>
  dueDates: DueDates
  search: DeckSearch
  /** Inbox items by e-mail; null when KARTU_SMTP_URL is not set. */
  mailer: Mailer | null
}
