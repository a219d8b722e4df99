/**
 * Sending the issued copies to their recipients, with proof (W-4, W-6, T-6, T-7). Business support (or a chair)
 * sends each recipient of an issue their copy: by post (the printable pack, then "posted on" recorded) or, for
 * someone with an account in the service, by an email linking to the copy, written to the outbox in the same
 * transaction as the sending. The link opens the copy's page, which needs sign-in and the conference's own access
 * check; opening it and downloading the copy are recorded against the sending. An email the mail service refuses
 * for good marks the copy undeliverable. A family member, or anyone without an account, is sent a secure download link
 * (A-5, A-6: the recordings' delivery, a one-time code to an address confirmed as theirs) releasing their own PDFs.
 * A new version is sent in one step to everyone who had the last one, the way they had it (W-5). Every call checks access to every child in the conference and audits the
 * view, the change or the denial (`documents.sending.*`: ids and counts only, never names or addresses).
 */
import type { Actor } from '../../domain/access/roles.ts';
import { type IsoDate, compareIsoDates, formatLongDate, isIsoDate, londonDateOf } from '../../domain/calendar/index.ts';
import { canIssue } from '../../domain/documents/drafting.ts';
import { DOCUMENT_KIND_LABELS, type DocumentKind } from '../../domain/documents/model.ts';
import {
  ADDRESS_CONFIRMATION_LABELS,
  type AddressConfirmation,
  type EmailOutcome,
  type SecureLinkInput,
  SENDING_METHOD_LABELS,
  SENDING_STATE_LABELS,
  type Sending,
  type SendingMethod,
  type SendingProgress,
  type SendingState,
  isSent,
  sendingProgress,
  secureLinkProblems,
  sendingState,
} from '../../domain/documents/sending.ts';
import { DeliveryError } from '../../domain/requests/delivery.ts';
import { AccessDeniedError, ConflictError, InvalidDetailsError, NotFoundError } from '../../domain/shared/errors.ts';
import type { RequestContext } from '../audit/audit-log.ts';
import { auditConference, auditConferenceDenial, withConferenceAccess } from '../conferences/conference-access.ts';
import type { MeetingConference } from '../conferences/meeting-ports.ts';
import { isUuid } from '../conferences/service-deps.ts';
import { DOCUMENT_CONFIDENTIALITY } from '../mail/conference-templates.ts';
import type { MailService } from '../mail/mail-service.ts';
import type { OutboxState } from '../mail/ports.ts';
import { type DeliveryService, londonDateTime } from '../requests/delivery-service.ts';
import type { Clock, Repositories, UnitOfWork } from '../unit-of-work.ts';
import type { CopyKind, IssuedFormat, IssuedRecord } from './documents-ports.ts';
import type { RecipientContact, SendingRecord } from './sending-ports.ts';

export { DOCUMENT_CONFIDENTIALITY };

export interface DocumentSendingDeps {
  uow: UnitOfWork;
  clock: Clock;
  mail: Pick<MailService, 'queueWithin' | 'dispatch'>;
  /** The https:// address users reach, for the link in the email. */
  publicBaseUrl: string;
  /** The secure delivery that makes and cancels a document's download link. */
  deliveries: Pick<
    DeliveryService,
    'prepareDocumentLink' | 'createForDocumentWithin' | 'revokeWithin' | 'summariesWithin'
  >;
}

/** The path of the page an email link opens: one sending's copies, after sign-in. */
export const sentCopyPath = (conferenceId: string, sendingId: string) =>
  `/conferences/${conferenceId}/documents/sent/${sendingId}`;

/** One time a copy was sent, as the pages and the API show it. */
export interface SendingView {
  id: string;
  method: SendingMethod;
  methodLabel: string;
  sentAt: Date;
  sentByName: string | null;
  postedOn: IsoDate | null;
  /** For an email link: waiting to go, sent, or refused for good (bounced, undeliverable). */
  email: EmailOutcome | null;
  openedAt: Date | null;
  downloadedAt: Date | null;
  downloads: number;
  /** A secure link: how and when its address was confirmed as the recipient's (never the address). */
  addressConfirmed: { how: AddressConfirmation; label: string; on: IsoDate } | null;
  /** A secure link: when it stops working, and its cancellation (when, why). */
  link: {
    expiresAt: Date;
    cancelledAt: Date | null;
    cancelReason: string | null;
    live: boolean;
    /** Each file the link releases, downloads so far and left (no personal data in the names). */
    files: Array<{ fileName: string; downloads: number; left: number }>;
    /** What happened to the link, newest first, in plain English (never the address, the token or a code). */
    history: Array<{ label: string; at: Date }>;
  } | null;
}

