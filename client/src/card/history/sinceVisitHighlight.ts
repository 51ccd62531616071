/**
 * What others changed since the person last had the card open, highlighted in the answer: words
 * inserted (and formatting changed) underlined, words deleted shown struck through where they
 * were, each in the colour of the author's ministry and named in a tooltip and for screen
 * readers, so that colour is never the only cue. Decorations only: nothing is written to the
 * document, and the person switches them off (`showSinceVisit(editor, null)`).
 *
 * The server names each change's characters by Yjs id (history/versionCompare.ts); a Yjs
 * relative position made from an id finds its place in the answer now, a deleted character's
 * included (Yjs keeps its tombstone where it was). Placed once, the decorations then move with
 * every edit like any ProseMirror decoration.
 */
import type { Ministry, TextChange } from '@kartu/protocol'
import type { Editor } from '@tiptap/core'
import { Extension } from '@tiptap/core'
import type { EditorState } from '@tiptap/pm/state'
import { Plugin, PluginKey } from '@tiptap/pm/state'
import { Decoration, DecorationSet } from '@tiptap/pm/view'
import { relativePositionToAbsolutePosition, ySyncPluginKey } from '@tiptap/y-tiptap'
import * as Y from 'yjs'
import { ministryColor } from '../review/reviewStyles.ts'

const key = new PluginKey<DecorationSet>('sinceVisit')

/** How a change is named in its tooltip: "inserted by Budi (KEMLU), 2 Des 16.40". */
export type Describe = (change: TextChange) => string

export const SinceVisitHighlight = Extension.create({
  name: 'sinceVisitHighlight',
  addProseMirrorPlugins() {
    return [
      new Plugin<DecorationSet>({
        key,
        state: {
          init: () => DecorationSet.empty,
          apply(tr, set) {
            const next = tr.getMeta(key) as DecorationSet | undefined
            return next ?? set.map(tr.mapping, tr.doc)
          },
        },
        props: {
          decorations: (state) => key.getState(state),
        },
      }),
    ]
  },
})

type Binding = {
  doc: Y.Doc
  type: Y.XmlFragment
  mapping: Map<Y.AbstractType<unknown>, unknown>
}

function bindingOf(state: EditorState): Binding | null {
  const binding = (ySyncPluginKey.getState(state) as { binding?: Binding } | undefined)?.binding
  return binding ?? null
}

/** Where the character with this Yjs id is (or was, deleted) in the editor; null when gone. */
function positionOf(binding: Binding, client: number, clock: number): number | null {
  const relative = Y.createRelativePositionFromJSON({ item: { client, clock } })
  // y-prosemirror's own walk from a Yjs position to a ProseMirror one, through its mapping.
  return relativePositionToAbsolutePosition(
    binding.doc,
    binding.type,
    relative,
    binding.mapping as Parameters<typeof relativePositionToAbsolutePosition>[3],
  )
}

/** The longest run of characters resolved one by one; longer ones are placed by their ends. */
const CHARACTER_BY_CHARACTER = 2000

function insertedRanges(
  binding: Binding,
  ids: ReadonlyArray<readonly [number, number, number]>,
): Array<{ from: number; to: number }> {
  const ranges: Array<{ from: number; to: number }> = []
  for (const [client, clock, length] of ids) {
    const from = positionOf(binding, client, clock)
    const last = positionOf(binding, client, clock + length - 1)
    if (from === null || last === null) continue
    if (last - from === length - 1 || length > CHARACTER_BY_CHARACTER) {
      ranges.push({ from, to: last + 1 })
      continue
    }
    // Someone typed inside the run since: place its characters one by one.
    for (let i = 0; i < length; i++) {
      const at = positionOf(binding, client, clock + i)
      if (at === null) continue
      const previous = ranges[ranges.length - 1]
      if (previous && previous.to === at) previous.to = at + 1
      else ranges.push({ from: at, to: at + 1 })
    }
  }
  return ranges
}

function deletedWidget(text: string, title: string, color: string): () => HTMLElement {
  return () => {
    const del = document.createElement('del')
    del.className = 'since-visit since-visit--delete'
    del.style.setProperty('--author-color', color)
    del.title = title
    del.dataset.testid = 'since-visit-delete'
    del.contentEditable = 'false'
    const said = document.createElement('span')
    said.className = 'visually-hidden'
    said.textContent = `[${title}] `
    del.append(said, text)
    return del
  }
}

/** The decorations of the changes, placed in the editor's document as it is now. */
function decorationsOf(
  editor: Editor,
  changes: readonly TextChange[],
  ministries: readonly Ministry[],
  describe: Describe,
): DecorationSet {
  const binding = bindingOf(editor.state)
  if (!binding) return DecorationSet.empty
  const decorations: Decoration[] = []
  for (const change of changes) {
    const ids = change.ids ?? []
    const title = describe(change)
    const color = ministryColor(change.author?.ministryId, ministries)
    if (change.kind === 'delete') {
      const first = ids[0]
      const at = first ? positionOf(binding, first[0], first[1]) : null
      if (at === null || change.text.trim() === '') continue
      decorations.push(
        Decoration.widget(at, deletedWidget(change.text, title, color), {
          side: -1,
          key: `del-${first?.join(':')}`,
          ignoreSelection: true,
        }),
      )
      continue
    }
    for (const range of insertedRanges(binding, ids)) {
      decorations.push(
        Decoration.inline(range.from, range.to, {
          class: `since-visit since-visit--${change.kind}`,
          style: `--author-color: ${color}`,
          title,
          'data-testid': `since-visit-${change.kind}`,
          'data-author': change.author?.userId ?? '',
        }),
      )
    }
  }
  return DecorationSet.create(editor.state.doc, decorations)
}

/** Shows the changes since the last visit in the answer, or (null) hides them. */
export function showSinceVisit(
  editor: Editor,
  changes: readonly TextChange[] | null,
  ministries: readonly Ministry[],
  describe: Describe,
): void {
  if (editor.isDestroyed || key.getState(editor.state) === undefined) return
  const set =
    changes === null ? DecorationSet.empty : decorationsOf(editor, changes, ministries, describe)
  editor.view.dispatch(editor.state.tr.setMeta(key, set).setMeta('addToHistory', false))
}
