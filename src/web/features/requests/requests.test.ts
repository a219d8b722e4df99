import type { FastifyInstance } from 'fastify';
import { insertReadyCopy } from '../../../app/requests/delivery-test-support.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../../domain/access/roles.ts';
import { insertStoredRecordingRow } from '../../../../test/support/recordings.ts';
import {
  seedConference,
  siblingGroupConference,
  type SiblingGroupConference,
} from '../../../../test/support/conferences.ts';
import { createTestServices, testDatabases, type TestContext } from '../../../../test/support/services.ts';
import { signedInClient, testApp, type WebClient } from '../../../../test/support/web.ts';
import { addChild, auditRows, emailOf, staff } from '../../../../test/support/people.ts';
import { fieldId } from './forms.ts';

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

const MUM_EMAIL = 'grace.private@example.org';

describe('field ids', () => {
  it('points each rule’s field at its input, with the step’s prefix on the request page', () => {
    expect(fieldId('receivedOn')).toBe('receivedOn-day');
    expect(fieldId('withheldAdded[2].start')).toBe('withheldAdded-2-start');
    expect(fieldId('children[1].dateOfBirth', 'record-verification')).toBe(
      'record-verification-children-1-dateOfBirth-day',
    );
    expect(fieldId('jointConsideration.on')).toBe('jcOn-day');
    expect(fieldId('toldOn', 'extend')).toBe('extend-toldOn-day');
    expect(fieldId('reason', 'refuse')).toBe('refuse-reason');
    expect(fieldId('')).toBe('main-content');
  });
});

