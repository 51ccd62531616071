import { describe, expect, it } from 'vitest'
import {
  cardListQuery,
  filtersFromParams,
  isFiltered,
  NO_FILTERS,
  searchFromParams,
  toggleFilter,
  workListSearch,
} from './workListFilters.ts'

const params = (search: string) => new URLSearchParams(search)

describe('filtersFromParams', () => {
  it('reads comma-separated filters, statuses and clusters', () => {
    expect(
      filtersFromParams(params('?filter=waiting,mine&status=draft,final&cluster=A,B')),
    ).toEqual({ filters: ['mine', 'waiting'], statuses: ['draft', 'final'], clusters: ['A', 'B'] })
  })

  it('reads what URLSearchParams encoded (%2C) the same', () => {
    expect(filtersFromParams(params('?filter=mine%2Copen')).filters).toEqual(['mine', 'open'])
  })

  it('drops unknown names, blanks and repeats instead of refusing the link', () => {
    expect(
      filtersFromParams(params('?filter=mine,,bogus,mine&status=draft,nope&cluster=A,,A')),
    ).toEqual({ filters: ['mine'], statuses: ['draft'], clusters: ['A'] })
  })

  it('reads no filters from an address without them', () => {
    expect(filtersFromParams(params(''))).toEqual(NO_FILTERS)
    expect(isFiltered(filtersFromParams(params('?other=1')))).toBe(false)
  })
})

describe('toggleFilter', () => {
  it('switches a chip on and off, keeping the chips’ order', () => {
    const on = toggleFilter(toggleFilter(NO_FILTERS, 'open'), 'mine')
    expect(on.filters).toEqual(['mine', 'open'])
    expect(toggleFilter(on, 'mine').filters).toEqual(['open'])
    expect(isFiltered(on)).toBe(true)
  })
})

describe('workListSearch', () => {
  it('writes the filters and words, commas readable, other parameters kept', () => {
    const filters = {
      filters: ['mine', 'waiting'] as const,
      statuses: ['draft'] as const,
      clusters: ['A'],
    }
    const search = workListSearch(params('?filter=open&x=1'), filters, ' kuota pekerja ')
    expect(search).toBe('?filter=mine,waiting&status=draft&cluster=A&q=kuota%20pekerja&x=1')
    // And reads back as it was written.
    expect(filtersFromParams(params(search))).toEqual(filters)
    expect(searchFromParams(params(search))).toBe('kuota pekerja')
  })

  it('writes nothing when nothing is asked', () => {
    expect(workListSearch(params('?filter=mine&q=x'), NO_FILTERS, '  ')).toBe('')
  })
})

describe('cardListQuery', () => {
  it('asks the server for the same lists, or for every card', () => {
    expect(cardListQuery(NO_FILTERS)).toBe('')
    expect(
      cardListQuery({ filters: ['due_soon'], statuses: ['in_review', 'agreed'], clusters: [] }),
    ).toBe('?filter=due_soon&status=in_review,agreed')
  })
})
