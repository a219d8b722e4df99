/** What the download pages share: where they live, the grant cookie, rate limits, and the pages for a link that no longer works. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { DeliveryService } from '../../../app/requests/delivery-service.ts';
import { englandTimeOnDate, formatLongDate, isIsoDate } from '../../../domain/calendar/index.ts';
import { requestContext } from '../../forms/index.ts';

export const GRANT_COOKIE = 'cpcr_download';
export const PATH_SCOPE = '/copy/';

/** Per IP address, for pages anyone holding a link could hammer. */
const PAGE_LIMIT = { max: 60, timeWindow: '15 minutes' } as const;
const FORM_LIMIT = { max: 30, timeWindow: '15 minutes' } as const;
export const PAGE = { access: 'public' as const, rateLimit: PAGE_LIMIT };
export const FORM = { access: 'public' as const, rateLimit: FORM_LIMIT };
/** A download manager resuming a broken download asks for a range each time it reconnects: more, but still limited. */
const DOWNLOAD_LIMIT = { max: 300, timeWindow: '15 minutes' } as const;
export const DOWNLOAD = { access: 'public' as const, rateLimit: DOWNLOAD_LIMIT };

const UNAVAILABLE = {
  unknown: { status: 404, title: 'This link does not work' },
  expired: { status: 410, title: 'This link has expired' },
  revoked: { status: 410, title: 'This link has been cancelled' },
  'used-up': { status: 410, title: 'This recording has already been downloaded' },
  damaged: { status: 500, title: 'This file cannot be downloaded' },
  'window-expired': { status: 410, title: 'This download has stopped working' },
  changed: { status: 410, title: 'This file has changed since your download started' },
} as const;
export type Unavailable = keyof typeof UNAVAILABLE;

export const isUnavailable = (s: string): s is Unavailable => s in UNAVAILABLE;

export interface DownloadDeps {
  deliveries: DeliveryService;
  cookieSecure: boolean;
  /** The council's address for requesters' questions, on every page. */
  replyTo: string;
}

export const tokenOf = (request: FastifyRequest) => (request.params as { token: string }).token;
export const base = (token: string) => `${PATH_SCOPE}${token}`;

/** The browser's grant to download, from its signed cookie. */
export function grantOf(request: FastifyRequest): string | null {
  const raw = request.cookies[GRANT_COOKIE];
  if (!raw) return null;
  const r = request.unsignCookie(raw);
  return r.valid ? r.value : null;
}

function formatSize(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
  return `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

/** `back`: the link's page, for a download that can be started again from it. */
export function unavailable(
  reply: FastifyReply,
  status: Unavailable,
  replyTo: string,
  thing = 'recording',
  back: string | null = null,
) {
  reply.code(UNAVAILABLE[status].status);
  const title =
    thing === 'document' && status === 'used-up'
      ? 'This document has already been downloaded'
      : UNAVAILABLE[status].title;
  return reply.view('download/unavailable.njk', { title, status, replyTo, thing, back });
}

/** The page for a link that does not work, worded for what it released (a recording or a document). */
export async function unavailableFor(
  { deliveries, replyTo }: DownloadDeps,
  token: string,
  reply: FastifyReply,
  status: Unavailable,
) {
  const kind = status === 'unknown' ? null : await deliveries.linkKind(token);
  return unavailable(reply, status, replyTo, kind === 'document' ? 'document' : 'recording');
}

/** The start page, or the files when the browser holds a grant. */
export async function landing(
  deps: DownloadDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  extra: Record<string, unknown> = {},
) {
  const { deliveries, replyTo } = deps;
  const token = tokenOf(request);
  const opened = await deliveries.open(token, requestContext(request));
  if (opened.status !== 'active') return unavailableFor(deps, token, reply, opened.status);
  const about = opened.about;
  const document = about.kind === 'document' ? { ...about, conferenceDateText: longDate(about.conferenceDate) } : null;
  const view = { base: base(token), expiresAt: englandTimeOnDate(opened.expiresAt), replyTo, document, ...extra };
  if (await deliveries.hasGrant(token, grantOf(request))) {
    return reply.view('download/files.njk', {
      title: document ? `Download your copy of the ${document.title.toLowerCase()}` : 'Download the recording',
      ...view,
      files: opened.files.map((f) => ({ ...f, size: formatSize(f.sizeBytes) })),
    });
  }
  return reply.view('download/start.njk', {
    title: document ? 'Download your copy of a conference document' : 'Download a copy of a conference recording',
    ...view,
  });
}

const longDate = (d: string) => (isIsoDate(d) ? formatLongDate(d) : '');