describe.each(testDatabases())('the request pages (%s)', (kind) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let chair: Actor;
  let support: Actor;
  let support2: Actor;
  let sw: Actor;
  let otherSw: Actor;
  let chairClient: WebClient;
  let supportClient: WebClient;
  let support2Client: WebClient;
  let swClient: WebClient;
  let otherClient: WebClient;
  let g: SiblingGroupConference;
  let recordingId: string;
  let segmentFamily: string;
  let newBase: string;

  const clientFor = async (actor: Actor) =>
    (await signedInClient(ctx, app, { email: emailOf(actor), name: actor.name, roles: [...actor.roles] })).client;
  const stored = async () =>
    ctx.services.requests.listForConference(support, g.conferenceId, {
      actor: { id: support.id, label: support.name },
    });
  const view = async (id: string) =>
    ctx.services.requests.get(support, id, { actor: { id: support.id, label: support.name } });

  beforeAll(async () => {
    ctx = await createTestServices(kind, {}, { copy: 'manual' });
    // 11 May 2026: Ava (born 10 May 2013) turned 13 yesterday; Ben is 6.
    ctx.clock.current = new Date('2026-05-11T09:00:00Z');
    app = await testApp(ctx);
    chair = await staff(ctx, 'Cal Chair', ['chair']);
    support = await staff(ctx, 'Bo Support', ['business_support']);
    support2 = await staff(ctx, 'Bex Support', ['business_support']);
    sw = await staff(ctx, 'Sam Worker', ['social_worker']);
    otherSw = await staff(ctx, 'Olu Other', ['social_worker']);
    g = await siblingGroupConference(ctx, { socialWorker: sw, chair, status: 'held' });
    recordingId = await insertStoredRecordingRow(ctx, {
      conferenceId: g.conferenceId,
      partId: g.partId,
      createdBy: support.id,
    });
    const chairCtx = { actor: { id: chair.id, label: chair.name } };
    await ctx.services.recordings.confirmStatement(chair, chairCtx, recordingId, {
      location: 'Room 4, County Hall',
      recordedOn: '2026-03-02',
      startedAt: '10:00',
      endedAt: '11:30',
      context: 'Initial child protection conference for Ava and Ben.',
      speakers: [{ name: 'Cal Chair', role: 'Conference chair' }],
      breaks: [],
    });
    await ctx.services.uow.run(async (repos) => {
      segmentFamily = await repos.recordings.insertWithheld(recordingId, {
        startMs: 60_000,
        endMs: 120_000,
        reason: 'police',
        explanation: 'Police intelligence',
        withheldFrom: { kind: 'all-family' },
        createdBy: chair.id,
      });
    });
    [chairClient, supportClient, support2Client, swClient, otherClient] = await Promise.all([
      clientFor(chair),
      clientFor(support),
      clientFor(support2),
      clientFor(sw),
      clientFor(otherSw),
    ]);
    newBase = `/conferences/${g.conferenceId}/requests/new`;
  });
  afterAll(async () => {
    await app.close();
    await ctx.dispose();
  });

  async function recordMumsRequest(client: WebClient): Promise<string> {
    const form = {
      type: 'pr-holder',
      personId: g.people.mother,
      'receivedOn-day': '11',
      'receivedOn-month': '5',
      'receivedOn-year': '2026',
    };
    await client.post(newBase, { ...form, stage: 'details' }, { fromPage: newBase });
    const res = await client.post(newBase, { ...form, stage: 'confirm' });
    expect(res.statusCode).toBe(303);
    return /\/requests\/([0-9a-f-]{36})/.exec(res.headers.location as string)![1]!;
  }

  it('links the conference page and the navigation to the requests (A-1)', async () => {
    const page = await supportClient.get(`/conferences/${g.conferenceId}`);
    expect(page.body).toContain(`href="/conferences/${g.conferenceId}/requests"`);
    expect(page.body).toContain('href="/requests"');
    const list = await supportClient.get(`/conferences/${g.conferenceId}/requests`);
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain(`href="${newBase}"`);
    // The social worker may see the conference's requests but not record one, and has no queue link.
    const swList = await swClient.get(`/conferences/${g.conferenceId}/requests`);
    expect(swList.statusCode).toBe(200);
    expect(swList.body).not.toContain(`href="${newBase}"`);
    expect(swList.body).not.toContain('href="/requests"');
    expect((await swClient.get(newBase)).statusCode).toBe(403);
  });

  it('records a request: the requester type first, then its details with every problem on its field, then check answers (A-1)', async () => {
    const first = await supportClient.get(newBase);
    expect(first.statusCode).toBe(200);
    expect(first.body).toContain('Who is asking for a copy of the recording?');
    const noType = await supportClient.post(newBase, { stage: 'type' });
    expect(noType.statusCode).toBe(400);
    expect(errorSummary(noType.body)).toEqual(['#type: Select who is asking for the recording']);

    const details = await supportClient.post(newBase, { stage: 'type', type: 'court' });
    expect(details.statusCode).toBe(200);
    expect(details.body).toContain('id="courtReference"');
    expect(details.body).not.toContain('id="personId"');

    // A court without its reference, and a half-filled date: both shown at once, nothing saved, nothing lost.
    const bad = await supportClient.post(newBase, {
      stage: 'details',
      type: 'court',
      contactName: 'Clerk Kim',
      courtName: 'Family Court at Leeds',
      courtReference: '',
      'receivedOn-day': '11',
      'receivedOn-month': '',
      'receivedOn-year': '2026',
    });
    expect(bad.statusCode).toBe(400);
    expect(errorSummary(bad.body)).toEqual([
      '#receivedOn-day: The date the request was received must include a month',
      '#courtReference: Enter the court’s case reference',
    ]);
    expect(bad.body).toContain('value="Family Court at Leeds"');
    expect(bad.body).toMatch(/id="courtReference"[^>]*aria-describedby="[^"]*courtReference-error/);
    expect(await stored()).toHaveLength(0);

    const good = {
      type: 'court',
      contactName: 'Clerk Kim',
      courtName: 'Family Court at Leeds',
      courtReference: 'LS26C00123',
      'receivedOn-day': '11',
      'receivedOn-month': '5',
      'receivedOn-year': '2026',
    };
    const check = await supportClient.post(newBase, { ...good, stage: 'details' });
    expect(check.statusCode).toBe(200);
    expect(plain(check.body)).toContain('Court’s case reference LS26C00123');
    expect(plain(check.body)).toContain('Date received 11 May 2026');
    expect(await stored()).toHaveLength(0);
    // "Change the details" goes back with everything kept.
    const change = await supportClient.post(newBase, { ...good, stage: 'change' });
    expect(change.body).toContain('value="LS26C00123"');

    const done = await supportClient.post(newBase, { ...good, stage: 'confirm' });
    expect(done.statusCode).toBe(303);
    const page = await supportClient.get(done.headers.location as string);
    expect(page.body).toContain('The request is recorded.');
    expect(plain(page.body)).toContain('Requester Court: Clerk Kim');
    expect(plain(page.body)).toMatch(/Copy due by 11 June 2026/);
    expect(page.body).toContain('Record a request');
    expect(await stored()).toHaveLength(1);
  });

  it('records an ineligible request and shows it refused with the reason (A-1)', async () => {
    const form = {
      type: 'child',
      childId: g.children.ben,
      'receivedOn-day': '11',
      'receivedOn-month': '5',
      'receivedOn-year': '2026',
    };
    const check = await chairClient.post(newBase, { ...form, stage: 'details' }, { fromPage: newBase });
    expect(plain(check.body)).toContain(
      'This request will be recorded and refused: A child may ask for a recording from the age of 13',
    );
    const res = await chairClient.post(newBase, { ...form, stage: 'confirm' });
    const page = await chairClient.get(res.headers.location as string);
    expect(page.body).toContain('The request is recorded and refused');
    expect(page.body).toMatch(/govuk-tag--grey">\s*Refused/);
    expect(plain(page.body)).toContain('under 13 on the day the request was received');
    expect(page.body).not.toContain('Refer the request to business support');
  });

  it('refuses access to a social worker not allocated to the children, and forms without a CSRF token', async () => {
    const id = await recordMumsRequest(chairClient);
    expect((await otherClient.get(`/requests/${id}`)).statusCode).toBe(403);
    expect((await otherClient.get(`/conferences/${g.conferenceId}/requests`)).statusCode).toBe(403);
    const denied = (await auditRows(ctx))
      .filter((r) => r.outcome === 'denied' && r.actorUserId === otherSw.id)
      .map((r) => [r.action, r.subjectId]);
    expect(denied).toEqual(
      expect.arrayContaining([
        ['copy-request.view', g.conferenceId],
        ['copy-request.list', g.conferenceId],
      ]),
    );
    // The children's own social worker sees the request but is offered no step.
    const swPage = await swClient.get(`/requests/${id}`);
    expect(swPage.statusCode).toBe(200);
    expect(swPage.body).not.toContain('<form method="post" action="/requests/');
    const refused = await swClient.post(
      `/requests/${id}/steps/withdraw`,
      { version: '1', reason: 'x' },
      { fromPage: `/requests/${id}` },
    );
    expect(refused.statusCode).toBe(403);

    const noToken = await chairClient.post(
      `/requests/${id}/steps/withdraw`,
      { version: '1', reason: 'Changed her mind' },
      { csrf: false },
    );
    expect(noToken.statusCode).toBe(403);
    const noTokenNew = await chairClient.post(newBase, { stage: 'confirm', type: 'court' }, { csrf: false });
    expect(noTokenNew.statusCode).toBe(403);
    expect((await view(id)).state).toBe('received');
    expect((await supportClient.get('/requests/00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
  });

  it('takes the chair’s referral as one form that cannot be sent incomplete, with check answers (A-3)', async () => {
    const id = await recordMumsRequest(chairClient);
    const ref = `/requests/${id}/referral`;
    const form = await chairClient.get(ref);
    expect(form.statusCode).toBe(200);
    // Pre-filled: both children (the mother holds PR for both) and the part withheld from the family.
    expect(form.body).toMatch(new RegExp(`value="${segmentFamily}" checked`));
    expect(form.body).toMatch(new RegExp(`name="childIds" type="checkbox" value="${g.children.ava}" checked`));
    expect((await supportClient.get(ref)).statusCode).toBe(403);

    const base = {
      childIds: [g.children.ava, g.children.ben],
      withheldSegmentIds: [segmentFamily],
      recordingIds: [recordingId],
      withheldRows: '1',
      'withheldAdded-0-recordingId': recordingId,
    };
    const bad = await chairClient.post(ref, {
      ...base,
      action: 'check',
      email: 'not an email',
      'withheldAdded-0-start': '10:00',
      'withheldAdded-0-end': '9:00',
      'withheldAdded-0-reason': 'third-party',
      'withheldAdded-0-explanation': 'Neighbour',
    });
    expect(bad.statusCode).toBe(400);
    const errors = errorSummary(bad.body);
    expect(errors).toContain('#email: Enter an email address in the correct format, like name@example.com');
    expect(errors).toContain('#emailVerified: Confirm you have checked the email address with the requester');
    expect(
      errors.some((e) =>
        e.startsWith('#withheldAdded-0-end: Withheld part 1: the end of the withheld part must be after its start'),
      ),
    ).toBe(true);
    expect(bad.body).toContain('>Neighbour</textarea>');
    expect((await view(id)).state).toBe('received');

    // Add a row without JavaScript: the same form, one more row, nothing checked.
    const more = await chairClient.post(ref, { ...base, action: 'add-row', email: MUM_EMAIL });
    expect(more.statusCode).toBe(200);
    expect(more.body).toContain('id="withheldAdded-1-start"');
    expect(more.body).toContain(`value="${MUM_EMAIL}"`);

    const good = {
      ...base,
      email: MUM_EMAIL,
      emailVerified: 'yes',
      'withheldAdded-0-start': '10:00',
      'withheldAdded-0-end': '11:30',
      'withheldAdded-0-reason': 'third-party',
      'withheldAdded-0-explanation': 'A neighbour’s account',
    };
    const check = await chairClient.post(ref, { ...good, action: 'check' });
    expect(check.statusCode).toBe(200);
    expect(plain(check.body)).toContain('Email address (checked with the requester) grace.private@example.org');
    expect(plain(check.body)).toContain('1:00 to 2:00: Police information – Police intelligence');
    expect(plain(check.body)).toContain(
      '10:00 to 11:30: Information about another person who has not agreed to share it – A neighbour’s account',
    );
    expect((await view(id)).state).toBe('received');
    const sent = await chairClient.post(ref, { ...good, action: 'submit' });
    expect(sent.statusCode).toBe(303);
    const page = await chairClient.get(sent.headers.location as string);
    expect(page.body).toContain('The referral is sent to business support');
    expect((await view(id)).state).toBe('referred');
  });

  it('takes each step from the request page: errors on the field, nothing half-saved, a stale page refused, second-person approval (A-4 … A-7)', async () => {
    const id = await recordMumsRequest(chairClient);
    const v0 = (await view(id)).version;
    await ctx.services.requests.refer(
      chair,
      id,
      v0,
      {
        childIds: [g.children.ava, g.children.ben],
        email: MUM_EMAIL,
        emailVerified: true,
        withheldSegmentIds: [segmentFamily],
        recordingIds: [recordingId],
      },
      { actor: { id: chair.id, label: chair.name } },
    );
    const url = `/requests/${id}`;
    const step = async (client: WebClient, name: string, form: Record<string, string | string[]> = {}) => {
      await client.get(url);
      const version = /name="version" value="(\d+)"/.exec(client.lastHtml)?.[1] ?? '0';
      return client.post(`${url}/steps/${name}`, { version, ...form });
    };

    expect((await step(supportClient, 'resolve-queries')).statusCode).toBe(303);
    const noParts = await step(supportClient, 'check-recording', { partsListened: '', confirmedRightRecording: 'yes' });
    expect(noParts.statusCode).toBe(400);
    expect(errorSummary(noParts.body)[0]).toMatch(/^#check-recording-partsListened: /);
    expect((await view(id)).state).toBe('queries-resolved');
    expect(
      (await step(supportClient, 'check-recording', { partsListened: '0:00 to 2:00', confirmedRightRecording: 'yes' }))
        .statusCode,
    ).toBe(303);
    expect((await step(supportClient, 'request-verification')).statusCode).toBe(303);

    // A page left open while someone else moved the request on: refused, what was typed kept.
    const stale = await supportClient.post(`${url}/steps/withdraw`, { version: '1', reason: 'She no longer wants it' });
    expect(stale.statusCode).toBe(400);
    expect(errorSummary(stale.body)).toEqual([
      '#main-content: This request was changed by someone else while you were working on it. Reload it and try again.',
    ]);
    expect(stale.body).toContain('She no longer wants it');

    const page = await supportClient.get(url);
    expect(page.body).toContain('id="record-verification-children-1-fullName"');
    const reply = {
      emailConfirmedSecure: 'yes',
      childRows: '2',
      'children-0-fullName': 'Ava Okafor',
      'children-0-dateOfBirth-day': '10',
      'children-0-dateOfBirth-month': '5',
      'children-0-dateOfBirth-year': '2013',
      'children-1-fullName': 'Ben Okafor',
      'children-1-dateOfBirth-day': '1',
      'children-1-dateOfBirth-month': '8',
      'children-1-dateOfBirth-year': '',
    };
    const halfDate = await step(supportClient, 'record-verification', reply);
    expect(halfDate.statusCode).toBe(400);
    expect(errorSummary(halfDate.body)).toContain(
      '#record-verification-children-1-dateOfBirth-day: The date of birth given for child 2 must include a year',
    );
    expect(halfDate.body).toContain('value="Ben Okafor"');
    expect((await view(id)).state).toBe('verification-requested');
    const verified = await step(supportClient, 'record-verification', {
      ...reply,
      'children-1-dateOfBirth-year': '2019',
    });
    expect(verified.headers.location).toBe(`${url}?done=verified`);

    // The copy, prepared by Bo (a ready copy row as the disclosure copy service leaves it), is approved by someone else.
    const copyId = await insertReadyCopy(ctx, {
      requestId: id,
      conferenceId: g.conferenceId,
      recordingIds: [recordingId],
      createdBy: support.id,
    });
    await supportClient.get(url);
    const version = /name="version" value="(\d+)"/.exec(supportClient.lastHtml)![1]!;
    const prepared = await supportClient.post(`${url}/copies/${copyId}`, { version });
    expect(prepared.statusCode).toBe(303);
    const own = await supportClient.get(url);
    expect(own.body).not.toContain(`action="${url}/steps/approve-copy"`);
    expect(plain(own.body)).toMatch(/You prepared this copy/);
    const other = await support2Client.get(url);
    expect(other.body).toContain(`action="${url}/steps/approve-copy"`);
    expect((await step(support2Client, 'approve-copy')).statusCode).toBe(303);
    expect((await view(id)).state).toBe('copy-approved');

    // Refuse needs a reason, on its field.
    const noReason = await step(chairClient, 'refuse', { reason: ' ' });
    expect(noReason.statusCode).toBe(400);
    expect(errorSummary(noReason.body)[0]).toMatch(/^#refuse-reason: /);
    expect((await view(id)).state).toBe('copy-approved');

    // The timeline has every step with who took it.
    const timeline = plain((await supportClient.get(url)).body).split('Timeline')[1]!;
    expect(timeline).toContain('by Cal Chair');
    expect(timeline).toContain('by Bex Support');
  });

  it('A-5: verifies an unborn sibling by the expected date of delivery, and says so on the request', async () => {
    const by = (a: Actor) => ({ actor: { id: a.id, label: a.name } });
    const unborn = await addChild(ctx, sw, {
      givenNames: 'Baby',
      familyName: 'Okafor',
      dateOfBirth: null,
      expectedDeliveryDate: '2026-08-20',
    });
    await ctx.services.people.addFamilyMember(
      sw,
      unborn,
      { personId: g.people.mother, relationship: 'mother', parentalResponsibility: true },
      by(sw),
    );
    const pre = await seedConference(ctx, {
      type: 'pre-birth',
      status: 'held',
      chairUserId: chair.id,
      childIds: [g.children.ava, unborn],
    });
    const rec = await insertStoredRecordingRow(ctx, {
      conferenceId: pre.conferenceId,
      partId: pre.partId,
      createdBy: support.id,
    });
    const svc = ctx.services.requests;
    const received = await svc.receive(
      support,
      {
        conferenceId: pre.conferenceId,
        receivedOn: '2026-05-11',
        requester: { type: 'pr-holder', personId: g.people.mother },
      },
      by(support),
    );
    const id = received.id;
    let v = (
      await svc.refer(
        chair,
        id,
        received.version,
        {
          childIds: [g.children.ava, unborn],
          email: MUM_EMAIL,
          emailVerified: true,
          nothingWithheld: true,
          recordingIds: [rec],
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
    await svc.requestVerification(support, id, v, by(support));

    const url = `/requests/${id}`;
    const page = await supportClient.get(url);
    expect(plain(page.body)).toContain(
      'Baby Okafor is not born yet. For an unborn baby, enter the expected date of delivery the requester gave in place of the date of birth.',
    );
    const version = /name="version" value="(\d+)"/.exec(page.body)![1]!;
    const res = await supportClient.post(`${url}/steps/record-verification`, {
      version,
      emailConfirmedSecure: 'yes',
      childRows: '2',
      'children-0-fullName': 'Ava Okafor',
      'children-0-dateOfBirth-day': '10',
      'children-0-dateOfBirth-month': '5',
      'children-0-dateOfBirth-year': '2013',
      'children-1-fullName': 'Baby Okafor',
      'children-1-dateOfBirth-day': '20',
      'children-1-dateOfBirth-month': '8',
      'children-1-dateOfBirth-year': '2026',
    });
    expect(res.headers.location).toBe(`${url}?done=verified`);
    expect((await view(id)).state).toBe('verified');
    const after = plain((await supportClient.get(url)).body);
    expect(after).toContain('Not born yet: checked by the expected date of delivery: Baby Okafor');
    // Nobody was told the details failed to match.
    expect((await auditRows(ctx, 'copy-request.verification-failed')).filter((r) => r.subjectId === id)).toEqual([]);
  });

  it('starts the copy and shows its progress in a live region a script updates, with a link to check it without JavaScript (R-3)', async () => {
    const id = await recordMumsRequest(chairClient);
    const svc = ctx.services.requests;
    const by = (a: Actor) => ({ actor: { id: a.id, label: a.name } });
    let v = (
      await svc.refer(
        chair,
        id,
        (await view(id)).version,
        {
          childIds: [g.children.ava, g.children.ben],
          email: MUM_EMAIL,
          emailVerified: true,
          withheldSegmentIds: [segmentFamily],
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
      emailConfirmedSecure: 'yes',
      children: [
        { fullName: 'Ava Okafor', dateOfBirth: '2013-05-10' },
        { fullName: 'Ben Okafor', dateOfBirth: '2019-08-01' },
      ],
    };
    expect((await svc.recordVerification(support, id, v, reply, by(support))).matched).toBe(true);

    // Only business support prepares copies.
    expect((await chairClient.post(`/requests/${id}/copy`, {}, { fromPage: `/requests/${id}` })).statusCode).toBe(403);
    const started = await supportClient.post(`/requests/${id}/copy`, {}, { fromPage: `/requests/${id}` });
    expect(started.statusCode).toBe(303);
    const copyUrl = started.headers.location as string;
    expect(copyUrl).toMatch(new RegExp(`^/requests/${id}/copies/[0-9a-f-]{36}$`));
    expect(ctx.queuedCopies).toHaveLength(1);
    const running = await supportClient.get(copyUrl);
    expect(running.statusCode).toBe(200);
    expect(running.body).toContain('<h1 class="govuk-heading-l">Preparing the copy</h1>');
    // No meta refresh (a screen reader would lose its place): a live region a script updates, and a link without it.
    expect(running.body).not.toContain('http-equiv="refresh"');
    expect(running.body).toMatch(
      new RegExp(
        `<p class="govuk-body" id="copy-progress-text" role="status" aria-live="polite" data-progress-url="${copyUrl}/progress">0% done</p>`,
      ),
    );
    expect(running.body).toContain(
      `<a class="govuk-link" id="copy-progress-refresh" href="${copyUrl}">Check progress</a>`,
    );
    expect(running.body).toContain('<script type="module" src="/static/copy-progress.js"></script>');
    const json = await supportClient.get(`${copyUrl}/progress`);
    expect(json.statusCode).toBe(200);
    expect(JSON.parse(json.body)).toEqual({ state: 'queued', percent: 0, text: '0% done', done: false });
    expect((await otherClient.get(`${copyUrl}/progress`)).statusCode).toBe(403);
    expect((await swClient.get(`${copyUrl}/progress`)).statusCode).toBe(403);
    expect((await supportClient.get('/static/copy-progress.js')).statusCode).toBe(200);
    expect(running.body).not.toContain('Record the copy as prepared');
    // Another request's address for this copy is not found; another social worker sees nothing.
    const other = await recordMumsRequest(chairClient);
    expect((await supportClient.get(copyUrl.replace(id, other))).statusCode).toBe(404);
    expect((await otherClient.get(copyUrl)).statusCode).toBe(403);
    expect((await view(id)).state).toBe('verified');
  });

  it('A-1, A-3, A-4: records a request from the work queue by finding the conference first; pre-fills a family member’s email; links the recording to check', async () => {
    const queue = await supportClient.get('/requests');
    expect(queue.body).toContain('href="/requests/new"');
    expect((await swClient.get('/requests')).body).not.toContain('href="/requests/new"');
    expect((await swClient.get('/requests/new')).statusCode).toBe(403);
    const form = await supportClient.get('/requests/new');
    expect(form.statusCode).toBe(200);
    const empty = await supportClient.post('/requests/new', { name: '', reference: '' });
    expect(empty.statusCode).toBe(400);
    expect(errorSummary(empty.body)).toEqual(['#name: Enter the child’s name or local case reference']);
    // The search is posted, so no child's name is in an address; it offers the conference to record a request on.
    const found = await supportClient.post('/requests/new', { name: 'Okafor', reference: '' });
    expect(found.statusCode).toBe(200);
    expect(found.body).toContain(`href="${newBase}"`);
    expect(plain(found.body)).toContain('Ava Okafor, Ben Okafor');
    expect(plain(found.body)).toMatch(/1 recording/);
    expect((await auditRows(ctx, 'copy-request.find-conference')).at(-1)).toMatchObject({
      actorUserId: support.id,
      outcome: 'success',
    });
    const none = await supportClient.post('/requests/new', { name: 'Nobody Zzyzx', reference: '' });
    expect(plain(none.body)).toContain('No conference you can see matches');

    // a family member asking, with an email address on their record: the referral starts with it.
    const by = (a: Actor) => ({ actor: { id: a.id, label: a.name } });
    const aunt = await ctx.services.people.addFamilyMember(
      sw,
      g.children.ava,
      {
        person: { givenNames: 'Zara', familyName: 'Okafor', email: 'zara.okafor@example.org' },
        relationship: 'special_guardian',
        parentalResponsibility: true,
      },
      by(sw),
    );
    const r = await ctx.services.requests.receive(
      support,
      {
        conferenceId: g.conferenceId,
        receivedOn: '2026-05-11',
        requester: { type: 'pr-holder', personId: aunt.person.id },
      },
      by(support),
    );
    const referral = await chairClient.get(`/requests/${r.id}/referral`);
    expect(referral.body).toMatch(/<input[^>]*name="email"[^>]*value="zara.okafor@example.org"/);

    // at "check the recording", the request links the recording the chair named, to listen to.
    const v = (await view(r.id)).version;
    const referred = (
      await ctx.services.requests.refer(
        chair,
        r.id,
        v,
        {
          childIds: [g.children.ava],
          email: 'zara.okafor@example.org',
          emailVerified: true,
          withheldSegmentIds: [segmentFamily],
          recordingIds: [recordingId],
        },
        by(chair),
      )
    ).version;
    await ctx.services.requests.resolveQueries(support, r.id, referred, null, by(support));
    const page = await supportClient.get(`/requests/${r.id}`);
    expect(page.body).toContain(`href="/recordings/${recordingId}/listen"`);
  });

  it('shows the work queue with due dates and RAG, filtered by step; chairs see theirs (A-9)', async () => {
    const queue = await supportClient.get('/requests');
    expect(queue.statusCode).toBe(200);
    expect(queue.body).toContain('Requests for copies of recordings');
    expect(queue.body).toMatch(/govuk-tag--green">\s*On track/);
    expect(plain(queue.body)).toContain('11 June 2026');
    const rows = (html: string) => (/<tbody[\s\S]*?<\/tbody>/.exec(html)?.[0].match(/<tr/g) ?? []).length;
    const all = rows(queue.body);
    expect(all).toBeGreaterThanOrEqual(3);
    const referredOnly = await supportClient.get('/requests?step=received');
    expect(rows(referredOnly.body)).toBeLessThan(all);
    expect(referredOnly.body).toMatch(/value="received" checked/);
    expect((await swClient.get('/requests')).statusCode).toBe(200);
    expect((await chairClient.get('/requests')).statusCode).toBe(200);
  });
});
