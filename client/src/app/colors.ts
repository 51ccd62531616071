/**
 * Ministry colours come from the deck as CSS colours; text on them must stay readable.
 */
const neutral = '#5b6472'

function parseHex(color: string): [number, number, number] | null {
  const match = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(color.trim())
  const hex = match?.[1]
  if (!hex) return null
  const full = hex.length === 3 ? [...hex].map((digit) => digit + digit).join('') : hex
  const value = Number.parseInt(full, 16)
  return [(value >> 16) & 0xff, (value >> 8) & 0xff, value & 0xff]
}

function luminance([r, g, b]: [number, number, number]): number {
  const channel = (value: number): number => {
    const c = value / 255
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
  }
  return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
}

/** Black or white, whichever contrasts more with `background` (white for colours we can't read). */
export function textColorOn(background: string): string {
  const rgb = parseHex(background)
  if (!rgb) return '#ffffff'
  const l = luminance(rgb)
  const contrastWithWhite = 1.05 / (l + 0.05)
  const contrastWithBlack = (l + 0.05) / 0.05
  return contrastWithBlack > contrastWithWhite ? '#111111' : '#ffffff'
}

/** The colour itself when it looks like a CSS colour, else a neutral grey. */
export function safeColor(color: string | undefined | null): string {
  if (!color) return neutral
  // Only plain colour syntax: this ends up in inline styles and caret DOM.
  return /^(#[0-9a-f]{3,8}|(rgb|rgba|hsl|hsla|oklch|oklab)\([0-9.,%\s/a-z-]+\)|[a-z]{3,20})$/i.test(
    color.trim(),
  )
    ? color.trim()
    : neutral
}

export const neutralColor = neutral
