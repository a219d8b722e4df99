/**
 * What the API routes of sending the issued copies share (W-4, W-6, T-6, T-7, A-5, A-6): a copy's file, one
 * sending and its allow-list mapper (never the address, the token or a code), and which recipient's copy a call is about.
 */
import { z } from 'zod';
import type { CopyFile, SendingView } from '../../../app/documents/sending.ts';
import { ADDRESS_CONFIRMATIONS, SENDING_METHODS } from '../../../domain/documents/sending.ts';
import { idSchema } from '../../../domain/shared/ids.ts';
import { iso, isoOrNull } from './schemas.ts';

export const copyFileSchema = z.object({
  issuedId: idSchema.describe('The copy’s id: its bytes are at …/documents/issued/{issuedId}/file'),
  format: z.enum(['pdf', 'html']),
  largePrint: z.boolean(),
  byteLength: z.number().int(),
});
export const copyFileOut = (c: CopyFile) => ({
  issuedId: c.issuedId,
  format: c.format,
  largePrint: c.largePrint,
  byteLength: c.byteLength,
});

export const sendingSchema = z.object({
  id: idSchema,
  method: z
    .enum(SENDING_METHODS)
    .describe(
      'post, email-link (an email linking to the copy in the service) or secure-link (a secure download link to an address the recipient confirmed)',
    ),
  sentAt: z.string().describe('When it was sent or recorded (ISO 8601)'),
  sentByName: z.string().nullable(),
  postedOn: z.string().nullable().describe('For post: the date posted (YYYY-MM-DD)'),
  email: z
    .enum(['waiting', 'sent', 'undeliverable'])
    .nullable()
    .describe('For an email link: waiting to go, sent, or refused for good by the mail service (bounced)'),
  openedAt: z.string().nullable().describe('When the recipient first opened the link'),
  downloadedAt: z.string().nullable().describe('When the recipient last downloaded their copy'),
  downloads: z.number().int(),
  addressConfirmed: z
    .object({ how: z.enum(ADDRESS_CONFIRMATIONS), on: z.string().describe('YYYY-MM-DD') })
    .nullable()
    .describe('For a secure link (A-5): how and when the recipient confirmed the address (never the address)'),
  link: z
    .object({
      expiresAt: z.string(),
      cancelledAt: z.string().nullable(),
      cancelReason: z.string().nullable(),
      live: z.boolean().describe('The link still opens: not cancelled, not expired'),
      files: z
        .array(z.object({ fileName: z.string(), downloads: z.number().int(), left: z.number().int() }))
        .describe('Each file the link releases: downloads so far and left'),
      history: z
        .array(z.object({ label: z.string(), at: z.string() }))
        .describe('What happened to the link, newest first (never the address, the token or a code)'),
    })
    .nullable()
    .describe('For a secure link: when it stops working, and its cancellation'),
});
export const sendingOut = (s: SendingView) => ({
  id: s.id,
  method: s.method,
  sentAt: iso(s.sentAt),
  sentByName: s.sentByName,
  postedOn: s.postedOn,
  email: s.email,
  openedAt: isoOrNull(s.openedAt),
  downloadedAt: isoOrNull(s.downloadedAt),
  downloads: s.downloads,
  addressConfirmed: s.addressConfirmed ? { how: s.addressConfirmed.how, on: s.addressConfirmed.on } : null,
  link: s.link
    ? {
        expiresAt: iso(s.link.expiresAt),
        cancelledAt: isoOrNull(s.link.cancelledAt),
        cancelReason: s.link.cancelReason,
        live: s.link.live,
        files: s.link.files.map((f) => ({ fileName: f.fileName, downloads: f.downloads, left: f.left })),
        history: s.link.history.map((e) => ({ label: e.label, at: iso(e.at) })),
      }
    : null,
});

export const copyAddress = z.object({
  draftId: idSchema.describe('The document’s draft'),
  issueNumber: z.number().int().min(1).describe('Which issue of it'),
  recipientInviteeId: idSchema.describe('The recipient (conference invitee id)'),
});