export interface CopyFile {
  issuedId: string;
  format: IssuedFormat;
  largePrint: boolean;
  byteLength: number;
}

/** One recipient of one issue of a document: their copies, how they can be reached, and every sending. */
export interface RecipientSending {
  recipientInviteeId: string;
  recipientName: string;
  copyKind: CopyKind;
  copies: CopyFile[];
  /** For post: the person's address from their record, or a professional's agency; null when neither is recorded. */
  address: string | null;
  agencyName: string | null;
  /** An email link can be sent: the recipient has an account in the service. */
  hasAccount: boolean;
  sendings: SendingView[];
  state: SendingState;
  stateLabel: string;
  sent: boolean;
}

export interface IssueSending {
  draftId: string;
  kind: DocumentKind;
  kindLabel: string;
  title: string;
  issueNumber: number;
  issuedAt: Date;
  /** Whether this is the document's latest issue (the one T-6 and T-7 count). */
  latest: boolean;
  recipients: RecipientSending[];
  progress: SendingProgress;
}

export interface ConferenceDistribution {
  conferenceId: string;
  conferenceDate: IsoDate;
  /** Every issue of every document, in the order they were issued. */
  issues: IssueSending[];
  can: { send: boolean };
}

/** One recipient's section of the post pack. */
export interface PostPackEntry {
  draftId: string;
  issueNumber: number;
  title: string;
  recipientInviteeId: string;
  recipientName: string;
  address: string | null;
  agencyName: string | null;
  /** The PDFs to print and enclose (the large-print one where arranged). */
  enclose: CopyFile[];
}

export interface PostPack {
  conferenceId: string;
  conferenceDate: IsoDate;
  /** Recipients of the latest issues, without an account, whose copy has not gone yet. */
  entries: PostPackEntry[];
  confidentiality: string;
}

export interface SentCopy {
  conferenceId: string;
  sendingId: string;
  title: string;
  recipientName: string;
  issueNumber: number;
  copies: CopyFile[];
  confidentiality: string;
}

/** What sending a new version to the previous list did, by recipient name. */
export interface Redistribution {
  draftId: string;
  issueNumber: number;
  /** Sent now: an email link to their account. */
  emailed: string[];
  /** Sent now: a new secure link to the address they confirmed for the previous version. */
  secureLinks: string[];
  /** To post (they had the previous version by post, or it can no longer go the way it went): in the post pack. */
  toPost: string[];
  /** Already sent this version before, so not sent again. */
  alreadySent: string[];
  /** Recipients of this version who were not sent the previous one: send theirs one by one. */
  notOnPrevious: string[];
}

export interface CopyAddress {
  draftId: string;
  issueNumber: number;
  recipientInviteeId: string;
}

export interface DocumentSendingUseCases {
  /** Every issue of every document, each recipient with how their copy was sent and what became of it. */
  distribution(actor: Actor, conferenceId: string, ctx: RequestContext): Promise<ConferenceDistribution>;
  /** The printable pack for post: one section per recipient to post to, with their address and what to enclose. */
  postPack(actor: Actor, conferenceId: string, ctx: RequestContext): Promise<PostPack>;
  /** Records that a recipient's copy was posted on a date (not in the future, not before it was issued). */
  recordPosted(
    actor: Actor,
    conferenceId: string,
    input: CopyAddress & { postedOn: string },
    ctx: RequestContext,
  ): Promise<SendingView>;
  /** Emails a recipient with an account a link to their copy in the service (W-6: the email says it is confidential). */
  emailLink(actor: Actor, conferenceId: string, input: CopyAddress, ctx: RequestContext): Promise<SendingView>;
  /**
   * W-6: emails a secure download link to an address the recipient confirmed as theirs and secure (how
   * and when recorded); the page releases their PDFs after a one-time code sent to the same address.
   */
  secureLink(
    actor: Actor,
    conferenceId: string,
    input: CopyAddress & SecureLinkInput,
    ctx: RequestContext,
  ): Promise<SendingView>;
  /** Cancels a secure link at once (a wrong address, a change of mind), with the reason. */
  revokeLink(
    actor: Actor,
    conferenceId: string,
    input: { sendingId: string; reason: string },
    ctx: RequestContext,
  ): Promise<SendingView>;
  /**
   * W-5: sends a new issue to everyone who had the previous one, the way they had it: a new email link, a new secure
   * link to the same confirmed address, or left for the post pack. Sends nothing twice.
   */
  redistribute(
    actor: Actor,
    conferenceId: string,
    input: { draftId: string; issueNumber: number },
    ctx: RequestContext,
  ): Promise<Redistribution>;
  /** The page an email link opens: the copies sent; opening it as the recipient is recorded. */
  sentCopy(actor: Actor, conferenceId: string, sendingId: string, ctx: RequestContext): Promise<SentCopy>;
}

