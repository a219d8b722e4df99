import nodemailer from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';
import { MailSendError, type MailTransport } from '../../app/mail/ports.ts';

export interface SmtpSettings {
  host: string;
  port: number;
  /** TLS from the first byte (usually port 465). */
  secure: boolean;
  /** Without `secure`: refuse to send unless the server offers STARTTLS (true), or never use it (false: loopback tests only). */
  requireTls: boolean;
  user?: string | undefined;
  password?: string | undefined;
  from: string;
  /** Milliseconds to wait for the server at each stage before counting the attempt as failed. */
  timeoutMs?: number;
}

/** SMTP replies that mean this message will never be accepted, whatever we do: retrying cannot help. */
const PERMANENT_COMMANDS = new Set(['RCPT TO', 'DATA']);

/** nodemailer's error reduced to its code and reply code: its message may quote the address. */
export function smtpFailure(err: unknown): MailSendError {
  const e = (err ?? {}) as { code?: unknown; responseCode?: unknown; command?: unknown };
  const code = typeof e.code === 'string' && /^[A-Z][A-Z0-9_]{1,30}$/.test(e.code) ? e.code : 'UNKNOWN';
  const reply =
    typeof e.responseCode === 'number' && e.responseCode >= 200 && e.responseCode < 600 ? e.responseCode : undefined;
  const command = typeof e.command === 'string' ? e.command.toUpperCase() : '';
  const permanent = reply !== undefined && reply >= 500 && PERMANENT_COMMANDS.has(command);
  return new MailSendError(`smtp:${code}${reply ? ` ${reply}` : ''}`, permanent);
}

/** Sends plain-text email through an SMTP relay (nodemailer). */
export function smtpTransport(settings: SmtpSettings): MailTransport {
  const timeout = settings.timeoutMs ?? 30_000;
  const options: SMTPTransport.Options = {
    host: settings.host,
    port: settings.port,
    secure: settings.secure,
    ...(settings.secure ? {} : settings.requireTls ? { requireTLS: true } : { ignoreTLS: true }),
    ...(settings.user ? { auth: { user: settings.user, pass: settings.password ?? '' } } : {}),
    tls: { minVersion: 'TLSv1.2' },
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout * 2,
    // Messages are plain text composed by the service: never let content reach files or URLs.
    disableFileAccess: true,
    disableUrlAccess: true,
  };
  const transporter = nodemailer.createTransport(options);
  return {
    name: 'smtp',
    async send({ to, subject, text, reference }) {
      try {
        const info = await transporter.sendMail({
          from: settings.from,
          to,
          subject,
          text,
          headers: { 'X-Message-Reference': reference },
        });
        return { providerId: info.messageId };
      } catch (err) {
        throw smtpFailure(err);
      }
    },
    async close() {
      transporter.close();
    },
  };
}
