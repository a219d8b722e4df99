import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '../../domain/access/roles.ts';
import { londonDateOf } from '../../domain/calendar/index.ts';
import { AccessDeniedError, ConflictError, InvalidDetailsError } from '../../domain/shared/errors.ts';
import { deliveries } from '../../infra/db/delivery-schema.ts';
import { outboxMessages } from '../../infra/db/mail-schema.ts';
import { documentSendings } from '../../infra/db/sending-schema.ts';
import { TestMailbox } from '../../infra/mail/test-support.ts';
import { auditRows, staff } from '../../../test/support/people.ts';
import { type IssuedLetter, issueNextVersion, issuedDecisionLetter } from '../../../test/support/sending.ts';
import { createTestServices, testDatabases, type TestContext } from '../../../test/support/services.ts';
import { receivedEmail, streamText } from '../requests/delivery-test-support.ts';
import { DOCUMENT_CONFIDENTIALITY, type DocumentSendingService, type IssueSending } from './sending.ts';

const as = (a: Actor) => ({ actor: { id: a.id, label: a.name }, correlationId: 'test-request' });
const HOLDER = { actor: { id: null, label: 'recipient' }, correlationId: 'holder' };
/** A new address for each test, so each test reads its own emails. */
let n = 0;
let MOTHER_EMAIL = 'grace.home@example.org';