const emailOutcome = (state: OutboxState | null): EmailOutcome | null =>
  state === null
    ? null
    : state === 'rejected'
      ? 'undeliverable'
      : state === 'sent' || state === 'kept'
        ? 'sent'
        : 'waiting';

function sendingView(s: SendingRecord, now: Date): SendingView {
  const how = s.addressConfirmedHow;
  return {
    id: s.id,
    method: s.method,
    methodLabel: SENDING_METHOD_LABELS[s.method],
    sentAt: s.sentAt,
    sentByName: s.sentByName,
    postedOn: s.postedOn,
    email: s.method !== 'post' ? emailOutcome(s.outboxState) : null,
    openedAt: s.openedAt,
    downloadedAt: s.downloadedAt,
    downloads: s.downloads,
    addressConfirmed:
      how && s.addressConfirmedOn ? { how, label: ADDRESS_CONFIRMATION_LABELS[how], on: s.addressConfirmedOn } : null,
    link: s.link
      ? {
          expiresAt: s.link.expiresAt,
          cancelledAt: s.link.revokedAt,
          cancelReason: s.link.revokeReason,
          live: !s.link.revokedAt && s.link.expiresAt > now,
          files: [],
          history: [],
        }
      : null,
  };
}

const toSending = (s: SendingView): Sending => ({
  method: s.method,
  sentAt: s.sentAt,
  postedOn: s.postedOn,
  email: s.email,
  openedAt: s.openedAt,
  downloadedAt: s.downloadedAt,
  cancelled: Boolean(s.link?.cancelledAt),
});

const file = (c: IssuedRecord): CopyFile => ({
  issuedId: c.id,
  format: c.format,
  largePrint: c.largePrint,
  byteLength: c.byteLength,
});

/** Every issue of every document with its recipients and their sendings, from the issued copies. */
export function distributionOf(
  issued: readonly IssuedRecord[],
  sendings: readonly SendingRecord[],
  contacts: readonly RecipientContact[],
  now: Date,
): IssueSending[] {
  const contactOf = new Map(contacts.map((c) => [c.inviteeId, c]));
  const latestOf = new Map<string, number>();
  for (const c of issued) latestOf.set(c.draftId, Math.max(latestOf.get(c.draftId) ?? 0, c.issueNumber));
  const issues = new Map<string, IssuedRecord[]>();
  for (const c of issued) {
    const key = `${c.draftId}:${c.issueNumber}`;
    issues.set(key, [...(issues.get(key) ?? []), c]);
  }
  const out: IssueSending[] = [];
  for (const copies of issues.values()) {
    const first = copies[0]!;
    const byRecipient = new Map<string, IssuedRecord[]>();
    for (const c of copies)
      if (c.recipientInviteeId)
        byRecipient.set(c.recipientInviteeId, [...(byRecipient.get(c.recipientInviteeId) ?? []), c]);
    const recipients: RecipientSending[] = [...byRecipient.entries()].map(([inviteeId, own]) => {
      const contact = contactOf.get(inviteeId);
      const views = sendings
        .filter(
          (s) =>
            s.draftId === first.draftId && s.issueNumber === first.issueNumber && s.recipientInviteeId === inviteeId,
        )
        .map((s) => sendingView(s, now));
      const state = sendingState(views.map(toSending));
      return {
        recipientInviteeId: inviteeId,
        recipientName: own[0]!.recipientName,
        copyKind: own[0]!.copyKind,
        copies: own
          .sort((a, b) => a.format.localeCompare(b.format) || Number(a.largePrint) - Number(b.largePrint))
          .map(file),
        address: contact?.address ?? null,
        agencyName: contact?.agencyName ?? null,
        hasAccount: Boolean(contact?.account),
        sendings: views,
        state,
        stateLabel: SENDING_STATE_LABELS[state],
        sent: isSent(views.map(toSending)),
      };
    });
    recipients.sort(
      (a, b) => COPY_ORDER[a.copyKind] - COPY_ORDER[b.copyKind] || a.recipientName.localeCompare(b.recipientName),
    );
    out.push({
      draftId: first.draftId,
      kind: first.kind,
      kindLabel: DOCUMENT_KIND_LABELS[first.kind],
      title: first.title,
      issueNumber: first.issueNumber,
      issuedAt: copies.reduce((d, c) => (c.issuedAt < d ? c.issuedAt : d), first.issuedAt),
      latest: latestOf.get(first.draftId) === first.issueNumber,
      recipients,
      progress: sendingProgress(
        recipients.map((r) => ({ name: r.recipientName, sendings: r.sendings.map(toSending) })),
      ),
    });
  }
  return out.sort(
    (a, b) =>
      a.issuedAt.getTime() - b.issuedAt.getTime() ||
      a.draftId.localeCompare(b.draftId) ||
      b.issueNumber - a.issueNumber,
  );
}

