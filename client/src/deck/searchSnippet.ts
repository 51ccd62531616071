/**
 * A search hit's snippet as runs of text, the words found marked: the server puts them between
 * `[[` and `]]`. The page renders the runs as text and <mark>, never the snippet as HTML (a
 * card's text is whatever its authors typed).
 */
export type SnippetSegment = { text: string; mark: boolean }

const OPEN = '[['
const CLOSE = ']]'

export function snippetSegments(snippet: string): SnippetSegment[] {
  const segments: SnippetSegment[] = []
  const push = (text: string, mark: boolean) => {
    if (text === '') return
    const last = segments.at(-1)
    if (last && last.mark === mark && !mark) last.text += text
    else segments.push({ text, mark })
  }
  let at = 0
  while (at < snippet.length) {
    const open = snippet.indexOf(OPEN, at)
    if (open === -1) break
    const close = snippet.indexOf(CLOSE, open + OPEN.length)
    // An opening without its close (a snippet cut short) is plain text.
    if (close === -1) break
    push(snippet.slice(at, open), false)
    push(snippet.slice(open + OPEN.length, close), true)
    at = close + CLOSE.length
  }
  push(snippet.slice(at), false)
  return segments
}