describe.each(testDatabases())('sending documents by secure link, and a new version to the same list (%s)', (kind) => {
  let ctx: TestContext;
  let mailbox: TestMailbox;
  let sending: DocumentSendingService;
  let sw: Actor;
  let chair: Actor;
  let support: Actor;

  beforeAll(async () => {
    // The recipient's email goes through a loopback relay: the outbox keeps the link and the code only masked.
    mailbox = await TestMailbox.start();
    ctx = await createTestServices(kind, mailbox.env());
    sending = ctx.services.documentSending;
    sw = await staff(ctx, 'Sam Worker', ['social_worker']);
    chair = await staff(ctx, 'Cal Chair', ['chair']);
    support = await staff(ctx, 'Bo Support', ['business_support']);
  });
  beforeEach(() => {
    n += 1;
    MOTHER_EMAIL = `grace.home${n}@example.org`;
  });
  afterAll(async () => {
    await ctx.dispose();
    await mailbox.stop();
  });

  const latest = async (letter: IssuedLetter, issueNumber = 1): Promise<IssueSending> => {
    const view = await sending.distribution(support, letter.g.conferenceId, as(support));
    return view.issues.find((i) => i.draftId === letter.draftId && i.issueNumber === issueNumber)!;
  };
  const recipientOf = (issue: IssueSending, inviteeId: string) =>
    issue.recipients.find((r) => r.recipientInviteeId === inviteeId)!;
  const today = () => londonDateOf(ctx.clock.now());
  const details = (letter: IssuedLetter, inviteeId: string, issueNumber = 1) => ({
    draftId: letter.draftId,
    issueNumber,
    recipientInviteeId: inviteeId,
    email: MOTHER_EMAIL,
    emailAgain: MOTHER_EMAIL,
    confirmedHow: 'phone',
    confirmedOn: today() as string,
  });
  /** The link and the code as the recipient reads them in their inbox. */
  const emailedToken = async () => {
    const { body } = await receivedEmail(ctx, mailbox, 'document-secure-link', MOTHER_EMAIL);
    return /\/copy\/([A-Za-z0-9_-]+)/.exec(body)![1]!;
  };
  const emailedCode = async () => {
    const { body } = await receivedEmail(ctx, mailbox, 'document-one-time-code', MOTHER_EMAIL);
    return /\b(\d{6})\b/.exec(body)![1]!;
  };
  const granted = async (token: string) => {
    expect((await ctx.services.deliveries.sendCode(token, HOLDER)).status).toBe('sent');
    ctx.clock.advance(1000);
    const checked = await ctx.services.deliveries.checkCode(token, await emailedCode(), HOLDER);
    if (checked.status !== 'ok') throw new Error(checked.status);
    return checked.grant;
  };

  it('A-5, W-6: a secure link goes to the confirmed address in the sending’s transaction, the email saying the document is confidential; the address is in no audit entry', async () => {
    const letter = await issuedDecisionLetter(ctx, { socialWorker: sw, chair, support });
    const { g } = letter;
    const sent = await sending.secureLink(support, g.conferenceId, details(letter, g.invitee.mother), as(support));
    expect(sent).toMatchObject({
      method: 'secure-link',
      methodLabel: 'Secure download link by email',
      sentByName: 'Bo Support',
      addressConfirmed: { how: 'phone', on: today() },
      link: { cancelledAt: null },
    });
    const [row] = await ctx.services.database.db
      .select()
      .from(documentSendings)
      .where(eq(documentSendings.id, sent.id));
    const [message] = await ctx.services.database.db
      .select()
      .from(outboxMessages)
      .where(eq(outboxMessages.id, row!.outboxMessageId!));
    expect(message).toMatchObject({ templateKey: 'document-secure-link', toAddress: MOTHER_EMAIL });
    expect(message?.body).toContain(DOCUMENT_CONFIDENTIALITY);
    expect((await receivedEmail(ctx, mailbox, 'document-secure-link', MOTHER_EMAIL)).body).toContain(
      DOCUMENT_CONFIDENTIALITY,
    );
    const mother = recipientOf(await latest(letter), g.invitee.mother);
    expect(mother).toMatchObject({ state: 'emailed', sent: true });
    const pack = await sending.postPack(support, g.conferenceId, as(support));
    expect(pack.entries.some((e) => e.recipientInviteeId === g.invitee.mother)).toBe(false);
    const audits = [
      ...(await auditRows(ctx, 'documents.sending.secure-link')),
      ...(await auditRows(ctx, 'delivery.created')),
    ];
    expect(audits.length).toBeGreaterThanOrEqual(2);
    expect(JSON.stringify(audits)).not.toContain(MOTHER_EMAIL);
    // A second link while the first still works is a conflict.
    await expect(
      sending.secureLink(support, g.conferenceId, details(letter, g.invitee.mother), as(support)),
    ).rejects.toBeInstanceOf(ConflictError);
  });

  it('A-6: once a link has expired unopened, it no longer opens and a new one can be sent', async () => {
    const letter = await issuedDecisionLetter(ctx, { socialWorker: sw, chair, support });
    const { g } = letter;
    await sending.secureLink(support, g.conferenceId, details(letter, g.invitee.mother), as(support));
    const token = await emailedToken();
    ctx.clock.advance((ctx.config.delivery.linkLifetimeDays + 1) * 24 * 3_600_000);
    expect(await ctx.services.deliveries.open(token, HOLDER)).toEqual({ status: 'expired' });
    const before = recipientOf(await latest(letter), g.invitee.mother);
    expect(before.sendings[0]?.link?.live).toBe(false);
    const again = await sending.secureLink(
      support,
      g.conferenceId,
      { ...details(letter, g.invitee.mother), confirmedOn: today() as string },
      as(support),
    );
    expect(again.link?.live).toBe(true);
  });

  it('A-5: an address that is malformed, typed differently twice, or not confirmed (how, when) is refused field by field, and nothing is sent', async () => {
    const letter = await issuedDecisionLetter(ctx, { socialWorker: sw, chair, support });
    const { g } = letter;
    const good = details(letter, g.invitee.father);
    const cases: Array<[Partial<typeof good>, string, string]> = [
      [{ email: 'grace.home', emailAgain: 'grace.home' }, 'email', 'correct format'],
      [{ emailAgain: 'grace.hom@example.org' }, 'emailAgain', 'do not match'],
      [{ confirmedHow: '' }, 'confirmedHow', 'confirmed this address'],
      [{ confirmedOn: '2999-01-01' }, 'confirmedOn', 'today or in the past'],
      [{ confirmedOn: '' }, 'confirmedOn', 'Enter the date'],
    ];
    for (const [change, field, words] of cases) {
      const err = await sending
        .secureLink(support, g.conferenceId, { ...good, ...change }, as(support))
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(InvalidDetailsError);
      const problem = (err as InvalidDetailsError).problems.find((p) => p.field === field);
      expect(problem?.message).toContain(words);
    }
    const rows = await ctx.services.database.db
      .select()
      .from(documentSendings)
      .where(eq(documentSendings.conferenceId, g.conferenceId));
    expect(rows).toEqual([]);
  });

  it('A-6, W-4: the code releases exactly the recipient’s own PDFs, and opening and downloading show on the distribution', async () => {
    const letter = await issuedDecisionLetter(ctx, { socialWorker: sw, chair, support });
    const { g } = letter;
    await sending.secureLink(support, g.conferenceId, details(letter, g.invitee.mother), as(support));
    const token = await emailedToken();
    const opened = await ctx.services.deliveries.open(token, HOLDER);
    if (opened.status !== 'active') throw new Error(opened.status);
    expect(opened.about).toEqual({
      kind: 'document',
      title: 'Decision letter',
      issueNumber: 1,
      conferenceDate: expect.any(String),
    });
    const issued = (await ctx.services.documents.conferenceDocuments(support, g.conferenceId, as(support))).issued;
    const own = issued.filter((c) => c.recipientInviteeId === g.invitee.mother && c.format === 'pdf');
    expect(opened.files.map((f) => f.fileId).sort()).toEqual(own.map((c) => c.id).sort());
    expect(opened.files.every((f) => !f.fileName.includes('Grace'))).toBe(true);
    expect(recipientOf(await latest(letter), g.invitee.mother).state).toBe('opened');

    const grant = await granted(token);
    const someoneElses = issued.find((c) => c.recipientInviteeId === g.invitee.father && c.format === 'pdf')!;
    expect((await ctx.services.deliveries.download(token, grant, someoneElses.id, HOLDER)).status).toBe('no-file');
    const got = await ctx.services.deliveries.download(token, grant, own[0]!.id, HOLDER);
    if (got.status !== 'ok') throw new Error(got.status);
    const bytes = await streamText(got.stream);
    // Counted once the whole file has been written to the holder's connection (the page reports it).
    await got.finish({ completed: true, bytes: got.size });
    const expected = await ctx.services.documents.download(support, g.conferenceId, own[0]!.id, as(support));
    expect(bytes.equals(Buffer.from(expected.bytes))).toBe(true);
    expect(got.contentType).toBe('application/pdf');
    const mother = recipientOf(await latest(letter), g.invitee.mother);
    expect(mother.state).toBe('downloaded');
    expect(mother.sendings[0]).toMatchObject({ downloads: 1 });
    // The delivery's own summary, as staff see it beside the sending: downloads left and what happened.
    expect(mother.sendings[0]?.link?.files).toEqual([
      { fileName: opened.files[0]!.fileName, downloads: 1, left: ctx.config.delivery.downloadsPerFile - 1 },
    ]);
    expect(mother.sendings[0]?.link?.history.map((e) => e.label)).toEqual(
      expect.arrayContaining(['Correct code entered', 'File downloaded', 'Download page opened']),
    );
  });

  it('W-6: a stored copy changed since it was issued is refused before a byte is released, and the refusal audited', async () => {
    const letter = await issuedDecisionLetter(ctx, { socialWorker: sw, chair, support });
    const { g } = letter;
    await sending.secureLink(support, g.conferenceId, details(letter, g.invitee.mother), as(support));
    const token = await emailedToken();
    const grant = await granted(token);
    const issued = (await ctx.services.documents.conferenceDocuments(support, g.conferenceId, as(support))).issued;
    const copy = issued.find((c) => c.recipientInviteeId === g.invitee.mother && c.format === 'pdf')!;
    const file = path.join(ctx.dataDir, 'blobs', copy.blobKey.slice(0, 2), copy.blobKey);
    const stored = await readFile(file);
    stored[stored.length - 20] = stored[stored.length - 20]! ^ 0xff;
    await writeFile(file, stored);
    expect(await ctx.services.deliveries.download(token, grant, copy.id, HOLDER)).toEqual({ status: 'damaged' });
    expect((await auditRows(ctx, 'delivery.download-damaged')).at(-1)).toMatchObject({ outcome: 'failure' });
    expect(recipientOf(await latest(letter), g.invitee.mother).sendings[0]).toMatchObject({ downloads: 0 });
  });

  it('A-6: cancelling a link from the distribution needs a reason, stops it at once and is audited; the copy then counts as not sent', async () => {
    const letter = await issuedDecisionLetter(ctx, { socialWorker: sw, chair, support });
    const { g } = letter;
    const sent = await sending.secureLink(support, g.conferenceId, details(letter, g.invitee.mother), as(support));
    const token = await emailedToken();
    const blank = await sending
      .revokeLink(support, g.conferenceId, { sendingId: sent.id, reason: ' ' }, as(support))
      .catch((e: unknown) => e);
    expect((blank as InvalidDetailsError).problems[0]?.field).toBe('reason');
    const revoked = await sending.revokeLink(
      support,
      g.conferenceId,
      { sendingId: sent.id, reason: 'The address was mistyped' },
      as(support),
    );
    expect(revoked.link).toMatchObject({ cancelReason: 'The address was mistyped', cancelledAt: expect.any(Date) });
    expect(await ctx.services.deliveries.open(token, HOLDER)).toEqual({ status: 'revoked' });
    const mother = recipientOf(await latest(letter), g.invitee.mother);
    expect(mother).toMatchObject({ state: 'cancelled', sent: false, stateLabel: 'Link cancelled' });
    await expect(
      sending.revokeLink(support, g.conferenceId, { sendingId: sent.id, reason: 'again' }, as(support)),
    ).rejects.toBeInstanceOf(ConflictError);
    const audits = await auditRows(ctx, 'documents.sending.revoke');
    expect(audits.at(-1)).toMatchObject({ outcome: 'success' });
    expect(JSON.stringify(audits)).not.toContain('mistyped');
    // A new link can now be sent, and the delivery's own cancel works for it too, only for those who send documents.
    const again = await sending.secureLink(support, g.conferenceId, details(letter, g.invitee.mother), as(support));
    const [link] = await ctx.services.database.db
      .select()
      .from(deliveries)
      .where(eq(deliveries.documentSendingId, again.id));
    await expect(ctx.services.deliveries.revoke(sw, link!.id, 'No', as(sw))).rejects.toBeInstanceOf(AccessDeniedError);
    await ctx.services.deliveries.revoke(chair, link!.id, 'The family asked for post', as(chair));
    expect(recipientOf(await latest(letter), g.invitee.mother).state).toBe('cancelled');
  });

  it('W-5: a new version goes in one step to everyone who had the last one, the way they had it, recorded; a second click sends nothing twice', async () => {
    const letter = await issuedDecisionLetter(ctx, { socialWorker: sw, chair, support });
    const { g } = letter;
    await sending.secureLink(support, g.conferenceId, details(letter, g.invitee.mother), as(support));
    await sending.emailLink(
      support,
      g.conferenceId,
      { draftId: letter.draftId, issueNumber: 1, recipientInviteeId: g.invitee.socialWorker },
      as(support),
    );
    await sending.recordPosted(
      support,
      g.conferenceId,
      { draftId: letter.draftId, issueNumber: 1, recipientInviteeId: g.invitee.father, postedOn: today() },
      as(support),
    );
    await expect(
      sending.redistribute(support, g.conferenceId, { draftId: letter.draftId, issueNumber: 1 }, as(support)),
    ).rejects.toBeInstanceOf(ConflictError);
    await issueNextVersion(ctx, letter, { chair, support });
    const v1Before = (await latest(letter, 1)).recipients.flatMap((r) => r.sendings).length;
    const issue2 = await latest(letter, 2);
    const name = (inviteeId: string) => recipientOf(issue2, inviteeId).recipientName;

    const first = await sending.redistribute(
      support,
      g.conferenceId,
      { draftId: letter.draftId, issueNumber: 2 },
      as(support),
    );
    expect(first.emailed).toEqual([name(g.invitee.socialWorker)]);
    expect(first.secureLinks).toEqual([name(g.invitee.mother)]);
    expect(first.toPost).toEqual([name(g.invitee.father)]);
    expect(first.alreadySent).toEqual([]);
    expect(first.notOnPrevious.length).toBe(issue2.recipients.length - 3);

    const after = await latest(letter, 2);
    expect(recipientOf(after, g.invitee.mother)).toMatchObject({ state: 'emailed', sent: true });
    expect(recipientOf(after, g.invitee.mother).sendings[0]).toMatchObject({
      method: 'secure-link',
      addressConfirmed: { how: 'phone' },
    });
    expect(recipientOf(after, g.invitee.socialWorker).sendings[0]?.method).toBe('email-link');
    expect(recipientOf(after, g.invitee.father).sent).toBe(false);
    // Only the new version went: the first issue's sendings are as they were.
    expect((await latest(letter, 1)).recipients.flatMap((r) => r.sendings).length).toBe(v1Before);
    // The new link releases the new version's copy, to the same address.
    const opened = await ctx.services.deliveries.open(await emailedToken(), HOLDER);
    expect(opened).toMatchObject({ status: 'active', about: { issueNumber: 2 } });
    const links = await ctx.services.database.db.select().from(deliveries).where(eq(deliveries.email, MOTHER_EMAIL));
    expect(links.filter((d) => d.documentSendingId !== null).length).toBeGreaterThanOrEqual(2);

    const second = await sending.redistribute(
      support,
      g.conferenceId,
      { draftId: letter.draftId, issueNumber: 2 },
      as(support),
    );
    expect(second).toMatchObject({ emailed: [], secureLinks: [], toPost: [name(g.invitee.father)] });
    expect(second.alreadySent.sort()).toEqual([name(g.invitee.mother), name(g.invitee.socialWorker)].sort());
    expect((await latest(letter, 2)).recipients.flatMap((r) => r.sendings).length).toBe(2);
    expect((await auditRows(ctx, 'documents.sending.redistribute')).at(-1)).toMatchObject({
      details: expect.objectContaining({ emailed: 0, secureLinks: 0, alreadySent: 2 }),
    });
  });
});
