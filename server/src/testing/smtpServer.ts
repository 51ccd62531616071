/**
 * A real SMTP server for tests (smtp-server on a free port, no TLS, no sign-in) that keeps every
 * message it accepts, with its headers and decoded body.
 */
import type { AddressInfo } from 'node:net'
import { SMTPServer } from 'smtp-server'

export type Received = { to: string[]; headers: string; subject: string; body: string }

/** Quoted-printable to text (the mailer sends its parts so), byte by byte for UTF-8. */
function decodeQuotedPrintable(text: string): string {
  const bytes = text
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)))
  return Buffer.from(bytes, 'latin1').toString('utf8')
}

function readMessage(to: string[], raw: string): Received {
  const split = raw.indexOf('\r\n\r\n')
  // Unfolded: a long header continues on lines that start with white space.
  const headers = raw.slice(0, split).replace(/\r\n(?=[ \t])/g, '')
  const subject = /^Subject: (.*)$/im.exec(headers)?.[1] ?? ''
  return { to, headers, subject, body: decodeQuotedPrintable(raw.slice(split + 4)) }
}

export type Smtp = { port: number; received: Received[]; close(): Promise<void> }

/** An SMTP server that keeps every message it accepts (no TLS, no sign-in: a test's). */
export async function startSmtp(port = 0): Promise<Smtp> {
  const received: Received[] = []
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (chunk: Buffer) => chunks.push(chunk))
      stream.on('end', () => {
        const to = session.envelope.rcptTo.map((address) => address.address)
        received.push(readMessage(to, Buffer.concat(chunks).toString('latin1')))
        callback()
      })
    },
  })
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve))
  return {
    port: (server.server.address() as AddressInfo).port,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

/** A port nothing listens on (just freed). */
export async function deadPort(): Promise<number> {
  const smtp = await startSmtp()
  await smtp.close()
  return smtp.port
}