const COPY_ORDER: Record<CopyKind, number> = { parent: 0, child: 1, full: 2 };

const hasGoneView = (s: SendingView) => isSent([toSending(s)]);

export class DocumentSendingService implements DocumentSendingUseCases {
  private readonly deps: DocumentSendingDeps;

  constructor(deps: DocumentSendingDeps) {
    this.deps = deps;
  }

  /** One unit of work once the caller may see (or, to send, change) every child, and may send (business support or a chair). */
  private async within<T>(
    actor: Actor,
    conferenceId: string,
    send: boolean,
    action: string,
    ctx: RequestContext,
    fn: (repos: Repositories, conference: MeetingConference) => Promise<T>,
  ): Promise<T> {
    const state: { denied: boolean } = { denied: false };
    try {
      return await withConferenceAccess(
        this.deps.uow,
        actor,
        conferenceId,
        send ? 'edit' : 'view',
        action,
        ctx,
        async (repos) => {
          const conference = await repos.meeting.findConference(conferenceId, { lock: send });
          if (!conference) throw new NotFoundError('The conference');
          if (send && !canIssue(actor)) {
            state.denied = true;
            throw new AccessDeniedError('Only business support or a chair can send documents');
          }
          return fn(repos, conference);
        },
      );
    } catch (err) {
      if (state.denied)
        await auditConferenceDenial(this.deps.uow, ctx, action, conferenceId, 'not business support or a chair');
      throw err;
    }
  }

  private async load(repos: Repositories, conferenceId: string): Promise<IssueSending[]> {
    const [issued, sendings, contacts] = await Promise.all([
      repos.documents.listIssued(conferenceId),
      repos.documentSendings.listForConferences([conferenceId]),
      repos.documentSendings.recipientContacts(conferenceId),
    ]);
    const issues = distributionOf(issued, sendings, contacts, this.deps.clock.now());
    // Each secure link's downloads and history, from its delivery.
    const links = issues.flatMap((i) => i.recipients.flatMap((r) => r.sendings)).filter((s) => s.link);
    const ids = new Map(sendings.filter((s) => s.link).map((s) => [s.id, s.link!.deliveryId]));
    const summaries = new Map(
      (await this.deps.deliveries.summariesWithin(repos, [...ids.values()])).map((d) => [d.deliveryId, d]),
    );
    for (const s of links) {
      const summary = summaries.get(ids.get(s.id) ?? '');
      if (!summary || !s.link) continue;
      s.link.files = summary.files.map((f) => ({ fileName: f.fileName, downloads: f.downloads, left: f.left }));
      s.link.history = summary.events.map((e) => ({
        label: e.kind === 'created' ? 'Link emailed to the recipient' : e.label,
        at: e.at,
      }));
    }
    return issues;
  }

