import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../domain/access/roles.ts';
import { londonDateOf } from '../../domain/calendar/index.ts';
import { AccessDeniedError, ConflictError, InvalidDetailsError, NotFoundError } from '../../domain/shared/errors.ts';
import { outboxMessages } from '../../infra/db/mail-schema.ts';
import { auditRows, staff } from '../../../test/support/people.ts';
import type { SiblingGroupConference } from '../../../test/support/conferences.ts';
import { issuedDecisionLetter, letterStaff } from '../../../test/support/sending.ts';
import { createTestServices, testDatabases, type TestContext } from '../../../test/support/services.ts';
import type { DocumentService } from './document-service.ts';
import { DOCUMENT_CONFIDENTIALITY, type DocumentSendingService, type IssueSending } from './sending.ts';

const as = (a: Actor) => ({ actor: { id: a.id, label: a.name }, correlationId: 'test-request' });

describe.each(testDatabases())('sending the written record (%s)', (kind) => {
  let ctx: TestContext;
  let documents: DocumentService;
  let sending: DocumentSendingService;
  let sw: Actor;
  let chair: Actor;
  let support: Actor;
  let stranger: Actor;

  beforeAll(async () => {
    ctx = await createTestServices(kind);
    documents = ctx.services.documents;
    sending = ctx.services.documentSending;
    ({ socialWorker: sw, chair, support } = await letterStaff(ctx));
    stranger = await staff(ctx, 'Stan Stranger', ['social_worker']);
  });
  afterAll(async () => {
    await ctx.dispose();
  });

  /**
   * A held conference whose decision letter is issued: the mother has a postal address on her record, and the
   * social worker's professional record is linked to their account, so their copy can be emailed.
   */
  async function issuedLetter(): Promise<{ g: SiblingGroupConference; issue: IssueSending }> {
    const { g } = await issuedDecisionLetter(ctx, { socialWorker: sw, chair, support });
    const view = await sending.distribution(support, g.conferenceId, as(support));
    expect(view.issues).toHaveLength(1);
    return { g, issue: view.issues[0]! };
  }

  const recipient = (issue: IssueSending, inviteeId: string) => {
    const r = issue.recipients.find((x) => x.recipientInviteeId === inviteeId);
    if (!r) throw new Error('no such recipient');
    return r;
  };
  const address = (issue: IssueSending, inviteeId: string) => ({
    draftId: issue.draftId,
    issueNumber: issue.issueNumber,
    recipientInviteeId: inviteeId,
  });
  const today = () => londonDateOf(ctx.services.clock.now());

  it('W-4: every recipient of an issue is listed from the issued copies, with how they can be reached, none sent yet', async () => {
    const { g, issue } = await issuedLetter();
    expect(issue.progress.sent).toBe(0);
    expect(issue.progress.total).toBe(issue.recipients.length);
    const mother = recipient(issue, g.invitee.mother);
    expect(mother).toMatchObject({ state: 'not-sent', sent: false, hasAccount: false, copyKind: 'parent' });
    expect(mother.address).toContain('Eastbourne');
    const socialWorker = recipient(issue, g.invitee.socialWorker);
    expect(socialWorker).toMatchObject({ hasAccount: true, agencyName: 'Children’s Services', copyKind: 'full' });
    // The advocate gets no copy (W-4), so is not a recipient to send to.
    expect(issue.recipients.some((r) => r.recipientInviteeId === g.invitee.advocate)).toBe(false);
  });

  it('W-4: the post pack has one section per recipient without an account, with their address and the PDFs to enclose', async () => {
    const { g } = await issuedLetter();
    const pack = await sending.postPack(support, g.conferenceId, as(support));
    const mother = pack.entries.find((e) => e.recipientInviteeId === g.invitee.mother);
    expect(mother?.address).toContain('BN21 1AA');
    expect(mother?.enclose.length).toBeGreaterThan(0);
    expect(mother?.enclose.every((c) => c.format === 'pdf')).toBe(true);
    expect(pack.entries.some((e) => e.recipientInviteeId === g.invitee.socialWorker)).toBe(false);
    expect(pack.confidentiality).toBe(DOCUMENT_CONFIDENTIALITY);
    const audits = await auditRows(ctx, 'documents.sending.post-pack');
    expect(JSON.stringify(audits.at(-1)?.details)).not.toContain('Eastbourne');
  });

  it('W-4: recording a copy as posted marks it posted with the date, by whom; posting it twice is a conflict', async () => {
    const { g, issue } = await issuedLetter();
    const posted = await sending.recordPosted(
      support,
      g.conferenceId,
      { ...address(issue, g.invitee.mother), postedOn: today() },
      as(support),
    );
    expect(posted).toMatchObject({ method: 'post', postedOn: today(), sentByName: 'Bo Support', email: null });
    const after = await sending.distribution(support, g.conferenceId, as(support));
    expect(recipient(after.issues[0]!, g.invitee.mother)).toMatchObject({ state: 'posted', sent: true });
    expect(after.issues[0]!.progress.sent).toBe(1);
    const pack = await sending.postPack(support, g.conferenceId, as(support));
    expect(pack.entries.some((e) => e.recipientInviteeId === g.invitee.mother)).toBe(false);
    await expect(
      sending.recordPosted(
        support,
        g.conferenceId,
        { ...address(issue, g.invitee.mother), postedOn: today() },
        as(support),
      ),
    ).rejects.toBeInstanceOf(ConflictError);
    expect((await auditRows(ctx, 'documents.sending.post')).at(-1)).toMatchObject({ outcome: 'success' });
  });

  it('W-4: a date posted that is not a date, in the future or before the issue is refused with the field', async () => {
    const { g, issue } = await issuedLetter();
    for (const postedOn of ['yesterday', '2999-01-01', '2020-01-01']) {
      const err = await sending
        .recordPosted(support, g.conferenceId, { ...address(issue, g.invitee.mother), postedOn }, as(support))
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(InvalidDetailsError);
      expect((err as InvalidDetailsError).problems[0]?.field).toBe('postedOn');
    }
  });

  it('W-4, W-6: an email link is queued in the same transaction as the sending, says the document is confidential, and a bounce marks the copy undeliverable', async () => {
    const { g, issue } = await issuedLetter();
    const sent = await sending.emailLink(support, g.conferenceId, address(issue, g.invitee.socialWorker), as(support));
    expect(sent).toMatchObject({ method: 'email-link', sentByName: 'Bo Support' });
    const row = await ctx.services.uow.run((r) => r.documentSendings.find(sent.id));
    const [message] = await ctx.services.database.db
      .select()
      .from(outboxMessages)
      .where(eq(outboxMessages.id, row!.outboxMessageId!));
    expect(message?.templateKey).toBe('document-sent');
    expect(message?.toAddress).toBe('sam.worker@example.gov.uk');
    expect(message?.body).toContain(DOCUMENT_CONFIDENTIALITY);
    expect(message?.body).toContain(`/conferences/${g.conferenceId}/documents/sent/${sent.id}`);
    expect(
      recipient((await sending.distribution(support, g.conferenceId, as(support))).issues[0]!, g.invitee.socialWorker),
    ).toMatchObject({ state: 'emailed', sent: true });
    // Emailing again while the first has not been refused is a conflict.
    await expect(
      sending.emailLink(support, g.conferenceId, address(issue, g.invitee.socialWorker), as(support)),
    ).rejects.toBeInstanceOf(ConflictError);

    // The mail service refuses the address for good: the copy has not gone (T-6, T-7) and can be sent again.
    await ctx.services.uow.run((r) =>
      r.outbox.markFailed(message!.id, { transport: 'smtp', error: 'smtp:550', permanent: true }),
    );
    const bounced = recipient(
      (await sending.distribution(support, g.conferenceId, as(support))).issues[0]!,
      g.invitee.socialWorker,
    );
    expect(bounced).toMatchObject({ state: 'undeliverable', sent: false });
    expect(bounced.sendings[0]?.email).toBe('undeliverable');
    await sending.emailLink(support, g.conferenceId, address(issue, g.invitee.socialWorker), as(support));
  });

  it('W-4: a recipient without an account cannot be emailed a link; an unknown recipient is not found', async () => {
    const { g, issue } = await issuedLetter();
    const err = await sending
      .emailLink(support, g.conferenceId, address(issue, g.invitee.mother), as(support))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidDetailsError);
    expect((err as InvalidDetailsError).problems[0]?.field).toBe('method');
    await expect(
      sending.emailLink(support, g.conferenceId, address(issue, g.invitee.advocate), as(support)),
    ).rejects.toBeInstanceOf(NotFoundError);
  });

  it('W-4: the recipient opening the link and downloading their copy is tracked; someone else opening it is not', async () => {
    const { g, issue } = await issuedLetter();
    const sent = await sending.emailLink(support, g.conferenceId, address(issue, g.invitee.socialWorker), as(support));
    // Business support looking at the page is not the recipient opening it.
    await sending.sentCopy(support, g.conferenceId, sent.id, as(support));
    let state = recipient(
      (await sending.distribution(support, g.conferenceId, as(support))).issues[0]!,
      g.invitee.socialWorker,
    );
    expect(state.state).toBe('emailed');
    const page = await sending.sentCopy(sw, g.conferenceId, sent.id, as(sw));
    expect(page.confidentiality).toBe(DOCUMENT_CONFIDENTIALITY);
    state = recipient(
      (await sending.distribution(support, g.conferenceId, as(support))).issues[0]!,
      g.invitee.socialWorker,
    );
    expect(state.state).toBe('opened');
    await documents.download(sw, g.conferenceId, page.copies[0]!.issuedId, as(sw));
    state = recipient(
      (await sending.distribution(support, g.conferenceId, as(support))).issues[0]!,
      g.invitee.socialWorker,
    );
    expect(state.state).toBe('downloaded');
    expect(state.sendings[0]).toMatchObject({ downloads: 1 });
    expect(state.sendings[0]?.downloadedAt).toBeInstanceOf(Date);
  });

  it('W-4: only business support or a chair sends, and someone who may not see the children cannot open the copy; both audited', async () => {
    const { g, issue } = await issuedLetter();
    await expect(
      sending.recordPosted(sw, g.conferenceId, { ...address(issue, g.invitee.mother), postedOn: today() }, as(sw)),
    ).rejects.toBeInstanceOf(AccessDeniedError);
    const denied = await auditRows(ctx, 'documents.sending.post');
    expect(denied.at(-1)).toMatchObject({ outcome: 'denied' });
    const sent = await sending.emailLink(support, g.conferenceId, address(issue, g.invitee.socialWorker), as(support));
    await expect(sending.sentCopy(stranger, g.conferenceId, sent.id, as(stranger))).rejects.toBeInstanceOf(
      AccessDeniedError,
    );
    expect((await auditRows(ctx, 'documents.sending.open')).at(-1)).toMatchObject({ outcome: 'denied' });
  });

  it('T-6: the decision letter is met only when every recipient’s copy has gone; the written record page says how many', async () => {
    const { g, issue } = await issuedLetter();
    const letter = async () =>
      (await documents.conferenceDocuments(support, g.conferenceId, as(support))).documents.find(
        (d) => d.kind === 'decision-letter',
      )!;
    let doc = await letter();
    expect(doc.state).toBe('issued');
    expect(doc.sending).toEqual({ sent: 0, total: issue.recipients.length, missing: expect.any(Array) });
    expect(doc.due?.status).not.toBe('met');
    for (const r of issue.recipients) {
      if (r.hasAccount)
        await sending.emailLink(support, g.conferenceId, address(issue, r.recipientInviteeId), as(support));
      else
        await sending.recordPosted(
          support,
          g.conferenceId,
          { ...address(issue, r.recipientInviteeId), postedOn: today() },
          as(support),
        );
      doc = await letter();
      if (doc.sending!.sent < doc.sending!.total) expect(doc.due?.status).not.toBe('met');
    }
    doc = await letter();
    expect(doc.sending).toEqual({ sent: issue.recipients.length, total: issue.recipients.length, missing: [] });
    expect(doc.due?.status).toBe('met');
  });
  it('T-6, T-7: the dashboard shows an issued document as "Issued, N of M sent" with who is missing until every copy has gone', async () => {
    const { g, issue } = await issuedLetter();
    const letterOnDashboard = async () => {
      const view = await ctx.services.dashboards.view(support, { section: 'records-due' }, as(support));
      const items = view.sections.flatMap((sec) => sec.items);
      const item = items.find((i) => i.section === 'records-due' && i.conference.id === g.conferenceId);
      if (!item || item.section !== 'records-due') throw new Error('the conference is not on the dashboard');
      return item.documents.find((d) => d.kind === 'decision-letter')!;
    };
    let doc = await letterOnDashboard();
    expect(doc.stateLabel).toBe(`Issued, 0 of ${issue.recipients.length} sent`);
    expect(doc.status).not.toBe('met');
    expect(doc.sending?.missing).toContain('Grace Okafor');
    await sending.recordPosted(
      support,
      g.conferenceId,
      { ...address(issue, g.invitee.mother), postedOn: today() },
      as(support),
    );
    doc = await letterOnDashboard();
    expect(doc.sending?.missing).not.toContain('Grace Okafor');
    for (const r of issue.recipients.filter((x) => x.recipientInviteeId !== g.invitee.mother))
      await sending.recordPosted(
        support,
        g.conferenceId,
        { ...address(issue, r.recipientInviteeId), postedOn: today() },
        as(support),
      );
    doc = await letterOnDashboard();
    expect(doc).toMatchObject({ stateLabel: 'Issued', status: 'met' });
  });
  it('T-6, T-7: a conference with an issued copy not yet sent is loaded for the dashboard whatever its date, until every copy has gone', async () => {
    const { g, issue } = await issuedLetter();
    const unsent = () => ctx.services.uow.run((r) => r.documentSendings.conferencesWithUnsentCopies());
    expect(await unsent()).toContain(g.conferenceId);
    for (const r of issue.recipients)
      await sending.recordPosted(
        support,
        g.conferenceId,
        { ...address(issue, r.recipientInviteeId), postedOn: today() },
        as(support),
      );
    expect(await unsent()).not.toContain(g.conferenceId);
  });
});
