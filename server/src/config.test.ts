import { describe, expect, it } from 'vitest'
import { configFrom, parseTrustProxy } from './config.ts'

describe('configFrom', () => {
  it('limits failed sign-ins to 5 per account and 20 per address in 15 minutes by default', () => {
    expect(configFrom({})).toMatchObject({
      signInWindowMs: 15 * 60_000,
      signInMaxFailuresPerAccount: 5,
      signInMaxFailuresPerAddress: 20,
      trustProxy: false,
    })
  })

  it('reads the sign-in limits and refuses a limit of 0', () => {
    expect(
      configFrom({
        KARTU_SIGNIN_WINDOW_MINUTES: '30',
        KARTU_SIGNIN_MAX_FAILURES_PER_ACCOUNT: '3',
        KARTU_SIGNIN_MAX_FAILURES_PER_ADDRESS: '50',
      }),
    ).toMatchObject({
      signInWindowMs: 30 * 60_000,
      signInMaxFailuresPerAccount: 3,
      signInMaxFailuresPerAddress: 50,
    })
    expect(() => configFrom({ KARTU_SIGNIN_MAX_FAILURES_PER_ACCOUNT: '0' })).toThrow(
      /KARTU_SIGNIN_MAX_FAILURES_PER_ACCOUNT/,
    )
  })
})

describe('KARTU_TEST_REFUSE_TEXT', () => {
  it('is off by default, and a word when set (test only)', () => {
    expect(configFrom({}).testRefuseText).toBeNull()
    expect(configFrom({ KARTU_TEST_REFUSE_TEXT: '  ' }).testRefuseText).toBeNull()
    expect(configFrom({ KARTU_TEST_REFUSE_TEXT: 'TOLAKUJI' }).testRefuseText).toBe('TOLAKUJI')
  })
})

describe('KARTU_METRICS_TOKEN', () => {
  it('is off by default, a token when set, and refuses one too short to be a secret', () => {
    expect(configFrom({}).metricsToken).toBeNull()
    expect(configFrom({ KARTU_METRICS_TOKEN: ' ' }).metricsToken).toBeNull()
    const token = 'a-scraper-token-0123456789'
    expect(configFrom({ KARTU_METRICS_TOKEN: ` ${token} ` }).metricsToken).toBe(token)
    for (const value of ['short', 'with a space in it, long enough']) {
      let message = ''
      try {
        configFrom({ KARTU_METRICS_TOKEN: value })
      } catch (error) {
        message = (error as Error).message
      }
      expect(message).toMatch(/KARTU_METRICS_TOKEN/)
      // The error names the setting, never its value: it is a secret.
      expect(message).not.toContain(value)
    }
  })
})

describe('KARTU_PUBLIC_ORIGIN', () => {
  it('is read as origins in the form of an Origin header, and https turns on Secure cookies', () => {
    expect(
      configFrom({ KARTU_PUBLIC_ORIGIN: 'HTTPS://Kartu.Example:443/, http://10.0.0.5:8080' }),
    ).toMatchObject({
      publicOrigins: ['https://kartu.example', 'http://10.0.0.5:8080'],
      secureCookies: true,
    })
    expect(configFrom({})).toMatchObject({
      publicOrigins: ['http://localhost:8080'],
      secureCookies: false,
    })
  })

  it('refuses what is not an http(s) origin', () => {
    for (const value of ['kartu.example', 'ftp://kartu.example', 'null']) {
      expect(() => configFrom({ KARTU_PUBLIC_ORIGIN: value })).toThrow(/KARTU_PUBLIC_ORIGIN/)
    }
  })
})

describe('parseTrustProxy', () => {
  it('reads false, true, and lists of proxy addresses', () => {
    expect(parseTrustProxy('')).toBe(false)
    expect(parseTrustProxy('false')).toBe(false)
    expect(parseTrustProxy('TRUE')).toBe(true)
    expect(parseTrustProxy('127.0.0.1, 10.0.0.0/8')).toEqual(['127.0.0.1', '10.0.0.0/8'])
  })
})

describe('KARTU_SMTP_URL and the mail settings', () => {
  it('sends no mail by default, and reads an smtp(s) URL', () => {
    expect(configFrom({})).toMatchObject({
      smtpUrl: null,
      mailFrom: 'Kartu <kartu@localhost>',
      mailMentionDelayMs: 60_000,
      mailDigestIntervalMs: 4 * 3_600_000,
      mailRetryMs: 60_000,
    })
    expect(configFrom({ KARTU_SMTP_URL: ' ' }).smtpUrl).toBeNull()
    expect(configFrom({ KARTU_SMTP_URL: 'smtps://kartu:rahasia@mail.example:465' }).smtpUrl).toBe(
      'smtps://kartu:rahasia@mail.example:465',
    )
  })

  it('refuses another scheme without repeating the value (it may hold a password)', () => {
    expect(() => configFrom({ KARTU_SMTP_URL: 'https://kartu:rahasia@mail.example' })).toThrow(
      /KARTU_SMTP_URL: an smtp:\/\/ or smtps:\/\/ URL/,
    )
    try {
      configFrom({ KARTU_SMTP_URL: 'https://kartu:rahasia@mail.example' })
    } catch (error) {
      expect(String(error)).not.toContain('rahasia')
    }
  })
})
