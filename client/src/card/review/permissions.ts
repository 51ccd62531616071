/**
 * What the interface offers to each role. The server decides for real (it refuses what a role may
 * not do); these only keep the interface from offering what would be refused.
 */
import { Role } from '@kartu/protocol'

type Owned = { mine: boolean }

/** Chair and editor edit directly and may suggest; a suggester only suggests. */
export function canChangeText(role: Role): boolean {
  return role === Role.Chair || role === Role.Editor || role === Role.Suggester
}

export function mustSuggest(role: Role): boolean {
  return role === Role.Suggester
}

export function canSwitchMode(role: Role): boolean {
  return role === Role.Chair || role === Role.Editor
}

export function canComment(role: Role): boolean {
  return role !== Role.Viewer
}

/** Only the chair accepts or rejects. */
export function canDecide(role: Role): boolean {
  return role === Role.Chair
}

/** The author of a suggestion may take it back (a rejection recorded as withdrawn). */
export function canWithdraw(role: Role, suggestion: Owned): boolean {
  return canChangeText(role) && suggestion.mine
}

/** The chair resolves any thread; anyone else who comments, the threads they opened. */
export function canResolve(role: Role, thread: Owned): boolean {
  return role === Role.Chair || (canComment(role) && thread.mine)
}

export function canEditComment(role: Role, comment: Owned & { deleted: boolean }): boolean {
  return canComment(role) && comment.mine && !comment.deleted
}
