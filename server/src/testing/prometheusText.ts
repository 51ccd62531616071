/**
 * A strict reader of the Prometheus text format (0.0.4), for the tests of GET /metrics: a
 * scraper that cannot read a line drops the whole scrape, so every line must be a comment, blank,
 * or `name{label="value",...} value [timestamp]`, and every sample must belong to a declared TYPE.
 */

export type Sample = { name: string; labels: Record<string, string>; value: number }

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/
const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+-?\d+)?$/
const LABEL = /\s*([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*(?:,|$)/y
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped'])
/** What a histogram's or summary's samples add to the family's name. */
const SUFFIXES = ['_bucket', '_sum', '_count']

/**
 * A value as Prometheus reads it (Go's ParseFloat): NaN and Inf in any case. prom-client writes
 * `Nan` for an event loop delay not measured yet, which Prometheus accepts.
 */
function parseValue(text: string, line: string): number {
  if (/^nan$/i.test(text)) return Number.NaN
  const infinite = /^([+-]?)inf(inity)?$/i.exec(text)
  if (infinite) return infinite[1] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY
  const value = Number(text)
  if (text.trim() === '' || Number.isNaN(value)) throw new Error(`not a value: ${line}`)
  return value
}

function parseLabels(text: string, line: string): Record<string, string> {
  const labels: Record<string, string> = {}
  LABEL.lastIndex = 0
  while (LABEL.lastIndex < text.length) {
    const at = LABEL.lastIndex
    const match = LABEL.exec(text)
    if (!match || match.index !== at) throw new Error(`malformed labels: ${line}`)
    const [, name, value] = match as unknown as [string, string, string]
    labels[name] = value.replace(/\\(.)/g, (_all, c: string) => (c === 'n' ? '\n' : c))
  }
  return labels
}

/** Every sample of a scrape; throws on the first line a scraper could not read. */
export function parsePrometheusText(text: string): Sample[] {
  const types = new Map<string, string>()
  const samples: Sample[] = []
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue
    if (line.startsWith('#')) {
      const type = /^# TYPE (\S+) (\S+)$/.exec(line)
      if (type) {
        const [, name, kind] = type as unknown as [string, string, string]
        if (!NAME.test(name) || !TYPES.has(kind)) throw new Error(`malformed TYPE: ${line}`)
        types.set(name, kind)
      } else if (line.startsWith('# HELP ') && !NAME.test(line.split(' ')[2] ?? '')) {
        throw new Error(`malformed HELP: ${line}`)
      }
      continue
    }
    const match = SAMPLE.exec(line)
    if (!match) throw new Error(`malformed sample: ${line}`)
    const [, name, labelText, valueText] = match as unknown as [
      string,
      string,
      string | undefined,
      string,
    ]
    const family = [
      name,
      ...SUFFIXES.map((s) => (name.endsWith(s) ? name.slice(0, -s.length) : '')),
    ]
    if (!family.some((candidate) => candidate !== '' && types.has(candidate))) {
      throw new Error(`a sample of no declared TYPE: ${line}`)
    }
    samples.push({
      name,
      labels: labelText === undefined ? {} : parseLabels(labelText, line),
      value: parseValue(valueText, line),
    })
  }
  return samples
}

/** The value of the sample `name` whose labels include `labels`; undefined when there is none. */
export function sampleValue(
  samples: readonly Sample[],
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  return samples.find(
    (sample) =>
      sample.name === name &&
      Object.entries(labels).every(([key, value]) => sample.labels[key] === value),
  )?.value
}