  /** The recipient of that issue, or NotFoundError. */
  private async recipientOf(
    repos: Repositories,
    conferenceId: string,
    input: CopyAddress,
  ): Promise<{ issue: IssueSending; recipient: RecipientSending }> {
    const ok = isUuid(input.draftId) && isUuid(input.recipientInviteeId) && Number.isSafeInteger(input.issueNumber);
    const issue = ok
      ? (await this.load(repos, conferenceId)).find(
          (i) => i.draftId === input.draftId.toLowerCase() && i.issueNumber === input.issueNumber,
        )
      : undefined;
    const recipient = issue?.recipients.find((r) => r.recipientInviteeId === input.recipientInviteeId.toLowerCase());
    if (!issue || !recipient) throw new NotFoundError('The issued copy');
    return { issue, recipient };
  }

  async distribution(actor: Actor, conferenceId: string, ctx: RequestContext): Promise<ConferenceDistribution> {
    return this.within(actor, conferenceId, false, 'documents.sending.view', ctx, async (repos, conference) => {
      const issues = await this.load(repos, conferenceId);
      await auditConference(repos, ctx, 'documents.sending.view', conferenceId, {
        issues: issues.length,
        recipients: issues.reduce((n, i) => n + i.recipients.length, 0),
      });
      return {
        conferenceId,
        conferenceDate: conference.scheduledDate,
        issues,
        can: { send: canIssue(actor) },
      };
    });
  }

  async postPack(actor: Actor, conferenceId: string, ctx: RequestContext): Promise<PostPack> {
    return this.within(actor, conferenceId, true, 'documents.sending.post-pack', ctx, async (repos, conference) => {
      const entries: PostPackEntry[] = [];
      for (const issue of await this.load(repos, conferenceId)) {
        if (!issue.latest) continue;
        for (const r of issue.recipients) {
          if (r.hasAccount || r.sent) continue;
          entries.push({
            draftId: issue.draftId,
            issueNumber: issue.issueNumber,
            title: issue.title,
            recipientInviteeId: r.recipientInviteeId,
            recipientName: r.recipientName,
            address: r.address,
            agencyName: r.agencyName,
            enclose: r.copies.filter((c) => c.format === 'pdf'),
          });
        }
      }
      await auditConference(repos, ctx, 'documents.sending.post-pack', conferenceId, { recipients: entries.length });
      return {
        conferenceId,
        conferenceDate: conference.scheduledDate,
        entries,
        confidentiality: DOCUMENT_CONFIDENTIALITY,
      };
    });
  }

  async recordPosted(
    actor: Actor,
    conferenceId: string,
    input: CopyAddress & { postedOn: string },
    ctx: RequestContext,
  ): Promise<SendingView> {
    return this.within(actor, conferenceId, true, 'documents.sending.post', ctx, async (repos) => {
      const { issue, recipient } = await this.recipientOf(repos, conferenceId, input);
      const now = this.deps.clock.now();
      const postedOn = input.postedOn.trim();
      const field = 'postedOn';
      if (!isIsoDate(postedOn))
        throw new InvalidDetailsError([
          { field, message: 'Enter the date the copy was posted, for example 2026-03-27' },
        ]);
      if (compareIsoDates(postedOn, londonDateOf(now)) > 0)
        throw new InvalidDetailsError([{ field, message: 'The date posted must be today or in the past' }]);
      if (compareIsoDates(postedOn, londonDateOf(issue.issuedAt)) < 0)
        throw new InvalidDetailsError([
          { field, message: 'The date posted must be on or after the day the document was issued' },
        ]);
      const row = await repos.documentSendings.insert({
        conferenceId,
        draftId: issue.draftId,
        issueNumber: issue.issueNumber,
        recipientInviteeId: recipient.recipientInviteeId,
        method: 'post',
        postedOn,
        outboxMessageId: null,
        recipientUserId: null,
        sentByUserId: actor.id,
        sentAt: now,
      });
      if (!row) throw new ConflictError('This copy is already recorded as posted');
      await auditConference(repos, ctx, 'documents.sending.post', conferenceId, {
        sendingId: row.id,
        draftId: issue.draftId,
        issueNumber: issue.issueNumber,
        recipientInviteeId: recipient.recipientInviteeId,
      });
      return sendingView(row, now);
    });
  }

  async emailLink(actor: Actor, conferenceId: string, input: CopyAddress, ctx: RequestContext): Promise<SendingView> {
    const result = await this.within(
      actor,
      conferenceId,
      true,
      'documents.sending.email',
      ctx,
      async (repos, conference) => {
        const { issue, recipient } = await this.recipientOf(repos, conferenceId, input);
        return this.emailLinkWithin(repos, actor, conference, issue, recipient, ctx);
      },
    );
    await this.deps.mail.dispatch(result.messageId);
    return result.view;
  }

