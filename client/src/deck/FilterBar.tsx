import { type CardStatus, type Cluster, cardStatusSchema } from '@kartu/protocol'
import { SlidersHorizontal } from 'lucide-react'
import { useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { ICON } from '../app/icons.ts'
import { clusterName } from '../app/localized.ts'
import { useLanguage } from '../i18n/useLanguage.ts'
import { CARD_FILTERS, toggleFilter, type WorkListFilters } from './workListFilters.ts'

type Props = {
  filters: WorkListFilters
  clusters: readonly Cluster[]
  onChange: (next: WorkListFilters) => void
}

/** Stands for "more than one chosen" in a select: a shared address may list several. */
const SEVERAL = '__several'

function selectValue(values: readonly string[]): string {
  if (values.length === 0) return ''
  return values.length === 1 ? (values[0] ?? '') : SEVERAL
}

/**
 * The work list's filters: one toggle button per filter (all must hold), then a status and a
 * cluster. Each change goes to the address, and from there to the server's query.
 */
export function FilterBar({ filters, clusters, onChange }: Props) {
  const { t } = useTranslation()
  const language = useLanguage()
  const bodyId = useId()
  const statusId = useId()
  // On a phone the filters fold behind one button; wider, they are always shown (styles.css).
  const [open, setOpen] = useState(false)
  const activeCount = filters.filters.length + filters.statuses.length + filters.clusters.length
  const clusterId = useId()
  const statuses: readonly CardStatus[] = cardStatusSchema.options
  const onlyCluster = filters.clusters.length === 1 ? (filters.clusters[0] ?? null) : null
  const unknownCluster =
    onlyCluster !== null && !clusters.some((cluster) => cluster.id === onlyCluster)
      ? onlyCluster
      : null
  return (
    <div className="filter-bar-wrap">
      <button
        type="button"
        className="button filter-bar__toggle"
        aria-expanded={open}
        aria-controls={bodyId}
        onClick={() => setOpen(!open)}
        data-testid="work-list-filters-toggle"
      >
        <SlidersHorizontal {...ICON} />
        {activeCount > 0
          ? t('workList.filtersToggleActive', { count: activeCount })
          : t('workList.filtersToggle')}
      </button>
      <div id={bodyId} className={open ? 'filter-bar' : 'filter-bar filter-bar--folded'}>
        <fieldset className="filter-bar__chips">
          <legend className="visually-hidden">{t('workList.filters')}</legend>
          {CARD_FILTERS.map((filter) => {
            const on = filters.filters.includes(filter)
            return (
              <button
                key={filter}
                type="button"
                className={on ? 'chip chip--on' : 'chip'}
                aria-pressed={on}
                onClick={() => onChange(toggleFilter(filters, filter))}
                data-testid="work-list-filter"
                data-filter={filter}
              >
                {t(`workList.filter.${filter}`)}
              </button>
            )
          })}
        </fieldset>
        <div className="filter-bar__selects">
          <label htmlFor={statusId} className="filter-bar__select">
            <span>{t('workList.status')}</span>
            <select
              id={statusId}
              value={selectValue(filters.statuses)}
              onChange={(event) => {
                const value = event.target.value
                const chosen = statuses.find((status) => status === value)
                onChange({ ...filters, statuses: chosen ? [chosen] : [] })
              }}
              data-testid="work-list-status-select"
            >
              <option value="">{t('workList.anyStatus')}</option>
              {filters.statuses.length > 1 ? (
                <option value={SEVERAL} disabled>
                  {t('workList.several', { count: filters.statuses.length })}
                </option>
              ) : null}
              {statuses.map((status) => (
                <option key={status} value={status}>
                  {t(`status.${status}`)}
                </option>
              ))}
            </select>
          </label>
          <label htmlFor={clusterId} className="filter-bar__select">
            <span>{t('workList.cluster')}</span>
            <select
              id={clusterId}
              value={selectValue(filters.clusters)}
              onChange={(event) => {
                const value = event.target.value
                onChange({ ...filters, clusters: value === '' ? [] : [value] })
              }}
              data-testid="work-list-cluster-select"
            >
              <option value="">{t('workList.anyCluster')}</option>
              {filters.clusters.length > 1 ? (
                <option value={SEVERAL} disabled>
                  {t('workList.several', { count: filters.clusters.length })}
                </option>
              ) : null}
              {unknownCluster === null ? null : (
                // A shared address's cluster this deck does not have: shown by its id.
                <option value={unknownCluster}>{unknownCluster}</option>
              )}
              {clusters.map((cluster) => (
                <option key={cluster.id} value={cluster.id}>
                  {clusterName(cluster, language)}
                </option>
              ))}
            </select>
          </label>
        </div>
      </div>
    </div>
  )
}
