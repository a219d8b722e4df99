/**
 * Sending the issued copies to their recipients, with proof (W-4, W-6, T-6, T-7): the sending page (each issue's
 * recipients, how each copy went and what became of it, with "record as posted", "email a link", "send a secure download
 * link" to an address the recipient confirmed (A-5) and cancelling it, and, for a new version, sending it to everyone
 * who had the last one in one step, W-5), the printable
 * post pack, the distribution report business support prints, and the page an email link opens (sign-in and the
 * conference's access check, as every page here). The use cases check who may do what and audit it.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
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
  bodyOf,
  dateFields,
  idParams,
  idSchema,
  pageProblems,
  readDate,
  readingContext,
  requestContext,
  text,
} from '../../forms/index.ts';
import { READ, WRITE, conferenceParams, documentsBase, renderPage, send } from './shared.ts';

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

const DONE: Record<string, string> = {
  posted: 'The copy is recorded as posted.',
  emailed: 'The link is emailed. Its state shows here once the mail service has it.',
  'secure-link': 'The secure download link is emailed to the address the recipient confirmed.',
  cancelled: 'The secure link is cancelled: it no longer opens anything.',
};

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

const copyText = (c: CopyFile) => `${c.format === 'pdf' ? 'PDF' : 'Web page'}${c.largePrint ? ', large print' : ''}`;

/** A secure link that still opens: not cancelled, not past its expiry. */
const liveLink = (s: SendingView) => s.method === 'secure-link' && Boolean(s.link?.live);

const CONFIRMATION_ITEMS = ADDRESS_CONFIRMATIONS.map((value) => ({
  value,
  text: ADDRESS_CONFIRMATION_LABELS[value],
}));

