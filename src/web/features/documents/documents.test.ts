import { createHash } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../../domain/access/roles.ts';
import { REMINDER_POINT_IDS } from '../../../domain/conferences/meeting.ts';
import { siblingGroupConference, type SiblingGroupConference } from '../../../../test/support/conferences.ts';
import { openPdf } from '../../../../test/support/pdf.ts';
import { auditRows, emailOf, staff } from '../../../../test/support/people.ts';
import { recordingDerivatives } from '../../../infra/db/recordings-schema.ts';
import { insertStoredRecordingRow } from '../../../../test/support/recordings.ts';
import { createTestServices, testDatabases, type TestContext } from '../../../../test/support/services.ts';
import { signedInClient, testApp, type WebClient } from '../../../../test/support/web.ts';

/** Words only the withheld section holds, to look for in each copy. */
const CONFIDENTIAL = 'Grace asked that her new address in Hastings is not shared';
const SECTION = 'plain-english-reasons';
const FIELD = `section-${SECTION}`;

/** The error summary's links, as `#id: message`. */
function errorSummary(html: string): string[] {
  const summary = /<div class="govuk-error-summary"[\s\S]*?<\/ul>/.exec(html)?.[0] ?? '';
  return [...summary.matchAll(/<a href="([^"]+)">([^<]+)<\/a>/g)].map((m) => `${m[1]}: ${m[2]!.trim()}`);
}

/** The version the page's forms carry. */
const versionOn = (html: string) => /name="version" value="(\d+)"/.exec(html)?.[1] ?? '';

/** The text between a textarea's tags. */
const textareaValue = (html: string, id: string) =>
  new RegExp(`<textarea[^>]*id="${id}"[^>]*>([\\s\\S]*?)</textarea>`).exec(html)?.[1]?.trim() ?? null;

