import { describe, expect, it, vi } from 'vitest'
import { isFollowing, setFollowing, stopForTyping, stoppedForTyping } from './followStore.ts'

describe('followStore', () => {
  it('keeps the choice per deck, without storage too', () => {
    expect(isFollowing('deck-a')).toBe(false)
    setFollowing('deck-a', true)
    expect(isFollowing('deck-a')).toBe(true)
    expect(isFollowing('deck-b')).toBe(false)
    setFollowing('deck-a', false)
    expect(isFollowing('deck-a')).toBe(false)
  })

  it('remembers that typing stopped following, until the person follows again', () => {
    stopForTyping('deck-t')
    expect(stoppedForTyping('deck-t')).toBe(false)
    setFollowing('deck-t', true)
    stopForTyping('deck-t')
    expect(isFollowing('deck-t')).toBe(false)
    expect(stoppedForTyping('deck-t')).toBe(true)
    setFollowing('deck-t', true)
    expect(stoppedForTyping('deck-t')).toBe(false)
  })

  it('uses sessionStorage when there is one', () => {
    const store = new Map<string, string>()
    vi.stubGlobal('window', {
      sessionStorage: {
        getItem: (key: string) => store.get(key) ?? null,
        setItem: (key: string, value: string) => store.set(key, value),
        removeItem: (key: string) => store.delete(key),
      },
    })
    try {
      setFollowing('deck-c', true)
      expect(store.get('kartu:follow:deck-c')).toBe('1')
      store.set('kartu:follow:deck-d', '1')
      expect(isFollowing('deck-d')).toBe(true)
    } finally {
      vi.unstubAllGlobals()
    }
  })
})
