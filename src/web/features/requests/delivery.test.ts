import type { FastifyInstance } from 'fastify';
import { hmacDownloadWindows } from '../../../infra/crypto/download-grants.ts';
import { loadCodeKey } from '../../../infra/crypto/code-key.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../../domain/access/roles.ts';
import { insertStoredRecordingRow } from '../../../../test/support/recordings.ts';
import { siblingGroupConference, type SiblingGroupConference } from '../../../../test/support/conferences.ts';
import { createTestServices, testDatabases, type TestContext } from '../../../../test/support/services.ts';
import { signedInClient, type WebClient } from '../../../../test/support/web.ts';
import {
  BlobCopyFiles,
  insertReadyCopy,
  latestEmail,
  notingSecrets,
  streamText,
} from '../../../app/requests/delivery-test-support.ts';
import { DeliveryService } from '../../../app/requests/delivery-service.ts';
import { deliverySettings } from '../../../domain/requests/delivery.ts';
import { buildApp } from '../../app.ts';
import { auditRows, emailOf, staff } from '../../../../test/support/people.ts';

/** The error summary's links, as `#id: message`. */
function errorSummary(html: string): string[] {
  const summary = /<div class="govuk-error-summary"[\s\S]*?<\/ul>/.exec(html)?.[0] ?? '';
  return [...summary.matchAll(/<a href="([^"]+)">([^<]+)<\/a>/g)].map((m) => `${m[1]}: ${m[2]!.trim()}`);
}

/** Text with tags removed and spaces collapsed. */
const plain = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/\s+/g, ' ');

/** The secure delivery section of the request page, as text. */
const deliverySection = (html: string) =>
  plain(
    /<h2 class="govuk-heading-m" id="delivery">[\s\S]*?(?=<h2 class="govuk-heading-m" id="(?:referral|steps|timeline)")/.exec(
      html,
    )?.[0] ?? '',
  );

const MUM_EMAIL = 'grace.private@example.org';

/** The record's version in a page's form. */
const versionOf = (html: string) => /name="version" value="(\d+)"/.exec(html)?.[1] ?? '';

