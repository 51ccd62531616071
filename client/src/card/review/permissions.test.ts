import { Role } from '@kartu/protocol'
import { describe, expect, it } from 'vitest'
import { canSwitchMode, heldBySuggestOnly, mustSuggest } from './permissions.ts'

describe('the editing mode under "everyone suggests"', () => {
  it('holds an editor on Suggesting while it is on, and gives the choice back when off', () => {
    expect(mustSuggest(Role.Editor, true)).toBe(true)
    expect(canSwitchMode(Role.Editor, true)).toBe(false)
    expect(heldBySuggestOnly(Role.Editor, true)).toBe(true)
    expect(mustSuggest(Role.Editor, false)).toBe(false)
    expect(canSwitchMode(Role.Editor, false)).toBe(true)
    expect(heldBySuggestOnly(Role.Editor, false)).toBe(false)
  })

  it('leaves the chair free to edit directly, and the other roles as they were', () => {
    for (const on of [false, true]) {
      expect(mustSuggest(Role.Chair, on)).toBe(false)
      expect(canSwitchMode(Role.Chair, on)).toBe(true)
      expect(mustSuggest(Role.Suggester, on)).toBe(true)
      expect(canSwitchMode(Role.Suggester, on)).toBe(false)
      expect(heldBySuggestOnly(Role.Suggester, on)).toBe(false)
      for (const role of [Role.Commenter, Role.Viewer]) {
        expect(mustSuggest(role, on)).toBe(false)
        expect(canSwitchMode(role, on)).toBe(false)
      }
    }
  })
})
