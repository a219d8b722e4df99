import { createRequire } from 'node:module';
import notifyClient from 'notifications-node-client';
import { MailSendError, type MailTransport } from '../../app/mail/ports.ts';

/** The HTTP client notifications-node-client takes: axios's CommonJS build's instance, as its types name it. */
type NotifyHttpClient = Parameters<InstanceType<typeof notifyClient.NotifyClient>['setClient']>[0];
/**
 * notifications-node-client is CommonJS and requires axios's CommonJS build; axios ships separate type files
 * for import and require, so an instance made through `import` is typed as another build's. Required the same
 * way here, it is the very module the client uses, typed as the client expects.
 */
const notifyAxios: { create(config: { timeout: number }): NotifyHttpClient } = createRequire(import.meta.url)('axios');

export interface NotifySettings {
  apiKey: string;
  /**
   * One Notify email template whose subject is `((subject))` and whose body is `((body))`: the service
   * composes the wording (administrators edit it here), Notify delivers it.
   */
  templateId: string;
  /** Notify's API (tests point it at a local fake). */
  baseUrl?: string | undefined;
  timeoutMs?: number;
}

/** Notify's error reduced to its HTTP status and error names: its messages may quote the address. */
export function notifyFailure(err: unknown): MailSendError {
  const e = (err ?? {}) as { response?: { status?: unknown; data?: { errors?: unknown } }; code?: unknown };
  const status = typeof e.response?.status === 'number' ? e.response.status : undefined;
  if (status === undefined) {
    const code = typeof e.code === 'string' && /^[A-Z][A-Z0-9_]{1,30}$/.test(e.code) ? e.code : 'UNKNOWN';
    return new MailSendError(`notify:${code}`, false);
  }
  const errors = Array.isArray(e.response?.data?.errors) ? (e.response.data.errors as Array<{ error?: unknown }>) : [];
  const names = [
    ...new Set(
      errors
        .map((x) => (typeof x.error === 'string' && /^[A-Za-z]{1,40}$/.test(x.error) ? x.error : null))
        .filter((x) => x !== null),
    ),
  ];
  // 400: Notify will not send this message (a bad address, a team-only key): trying again cannot help.
  // 403 (a wrong key), 429 (rate limit) and 5xx are put right elsewhere, so they are retried.
  return new MailSendError(`notify:${status}${names.length ? ` ${names.join(',')}` : ''}`, status === 400);
}

/** Sends through GOV.UK Notify (notifications-node-client), with the service's wording as personalisation. */
export function notifyTransport(settings: NotifySettings): MailTransport {
  const client = settings.baseUrl
    ? new notifyClient.NotifyClient(settings.baseUrl, settings.apiKey)
    : new notifyClient.NotifyClient(settings.apiKey);
  // The client's default has no time-out: a stalled connection would hold a worker for ever.
  client.setClient(notifyAxios.create({ timeout: settings.timeoutMs ?? 30_000 }));
  return {
    name: 'notify',
    async send({ to, subject, text, reference }) {
      try {
        const response = await client.sendEmail(settings.templateId, to, {
          personalisation: { subject, body: text },
          reference,
        });
        return { providerId: String(response.data.id) };
      } catch (err) {
        throw notifyFailure(err);
      }
    },
  };
}