  /** The inside of `emailLink`, in the caller's transaction (access checked, the conference locked). */
  private async emailLinkWithin(
    repos: Repositories,
    actor: Actor,
    conference: MeetingConference,
    issue: IssueSending,
    recipient: RecipientSending,
    ctx: RequestContext,
  ): Promise<{ view: SendingView; messageId: string }> {
    const conferenceId = conference.id;
    const contact = (await repos.documentSendings.recipientContacts(conferenceId)).find(
      (c) => c.inviteeId === recipient.recipientInviteeId,
    );
    if (!contact?.account)
      throw new InvalidDetailsError([
        {
          field: 'method',
          message: `${recipient.recipientName} has no account in the service: send their copy by post`,
        },
      ]);
    if (recipient.sendings.some((s) => s.method === 'email-link' && s.email !== 'undeliverable'))
      throw new ConflictError('A link to this copy has already been emailed');
    const now = this.deps.clock.now();
    // The row first (its id is the link), then its email in the same transaction: both commit or neither.
    const sendingId = crypto.randomUUID();
    const { messageId } = await this.deps.mail.queueWithin(repos, {
      template: 'document-sent',
      to: contact.account.email,
      values: {
        recipient_name: recipient.recipientName,
        document_title: issue.kindLabel.toLowerCase(),
        conference_date: formatLongDate(conference.scheduledDate),
        document_link: `${this.deps.publicBaseUrl}${sentCopyPath(conferenceId, sendingId)}`,
        confidentiality: DOCUMENT_CONFIDENTIALITY,
      },
      about: { subjectType: 'conference', subjectId: conferenceId, ctx },
    });
    const row = await repos.documentSendings.insert({
      id: sendingId,
      conferenceId,
      draftId: issue.draftId,
      issueNumber: issue.issueNumber,
      recipientInviteeId: recipient.recipientInviteeId,
      method: 'email-link',
      postedOn: null,
      outboxMessageId: messageId,
      recipientUserId: contact.account.userId,
      sentByUserId: actor.id,
      sentAt: now,
    });
    if (!row) throw new ConflictError('A link to this copy has already been emailed');
    await auditConference(repos, ctx, 'documents.sending.email', conferenceId, {
      sendingId: row.id,
      draftId: issue.draftId,
      issueNumber: issue.issueNumber,
      recipientInviteeId: recipient.recipientInviteeId,
      messageId,
    });
    return { view: sendingView(row, now), messageId };
  }

  async secureLink(
    actor: Actor,
    conferenceId: string,
    input: CopyAddress & SecureLinkInput,
    ctx: RequestContext,
  ): Promise<SendingView> {
    const result = await this.within(
      actor,
      conferenceId,
      true,
      'documents.sending.secure-link',
      ctx,
      async (repos, conference) => {
        const { issue, recipient } = await this.recipientOf(repos, conferenceId, input);
        if (!issue.latest) throw new ConflictError('A later issue replaces this one: send that instead');
        const problems = secureLinkProblems(input, londonDateOf(this.deps.clock.now()));
        if (problems.length) throw new InvalidDetailsError(problems);
        return this.secureLinkWithin(
          repos,
          actor,
          conference,
          issue,
          recipient,
          {
            email: input.email.trim(),
            confirmedHow: input.confirmedHow as AddressConfirmation,
            confirmedOn: input.confirmedOn.trim() as IsoDate,
          },
          ctx,
        );
      },
    );
    await this.deps.mail.dispatch(result.messageId);
    return result.view;
  }

