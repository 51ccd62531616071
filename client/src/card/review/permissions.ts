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

/**
 * Every change becomes a suggestion: always for a suggester, and for an editor while "everyone
 * suggests" is on for the card (the chair's rakor switch; the server then judges the editor as a
 * suggester).
 */
export function mustSuggest(role: Role, suggestOnly: boolean): boolean {
  return role === Role.Suggester || (role === Role.Editor && suggestOnly)
}

/** Whether the person chooses between Editing and Suggesting. */
export function canSwitchMode(role: Role, suggestOnly: boolean): boolean {
  return role === Role.Chair || (role === Role.Editor && !suggestOnly)
}

/** The mode switch is held on Suggesting by "everyone suggests" (not by the role itself). */
export function heldBySuggestOnly(role: Role, suggestOnly: boolean): boolean {
  return role === Role.Editor && suggestOnly
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
