/**
 * What the pages of sending the issued copies share (W-4, W-6, T-6, T-7): the labels, the line that says what one
 * sending did, the sending page's model, and the kit its forms use to re-render the page with their errors.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type {
  ConferenceDistribution,
  CopyFile,
  DocumentSendingUseCases,
  Redistribution,
  SendingView,
} from '../../../app/documents/sending.ts';
import { ADDRESS_CONFIRMATIONS, ADDRESS_CONFIRMATION_LABELS } from '../../../domain/documents/sending.ts';
import { englandDateTime, formatLongDate } from '../../../domain/calendar/index.ts';
import { ConflictError } from '../../../domain/shared/errors.ts';
import {
  type FormError,
  type FormValues,
  idParams,
  idSchema,
  pageProblems,
  readingContext,
} from '../../forms/index.ts';
import { documentsBase, renderPage } from './shared.ts';

export interface SendingPagesOptions {
  sending: DocumentSendingUseCases;
}

const COPY_LABELS = { full: 'Full record', parent: 'Parent’s copy', child: 'Child’s copy' } as const;
const STATE_CLASSES: Record<string, string> = {
  'not-sent': 'govuk-tag--grey',
  posted: 'govuk-tag--green',
  emailed: 'govuk-tag--blue',
  opened: 'govuk-tag--turquoise',
  downloaded: 'govuk-tag--green',
  undeliverable: 'govuk-tag--red',
  cancelled: 'govuk-tag--orange',
};

export const sentParams = idParams('id', 'sendingId');

/** What one sending says, in a line: "Posted on 4 March 2026 (recorded by Bo Support)". */
export function sendingText(s: SendingView): string {
  const by = s.sentByName ? ` by ${s.sentByName}` : '';
  if (s.method === 'post')
    return `Posted on ${formatLongDate(s.postedOn!)} (recorded ${englandDateTime(s.sentAt)}${by})`;
  const parts =
    s.method === 'secure-link'
      ? [
          `Secure download link emailed ${englandDateTime(s.sentAt)}${by}`,
          ...(s.addressConfirmed
            ? [
                `address confirmed ${s.addressConfirmed.label.toLowerCase().replace(/ \(.*\)$/, '')} on ${formatLongDate(s.addressConfirmed.on)}`,
              ]
            : []),
          ...(s.link?.cancelledAt
            ? [`cancelled ${englandDateTime(s.link.cancelledAt)} (${s.link.cancelReason ?? ''})`]
            : s.link
              ? [`the link works until ${englandDateTime(s.link.expiresAt)}`]
              : []),
        ]
      : [`Link emailed ${englandDateTime(s.sentAt)}${by}`];
  if (s.email === 'undeliverable') parts.push('the email could not be delivered');
  else if (s.email === 'waiting') parts.push('the email is waiting to go');
  if (s.openedAt) parts.push(`opened ${englandDateTime(s.openedAt)}`);
  if (s.downloadedAt)
    parts.push(
      `downloaded ${s.downloads === 1 ? 'once' : `${s.downloads} times`}, last ${englandDateTime(s.downloadedAt)}`,
    );
  return parts.join('; ');
}

export const copyText = (c: CopyFile) =>
  `${c.format === 'pdf' ? 'PDF' : 'Web page'}${c.largePrint ? ', large print' : ''}`;

/** A secure link that still opens: not cancelled, not past its expiry. */
const liveLink = (s: SendingView) => s.method === 'secure-link' && Boolean(s.link?.live);

const CONFIRMATION_ITEMS = ADDRESS_CONFIRMATIONS.map((value) => ({
  value,
  text: ADDRESS_CONFIRMATION_LABELS[value],
}));

