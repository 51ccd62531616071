import { describe, expect, it } from 'vitest'
import { snippetSegments } from './searchSnippet.ts'

describe('snippetSegments', () => {
  it('marks the words between [[ and ]]', () => {
    expect(snippetSegments('…the [[quota]] of [[migrant]] workers')).toEqual([
      { text: '…the ', mark: false },
      { text: 'quota', mark: true },
      { text: ' of ', mark: false },
      { text: 'migrant', mark: true },
      { text: ' workers', mark: false },
    ])
  })

  it('keeps markup as text: the page renders no HTML from a snippet', () => {
    expect(snippetSegments('<b>[[x]]</b>')).toEqual([
      { text: '<b>', mark: false },
      { text: 'x', mark: true },
      { text: '</b>', mark: false },
    ])
  })

  it('leaves an opening without its close, a stray close and empty marks as plain text', () => {
    expect(snippetSegments('a [[b')).toEqual([{ text: 'a [[b', mark: false }])
    expect(snippetSegments('a ]] b')).toEqual([{ text: 'a ]] b', mark: false }])
    expect(snippetSegments('a [[]] b')).toEqual([{ text: 'a  b', mark: false }])
    expect(snippetSegments('')).toEqual([])
  })

  it('marks words at either end', () => {
    expect(snippetSegments('[[a]] b [[c]]')).toEqual([
      { text: 'a', mark: true },
      { text: ' b ', mark: false },
      { text: 'c', mark: true },
    ])
  })
})