  /**
   * The inside of `secureLink`, in the caller's transaction, the details already checked: the link is made (its
   * token only in the email), the email queued, then the sending and its delivery written, all or nothing. The
   * address goes to the outbox and the delivery only: never to the audit trail, a URL or a log.
   */
  private async secureLinkWithin(
    repos: Repositories,
    actor: Actor,
    conference: MeetingConference,
    issue: IssueSending,
    recipient: RecipientSending,
    to: { email: string; confirmedHow: AddressConfirmation; confirmedOn: IsoDate },
    ctx: RequestContext,
  ): Promise<{ view: SendingView; messageId: string }> {
    const conferenceId = conference.id;
    const now = this.deps.clock.now();
    if (recipient.sendings.some((s) => s.method === 'secure-link' && s.link?.live))
      throw new ConflictError('A secure link to this copy still works: cancel it before sending another');
    const link = this.deps.deliveries.prepareDocumentLink();
    const { messageId } = await this.deps.mail.queueWithin(repos, {
      template: 'document-secure-link',
      to: to.email,
      values: {
        recipient_name: recipient.recipientName,
        document_title: issue.kindLabel.toLowerCase(),
        conference_date: formatLongDate(conference.scheduledDate),
        download_link: link.url,
        expires_on: londonDateTime(link.expiresAt),
        confidentiality: DOCUMENT_CONFIDENTIALITY,
      },
      about: { subjectType: 'conference', subjectId: conferenceId, ctx },
    });
    const row = await repos.documentSendings.insert({
      conferenceId,
      draftId: issue.draftId,
      issueNumber: issue.issueNumber,
      recipientInviteeId: recipient.recipientInviteeId,
      method: 'secure-link',
      postedOn: null,
      outboxMessageId: messageId,
      recipientUserId: null,
      addressConfirmedHow: to.confirmedHow,
      addressConfirmedOn: to.confirmedOn,
      sentByUserId: actor.id,
      sentAt: now,
    });
    if (!row) throw new ConflictError('A secure link to this copy has already been sent');
    let deliveryId: string;
    try {
      ({ deliveryId } = await this.deps.deliveries.createForDocumentWithin(
        repos,
        actor,
        { sendingId: row.id, email: to.email, link },
        ctx,
      ));
    } catch (err) {
      if (err instanceof DeliveryError) throw new InvalidDetailsError([{ field: 'email', message: err.message }]);
      throw err;
    }
    await auditConference(repos, ctx, 'documents.sending.secure-link', conferenceId, {
      sendingId: row.id,
      deliveryId,
      draftId: issue.draftId,
      issueNumber: issue.issueNumber,
      recipientInviteeId: recipient.recipientInviteeId,
      messageId,
      confirmedHow: to.confirmedHow,
    });
    const stored = await repos.documentSendings.find(row.id);
    return { view: sendingView(stored ?? row, now), messageId };
  }

  async revokeLink(
    actor: Actor,
    conferenceId: string,
    input: { sendingId: string; reason: string },
    ctx: RequestContext,
  ): Promise<SendingView> {
    return this.within(actor, conferenceId, true, 'documents.sending.revoke', ctx, async (repos) => {
      const sending = isUuid(input.sendingId) ? await repos.documentSendings.find(input.sendingId.toLowerCase()) : null;
      if (!sending || sending.conferenceId !== conferenceId || sending.method !== 'secure-link' || !sending.link)
        throw new NotFoundError('The secure link');
      if (!input.reason.trim())
        throw new InvalidDetailsError([{ field: 'reason', message: 'Enter why the link is being cancelled' }]);
      if (sending.link.revokedAt) throw new ConflictError('This link has already been cancelled');
      try {
        await this.deps.deliveries.revokeWithin(repos, actor, sending.link.deliveryId, input.reason, ctx);
      } catch (err) {
        if (err instanceof DeliveryError) {
          if (err.field === 'reason') throw new InvalidDetailsError([{ field: 'reason', message: err.message }]);
          throw new ConflictError(err.message);
        }
        throw err;
      }
      await auditConference(repos, ctx, 'documents.sending.revoke', conferenceId, {
        sendingId: sending.id,
        deliveryId: sending.link.deliveryId,
        draftId: sending.draftId,
        issueNumber: sending.issueNumber,
        recipientInviteeId: sending.recipientInviteeId,
      });
      return sendingView((await repos.documentSendings.find(sending.id))!, this.deps.clock.now());
    });
  }