describe.each(testDatabases())('the secure delivery on the request page (A-6) on %s', (kind) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let deliveries: DeliveryService;
  let files: BlobCopyFiles;
  const secrets = notingSecrets();
  let g: SiblingGroupConference;
  let recordingId: string;
  let support: Actor;
  let support2: Actor;
  let chair: Actor;
  let qa: Actor;
  let atr: Actor;
  let supportClient: WebClient;
  let chairClient: WebClient;
  let qaClient: WebClient;
  let atrClient: WebClient;
  const requester = { actor: { id: null, label: 'requester' } };

  const by = (a: Actor) => ({ actor: { id: a.id, label: a.name } });
  const client = async (a: Actor) =>
    (await signedInClient(ctx, app, { email: emailOf(a), name: a.name, roles: [...a.roles] })).client;

  /**
   * A request taken through every step to "copy approved" by the real request service, with a copy of
   * two files in the blob store, then sent through the real delivery service: its id and link's token.
   */
  async function sentRequest(): Promise<{ requestId: string; deliveryId: string; token: string; fileIds: string[] }> {
    const svc = ctx.services.requests;
    const { id } = await svc.receive(
      chair,
      {
        conferenceId: g.conferenceId,
        receivedOn: '2026-05-11',
        requester: { type: 'pr-holder', personId: g.people.mother },
      },
      by(chair),
    );
    let v = (await svc.get(chair, id, by(chair))).version;
    v = (
      await svc.refer(
        chair,
        id,
        v,
        {
          childIds: [g.children.ava, g.children.ben],
          email: MUM_EMAIL,
          emailVerified: true,
          withheldSegmentIds: [],
          nothingWithheld: true,
          recordingIds: [recordingId],
        },
        by(chair),
      )
    ).version;
    v = (await svc.resolveQueries(support, id, v, null, by(support))).version;
    v = (
      await svc.checkRecording(
        support,
        id,
        v,
        { partsListened: '0:00 to 2:00', confirmedRightRecording: true },
        by(support),
      )
    ).version;
    v = (await svc.requestVerification(support, id, v, by(support))).version;
    const reply = {
      emailConfirmedSecure: true,
      children: [
        { fullName: 'Ava Okafor', dateOfBirth: '2013-05-10' },
        { fullName: 'Ben Okafor', dateOfBirth: '2019-08-01' },
      ],
    };
    v = (await svc.recordVerification(support, id, v, reply, by(support))).version;
    const copyId = await insertReadyCopy(ctx, {
      requestId: id,
      conferenceId: g.conferenceId,
      recordingIds: [recordingId],
      createdBy: support.id,
    });
    const fileIds = [
      await files.add(copyId, 'copy-recording-1.mp3', Buffer.alloc(4096, 7)),
      await files.add(copyId, 'copy-recording-1-statement.txt', Buffer.from('Explanatory statement (R-2).\n')),
    ];
    v = (await svc.prepareCopy(support, id, v, copyId, by(support))).version;
    v = (await svc.approveCopy(support2, id, v, by(support2))).version;
    const { deliveryId } = await deliveries.create(support, { requestId: id, copyId }, by(support));
    ctx.clock.advance(1000);
    // The outbox holds the link masked: the token is the one the service made.
    expect((await latestEmail(ctx, 'copy-ready', MUM_EMAIL)).body).toContain('/copy/••••••••');
    const token = secrets.tokens.at(-1)!;
    await svc.send(support, id, v, deliveryId, by(support));
    ctx.clock.advance(1000);
    return { requestId: id, deliveryId, token, fileIds };
  }

  beforeAll(async () => {
    ctx = await createTestServices(kind);
    ctx.clock.current = new Date('2026-05-11T09:00:00Z');
    chair = await staff(ctx, 'Cara Chair', ['chair']);
    support = await staff(ctx, 'Bea Support', ['business_support']);
    support2 = await staff(ctx, 'Bex Support', ['business_support']);
    qa = await staff(ctx, 'Quinn Quality', ['qa_manager']);
    atr = await staff(ctx, 'Ari Records', ['access_to_records']);
    const sw = await staff(ctx, 'Sam Worker', ['social_worker']);
    g = await siblingGroupConference(ctx, { socialWorker: sw, chair, status: 'held' });
    recordingId = await insertStoredRecordingRow(ctx, {
      conferenceId: g.conferenceId,
      partId: g.partId,
      createdBy: support.id,
    });
    await ctx.services.recordings.confirmStatement(chair, by(chair), recordingId, {
      location: 'Room 4, County Hall',
      recordedOn: '2026-03-02',
      startedAt: '10:00',
      endedAt: '11:30',
      context: 'Initial child protection conference for Ava and Ben.',
      speakers: [{ name: 'Cara Chair', role: 'Conference chair' }],
      breaks: [],
    });
    // The copy files are the test's (stored in and read back from the blob store); the delivery service is real.
    files = new BlobCopyFiles(ctx);
    deliveries = new DeliveryService({
      uow: ctx.services.uow,
      clock: ctx.clock,
      mail: ctx.services.mail,
      files,
      secrets,
      windows: hmacDownloadWindows((await loadCodeKey(ctx.config.deliveryCodeKeyFile, { create: true })).key),
      codeKey: (await loadCodeKey(ctx.config.deliveryCodeKeyFile, { create: true })).key,
      settings: deliverySettings({}),
      publicBaseUrl: ctx.config.publicBaseUrl,
      replyTo: ctx.config.requestsReplyTo,
    });
    app = await buildApp({ ...ctx.services, deliveries }, { logger: false });
    await app.ready();
    [supportClient, chairClient, qaClient, atrClient] = await Promise.all([
      client(support),
      client(chair),
      client(qa),
      client(atr),
    ]);
  });
  afterAll(async () => {
    await app.close();
    await ctx.dispose();
  });

  let first: Awaited<ReturnType<typeof sentRequest>>;

  it('shows the link: state, who made it and when, expiry, downloads per file and recent events; never the token or address', async () => {
    first = await sentRequest();
    const { requestId, deliveryId, token, fileIds } = first;
    // The requester asks for a code, enters it and downloads the recording once.
    await deliveries.sendCode(token, requester);
    ctx.clock.advance(1000);
    const code = secrets.codes.at(-1)!;
    const checked = await deliveries.checkCode(token, code, requester);
    if (checked.status !== 'ok') throw new Error(`code refused: ${checked.status}`);
    const got = await deliveries.download(token, checked.grant, fileIds[0]!, requester);
    if (got.status !== 'ok') throw new Error(`download refused: ${got.status}`);
    await streamText(got.stream);
    await got.finish({ completed: true, bytes: got.size });

    const page = await supportClient.get(`/requests/${requestId}`);
    expect(page.statusCode).toBe(200);
    const section = deliverySection(page.body);
    expect(section).toContain('Secure download link');
    expect(section).toContain('Link Active');
    expect(section).toContain('Made 10:00am on 11 May 2026 by Bea Support');
    expect(section).toContain('Expires 10:00am on 25 May 2026');
    expect(section).toContain('Downloads allowed 3 for each file');
    expect(section).toContain('copy-recording-1.mp3 1 2');
    expect(section).toContain('copy-recording-1-statement.txt 0 3');
    // Newest first.
    expect(section).toMatch(
      /File downloaded: copy-recording-1\.mp3[\s\S]*Correct code entered[\s\S]*One-time code sent[\s\S]*Link emailed to the requester/,
    );
    expect(page.body).not.toContain(token);
    expect(section).not.toContain(MUM_EMAIL);
    // Business support may cancel it; the form posts to the link's own address.
    expect(page.body).toContain(`action="/requests/${requestId}/deliveries/${deliveryId}/cancel"`);
    // The view is audited once, with the download links it showed.
    expect(
      (await auditRows(ctx)).some(
        (r) =>
          r.action === 'copy-request.view' &&
          r.actorUserId === support.id &&
          r.subjectId === requestId &&
          (r.details as { deliveries?: number } | null)?.deliveries === 1,
      ),
    ).toBe(true);

    // A QA service manager sees the link but is offered no cancel form.
    const qaPage = await qaClient.get(`/requests/${requestId}`);
    expect(qaPage.statusCode).toBe(200);
    expect(deliverySection(qaPage.body)).toContain('Link Active');
    expect(qaPage.body).not.toContain('/cancel"');
  });

  it('reads the request page in one transaction: one access check, the request, its timeline and its deliveries', async () => {
    const { requestId, deliveryId } = first;
    const db = ctx.services.database.db;
    const transaction = db.transaction.bind(db);
    let transactions = 0;
    db.transaction = ((...args: Parameters<typeof db.transaction>) => {
      transactions += 1;
      return transaction(...args);
    }) as typeof db.transaction;
    try {
      // The signed-in home page reads only the session: what every page costs before its own work.
      expect((await supportClient.get('/')).statusCode).toBe(200);
      const signedIn = transactions;
      transactions = 0;
      const auditBefore = (await auditRows(ctx)).length;
      transactions = 0;
      const page = await supportClient.get(`/requests/${requestId}`);
      expect(page.statusCode).toBe(200);
      expect(transactions - signedIn).toBe(1);
      expect(deliverySection(page.body)).toContain('Link Active');
      expect(page.body).toContain(`action="/requests/${requestId}/deliveries/${deliveryId}/cancel"`);
      // One audit entry: the request viewed, with its download links.
      expect(
        (await auditRows(ctx))
          .slice(auditBefore)
          .filter((r) => r.actorUserId === support.id)
          .map((r) => r.action),
      ).toEqual(['copy-request.view']);
    } finally {
      db.transaction = transaction;
    }
  });

  it('cancels the link with a reason: the reason is required on its field, CSRF is checked, a QA manager gets 403, then the page shows who and why', async () => {
    const { requestId, deliveryId } = first;
    const url = `/requests/${requestId}`;
    const cancel = `${url}/deliveries/${deliveryId}/cancel`;

    const noReason = await chairClient.post(cancel, { reason: '   ' }, { fromPage: url });
    expect(noReason.statusCode).toBe(400);
    expect(errorSummary(noReason.body)).toEqual(['#cancel-link-reason: Enter why the link is being cancelled']);
    expect(noReason.body).toMatch(/<p id="cancel-link-reason-error" class="govuk-error-message">/);
    expect(noReason.body).toMatch(/<details class="govuk-details" open/);

    const noToken = await chairClient.post(cancel, { reason: 'Wrong address' }, { csrf: false });
    expect(noToken.statusCode).toBe(403);
    const qaTried = await qaClient.post(cancel, { reason: 'I think it is wrong' }, { fromPage: url });
    expect(qaTried.statusCode).toBe(403);
    expect(
      (await auditRows(ctx)).some(
        (r) => r.action === 'delivery.revoked' && r.outcome === 'denied' && r.actorUserId === qa.id,
      ),
    ).toBe(true);
    // Another request's address for this link is not found.
    const other = await sentRequest();
    expect(
      (
        await chairClient.post(
          `/requests/${other.requestId}/deliveries/${deliveryId}/cancel`,
          { reason: 'x' },
          { fromPage: url },
        )
      ).statusCode,
    ).toBe(404);
    expect(deliverySection((await supportClient.get(url)).body)).toContain('Link Active');

    ctx.clock.advance(60_000);
    const done = await chairClient.post(
      cancel,
      { reason: 'The requester says someone else reads that inbox' },
      { fromPage: url },
    );
    expect(done.statusCode).toBe(303);
    expect(done.headers.location).toBe(`${url}?done=cancel-link`);
    const page = await supportClient.get(done.headers.location as string);
    expect(page.body).toContain('The download link is cancelled.');
    const section = deliverySection(page.body);
    expect(section).toContain('Link Cancelled');
    expect(section).toContain('Cancelled 10:01am on 11 May 2026 by Cara Chair');
    expect(section).toContain('Why it was cancelled The requester says someone else reads that inbox');
    expect(section).toContain('Link cancelled');
    expect(page.body).not.toContain(`${cancel}"`);
    expect(
      (await auditRows(ctx)).some(
        (r) =>
          r.action === 'delivery.revoked' &&
          r.outcome === 'success' &&
          r.actorUserId === chair.id &&
          r.subjectId === deliveryId,
      ),
    ).toBe(true);
    // The requester had downloaded a file: nothing more to say.
    expect(section).not.toContain('did not download the copy');

    // Cancelled twice (a page left open): a clear error, not a crash.
    const again = await chairClient.post(cancel, { reason: 'Again' }, { fromPage: url });
    expect(again.statusCode).toBe(400);
    expect(errorSummary(again.body)).toEqual([`#delivery-${deliveryId}: This link has already been cancelled`]);
  });

  it('says what staff can do when the link was cancelled or expired before the requester downloaded anything', async () => {
    // Access to records cancels a link nobody used.
    const { requestId, deliveryId } = await sentRequest();
    const url = `/requests/${requestId}`;
    const res = await atrClient.post(
      `${url}/deliveries/${deliveryId}/cancel`,
      { reason: 'Sent to an old address' },
      { fromPage: url },
    );
    expect(res.statusCode).toBe(303);
    const page = deliverySection((await supportClient.get(url)).body);
    expect(page).toContain('by Ari Records');
    expect(page).toContain('The requester did not download the copy before the link was cancelled.');
    expect(page).toContain('You can send them a new link to the address they confirmed');
    expect((await supportClient.get(url)).body).toContain(
      `href="${url}/deliveries/${deliveryId}/new-link">Send a new link</a>`,
    );
    // Only business support may send one: others are told who can.
    const chairSees = (await chairClient.get(url)).body;
    expect(deliverySection(chairSees)).toContain('Business support can send the requester a new link');
    expect(chairSees).not.toContain('/new-link"');

    // Another expires unused (14 days by default).
    const expiring = await sentRequest();
    ctx.clock.advance(15 * 24 * 60 * 60_000);
    // Sessions do not last a fortnight: sign in again.
    const expired = await (await client(support)).get(`/requests/${expiring.requestId}`);
    expect(expired.statusCode).toBe(200);
    const section = deliverySection(expired.body);
    expect(section).toContain('Link Expired');
    expect(section).toContain('The requester did not download the copy before the link expired.');
    expect(expired.body).not.toContain('Cancel the download link');
  });

  it('A-6: sends a new link in place of one that expired unused: the page shows every link, needs a reason, checks who and CSRF, and the request page then shows the new link', async () => {
    const { requestId, deliveryId } = await sentRequest();
    const url = `/requests/${requestId}`;
    const newLink = `${url}/deliveries/${deliveryId}/new-link`;
    const bea = await client(support);
    // While the link still works there is nothing to replace: the page says so and offers no form.
    const early = await bea.get(newLink);
    expect(early.statusCode).toBe(200);
    expect(early.body).toContain('This link still works. Cancel it first if the requester cannot use it.');
    expect(early.body).not.toContain('name="reason"');

    ctx.clock.advance(15 * 24 * 60 * 60_000);
    const support3 = await client(support);
    const chair2 = await client(chair);
    const page = await support3.get(newLink);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<h1 class="govuk-heading-l">Send a new download link</h1>');
    expect(page.body).toContain('Every link sent for this request');
    expect(page.body).toContain('14 days to use the link');
    expect(page.body).toContain('3 downloads of each file');
    expect(page.body).not.toContain(MUM_EMAIL);

    // A chair (not business support) is refused the page and the step, audited.
    expect((await chair2.get(newLink)).statusCode).toBe(403);
    expect((await chair2.post(newLink, { reason: 'x', version: '0' }, { fromPage: url })).statusCode).toBe(403);
    // Another request's address for this link is not found; no CSRF token is refused.
    const other = await sentRequest();
    expect((await support3.get(`/requests/${other.requestId}/deliveries/${deliveryId}/new-link`)).statusCode).toBe(404);
    expect((await support3.post(newLink, { reason: 'x' }, { csrf: false })).statusCode).toBe(403);

    await support3.get(newLink);
    const noReason = await support3.post(newLink, { reason: '  ', version: versionOf(page.body) });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.body).toContain('<title>Error: ');
    expect(errorSummary(noReason.body)).toEqual(['#reason: Enter why the requester needs a new link']);

    const sent = await support3.post(newLink, {
      reason: 'The requester was in hospital while the link worked',
      version: versionOf(noReason.body),
    });
    expect(sent.statusCode).toBe(303);
    expect(sent.headers.location).toBe(`${url}?done=new-link`);
    const after = await support3.get(sent.headers.location as string);
    expect(after.body).toContain('A new download link is sent.');
    const section = deliverySection(after.body);
    expect(section).toMatch(/Link Active[\s\S]*An earlier link[\s\S]*Link Expired/);
    expect(section).not.toContain('did not download the copy');
    expect(after.body).toMatch(
      /Send a new download link[\s\S]*Reason: The requester was in hospital while the link worked/,
    );
    // The request is still sent, and the new link went to the confirmed address.
    expect(after.body).toContain('Record the requester’s reply');
    const emails = (await ctx.services.mail.listMessages({})).messages.filter((m) => m.templateKey === 'copy-ready');
    expect(emails.length).toBeGreaterThanOrEqual(2);
    const audit = await auditRows(ctx);
    expect(
      audit.some(
        (r) => r.action === 'copy-request.new-link-sent' && r.subjectId === requestId && r.actorUserId === support.id,
      ),
    ).toBe(true);
    expect(
      audit.some(
        (r) =>
          r.action === 'route.access' &&
          r.outcome === 'denied' &&
          r.actorUserId === chair.id &&
          JSON.stringify(r.details).includes('/new-link'),
      ),
    ).toBe(true);
    // The old link cannot be replaced twice.
    const again = await support3.get(newLink);
    expect(again.body).toContain('A new link can replace only the latest link sent for this request.');
  });
});
