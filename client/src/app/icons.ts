/**
 * Icons are drawn from Lucide (shipped with the app as lucide-react), never system emoji: a
 * ministry's machine without an emoji font showed the lock buttons as empty boxes.
 */

/** The props every inline icon gets: sized to the text, hidden from screen readers (the button
 * or notice around it carries the words). */
export const ICON = {
  size: '1.1em',
  'aria-hidden': true,
  focusable: false,
  strokeWidth: 2,
} as const

const SVG = 'http://www.w3.org/2000/svg'

/**
 * Lucide's lock, as a DOM element: for the editor's widgets, which ProseMirror draws outside
 * React. The geometry is Lucide's (ISC licence).
 */
export function lockSvg(doc: Document): SVGSVGElement {
  const svg = doc.createElementNS(SVG, 'svg')
  for (const [name, value] of Object.entries({
    viewBox: '0 0 24 24',
    width: '1em',
    height: '1em',
    fill: 'none',
    stroke: 'currentColor',
    'stroke-width': '2',
    'stroke-linecap': 'round',
    'stroke-linejoin': 'round',
    'aria-hidden': 'true',
    focusable: 'false',
  })) {
    svg.setAttribute(name, value)
  }
  const body = doc.createElementNS(SVG, 'rect')
  for (const [name, value] of Object.entries({
    width: '18',
    height: '11',
    x: '3',
    y: '11',
    rx: '2',
  })) {
    body.setAttribute(name, value)
  }
  const shackle = doc.createElementNS(SVG, 'path')
  shackle.setAttribute('d', 'M7 11V7a5 5 0 0 1 10 0v4')
  svg.append(body, shackle)
  return svg
}