  async redistribute(
    actor: Actor,
    conferenceId: string,
    input: { draftId: string; issueNumber: number },
    ctx: RequestContext,
  ): Promise<Redistribution> {
    const result = await this.within(
      actor,
      conferenceId,
      true,
      'documents.sending.redistribute',
      ctx,
      async (repos, conference) => {
        const issues = isUuid(input.draftId) ? await this.load(repos, conferenceId) : [];
        const draftId = input.draftId.toLowerCase();
        const issue = issues.find((i) => i.draftId === draftId && i.issueNumber === input.issueNumber);
        if (!issue) throw new NotFoundError('The issued document');
        const previous = issues
          .filter((i) => i.draftId === draftId && i.issueNumber < issue.issueNumber)
          .sort((a, b) => b.issueNumber - a.issueNumber)[0];
        if (!previous)
          throw new ConflictError('This is the first issue of the document: send each copy from the list instead');
        if (!issue.latest) throw new ConflictError('A later issue replaces this one: send that instead');
        const out: Redistribution = {
          draftId,
          issueNumber: issue.issueNumber,
          emailed: [],
          secureLinks: [],
          toPost: [],
          alreadySent: [],
          notOnPrevious: [],
        };
        const messageIds: string[] = [];
        const contacts = await repos.documentSendings.recipientContacts(conferenceId);
        const raw = await repos.documentSendings.listForConferences([conferenceId]);
        for (const r of issue.recipients) {
          const before = previous.recipients.find((p) => p.recipientInviteeId === r.recipientInviteeId);
          if (!before?.sent) {
            out.notOnPrevious.push(r.recipientName);
            continue;
          }
          if (r.sent) {
            out.alreadySent.push(r.recipientName);
            continue;
          }
          // The way their copy of the previous issue last went (and was not refused or cancelled).
          const last = before.sendings.filter((s) => hasGoneView(s)).at(-1)!;
          if (last.method === 'email-link' && contacts.find((c) => c.inviteeId === r.recipientInviteeId)?.account) {
            const sent = await this.emailLinkWithin(repos, actor, conference, issue, r, ctx);
            messageIds.push(sent.messageId);
            out.emailed.push(r.recipientName);
            continue;
          }
          const record = raw.find((s) => s.id === last.id);
          const address = last.method === 'secure-link' ? await repos.documentSendings.linkAddress(last.id) : null;
          if (address && record?.addressConfirmedHow && record.addressConfirmedOn) {
            const sent = await this.secureLinkWithin(
              repos,
              actor,
              conference,
              issue,
              r,
              { email: address, confirmedHow: record.addressConfirmedHow, confirmedOn: record.addressConfirmedOn },
              ctx,
            );
            messageIds.push(sent.messageId);
            out.secureLinks.push(r.recipientName);
            continue;
          }
          out.toPost.push(r.recipientName);
        }
        await auditConference(repos, ctx, 'documents.sending.redistribute', conferenceId, {
          draftId,
          issueNumber: issue.issueNumber,
          previousIssueNumber: previous.issueNumber,
          emailed: out.emailed.length,
          secureLinks: out.secureLinks.length,
          toPost: out.toPost.length,
          alreadySent: out.alreadySent.length,
          notOnPrevious: out.notOnPrevious.length,
        });
        return { out, messageIds };
      },
    );
    for (const id of result.messageIds) await this.deps.mail.dispatch(id);
    return result.out;
  }

  async sentCopy(actor: Actor, conferenceId: string, sendingId: string, ctx: RequestContext): Promise<SentCopy> {
    return this.within(actor, conferenceId, false, 'documents.sending.open', ctx, async (repos) => {
      const sending = isUuid(sendingId) ? await repos.documentSendings.find(sendingId.toLowerCase()) : null;
      if (!sending || sending.conferenceId !== conferenceId) throw new NotFoundError('The copy');
      const issue = (await this.load(repos, conferenceId)).find(
        (i) => i.draftId === sending.draftId && i.issueNumber === sending.issueNumber,
      );
      const recipient = issue?.recipients.find((r) => r.recipientInviteeId === sending.recipientInviteeId);
      if (!issue || !recipient) throw new NotFoundError('The copy');
      const byRecipient = sending.recipientUserId !== null && sending.recipientUserId === actor.id;
      if (byRecipient) await repos.documentSendings.markOpened(sending.id, this.deps.clock.now());
      await auditConference(repos, ctx, 'documents.sending.open', conferenceId, {
        sendingId: sending.id,
        byRecipient,
      });
      return {
        conferenceId,
        sendingId: sending.id,
        title: issue.title,
        recipientName: recipient.recipientName,
        issueNumber: issue.issueNumber,
        copies: recipient.copies,
        confidentiality: DOCUMENT_CONFIDENTIALITY,
      };
    });
  }
}