export function distributionModel(view: ConferenceDistribution) {
  const base = documentsBase(view.conferenceId);
  return {
    confirmationItems: CONFIRMATION_ITEMS,
    v: view,
    base,
    conferenceDateText: formatLongDate(view.conferenceDate),
    issues: view.issues.map((issue, i) => ({
      ...issue,
      index: i,
      issuedText: englandDateTime(issue.issuedAt),
      progressText: `${issue.progress.sent} of ${issue.progress.total} sent`,
      canRedistribute: view.can.send && issue.latest && issue.issueNumber > 1,
      recipients: issue.recipients.map((r, j) => ({
        ...r,
        key: `${i}-${j}`,
        copyLabel: COPY_LABELS[r.copyKind],
        stateTag: { text: r.stateLabel, classes: STATE_CLASSES[r.state] },
        copies: r.copies.map((c) => ({ ...c, text: copyText(c), href: `${base}/copies/${c.issuedId}` })),
        sendingTexts: r.sendings.map(sendingText),
        linkRows: r.sendings.flatMap((s) =>
          s.link && s.method === 'secure-link'
            ? [
                {
                  key: { text: 'Downloads left' },
                  value: {
                    text:
                      s.link.files.map((f) => `${f.fileName}: ${f.left} (downloaded ${f.downloads})`).join('; ') || '–',
                  },
                },
                {
                  key: { text: 'What happened to the link' },
                  value: {
                    text:
                      s.link.history
                        .slice(0, 6)
                        .map((e) => `${e.label} ${englandDateTime(e.at)}`)
                        .join('; ') || '–',
                  },
                },
              ]
            : [],
        ),
        methodText: r.sendings.map((s) => s.methodLabel).join(', ') || 'None yet',
        datesText: r.sendings.map(sendingText).join('. ') || '–',
        canPost: view.can.send && issue.latest && !r.sendings.some((s) => s.method === 'post'),
        canEmail:
          view.can.send &&
          issue.latest &&
          r.hasAccount &&
          !r.sendings.some((s) => s.method === 'email-link' && s.email !== 'undeliverable'),
        // A new secure link when the copy has not gone, or went only by links that no longer open (expired).
        canSecureLink:
          view.can.send &&
          issue.latest &&
          !r.sendings.some(liveLink) &&
          (!r.sent || r.sendings.every((s) => s.method === 'secure-link')),
        liveLinks: view.can.send ? r.sendings.filter(liveLink).map((s) => ({ id: s.id })) : [],
      })),
    })),
  };
}

export const copyFields = z.object({
  draftId: idSchema,
  recipientInviteeId: idSchema,
  issueNumber: z.coerce.number().int().positive(),
});

/** The sending page and what its forms need to re-render it: the distribution, the recipient's key, the problems. */
export function sendingPageKit(sending: DocumentSendingUseCases) {
  const load = (request: FastifyRequest, id: string) =>
    sending.distribution(request.actor!, id, readingContext(request));

  const page = (
    request: FastifyRequest,
    reply: FastifyReply,
    view: ConferenceDistribution,
    done: string | null,
    values: FormValues = {},
    errors: FormError[] = [],
    status: 400 | 409 = 400,
    redistribution: Redistribution | null = null,
  ) =>
    renderPage(
      reply,
      'sending.njk',
      'Send the copies',
      { ...distributionModel(view), done, values, redistribution, open: openFor(errors) },
      errors,
      status,
    );

  /** The recipient whose secure link form has an error stays open (its `details` element). */
  const openFor = (errors: FormError[]) =>
    errors.map((e) => /^#(?:email|emailAgain|confirmedHow|confirmedOn)-(\d+-\d+)/.exec(e.href)?.[1]).filter(Boolean);

  /** A recipient's key on the page, for the error summary's link to their date field. */
  const fieldId = (view: ConferenceDistribution, draftId: string, issueNumber: number, inviteeId: string) => {
    const model = distributionModel(view);
    const issue = model.issues.find((i) => i.draftId === draftId && i.issueNumber === issueNumber);
    const r = issue?.recipients.find((x) => x.recipientInviteeId === inviteeId);
    return r ? r.key : null;
  };

  /** ConflictError (already posted, already emailed) is a 409; the rest as every form. */
  const problems = (key: string | null) => (err: unknown) => {
    if (err instanceof ConflictError)
      return {
        status: 409 as const,
        errors: [{ text: err.message, href: key ? `#recipient-${key}` : '#main-content' }],
      };
    return pageProblems(err, (field) =>
      field === 'postedOn' ? `postedOn-${key}-day` : key ? `recipient-${key}` : 'main-content',
    );
  };

  return { load, page, fieldId, problems };
}
