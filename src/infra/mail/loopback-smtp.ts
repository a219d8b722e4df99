import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';

/** An address the loopback server refuses with 550, as a relay does for a mailbox that does not exist. */
export const REFUSED = 'no.such.person@example.org';

/**
 * A real SMTP server on 127.0.0.1 (smtp-server). Its bundled certificate has expired, so STARTTLS is
 * disabled and the client is told not to ask for it; TLS itself is nodemailer's, tested upstream.
 */
export class LoopbackSmtp {
  readonly received: Array<{ envelope: { from: string; to: string[] }; raw: Buffer; parsed: ParsedMail }> = [];
  readonly logins: string[] = [];
  private server: SMTPServer | null = null;
  port = 0;

  async start(port = 0, opts: Partial<SMTPServerOptions> = {}): Promise<void> {
    const server = new SMTPServer({
      disabledCommands: ['STARTTLS'],
      authOptional: true,
      allowInsecureAuth: true,
      logger: false,
      onAuth: (auth, _session, cb) => {
        if (auth.username === 'cpcr' && auth.password === 'relay-secret') {
          this.logins.push(auth.username);
          cb(null, { user: auth.username });
        } else cb(new Error('Invalid username or password'));
      },
      onRcptTo: (address, _session, cb) => {
        if (address.address === REFUSED) {
          const err = new Error(`<${REFUSED}>: mailbox unavailable`) as Error & { responseCode: number };
          err.responseCode = 550;
          cb(err);
        } else cb();
      },
      onData: (stream, session, cb) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks);
          simpleParser(raw)
            .then((parsed) => {
              this.received.push({
                envelope: {
                  from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
                  to: session.envelope.rcptTo.map((r) => r.address),
                },
                raw,
                parsed,
              });
              cb();
            })
            .catch(cb);
        });
      },
      ...opts,
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.port = (server.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
