import { describe, expect, it } from 'vitest'
import { neutralColor, safeColor, textColorOn } from './colors.ts'

describe('textColorOn', () => {
  it('puts dark text on light colours and white text on dark ones', () => {
    expect(textColorOn('#ffeb3b')).toBe('#111111')
    expect(textColorOn('#1a237e')).toBe('#ffffff')
    expect(textColorOn('#fff')).toBe('#111111')
  })

  it('falls back to white for colours it cannot read', () => {
    expect(textColorOn('rebeccapurple')).toBe('#ffffff')
  })
})

describe('safeColor', () => {
  it('keeps plain colours and replaces anything else', () => {
    expect(safeColor('#0055aa')).toBe('#0055aa')
    expect(safeColor('rgb(0, 85, 170)')).toBe('rgb(0, 85, 170)')
    expect(safeColor('red; background: url(x)')).toBe(neutralColor)
    expect(safeColor(undefined)).toBe(neutralColor)
  })
})