function distributionModel(view: ConferenceDistribution) {
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

const copyFields = z.object({
  draftId: idSchema,
  recipientInviteeId: idSchema,
  issueNumber: z.coerce.number().int().positive(),
});

export function sendingRoutes(app: FastifyInstance, { sending }: SendingPagesOptions): void {
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

  app.get('/conferences/:id/documents/sending', { config: READ }, async (request, reply) => {
    const { id } = conferenceParams.parse(request.params);
    const view = await sending.distribution(request.actor!, id, requestContext(request));
    const q = (request.query ?? {}) as Record<string, unknown>;
    return page(request, reply, view, typeof q['done'] === 'string' ? (DONE[q['done']] ?? null) : null);
  });

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

  app.post('/conferences/:id/documents/sending/posted', { config: WRITE }, async (request, reply) => {
    const { id } = conferenceParams.parse(request.params);
    const body = bodyOf(request);
    const ids = copyFields.safeParse(body);
    const view = await load(request, id);
    const key = ids.success ? fieldId(view, ids.data.draftId, ids.data.issueNumber, ids.data.recipientInviteeId) : null;
    const typed = dateFields(body, 'postedOn');
    const errors: FormError[] = [];
    if (!ids.success || !key) errors.push({ text: 'Choose a recipient from the list', href: '#main-content' });
    const dateId = `postedOn-${key}`;
    const postedOn = readDate(typed, 'postedOn', 'The date posted', errors);
    for (const e of errors) if (e.href === '#postedOn-day') e.href = `#${dateId}-day`;
    if (!postedOn && !errors.length)
      errors.push({ text: 'Enter the date the copy was posted', href: `#${dateId}-day` });
    // The boxes as typed, under this recipient's form.
    const values = Object.fromEntries(Object.entries(typed).map(([k, v]) => [k.replace('postedOn', dateId), v]));
    return send({
      errors,
      call: () =>
        sending.recordPosted(request.actor!, id, { ...ids.data!, postedOn: postedOn! }, requestContext(request)),
      next: () => reply.redirect(`${documentsBase(id)}/sending?done=posted#recipient-${key}`, 303),
      problems: problems(key),
      again: async (errors, status) =>
        page(request, reply, status === 409 ? await load(request, id) : view, null, values, errors, status),
    });
  });

  app.post('/conferences/:id/documents/sending/email', { config: WRITE }, async (request, reply) => {
    const { id } = conferenceParams.parse(request.params);
    const ids = copyFields.safeParse(bodyOf(request));
    const view = await load(request, id);
    const key = ids.success ? fieldId(view, ids.data.draftId, ids.data.issueNumber, ids.data.recipientInviteeId) : null;
    return send({
      errors: ids.success && key ? [] : [{ text: 'Choose a recipient from the list', href: '#main-content' }],
      call: () => sending.emailLink(request.actor!, id, ids.data!, requestContext(request)),
      next: () => reply.redirect(`${documentsBase(id)}/sending?done=emailed#recipient-${key}`, 303),
      problems: problems(key),
      again: async (errors, status) =>
        page(request, reply, status === 409 ? await load(request, id) : view, null, {}, errors, status),
    });
  });

  app.post('/conferences/:id/documents/sending/secure-link', { config: WRITE }, async (request, reply) => {
    const { id } = conferenceParams.parse(request.params);
    const body = bodyOf(request);
    const ids = copyFields.safeParse(body);
    const view = await load(request, id);
    const key = ids.success ? fieldId(view, ids.data.draftId, ids.data.issueNumber, ids.data.recipientInviteeId) : null;
    const errors: FormError[] = [];
    if (!ids.success || !key) errors.push({ text: 'Choose a recipient from the list', href: '#main-content' });
    const dateId = `confirmedOn-${key}`;
    const typed = dateFields(body, 'confirmedOn');
    const confirmedOn = readDate(typed, 'confirmedOn', 'The date the address was confirmed', errors);
    for (const e of errors) if (e.href === '#confirmedOn-day') e.href = `#${dateId}-day`;
    const input = {
      email: text(body, 'email', 320),
      emailAgain: text(body, 'emailAgain', 320),
      confirmedHow: text(body, 'confirmedHow', 40),
    };
    // Everything typed comes back under this recipient's form (the address in the page only, never in a URL).
    const values: FormValues = {
      [`email-${key}`]: input.email,
      [`emailAgain-${key}`]: input.emailAgain,
      [`confirmedHow-${key}`]: input.confirmedHow,
      ...Object.fromEntries(Object.entries(typed).map(([k, v]) => [k.replace('confirmedOn', dateId), v])),
    };
    const where = (field: string) =>
      field === 'confirmedOn'
        ? `${dateId}-day`
        : ['email', 'emailAgain', 'confirmedHow'].includes(field)
          ? `${field}-${key}`
          : `recipient-${key}`;
    return send({
      errors,
      call: () =>
        sending.secureLink(
          request.actor!,
          id,
          { ...ids.data!, ...input, confirmedOn: confirmedOn ?? '' },
          requestContext(request),
        ),
      next: () => reply.redirect(`${documentsBase(id)}/sending?done=secure-link#recipient-${key}`, 303),
      problems: (err) => (err instanceof ConflictError ? problems(key)(err) : pageProblems(err, where)),
      again: async (errors, status) =>
        page(request, reply, status === 409 ? await load(request, id) : view, null, values, errors, status),
    });
  });

  app.post('/conferences/:id/documents/sending/cancel-link', { config: WRITE }, async (request, reply) => {
    const { id } = conferenceParams.parse(request.params);
    const body = bodyOf(request);
    const sendingId = idSchema.safeParse(body['sendingId']);
    const reason = text(body, 'reason', 1000);
    const view = await load(request, id);
    const field = sendingId.success ? `reason-${sendingId.data}` : 'main-content';
    const errors: FormError[] = sendingId.success
      ? []
      : [{ text: 'Choose a link from the list', href: '#main-content' }];
    if (!errors.length && !reason.trim())
      errors.push({ text: 'Enter why the link is being cancelled', href: `#${field}` });
    return send({
      errors,
      call: () =>
        sending.revokeLink(request.actor!, id, { sendingId: sendingId.data!, reason }, requestContext(request)),
      next: () => reply.redirect(`${documentsBase(id)}/sending?done=cancelled`, 303),
      problems: (err) =>
        err instanceof ConflictError
          ? { status: 409 as const, errors: [{ text: err.message, href: `#${field}` }] }
          : pageProblems(err, () => field),
      again: async (errors, status) =>
        page(
          request,
          reply,
          status === 409 ? await load(request, id) : view,
          null,
          { [field]: reason },
          errors,
          status,
        ),
    });
  });

  app.post('/conferences/:id/documents/sending/redistribute', { config: WRITE }, async (request, reply) => {
    const { id } = conferenceParams.parse(request.params);
    const body = bodyOf(request);
    const ids = z.object({ draftId: idSchema, issueNumber: z.coerce.number().int().positive() }).safeParse(body);
    const view = await load(request, id);
    return send({
      errors: ids.success ? [] : [{ text: 'Choose a document from the list', href: '#main-content' }],
      call: () => sending.redistribute(request.actor!, id, ids.data!, requestContext(request)),
      // The summary names people, so it is shown here rather than put in a URL.
      next: async (done) => {
        reply.code(200);
        return page(request, reply, await load(request, id), null, {}, [], 400, done);
      },
      problems: problems(null),
      again: async (errors, status) =>
        page(request, reply, status === 409 ? await load(request, id) : view, null, {}, errors, status),
    });
  });

  app.get('/conferences/:id/documents/post-pack', { config: WRITE }, async (request, reply) => {
    const { id } = conferenceParams.parse(request.params);
    const pack = await sending.postPack(request.actor!, id, requestContext(request));
    const base = documentsBase(id);
    return renderPage(reply, 'post-pack.njk', 'Post pack', {
      pack,
      base,
      conferenceDateText: formatLongDate(pack.conferenceDate),
      entries: pack.entries.map((e) => ({
        ...e,
        enclose: e.enclose.map((c) => ({ ...c, text: copyText(c), href: `${base}/copies/${c.issuedId}` })),
      })),
    });
  });

  app.get('/conferences/:id/documents/report', { config: READ }, async (request, reply) => {
    const { id } = conferenceParams.parse(request.params);
    const view = await sending.distribution(request.actor!, id, requestContext(request));
    return renderPage(reply, 'report.njk', 'Distribution report', {
      ...distributionModel(view),
      printedText: englandDateTime(new Date()),
    });
  });

  app.get('/conferences/:id/documents/sent/:sendingId', { config: READ }, async (request, reply) => {
    const { id, sendingId } = sentParams.parse(request.params);
    const copy = await sending.sentCopy(request.actor!, id, sendingId, requestContext(request));
    const base = documentsBase(id);
    return renderPage(reply, 'sent.njk', copy.title, {
      copy,
      copies: copy.copies.map((c) => ({ ...c, text: copyText(c), href: `${base}/copies/${c.issuedId}` })),
    });
  });
}