describe.each(testDatabases())('the written record pages (%s)', (kind) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let sw: Actor;
  let chair: Actor;
  let support: Actor;
  let chairClient: WebClient;
  let supportClient: WebClient;
  let swClient: WebClient;
  let strangerClient: WebClient;
  let g: SiblingGroupConference;
  let docs: string;
  let draftUrl: string;

  const clientFor = async (actor: Actor) =>
    (await signedInClient(ctx, app, { email: emailOf(actor), name: actor.name, roles: [...actor.roles] })).client;

  /** Holds the conference through the meeting API: register, decisions (Ava a plan, Ben none), plan, summary. */
  async function hold(c: SiblingGroupConference): Promise<void> {
    const token = async (a: Actor) =>
      (await ctx.services.accounts.createApiToken(a.id, 'test', null, { actor: { id: a.id, label: 'test' } })).token;
    const chairToken = await token(chair);
    const supportToken = await token(support);
    const ok = async (method: 'POST' | 'PUT', path: string, bearer: string, payload: unknown) => {
      const res = await app.inject({
        method,
        url: path,
        headers: { authorization: `Bearer ${bearer}` },
        payload: payload as Record<string, unknown>,
      });
      expect(res.statusCode, `${method} ${path}: ${res.body}`).toBeLessThan(300);
    };
    const url = `/api/v1/conferences/${c.conferenceId}/meeting`;
    await ok('POST', `${url}/open`, chairToken, { pointsGiven: REMINDER_POINT_IDS, actualStartTime: '10:05' });
    await ok('PUT', `${url}/parts/${c.partId}/attendance`, supportToken, {
      entries: [c.invitee.socialWorker, c.invitee.police, c.invitee.school, c.invitee.mother].map((inviteeId) => ({
        inviteeId,
        status: 'attended',
      })),
    });
    const agencyViews = [c.agencies.csc, c.agencies.police, c.agencies.school].map((agencyId) => ({
      agencyId,
      view: 'agrees',
    }));
    await ok('POST', `${url}/children/${c.children.ava}/decisions`, chairToken, {
      outcome: 'plan-needed',
      category: 'neglect',
      reasons: 'Neglect of basic care',
      agencyViews,
    });
    await ok('POST', `${url}/children/${c.children.ben}/decisions`, chairToken, {
      outcome: 'no-plan',
      category: null,
      reasons: 'Ben is safe at home',
      agencyViews,
    });
    await ok('POST', `${url}/children/${c.children.ava}/plans`, chairToken, {
      leadSocialWorkerUserId: sw.id,
      coreGroupInviteeIds: [c.invitee.mother, c.invitee.socialWorker],
      firstCoreGroupDate: '2026-03-12',
      actions: [{ action: 'Home made safe', who: 'Mother', byWhen: '2026-04-01' }],
      contingencyPlan: 'Legal planning meeting',
      nextReviewDate: '2026-05-29',
    });
    await ok('POST', `${url}/summaries`, chairToken, { worries: 'Home', positives: 'School', changes: 'Safe home' });
    await ok('POST', `${url}/conclude`, chairToken, { actualEndTime: '11:45' });
  }

  /** A POST from a script: the session cookie and the CSRF token in a header, as the autosave script sends it. */
  async function autosave(
    client: WebClient,
    form: Record<string, string>,
    token: string | null,
  ): Promise<LightMyRequestResponse> {
    return app.inject({
      method: 'POST',
      url: `${draftUrl}/autosave`,
      headers: {
        cookie: client.cookieHeader(),
        accept: 'application/json',
        'content-type': 'application/x-www-form-urlencoded',
        ...(token ? { 'x-csrf-token': token } : {}),
      },
      payload: new URLSearchParams(form).toString(),
    });
  }

  beforeAll(async () => {
    ctx = await createTestServices(kind);
    app = await testApp(ctx);
    sw = await staff(ctx, 'Sam Worker', ['social_worker']);
    chair = await staff(ctx, 'Cal Chair', ['chair']);
    support = await staff(ctx, 'Bo Support', ['business_support']);
    const stranger = await staff(ctx, 'Sol Stranger', ['social_worker']);
    chairClient = await clientFor(chair);
    supportClient = await clientFor(support);
    swClient = await clientFor(sw);
    strangerClient = await clientFor(stranger);
    g = await siblingGroupConference(ctx, { socialWorker: sw, chair });
    await hold(g);
    docs = `/conferences/${g.conferenceId}/documents`;
  });
  afterAll(async () => {
    await app.close();
    await ctx.dispose();
  });

  it('W-1, T-6, T-7: the written record lists each document with its state and red/amber/green due date, for business support and the chair', async () => {
    const conference = await supportClient.get(`/conferences/${g.conferenceId}`);
    expect(conference.body).toContain(`href="${docs}"`);
    const meeting = await chairClient.get(`/conferences/${g.conferenceId}/meeting`);
    expect(meeting.body).toContain(`href="${docs}"`);

    for (const client of [supportClient, chairClient]) {
      const page = await client.get(docs);
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('<h1 class="govuk-heading-l">Written record</h1>');
      const items = [...page.body.matchAll(/<li class="govuk-task-list__item[\s\S]*?<\/li>/g)].map((m) => m[0]);
      expect(items.length).toBeGreaterThanOrEqual(3);
      const letter = items.find((i) => i.includes('Decision letter'))!;
      expect(letter).toContain('Not started');
      expect(letter).toMatch(/govuk-tag--(red|yellow|green)/);
      expect(letter).toMatch(/Due \d{1,2} [A-Z][a-z]+ \d{4}/);
      expect(letter).toContain('name="kind" value="decision-letter"');
      expect(page.body).toContain('Nothing has been issued yet.');
    }
    // A social worker who may see the children sees the page, without the forms to start a draft.
    const swPage = await swClient.get(docs);
    expect(swPage.statusCode).toBe(200);
    expect(swPage.body).not.toContain(`action="${docs}/start"`);
  });

  it('refuses someone who may not see the children (403, audited), and a form without its CSRF token', async () => {
    expect((await strangerClient.get(docs)).statusCode).toBe(403);
    expect((await auditRows(ctx, 'documents.view')).some((r) => r.actorUserId !== null && r.outcome === 'denied')).toBe(
      true,
    );
    const noCsrf = await supportClient.post(`${docs}/start`, { kind: 'decision-letter' }, { csrf: false });
    expect(noCsrf.statusCode).toBe(403);
    const unknown = await supportClient.post(`${docs}/start`, { kind: 'shopping-list' }, { fromPage: docs });
    expect(unknown.statusCode).toBe(400);
    expect(errorSummary(unknown.body)).toEqual(['#documents: Choose a document this conference needs']);
  });

  it('W-2, R-6: business support starts a draft and writes it beside the recording and its bookmarks; errors keep what was typed', async () => {
    const recordingId = await insertStoredRecordingRow(ctx, {
      conferenceId: g.conferenceId,
      partId: g.partId,
      createdBy: support.id,
    });
    await ctx.services.recordings.addBookmark(
      support,
      { actor: { id: support.id, label: support.name }, correlationId: 'test' },
      recordingId,
      { at: '0:12:30', kind: 'decision', label: 'The decision for Ava' },
    );
    const started = await supportClient.post(`${docs}/start`, { kind: 'decision-letter' }, { fromPage: docs });
    expect(started.statusCode).toBe(303);
    const location = String(started.headers.location);
    expect(location).toMatch(new RegExp(`^${docs}/[0-9a-f-]{36}\\?done=started$`));
    draftUrl = location.replace(/\?.*$/, '');

    const page = await supportClient.get(location);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('The draft is started.');
    expect(page.body).toContain('govuk-grid-column-two-thirds');
    expect(page.body).toContain('govuk-grid-column-one-third');
    expect(page.body).toContain(`id="${FIELD}" name="${FIELD}"`);
    expect(page.body).toContain('Why the conference made its decision, in plain English');
    expect(page.body).toContain('/static/document-autosave.js');
    expect(page.body).toContain(`data-autosave="${draftUrl}/autosave"`);
    // the recording beside the form, its bookmarks as a table of contents; no reason given yet to listen.
    expect(page.body).toContain('Listen while you write');
    expect(page.body).toContain('data-seek="750" data-time="12:30"');
    expect(page.body).toContain('The decision for Ava');
    // This recording has no playback copy yet: no player, and no way offered to listen.
    expect(page.body).toContain('This recording cannot be played yet.');
    expect(page.body).not.toContain('id="recording-audio"');
    expect(page.body).not.toContain(`/recordings/${recordingId}/listen`);
    expect(page.body).toContain('Send to the chair');
    expect(page.body).not.toContain('Approve the document');

    // With a playback copy, the person is asked for their reason first (R-6: every play audited), then plays
    // it beside the form in the recordings' own player.
    await ctx.services.database.db.insert(recordingDerivatives).values({
      originalRecordingId: recordingId,
      kind: 'playback',
      mediaType: 'audio/mp4',
      size: 1000,
      sha256: 'c'.repeat(64),
      durationMs: 3_600_000,
      blobKey: 'p'.repeat(40),
      blobSha256: 'd'.repeat(64),
      blobSize: 1100,
      originalSha256: 'a'.repeat(64),
    });
    const reasonFirst = await supportClient.get(draftUrl);
    // The reason page brings the person back to this draft, this recording chosen, once they have given it.
    expect(reasonFirst.body).toContain(
      `href="/recordings/${recordingId}/listen?returnTo=${encodeURIComponent(draftUrl)}"`,
    );
    expect(reasonFirst.body).not.toContain('id="recording-audio"');
    const as = { actor: { id: support.id, label: support.name }, correlationId: 'test' };
    await ctx.services.recordings.startListening(support, as, recordingId, 'Writing the decision letter');
    const playing = await supportClient.get(`${draftUrl}?listen=${recordingId}`);
    expect(playing.body).toContain(`<audio id="recording-audio"`);
    expect(playing.body).toContain(`src="/recordings/${recordingId}/audio"`);
    expect(playing.body).toContain('/static/recording-player.js');
    expect(playing.body).toContain('You can listen until');
    const version = versionOn(page.body);

    // Too long: 400 with the error summary pointing at the section, the text as typed kept.
    const long = `Kept ${'x'.repeat(20_000)}`;
    const bad = await supportClient.post(draftUrl, { version, [FIELD]: long }, { fromPage: draftUrl });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toMatch(/<title>Error: /);
    expect(errorSummary(bad.body)).toEqual([expect.stringMatching(new RegExp(`^#${FIELD}: `))]);
    expect(textareaValue(bad.body, FIELD)).toBe(long);

    const saved = await supportClient.post(
      draftUrl,
      { version, [FIELD]: `Ava needs a plan. ${CONFIDENTIAL}.` },
      { fromPage: draftUrl },
    );
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe(`${draftUrl}?done=saved`);
    const after = await supportClient.get(String(saved.headers.location));
    expect(after.body).toContain('The draft is saved.');
    expect(textareaValue(after.body, FIELD)).toBe(`Ava needs a plan. ${CONFIDENTIAL}.`);
    expect(Number(versionOn(after.body))).toBe(Number(version) + 1);

    // Stale: the form opened at the old version comes back 409 with the message and what was typed.
    const stale = await supportClient.post(draftUrl, { version, [FIELD]: 'From an older tab' }, { fromPage: draftUrl });
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('changed by someone else');
    expect(textareaValue(stale.body, FIELD)).toBe('From an older tab');
    expect(versionOn(stale.body)).toBe(versionOn(after.body));

    // The preview page shows the document as it stands.
    const preview = await supportClient.get(`${draftUrl}/preview`);
    expect(preview.statusCode).toBe(200);
    expect(preview.body).toContain('<article class="app-document"');
    expect(preview.body).toContain(CONFIDENTIAL);
  });

  it('W-2: autosave saves one section as JSON with the new version; 409 when someone else saved first; refused without the CSRF token; sent as a page’s form it answers as a page', async () => {
    const page = await supportClient.get(draftUrl);
    const token = supportClient.csrfToken();
    const version = versionOn(page.body);
    const text = `Ava needs a plan to keep her safe at home. ${CONFIDENTIAL}.`;
    const res = await autosave(supportClient, { sectionId: SECTION, text, version }, token);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.json()).toMatchObject({ version: Number(version) + 1, status: 'drafting' });
    expect(res.json().savedAt).toMatch(/^\d{2}:\d{2}$/);
    expect(textareaValue((await supportClient.get(draftUrl)).body, FIELD)).toBe(text);

    const stale = await autosave(supportClient, { sectionId: SECTION, text: 'Older', version }, token);
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ code: 'STALE' });
    expect(stale.json().message).toContain('Someone else has changed this draft');

    const noToken = await autosave(supportClient, { sectionId: SECTION, text: 'No token', version }, null);
    expect(noToken.statusCode).toBe(403);
    expect(noToken.json()).toMatchObject({ code: 'CSRF' });
    expect(textareaValue((await supportClient.get(draftUrl)).body, FIELD)).toBe(text);

    // The same save sent as a page's form (a save kept over a lapsed session, sent on after signing in again):
    // back to the draft with its banner, and the service's error page rather than JSON when it is stale.
    const current = String(res.json().version);
    const asForm = await supportClient.post(
      `${draftUrl}/autosave`,
      { sectionId: SECTION, text, version: current },
      { fromPage: draftUrl },
    );
    expect(asForm.statusCode).toBe(303);
    expect(asForm.headers.location).toBe(`${draftUrl}?done=saved#block-${SECTION}`);
    const staleForm = await supportClient.post(
      `${draftUrl}/autosave`,
      { sectionId: SECTION, text: 'Older', version: current },
      { fromPage: draftUrl },
    );
    expect(staleForm.statusCode).toBe(409);
    expect(staleForm.headers['content-type']).toMatch(/^text\/html/);
    expect(textareaValue((await supportClient.get(draftUrl)).body, FIELD)).toBe(text);
  });

  it('W-3, W-4: the chair marks the section as left out of the father’s copy; arrangements for the mother; errors re-render with 400', async () => {
    const page = await chairClient.get(draftUrl);
    expect(page.body).toContain(`href="${draftUrl}/withholding/${SECTION}"`);
    const form = `${draftUrl}/withholding/${SECTION}`;
    const formPage = await chairClient.get(form);
    expect(formPage.statusCode).toBe(200);
    expect(formPage.body).toContain('Police or MARAC information');
    expect(formPage.body).toContain(`value="${g.invitee.father}"`);

    const empty = await chairClient.post(
      form,
      { version: versionOn(formPage.body), action: 'add' },
      { fromPage: form },
    );
    expect(empty.statusCode).toBe(400);
    expect(errorSummary(empty.body)).toEqual([
      '#reason: Select why it is left out',
      '#from: Select whose copies leave it out',
    ]);
    const marked = await chairClient.post(
      form,
      {
        version: versionOn(formPage.body),
        action: 'add',
        reason: 'confidential-to-parent',
        from: 'people',
        people: [g.invitee.father],
        explanation: 'The mother asked',
      },
      { fromPage: form },
    );
    expect(marked.statusCode).toBe(303);
    const after = await chairClient.get(String(marked.headers.location));
    expect(after.body).toContain('What is left out of the family’s copies is saved.');
    expect(after.body).toMatch(/Left out of Daniel Mensah(&#39;|')s copy: Information confidential to one parent/);

    // A second mark, then removed again: the first stays.
    const second = await chairClient.get(form);
    const added = await chairClient.post(
      form,
      { version: versionOn(second.body), action: 'add', reason: 'third-party', from: 'children' },
      { fromPage: form },
    );
    expect(added.statusCode).toBe(303);
    const twoMarks = await chairClient.get(form);
    expect(twoMarks.body).toContain('Left out of every child&#39;s copy');
    const removed = await chairClient.post(
      form,
      { version: versionOn(twoMarks.body), action: 'remove', index: '1' },
      { fromPage: form },
    );
    expect(removed.statusCode).toBe(303);
    const oneMark = await chairClient.get(form);
    expect(oneMark.body).not.toContain('Left out of every child&#39;s copy');
    expect(oneMark.body).toMatch(/Left out of Daniel Mensah(&#39;|')s copy/);

    const recipients = `${draftUrl}/recipients`;
    const rPage = await supportClient.get(recipients);
    expect(rPage.statusCode).toBe(200);
    const badArrangement = await supportClient.post(
      recipients,
      { version: versionOn(rPage.body), [`kinds-${g.invitee.mother}`]: ['interpreter'] },
      { fromPage: recipients },
    );
    expect(badArrangement.statusCode).toBe(400);
    expect(errorSummary(badArrangement.body)).toEqual([
      expect.stringMatching(new RegExp(`^#language-${g.invitee.mother}: Enter the language`)),
    ]);
    expect(badArrangement.body).toMatch(new RegExp(`value="interpreter" checked`));
    const arranged = await supportClient.post(
      recipients,
      { version: versionOn(rPage.body), [`kinds-${g.invitee.mother}`]: ['large-print'] },
      { fromPage: recipients },
    );
    expect(arranged.statusCode).toBe(303);
    // W-4: the draft links to who receives it; the list shows the mother's copy in large print.
    const summary = await supportClient.get(String(arranged.headers.location));
    expect(summary.body).toContain(`href="${draftUrl}/distribution"`);
    expect((await supportClient.get(`${draftUrl}/distribution`)).body).toContain('A parent’s copy, in large print');
  });

  it('every page of a draft opens for business support and for the chair; a social worker reads the draft without its forms', async () => {
    for (const client of [supportClient, chairClient]) {
      for (const path of ['', '/preview', `/withholding/${SECTION}`, '/recipients']) {
        const res = await client.get(`${draftUrl}${path}`);
        expect(res.statusCode, path).toBe(200);
        expect(res.body, path).toContain('<h1 class="govuk-heading-l">');
      }
    }
    const read = await swClient.get(draftUrl);
    expect(read.statusCode).toBe(200);
    expect(read.body).toContain('Ava needs a plan to keep her safe at home.');
    expect(read.body).not.toContain('Save the draft');
    expect(read.body).not.toContain(`${draftUrl}/withholding/`);
    expect(read.body).not.toContain('/static/document-autosave.js');
    expect((await swClient.get(`${draftUrl}/withholding/${SECTION}`)).statusCode).toBe(403);
    expect((await supportClient.get(`${draftUrl}/withholding/no-such-block`)).statusCode).toBe(404);
  });

  it('W-2: sent to the chair, who comments and asks for changes; a social worker cannot approve (403); the chair approves', async () => {
    const sent = await supportClient.post(
      `${draftUrl}/submit`,
      { version: versionOn((await supportClient.get(draftUrl)).body) },
      {},
    );
    expect(sent.statusCode).toBe(303);
    expect((await supportClient.get(String(sent.headers.location))).body).toContain('Sent to the chair.');

    const page = await chairClient.get(draftUrl);
    expect(page.body).toContain('Approve the document');
    expect(page.body).toContain('Ask for changes');
    expect(page.body).toContain(`form="comment-form-${SECTION}"`);
    const noComment = await chairClient.post(`${draftUrl}/comments`, { sectionId: SECTION, body: ' ' }, {});
    expect(noComment.statusCode).toBe(400);
    expect(errorSummary(noComment.body)).toEqual([`#comment-${SECTION}: Enter your comment`]);
    const commented = await chairClient.post(
      `${draftUrl}/comments`,
      { sectionId: SECTION, body: 'Say who will visit and when.' },
      {},
    );
    expect(commented.statusCode).toBe(303);
    const changes = await chairClient.post(
      `${draftUrl}/request-changes`,
      { version: versionOn((await chairClient.get(draftUrl)).body) },
      {},
    );
    expect(changes.statusCode).toBe(303);
    expect(changes.headers.location).toBe(`${draftUrl}?done=changes-requested`);

    // The minute taker sees the comment under its section and resolves it.
    const back = await supportClient.get(draftUrl);
    expect(back.body).toContain('The chair’s comments on this section');
    expect(back.body).toContain('Say who will visit and when.');
    const resolveAction = /action="([^"]+\/comments\/[0-9a-f-]{36}\/resolve)"/.exec(back.body)![1]!;
    const resolved = await supportClient.post(resolveAction, {}, {});
    expect(resolved.statusCode).toBe(303);
    const resolvedPage = await supportClient.get(String(resolved.headers.location));
    expect(resolvedPage.body).toContain('Resolved comments (1)');
    const resent = await supportClient.post(`${draftUrl}/submit`, { version: versionOn(resolvedPage.body) }, {});
    expect(resent.statusCode).toBe(303);

    const version = versionOn((await chairClient.get(draftUrl)).body);
    const swApproves = await swClient.post(`${draftUrl}/approve`, { version }, { fromPage: docs });
    expect(swApproves.statusCode).toBe(403);
    const staleApproval = await chairClient.post(`${draftUrl}/approve`, { version: String(Number(version) - 1) }, {});
    expect(staleApproval.statusCode).toBe(409);
    expect(errorSummary(staleApproval.body)[0]).toMatch(/^#main-content: /);
    const approved = await chairClient.post(`${draftUrl}/approve`, { version }, {});
    expect(approved.statusCode).toBe(303);
    const approvedPage = await chairClient.get(String(approved.headers.location));
    expect(approvedPage.body).toContain('Approved. The document can now be issued.');
    expect(approvedPage.body).toContain('Issue the document');
    expect(approvedPage.body).not.toContain(`name="${FIELD}"`);
  });

  it('W-1, W-3, W-4: issued copies are listed and downloaded as PDFs; the father’s copy leaves out the withheld section', async () => {
    const version = versionOn((await supportClient.get(draftUrl)).body);
    const issued = await supportClient.post(`${draftUrl}/issue`, { version }, {});
    expect(issued.statusCode).toBe(303);
    expect(String(issued.headers.location)).toMatch(new RegExp(`^${docs}\\?done=issued&copies=\\d+#issued$`));
    const copies = Number(/copies=(\d+)/.exec(String(issued.headers.location))![1]);
    const list = await supportClient.get(String(issued.headers.location));
    expect(list.body).toContain(`Issued: ${copies} copies.`);
    const rows = [...list.body.matchAll(/<tr class="govuk-table__row">([\s\S]*?)<\/tr>/g)].map((m) => m[1]!);
    const row = (who: string, largePrint: 'Yes' | 'No') =>
      rows.find((r) => r.includes(`Parent’s copy – ${who}`) && r.includes('>PDF<') && r.includes(`>${largePrint}<`))!;
    const href = (r: string) => /href="([^"]+\/copies\/[0-9a-f-]{36})"/.exec(r)![1]!;

    const fatherCopy = await supportClient.get(href(row('Daniel Mensah', 'No')));
    expect(fatherCopy.statusCode).toBe(200);
    expect(fatherCopy.headers['content-type']).toBe('application/pdf');
    expect(fatherCopy.headers['cache-control']).toBe('no-store');
    expect(fatherCopy.headers['content-disposition']).toMatch(/^attachment; filename="[A-Za-z0-9._-]+\.pdf"$/);
    expect(fatherCopy.headers['content-disposition']).not.toMatch(/Okafor|Mensah|Grace|Daniel/);
    expect(fatherCopy.rawPayload.subarray(0, 4).toString('latin1')).toBe('%PDF');
    // The SHA-256 the table shows is the one of the bytes downloaded.
    const sha256 = createHash('sha256').update(fatherCopy.rawPayload).digest('hex');
    expect(row('Daniel Mensah', 'No')).toContain(`<code class="app-hash">${sha256.slice(0, 12)}</code>`);
    expect(list.body).toMatch(
      /<caption[^>]*>\s*Decision letter: [^<]*\(issue 1\)\. Issued [^<]+ by [^<]+; approved [^<]+ by [^<]+\.\s*<\/caption>/,
    );
    const motherCopy = await supportClient.get(href(row('Grace Okafor', 'Yes')));
    expect(motherCopy.rawPayload.subarray(0, 4).toString('latin1')).toBe('%PDF');

    const father = await openPdf(fatherCopy.rawPayload);
    const mother = await openPdf(motherCopy.rawPayload);
    try {
      const fatherText = (await father.pagesText()).join('\n').replace(/\s+/g, ' ');
      const motherText = (await mother.pagesText()).join('\n').replace(/\s+/g, ' ');
      expect(fatherText).toContain("PARENT'S COPY");
      expect(fatherText).not.toContain('new address in Hastings');
      expect(motherText).toContain('new address in Hastings');
    } finally {
      await father.dispose();
      await mother.dispose();
    }

    // Someone who may not see the children cannot download a copy.
    expect((await strangerClient.get(href(row('Daniel Mensah', 'No')))).statusCode).toBe(403);
    expect((await strangerClient.get(draftUrl)).statusCode).toBe(403);

    // W-4: the mother's large print is a task until marked as done, with a note.
    const taskAction = /action="([^"]+\/tasks\/[0-9a-f-]{36}\/done)"/.exec(list.body)![1]!;
    const tooLong = await supportClient.post(taskAction, { note: 'n'.repeat(501) }, { fromPage: docs });
    expect(tooLong.statusCode).toBe(400);
    expect(errorSummary(tooLong.body)[0]).toMatch(/^#note-[0-9a-f-]{36}: The note must be 500 characters or fewer$/);
    const done = await supportClient.post(taskAction, { note: 'Posted in large print' }, { fromPage: docs });
    expect(done.statusCode).toBe(303);
    const doneList = await supportClient.get(String(done.headers.location));
    expect(doneList.body).toContain('The arrangement is marked as done.');
    expect(doneList.body).toContain('Posted in large print');
  });
});
