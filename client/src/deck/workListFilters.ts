/**
 * The dashboard's work-list filters and their place in the page's address: `?filter=mine,waiting
 * &status=draft&cluster=A&q=…`, so that a filtered view can be shared and reloaded. The same
 * lists go to the server (`GET /api/decks/:deckId/cards`), which applies them: every filter must
 * hold, a status or cluster is one of those listed.
 */
import {
  type CardFilter,
  type CardStatus,
  cardFilterSchema,
  cardStatusSchema,
} from '@kartu/protocol'

export type WorkListFilters = {
  filters: readonly CardFilter[]
  statuses: readonly CardStatus[]
  clusters: readonly string[]
}

/** The chips, in the order the dashboard shows them (and the address lists them). */
export const CARD_FILTERS: readonly CardFilter[] = cardFilterSchema.options

export const NO_FILTERS: WorkListFilters = { filters: [], statuses: [], clusters: [] }

/** The address's parameters this module owns; any other parameter is left as it is. */
const OWN_PARAMS = ['filter', 'status', 'cluster', 'q'] as const

function listParam(params: URLSearchParams, name: string): string[] {
  const names = (params.get(name) ?? '')
    .split(',')
    .map((value) => value.trim())
    .filter((value) => value !== '')
  return [...new Set(names)]
}

function isCardFilter(value: string): value is CardFilter {
  return cardFilterSchema.safeParse(value).success
}

function isCardStatus(value: string): value is CardStatus {
  return cardStatusSchema.safeParse(value).success
}

/**
 * The filters an address asks for. Names this version does not know are dropped rather than
 * refused: a link shared from a newer Kartu still opens, with what can be applied.
 */
export function filtersFromParams(params: URLSearchParams): WorkListFilters {
  const asked = new Set(listParam(params, 'filter').filter(isCardFilter))
  return {
    filters: CARD_FILTERS.filter((filter) => asked.has(filter)),
    statuses: listParam(params, 'status').filter(isCardStatus),
    clusters: listParam(params, 'cluster'),
  }
}

/** The search words an address holds (empty: no search). */
export function searchFromParams(params: URLSearchParams): string {
  return params.get('q') ?? ''
}

export function isFiltered(filters: WorkListFilters): boolean {
  return filters.filters.length > 0 || filters.statuses.length > 0 || filters.clusters.length > 0
}

/** The filters with one chip switched on or off. */
export function toggleFilter(filters: WorkListFilters, filter: CardFilter): WorkListFilters {
  const on = new Set(filters.filters)
  if (on.has(filter)) on.delete(filter)
  else on.add(filter)
  return { ...filters, filters: CARD_FILTERS.filter((candidate) => on.has(candidate)) }
}

/** The filters' own parameters, commas left as they are (ids never hold one: idSchema). */
function ownParts(filters: WorkListFilters): string[] {
  const parts: string[] = []
  const list = (name: string, values: readonly string[]) => {
    if (values.length > 0) parts.push(`${name}=${values.map(encodeURIComponent).join(',')}`)
  }
  list('filter', filters.filters)
  list('status', filters.statuses)
  list('cluster', filters.clusters)
  return parts
}

/**
 * The page's address search (`?…`, or '' for none) with these filters and search words; the
 * parameters of `current` that are not the work list's stay.
 */
export function workListSearch(
  current: URLSearchParams,
  filters: WorkListFilters,
  query: string,
): string {
  const others = new URLSearchParams(current)
  for (const name of OWN_PARAMS) others.delete(name)
  const parts = ownParts(filters)
  const words = query.trim()
  if (words !== '') parts.push(`q=${encodeURIComponent(words)}`)
  const rest = others.toString()
  if (rest !== '') parts.push(rest)
  return parts.length === 0 ? '' : `?${parts.join('&')}`
}

/** The query of `GET /api/decks/:deckId/cards` for these filters ('' for every card). */
export function cardListQuery(filters: WorkListFilters): string {
  const parts = ownParts(filters)
  return parts.length === 0 ? '' : `?${parts.join('&')}`
}
