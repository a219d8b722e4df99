/**
 * The page guard: renders a broad set of the service's pages, as the roles that use them, over one fixed
 * scenario at a fixed time, and compares each page's HTML with a committed snapshot in __snapshots__.
 * A difference is a change in what someone sees (or the status they get): a regression unless it was
 * meant, in which case update that snapshot (`-u`) and say why in the commit.
 *
 * Tests in this file run in order and share one app: the journeys (adding a child, convening, the meeting,
 * receiving a request) build on the step before. With TEST_DATABASE_URL set the same pages are rendered
 * over PostgreSQL too and must match the same snapshots.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/domain/access/roles.ts';
import { REMINDER_POINT_IDS } from '../../src/domain/conferences/meeting.ts';
import { siblingGroupConference, type SiblingGroupConference } from '../support/conferences.ts';
import {
  clientFor,
  ctxOf,
  dateFields,
  initialInput,
  siblingFixture,
  type SiblingFixture,
} from '../support/convening.ts';
import { staff } from '../support/people.ts';
import { insertStoredRecordingRow } from '../support/recordings.ts';
import { createTestServices, testDatabases, type TestContext } from '../support/services.ts';
import { testApp, WebClient } from '../support/web.ts';

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const NO_ID = '00000000-0000-4000-8000-000000000000';

/**
 * Today by the wall clock, as pages write a date ("7 December 2026"): the scenario runs at a fixed time,
 * but the database stamps a few rows (an account's creation) with its own clock.
 */
const realToday = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'Europe/London',
}).format(new Date());
const REAL_TIME = new RegExp(`${realToday}( at \\d\\d:\\d\\d(:\\d\\d)?)?`, 'g');

/**
 * The page as compared: its status and where it redirects, then its HTML with whatever differs from run
 * to run replaced: ids (numbered by first appearance in the page), the CSRF token, CSP nonces, the numbers the
 * test set-up adds to references and professionals' names (they count per process), and times the database
 * stamps by its own clock.
 */
export function normalise(res: LightMyRequestResponse, opts: { unorderedRows?: boolean } = {}): string {
  const ids = new Map<string, string>();
  const location = res.headers.location ? ` -> ${String(res.headers.location)}` : '';
  let text = `<!-- ${res.statusCode}${location} -->\n${res.body}`;
  if (opts.unorderedRows) text = text.replace(/(<tbody[^>]*>)([\s\S]*?)(\s*<\/tbody>)/g, sortedRows);
  // The CSRF token, wherever the page puts it (a form field, a data attribute for a script, a form's URL).
  const tokens = new Set(
    [...text.matchAll(/(?:name="_csrf" value="|data-csrf[a-z-]*="|[?&]_csrf=)([^"&]+)/g)].map((m) => m[1]!),
  );
  for (const token of tokens) text = text.replaceAll(token, '<csrf>');
  return text
    .replace(UUID, (id) => {
      const key = id.toLowerCase();
      if (key === NO_ID) return id;
      if (!ids.has(key)) ids.set(key, `<id-${ids.size + 1}>`);
      return ids.get(key)!;
    })
    .replace(/\bnonce="[^"]+"/g, 'nonce="<nonce>"')
    .replace(/\bT-\d+-\d+\b/g, 'T-<ref>')
    .replace(/\b(Tess Teacher|Pat Police|Hana Health) \d+\b/g, '$1 <n>')
    .replace(REAL_TIME, '<wall-clock time>');
}

/**
 * A table's rows in a fixed order, their ids unnumbered: for a list whose rows tie on what it is sorted by
 * (emails to several people queued at the same moment), where the database's order is its own.
 */
function sortedRows(_all: string, open: string, body: string, close: string): string {
  const rows = body.match(/<tr[\s\S]*?<\/tr>/g) ?? [];
  return `${open}\n${rows
    .map((r) => r.replace(UUID, '<id>'))
    .sort()
    .join('\n')}${close}`;
}

describe.each(testDatabases())('pages as they render (%s)', (kind) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let f: SiblingFixture;
  let meeting: SiblingGroupConference;
  let held: SiblingGroupConference;
  let conferenceId: string;
  let recordingId: string;
  let requestId: string;
  let segmentId: string;
  let invitees: { grace: string; dev: string };
  const actors: Record<string, Actor> = {};
  const clients: Record<string, WebClient> = {};

  /** GETs `url` as `who`, checks the status and compares the page with its snapshot. */
  async function page(
    who: string,
    url: string,
    name: string,
    status = 200,
    opts: { unorderedRows?: boolean } = {},
  ): Promise<LightMyRequestResponse> {
    const res = await clients[who]!.get(url);
    await compare(res, name, status, opts);
    return res;
  }
  async function compare(
    res: LightMyRequestResponse,
    name: string,
    status: number,
    opts: { unorderedRows?: boolean } = {},
  ): Promise<void> {
    await expect(normalise(res, opts)).toMatchFileSnapshot(`./__snapshots__/${name}.html.snap`);
    expect(res.statusCode, name).toBe(status);
  }

  beforeAll(async () => {
    ctx = await createTestServices(kind);
    app = await testApp(ctx);
    f = await siblingFixture(ctx);
    Object.assign(actors, {
      sw: f.sw,
      chair: f.chair,
      support: f.support,
      otherSw: await staff(ctx, 'Olu Other', ['social_worker']),
      manager: await staff(ctx, 'Tia Manager', ['team_manager']),
      qa: await staff(ctx, 'Quinn Assurance', ['qa_manager']),
      records: await staff(ctx, 'Ari Records', ['access_to_records']),
      admin: await staff(ctx, 'Ada Admin', ['admin']),
      auditor: await staff(ctx, 'Aud Itor', ['auditor']),
    });
    // A conference convened for Ava and Ben Okafor, with invitations to their mother and Ben's father.
    conferenceId = (await ctx.services.convening.convene(f.sw, initialInput(f), ctxOf(f.sw))).id;
    await ctx.services.convening.invite(
      f.support,
      conferenceId,
      [
        { kind: 'family-member', personId: f.grace, interpreterNeeded: false },
        { kind: 'family-member', personId: f.dev, sent: { method: 'letter', sentOn: '2026-03-02' } },
      ],
      ctxOf(f.support),
    );
    // Today's conference for the Adeyemi children, where the meeting pages are used.
    meeting = await siblingGroupConference(ctx, { socialWorker: f.sw, chair: f.chair, familyName: 'Adeyemi' });
    // A held conference for the Brown children, with its stored recording, statement and a withheld passage.
    held = await siblingGroupConference(ctx, {
      socialWorker: f.sw,
      chair: f.chair,
      status: 'held',
      familyName: 'Brown',
    });
    recordingId = await insertStoredRecordingRow(ctx, {
      conferenceId: held.conferenceId,
      partId: held.partId,
      createdBy: f.support.id,
    });
    const chairCtx = { actor: { id: f.chair.id, label: f.chair.name } };
    await ctx.services.recordings.confirmStatement(f.chair, chairCtx, recordingId, {
      location: 'Room 4, County Hall',
      recordedOn: '2026-03-02',
      startedAt: '10:00',
      endedAt: '11:30',
      context: 'Initial child protection conference for Ava and Ben.',
      speakers: [{ name: 'Cal Chair', role: 'Conference chair' }],
      breaks: [],
    });
    await ctx.services.uow.run(async (repos) => {
      segmentId = await repos.recordings.insertWithheld(recordingId, {
        startMs: 60_000,
        endMs: 120_000,
        reason: 'police',
        explanation: 'Police intelligence',
        withheldFrom: { kind: 'all-family' },
        createdBy: f.chair.id,
      });
    });
    const overview = await ctx.services.convening.getConference(f.support, conferenceId, ctxOf(f.support));
    invitees = {
      grace: overview.invitees.find((i) => i.personId === f.grace)!.id,
      dev: overview.invitees.find((i) => i.personId === f.dev)!.id,
    };
    for (const [who, actor] of Object.entries(actors)) clients[who] = await clientFor(ctx, app, actor);
    clients['anon'] = new WebClient(app);
  });
  afterAll(async () => {
    await app?.close();
    await ctx?.dispose();
  });

  describe('home and dashboards', () => {
    it('sign-in', () => page('anon', '/sign-in', 'sign-in').then(() => undefined));
    it('home as a social worker', async () => void (await page('sw', '/', 'home-sw')));
    it('home as an administrator', async () => void (await page('admin', '/', 'home-admin')));
    it('dashboard: social worker', async () => void (await page('sw', '/dashboard', 'dashboard-sw')));
    it('dashboard: chair', async () => void (await page('chair', '/dashboard', 'dashboard-chair')));
    it('dashboard: chair, all chairs', async () =>
      void (await page('chair', '/dashboard?chair=all', 'dashboard-chair-all')));
    it('dashboard: business support', async () => void (await page('support', '/dashboard', 'dashboard-support')));
    it('dashboard: team manager', async () => void (await page('manager', '/dashboard', 'dashboard-manager')));
    it('dashboard: quality assurance', async () => void (await page('qa', '/dashboard', 'dashboard-qa')));
    it('dashboard: overdue section', async () =>
      void (await page('chair', '/dashboard?section=overdue', 'dashboard-chair-overdue')));
    it('dashboard: overdue only', async () =>
      void (await page('chair', '/dashboard?status=overdue', 'dashboard-chair-status-overdue')));
    it('deadlines', async () => void (await page('sw', '/deadlines', 'deadlines')));
    it('accessibility', async () => void (await page('sw', '/accessibility', 'accessibility')));
  });

  describe('children', () => {
    it('find', async () => void (await page('sw', '/children', 'children-find')));
    it('find by name', async () => void (await page('sw', '/children?q=Okafor', 'children-find-okafor')));
    it('a child’s record', async () => void (await page('sw', `/children/${f.ava}`, 'child-record')));
    it('a child’s record as the chair', async () =>
      void (await page('chair', `/children/${f.ben}`, 'child-record-chair')));
    it('change a child', async () => void (await page('sw', `/children/${f.ava}/change`, 'child-change')));
    it('case note', async () => void (await page('sw', `/children/${f.ava}/case-notes/new`, 'case-note')));
    it('case note, empty (400)', async () => {
      const res = await clients['sw']!.post(`/children/${f.ava}/case-notes/new`, { text: '  ' });
      await compare(res, 'case-note-error', 400);
    });
    it('family: add', async () => void (await page('sw', `/children/${f.ben}/family/add`, 'family-add')));
    it('family: new person', async () => void (await page('sw', `/children/${f.ben}/family/new`, 'family-new')));
    it('family: link an existing person', async () =>
      void (await page('sw', `/children/${f.ben}/family/add/${f.sue}`, 'family-link')));
    it('family: change', async () =>
      void (await page('sw', `/children/${f.ava}/family/${f.grace}/change`, 'family-change')));
    it('family: remove', async () =>
      void (await page('sw', `/children/${f.ava}/family/${f.sue}/remove`, 'family-remove')));
    it('professionals: add', async () =>
      void (await page('sw', `/children/${f.ava}/professionals/add`, 'professional-add')));
    it('professionals: remove', async () =>
      void (await page('sw', `/children/${f.ava}/professionals/${f.teacher}/remove`, 'professional-remove')));
    it('a child’s core group, with no plan (002 §3.7)', async () =>
      void (await page('sw', `/children/${f.ava}/core-groups`, 'core-groups-no-plan')));
    it('a core group meeting that does not exist (404)', async () =>
      void (await page('sw', `/core-groups/${NO_ID}`, 'core-group-404', 404)));
    it('a child’s plan, with no plan (002 §3.9)', async () =>
      void (await page('sw', `/children/${f.ava}/plan-ending`, 'plan-ending-no-plan')));
    it('a child’s conferences', async () =>
      void (await page('sw', `/conferences/by-child/${f.ava}`, 'child-conferences')));
    it('family: search', async () => {
      await clients['sw']!.get(`/children/${f.ben}/family/add`);
      const res = await clients['sw']!.post(`/children/${f.ben}/family/search`, { name: 'sue' });
      await compare(res, 'family-search', 200);
    });
    it('family: new person, errors (400)', async () => {
      await clients['sw']!.get(`/children/${f.ben}/family/new`);
      const res = await clients['sw']!.post(`/children/${f.ben}/family/new`, {
        givenNames: '',
        familyName: '',
        ...dateFields('dateOfBirth', '2030-01-01'),
        email: 'not an email',
      });
      await compare(res, 'family-new-error', 400);
    });
    it('professionals: search', async () => {
      await clients['sw']!.get(`/children/${f.ben}/professionals/add`);
      const res = await clients['sw']!.post(`/children/${f.ben}/professionals/search`, { professionalName: 'tess' });
      await compare(res, 'professional-search', 200);
    });
    it('professionals: new, errors (400)', async () => {
      await clients['sw']!.get(`/children/${f.ben}/professionals/add`);
      const res = await clients['sw']!.post(`/children/${f.ben}/professionals/new`, { name: '', agencyId: NO_ID });
      await compare(res, 'professional-new-error', 400);
    });
    it('change a child: errors (400)', async () => {
      await clients['sw']!.get(`/children/${f.ava}/change`);
      const res = await clients['sw']!.post(`/children/${f.ava}/change`, {
        version: '1',
        restrictionShown: 'yes',
        givenNames: '',
        familyName: 'Okafor',
        birthStatus: 'born',
        ...dateFields('dateOfBirth', '2031-01-10'),
      });
      await compare(res, 'child-change-error', 400);
    });
    it('a child’s record as a social worker without access (403)', async () =>
      void (await page('otherSw', `/children/${f.ava}`, 'child-record-other-sw', 403)));
    it('add a child: details', async () => void (await page('sw', '/children/new', 'add-child')));
    it('add a child: errors (400)', async () => {
      const res = await clients['sw']!.post('/children/new', {
        givenNames: 'Zara',
        familyName: ' ',
        birthStatus: 'born',
        ...dateFields('dateOfBirth', '2020-06-01'),
        'dateOfBirth-month': '',
        localReference: 'bad ref!',
      });
      await compare(res, 'add-child-error', 400);
    });
    it('add a child: check answers', async () => {
      const res = await clients['sw']!.post('/children/new', {
        givenNames: 'Zara',
        familyName: 'Quinn',
        ...dateFields('dateOfBirth', '2020-06-01'),
        birthStatus: 'born',
        address: '3 Park Road\nLuton',
        localReference: 'PG-1',
        allocatedSocialWorkerId: f.sw.id,
      });
      await compare(res, 'add-child-posted', 303);
      await page('sw', '/children/new/check', 'add-child-check');
    });
    it('add a child: back to the details', async () =>
      void (await page('sw', '/children/new/details', 'add-child-details')));
    it('a wrong child (404)', async () => void (await page('sw', `/children/${NO_ID}`, 'child-404', 404)));
  });

  describe('conferences', () => {
    it('a conference', async () => void (await page('support', `/conferences/${conferenceId}`, 'conference')));
    it('a conference as the social worker', async () =>
      void (await page('sw', `/conferences/${conferenceId}`, 'conference-sw')));
    // 002 §4.1: the chair's pages.
    it('change the chair', async () =>
      void (await page('support', `/conferences/${conferenceId}/chair`, 'chair-change')));
    it('change the chair: a problem', async () => {
      await clients['support']!.get(`/conferences/${conferenceId}/chair`);
      const res = await clients['support']!.post(`/conferences/${conferenceId}/chair`, { chairUserId: f.sw.id });
      await compare(res, 'chair-change-error', 400);
    });
    it('record a cover chair', async () =>
      void (await page('support', `/conferences/${conferenceId}/chair/cover`, 'chair-cover')));
    it('the chair’s meeting with the family', async () =>
      void (await page('chair', `/conferences/${conferenceId}/chair/family-meeting`, 'chair-family-meeting')));
    it('invitations: new', async () =>
      void (await page('support', `/conferences/${conferenceId}/invitations/new`, 'invitations-new')));
    it('invitations: send', async () =>
      void (await page('support', `/conferences/${conferenceId}/invitations/send`, 'invitations-send')));
    it('invitations: interpreters', async () =>
      void (await page('support', `/conferences/${conferenceId}/invitations/interpreter`, 'invitations-interpreter')));
    it('change', async () => void (await page('support', `/conferences/${conferenceId}/change`, 'conference-change')));
    it('change: errors (400)', async () => {
      const res = await clients['support']!.post(`/conferences/${conferenceId}/change`, {
        ...dateFields('scheduledDate', '2026-03-24'),
        startTime: '2pm',
        durationMinutes: '120',
        venueKind: 'hybrid',
        hybridVenueDetails: 'Room 2, Town Hall\nLuton',
        hybridOnlineLink: 'https://teams.microsoft.com/l/meetup-join/19%3ameeting_abc%40thread.v2/0',
        reason: '',
      });
      await compare(res, 'conference-change-error', 400);
    });
    it('cancel', async () => void (await page('support', `/conferences/${conferenceId}/cancel`, 'conference-cancel')));
    it('reports shared', async () =>
      void (await page('support', `/conferences/${conferenceId}/reports/shared`, 'conference-reports-shared')));
    it('afterwards', async () =>
      void (await page('support', `/conferences/afterwards?child=${f.ava}`, 'conferences-afterwards')));
    it('change: check the change', async () => {
      await clients['support']!.get(`/conferences/${conferenceId}/change`);
      const res = await clients['support']!.post(`/conferences/${conferenceId}/change`, {
        ...dateFields('scheduledDate', '2026-03-18'),
        startTime: '2pm',
        durationMinutes: '120',
        venueKind: 'hybrid',
        hybridVenueDetails: 'Room 2, Town Hall\nLuton',
        hybridOnlineLink: 'https://teams.microsoft.com/l/meetup-join/19%3ameeting_abc%40thread.v2/0',
        reason: 'The chair is ill on the 16th',
      });
      await compare(res, 'conference-change-check', 200);
    });
    it('cancel: no reason (400), then check the cancellation', async () => {
      await clients['support']!.get(`/conferences/${conferenceId}/cancel`);
      await compare(
        await clients['support']!.post(`/conferences/${conferenceId}/cancel`, { reason: '' }),
        'conference-cancel-error',
        400,
      );
      await compare(
        await clients['support']!.post(`/conferences/${conferenceId}/cancel`, { reason: 'The family has moved away' }),
        'conference-cancel-check',
        200,
      );
    });
    it('an invitation letter', async () =>
      void (await page(
        'support',
        `/conferences/${conferenceId}/invitations/${invitees.grace}/letter`,
        'invitation-letter',
      )));
    it('an invitation email', async () =>
      void (await page(
        'support',
        `/conferences/${conferenceId}/invitations/${invitees.grace}/email`,
        'invitation-email',
      )));
    it('an invitation: record it sent', async () =>
      void (await page(
        'support',
        `/conferences/${conferenceId}/invitations/${invitees.grace}/sent`,
        'invitation-sent',
      )));
    it('an invitation: record it sent, errors (400)', async () => {
      const res = await clients['support']!.post(`/conferences/${conferenceId}/invitations/${invitees.grace}/sent`, {
        method: '',
        ...dateFields('sentOn', '2026-03-09'),
      });
      await compare(res, 'invitation-sent-error', 400);
    });
    it('an invitation: interpreter', async () =>
      void (await page(
        'support',
        `/conferences/${conferenceId}/invitations/${invitees.grace}/interpreter`,
        'invitation-interpreter',
      )));
    it('reports: new', async () =>
      void (await page('support', `/conferences/${conferenceId}/reports/new`, 'conference-report-new')));
    it('as a social worker with no access (403)', async () =>
      void (await page('otherSw', `/conferences/${conferenceId}/change`, 'conference-change-403', 403)));
    it('permission to record: the conference’s requests', async () =>
      void (await page('support', `/conferences/${conferenceId}/recording-permission`, 'recording-permission-list')));
    it('permission to record: a new request', async () =>
      void (await page(
        'support',
        `/conferences/${conferenceId}/recording-permission/new`,
        'recording-permission-new',
      )));
    it('permission to record: another meeting about a child', async () =>
      void (await page('sw', `/children/${f.ava}/recording-permission/new`, 'recording-permission-new-child')));
    it('permission to record: waiting for a decision', async () =>
      void (await page('chair', '/recording-permission', 'recording-permission-waiting')));
    it('permission to record: a link that does not work (404)', async () =>
      void (await page('anon', `/record-a-meeting/${'a'.repeat(43)}`, 'recording-permission-link-404', 404)));
    it('002 §1.1: conference requests: the team manager’s queue, empty', async () =>
      void (await page('manager', '/conference-requests', 'conference-requests-waiting-empty')));
    it('002 §1.1: conference requests: a new request for a child', async () =>
      void (await page('sw', `/children/${f.ava}/conference-requests/new`, 'conference-requests-new')));
    it('002 §1.1: conference requests: a request, the child’s list, the queue and the decision form', async () => {
      const r = await ctx.services.conferenceRequests.record(
        f.sw,
        f.ava,
        {
          requesterKind: 'on-record',
          professionalId: f.teacher,
          reasons: 'Ava has told her teacher she is afraid to go home.',
          support: 'named-professional',
          supporterName: 'Nia Named',
        },
        ctxOf(f.sw),
      );
      await page('sw', `/children/${f.ava}/conference-requests`, 'conference-requests-list');
      await page('manager', '/conference-requests', 'conference-requests-waiting');
      await page('manager', `/conference-requests/${r.id}`, 'conference-request');
      await page('manager', `/conference-requests/${r.id}/decision`, 'conference-request-decide');
    });
    it('a wrong conference (404)', async () =>
      void (await page('support', `/conferences/${NO_ID}`, 'conference-404', 404)));

    describe('convening', () => {
      it('start from a child', async () =>
        void (await page('sw', `/conferences/new?child=${f.ava}`, 'convene-start', 303)));
      it('children', async () => void (await page('sw', '/conferences/new/children', 'convene-children')));
      it('children: none ticked (400)', async () => {
        const res = await clients['sw']!.post('/conferences/new/children', {});
        await compare(res, 'convene-children-error', 400);
      });
      it('type', async () => {
        await compare(
          await clients['sw']!.post('/conferences/new/children', { childIds: [f.ava, f.ben] }),
          'convene-children-posted',
          303,
        );
        await page('sw', '/conferences/new/type', 'convene-type');
      });
      it('type: a strategy discussion in the future (400)', async () => {
        const res = await clients['sw']!.post('/conferences/new/type', {
          type: 'initial',
          ...dateFields('strategyDiscussionDate', '2026-03-05'),
        });
        await compare(res, 'convene-type-error', 400);
      });
      it('arrangements', async () => {
        await compare(
          await clients['sw']!.post('/conferences/new/type', {
            type: 'initial',
            ...dateFields('strategyDiscussionDate', '2026-02-27'),
          }),
          'convene-type-posted',
          303,
        );
        await page('sw', '/conferences/new/arrangements', 'convene-arrangements');
      });
      it('arrangements: errors (400)', async () => {
        const res = await clients['sw']!.post('/conferences/new/arrangements', {
          ...dateFields('scheduledDate', '2026-02-26'),
          startTime: '10am',
          durationMinutes: '120',
          venueKind: 'online',
          onlineLink: 'teams.microsoft.com/meet/123',
          chairUserId: f.chair.id,
          minuteTakerUserId: f.support.id,
        });
        await compare(res, 'convene-arrangements-error', 400);
      });
      it('timescale', async () => {
        await compare(
          await clients['sw']!.post('/conferences/new/arrangements', {
            ...dateFields('scheduledDate', '2026-03-30'),
            startTime: '10am',
            durationMinutes: '120',
            venueKind: 'online',
            onlineLink: 'https://teams.microsoft.com/meet/123',
            chairUserId: f.chair.id,
            minuteTakerUserId: f.support.id,
          }),
          'convene-arrangements-posted',
          303,
        );
        await page('sw', '/conferences/new/timescale', 'convene-timescale');
      });
      it('timescale: no agreement (400)', async () => {
        const res = await clients['sw']!.post('/conferences/new/timescale', { lateAgreedBy: '', lateReason: '' });
        await compare(res, 'convene-timescale-error', 400);
      });
      it('check', async () => {
        await compare(
          await clients['sw']!.post('/conferences/new/timescale', {
            lateAgreedBy: 'Jo Head, Head of Service',
            lateReason: 'The family’s interpreter is not available sooner.',
          }),
          'convene-timescale-posted',
          303,
        );
        await page('sw', '/conferences/new/check', 'convene-check');
      });
      it('add another child', async () => void (await page('sw', '/conferences/new/add-child', 'convene-add-child')));
      it('convened', async () => {
        await clients['sw']!.get('/conferences/new/check');
        const res = await clients['sw']!.post('/conferences/new/check', {});
        await compare(res, 'convene-check-posted', 303);
        await page('sw', String(res.headers.location), 'convene-convened');
      });
    });
  });

  describe('sending invitations', () => {
    it('by email', async () => {
      ctx.clock.advance(60_000); // emails sent at different minutes list in one order
      await clients['support']!.get(`/conferences/${conferenceId}/invitations/send`);
      const res = await clients['support']!.post(`/conferences/${conferenceId}/invitations/send/email`, {});
      await compare(res, 'invitations-send-email', 303);
      await page('support', String(res.headers.location), 'invitations-sent-by-email');
    });
  });

  describe('the meeting', () => {
    const base = () => `/conferences/${meeting.conferenceId}/meeting`;
    it('overview before the start', async () => void (await page('chair', base(), 'meeting-overview')));
    it('002 §3.2: taking part: the conference’s participation, and its forms', async () => {
      const p = `/conferences/${meeting.conferenceId}/participation`;
      await page('chair', p, 'participation');
      await page('sw', `${p}/children/${meeting.children.ava}`, 'participation-child');
      await page('sw', `${p}/advocates/${meeting.invitee.advocate}`, 'participation-advocate');
      await page('sw', `${p}/parents/${meeting.invitee.mother}/help`, 'participation-help');
      await page('sw', `${p}/parents/${meeting.invitee.mother}/report`, 'participation-report');
      await page('sw', `${p}/children/${NO_ID}`, 'participation-child-404', 404);
    });
    it('start', async () => void (await page('chair', `${base()}/start`, 'meeting-start')));
    it('start: errors (400)', async () => {
      const res = await clients['chair']!.post(`${base()}/start`, {
        pointsGiven: ['recorded'],
        actualStartTime: '25:00',
      });
      await compare(res, 'meeting-start-error', 400);
    });
    it('started', async () => {
      await clients['chair']!.get(`${base()}/start`);
      const res = await clients['chair']!.post(`${base()}/start`, {
        pointsGiven: [...REMINDER_POINT_IDS],
        actualStartTime: '10:03',
      });
      await compare(res, 'meeting-start-posted', 303);
      await page('chair', `${base()}?done=opened`, 'meeting-overview-started');
    });
    it('register', async () =>
      void (await page('support', `${base()}/parts/${meeting.partId}/register`, 'meeting-register')));
    it('register: a bad time (400), then attendance recorded', async () => {
      const url = `${base()}/parts/${meeting.partId}/register`;
      const i = meeting.invitee;
      const form: Record<string, string | string[]> = {
        inviteeIds: [i.mother, i.socialWorker, i.police, i.school, i.gp, i.ava],
      };
      for (const id of [i.mother, i.socialWorker, i.police, i.school, i.ava]) form[`status-${id}`] = 'attended';
      form[`status-${i.gp}`] = 'apologies';
      for (const id of [i.socialWorker, i.police, i.school]) form[`directContact-${id}`] = 'yes';
      form[`joinedAt-${i.police}`] = 'ten past';
      await compare(await clients['support']!.post(url, form), 'meeting-register-error', 400);
      form[`joinedAt-${i.police}`] = '10.20am';
      form[`interpreter-${i.mother}`] = 'yes';
      await compare(await clients['support']!.post(url, form), 'meeting-register-posted', 303);
      await page('support', url, 'meeting-register-recorded');
    });
    it('arrivals', async () => void (await page('support', `${base()}/arrivals`, 'meeting-arrivals')));
    it('exclusion', async () =>
      void (await page(
        'chair',
        `${base()}/parts/${meeting.partId}/exclusions/${meeting.invitee.father}`,
        'meeting-exclusion',
      )));
    it('parts', async () => void (await page('chair', `${base()}/parts`, 'meeting-parts')));
    it('a part', async () => void (await page('chair', `${base()}/parts/${meeting.partId}`, 'meeting-part')));
    it('quoracy', async () => void (await page('chair', `${base()}/quoracy`, 'meeting-quoracy')));
    it('views', async () =>
      void (await page('chair', `${base()}/children/${meeting.children.ava}/views`, 'meeting-views')));
    it('decision', async () =>
      void (await page('chair', `${base()}/children/${meeting.children.ava}/decision`, 'meeting-decision')));
    it('decision: errors (400), then recorded with two agencies dissenting', async () => {
      const url = `${base()}/children/${meeting.children.ava}/decision`;
      await clients['chair']!.get(url);
      const form = {
        outcome: 'plan-needed',
        category: 'neglect',
        reasons: 'Neglect of basic care',
        [`view-${meeting.agencies.csc}`]: 'agrees',
        [`view-${meeting.agencies.police}`]: 'dissents',
        [`view-${meeting.agencies.school}`]: 'dissents',
        [`note-${meeting.agencies.school}`]: 'Attendance has improved',
        referredTo: '',
        'referredOn-day': '',
        'referredOn-month': '',
        'referredOn-year': '',
      };
      await compare(await clients['chair']!.post(url, form), 'meeting-decision-error', 400);
      const ok = await clients['chair']!.post(url, {
        ...form,
        referredTo: 'Head of Quality Assurance',
        ...dateFields('referredOn', '2026-03-02'),
      });
      await compare(ok, 'meeting-decision-posted', 303);
      await page('chair', base(), 'meeting-overview-decided');
    });
    it('referral', async () =>
      void (await page('chair', `${base()}/children/${meeting.children.ava}/referral`, 'meeting-referral')));
    it('plan', async () =>
      void (await page('chair', `${base()}/children/${meeting.children.ava}/plan`, 'meeting-plan')));
    it('summary', async () => void (await page('chair', `${base()}/summary`, 'meeting-summary')));
    it('conclude', async () => void (await page('chair', `${base()}/conclude`, 'meeting-conclude')));
    it('views: errors (400)', async () => {
      const url = `${base()}/children/${meeting.children.ava}/views`;
      await clients['chair']!.get(url);
      await compare(await clients['chair']!.post(url, {}), 'meeting-views-error', 400);
    });
    it('plan: errors (400)', async () => {
      const url = `${base()}/children/${meeting.children.ava}/plan`;
      await clients['chair']!.get(url);
      await compare(
        await clients['chair']!.post(url, { rows: '3', ...dateFields('nextReviewDate', '2026-09-01') }),
        'meeting-plan-error',
        400,
      );
    });
    it('parts: errors (400)', async () => {
      await clients['chair']!.get(`${base()}/parts`);
      await compare(
        await clients['chair']!.post(`${base()}/parts`, { label: '', startsAt: 'later', durationMinutes: '0' }),
        'meeting-parts-error',
        400,
      );
    });
    it('quoracy: adjourn without a date (400)', async () => {
      await clients['chair']!.get(`${base()}/quoracy`);
      await compare(
        await clients['chair']!.post(`${base()}/quoracy/adjourn`, {}),
        'meeting-quoracy-adjourn-error',
        400,
      );
    });
    it('summary: errors (400)', async () => {
      await clients['chair']!.get(`${base()}/summary`);
      await compare(await clients['chair']!.post(`${base()}/summary`, {}), 'meeting-summary-error', 400);
    });
    it('conclude: errors (400)', async () => {
      await clients['chair']!.get(`${base()}/conclude`);
      await compare(await clients['chair']!.post(`${base()}/conclude`, {}), 'meeting-conclude-error', 400);
    });
    it('history', async () => void (await page('chair', `${base()}/history`, 'meeting-history')));
    it('as a social worker without the chair’s role (403)', async () =>
      void (await page('otherSw', `${base()}/start`, 'meeting-start-403', 403)));
  });

  describe('recordings', () => {
    it('a conference’s recordings', async () =>
      void (await page('chair', `/conferences/${held.conferenceId}/recordings`, 'recordings-list')));
    it('upload: describe', async () =>
      void (await page('support', `/conferences/${held.conferenceId}/recordings/upload`, 'recordings-upload')));
    it('live: start', async () =>
      void (await page('chair', `/conferences/${meeting.conferenceId}/recordings/live`, 'recordings-live-start')));
    it('live: no kind chosen (400), then recording in this browser', async () => {
      const start = `/conferences/${meeting.conferenceId}/recordings/live`;
      await clients['chair']!.get(start);
      await compare(await clients['chair']!.post(start, { kind: '' }), 'recordings-live-start-error', 400);
      const res = await clients['chair']!.post(start, { kind: 'meeting' });
      await compare(res, 'recordings-live-started', 303);
      await page('chair', String(res.headers.location), 'recordings-live-recorder');
    });
    it('a recording', async () => void (await page('chair', `/recordings/${recordingId}`, 'recording')));
    it('statement', async () =>
      void (await page('chair', `/recordings/${recordingId}/statement`, 'recording-statement')));
    it('bookmark', async () =>
      void (await page('chair', `/recordings/${recordingId}/bookmarks/new`, 'recording-bookmark')));
    it('label', async () => void (await page('chair', `/recordings/${recordingId}/label`, 'recording-label')));
    it('withheld', async () =>
      void (await page('chair', `/recordings/${recordingId}/withheld/new`, 'recording-withheld')));
    it('listen', async () => void (await page('chair', `/recordings/${recordingId}/listen`, 'recording-listen')));
    it('evidence', async () => void (await page('chair', `/recordings/${recordingId}/evidence`, 'recording-evidence')));
    it('statement: errors (400)', async () => {
      await clients['chair']!.get(`/recordings/${recordingId}/statement`);
      const res = await clients['chair']!.post(`/recordings/${recordingId}/statement`, {
        location: '',
        ...dateFields('recordedOn', '2026-03-02'),
        'recordedOn-year': '',
        startedAt: '10:00',
        endedAt: '09:00',
      });
      await compare(res, 'recording-statement-error', 400);
    });
    it('bookmark: errors (400)', async () => {
      await clients['chair']!.get(`/recordings/${recordingId}/bookmarks/new`);
      const res = await clients['chair']!.post(`/recordings/${recordingId}/bookmarks`, { at: 'soon', label: '' });
      await compare(res, 'recording-bookmark-error', 400);
    });
    it('withheld: errors (400)', async () => {
      await clients['chair']!.get(`/recordings/${recordingId}/withheld/new`);
      const res = await clients['chair']!.post(`/recordings/${recordingId}/withheld`, {
        start: '0:30',
        end: '0:20',
        explanation: '',
      });
      await compare(res, 'recording-withheld-error', 400);
    });
    it('listen: no reason (400)', async () => {
      await clients['sw']!.get(`/recordings/${recordingId}/listen`);
      const res = await clients['sw']!.post(`/recordings/${recordingId}/listen`, { reason: '  ' });
      await compare(res, 'recording-listen-error', 400);
    });
    it('listen as the social worker', async () =>
      void (await page('sw', `/recordings/${recordingId}/listen`, 'recording-listen-sw')));
    it('upload: errors (400)', async () => {
      const list = `/conferences/${held.conferenceId}/recordings`;
      await clients['support']!.get(`${list}/upload`);
      const res = await clients['support']!.post(`${list}/upload`, { clientSha256: 'not a hash' });
      await compare(res, 'recordings-upload-error', 400);
    });
    it('upload: send the file', async () => {
      const list = `/conferences/${held.conferenceId}/recordings`;
      await clients['support']!.get(`${list}/upload`);
      const res = await clients['support']!.post(`${list}/upload`, { kind: 'meeting', source: 'teams' });
      await compare(res, 'recordings-upload-posted', 303);
      await page('support', String(res.headers.location), 'recordings-upload-send');
    });
    it('a recording as a social worker without access (403)', async () =>
      void (await page('otherSw', `/recordings/${recordingId}`, 'recording-403', 403)));
    it('a conference’s recordings as the social worker', async () =>
      void (await page('sw', `/conferences/${held.conferenceId}/recordings`, 'recordings-list-sw')));
    it('a wrong recording (404)', async () => void (await page('chair', `/recordings/${NO_ID}`, 'recording-404', 404)));
  });

  describe('requests', () => {
    const newBase = () => `/conferences/${held.conferenceId}/requests/new`;
    it('queue', async () => void (await page('support', '/requests', 'requests-queue')));
    it('find a conference for a new request', async () =>
      void (await page('support', '/requests/new', 'requests-new')));
    it('find: empty (400)', async () => {
      const res = await clients['support']!.post('/requests/new', { name: '', reference: '' });
      await compare(res, 'requests-new-error', 400);
    });
    it('find: by name', async () => {
      await clients['support']!.get('/requests/new');
      const res = await clients['support']!.post('/requests/new', { name: 'Brown', reference: '' });
      await compare(res, 'requests-new-found', res.statusCode);
    });
    it('a conference’s requests', async () =>
      void (await page('support', `/conferences/${held.conferenceId}/requests`, 'conference-requests')));
    it('a conference’s requests as the social worker', async () =>
      void (await page('sw', `/conferences/${held.conferenceId}/requests`, 'conference-requests-sw')));
    it('receive: type', async () => void (await page('support', newBase(), 'receive-type')));
    it('receive: no type (400)', async () => {
      const res = await clients['support']!.post(newBase(), { stage: 'type' });
      await compare(res, 'receive-type-error', 400);
    });
    it('receive: details', async () => {
      await clients['support']!.get(newBase());
      const res = await clients['support']!.post(newBase(), { stage: 'type', type: 'pr-holder' });
      await compare(res, 'receive-details', 200);
    });
    it('receive: details, errors (400)', async () => {
      const res = await clients['support']!.post(newBase(), {
        stage: 'details',
        type: 'pr-holder',
        ...dateFields('receivedOn', '2026-03-09'),
      });
      await compare(res, 'receive-details-error', 400);
    });
    it('receive: check', async () => {
      const res = await clients['support']!.post(newBase(), {
        stage: 'details',
        type: 'pr-holder',
        personId: held.people.mother,
        ...dateFields('receivedOn', '2026-03-02'),
      });
      await compare(res, 'receive-check', 200);
    });
    it('a request, received', async () => {
      const res = await clients['support']!.post(newBase(), {
        stage: 'confirm',
        type: 'pr-holder',
        personId: held.people.mother,
        ...dateFields('receivedOn', '2026-03-02'),
      });
      await compare(res, 'receive-confirmed', 303);
      requestId = UUID.exec(String(res.headers.location))?.[0] ?? NO_ID;
      UUID.lastIndex = 0;
      await page('support', `/requests/${requestId}`, 'request');
    });
    it('a request as the chair', async () => void (await page('chair', `/requests/${requestId}`, 'request-chair')));
    // advice from the information management team.
    it('advice on a request', async () =>
      void (await page('chair', `/requests/${requestId}/advice`, 'request-advice')));
    it('referral form', async () => void (await page('chair', `/requests/${requestId}/referral`, 'request-referral')));
    it('referral: errors (400), check, sent', async () => {
      const ref = `/requests/${requestId}/referral`;
      await clients['chair']!.get(ref);
      const base = {
        childIds: [held.children.ava, held.children.ben],
        withheldSegmentIds: [segmentId],
        recordingIds: [recordingId],
        withheldRows: '1',
        'withheldAdded-0-recordingId': recordingId,
      };
      const bad = await clients['chair']!.post(ref, {
        ...base,
        action: 'check',
        email: 'not an email',
        'withheldAdded-0-start': '10:00',
        'withheldAdded-0-end': '9:00',
        'withheldAdded-0-reason': 'third-party',
        'withheldAdded-0-explanation': 'Neighbour',
      });
      await compare(bad, 'request-referral-error', 400);
      const good = {
        ...base,
        email: 'grace.private@example.org',
        emailVerified: 'yes',
        'withheldAdded-0-start': '10:00',
        'withheldAdded-0-end': '11:30',
        'withheldAdded-0-reason': 'third-party',
        'withheldAdded-0-explanation': 'A neighbour’s account',
      };
      await compare(await clients['chair']!.post(ref, { ...good, action: 'add-row' }), 'request-referral-row', 200);
      await compare(await clients['chair']!.post(ref, { ...good, action: 'check' }), 'request-referral-check', 200);
      ctx.clock.advance(60_000); // emails sent at different minutes list in one order
      const sent = await clients['chair']!.post(ref, { ...good, action: 'submit' });
      await compare(sent, 'request-referral-sent', 303);
      await page('chair', String(sent.headers.location), 'request-referred-chair');
    });
    it('steps: queries resolved, a recording check with errors (400), verification asked for', async () => {
      const url = `/requests/${requestId}`;
      const step = async (name: string, form: Record<string, string> = {}) => {
        await clients['support']!.get(url);
        const version = /name="version" value="(\d+)"/.exec(clients['support']!.lastHtml)?.[1] ?? '0';
        return clients['support']!.post(`${url}/steps/${name}`, { version, ...form });
      };
      await page('support', url, 'request-referred');
      await compare(await step('resolve-queries'), 'request-step-resolve-queries', 303);
      await compare(
        await step('check-recording', { partsListened: '', confirmedRightRecording: 'yes' }),
        'request-step-check-recording-error',
        400,
      );
      await compare(
        await step('check-recording', { partsListened: '0:00 to 2:00', confirmedRightRecording: 'yes' }),
        'request-step-check-recording',
        303,
      );
      ctx.clock.advance(60_000); // emails sent at different minutes list in one order
      await compare(await step('request-verification'), 'request-step-request-verification', 303);
      await compare(
        await clients['support']!.post(`${url}/steps/withdraw`, { version: '1', reason: 'She no longer wants it' }),
        'request-step-stale',
        400,
      );
      await page('support', url, 'request-verification-requested');
      await compare(
        await step('record-verification', {
          emailConfirmedSecure: 'yes',
          childRows: '2',
          'children-0-fullName': 'Ava Brown',
          ...dateFields('children-0-dateOfBirth', '2013-05-10'),
          'children-1-fullName': 'Ben Brown',
          ...dateFields('children-1-dateOfBirth', '2019-08-01'),
          'children-1-dateOfBirth-year': '',
        }),
        'request-step-record-verification-error',
        400,
      );
    });
    it('a request as another social worker (403)', async () =>
      void (await page('otherSw', `/requests/${requestId}`, 'request-403', 403)));
    it('a wrong request (404)', async () => void (await page('support', `/requests/${NO_ID}`, 'request-404', 404)));
    it('new request as a social worker (403)', async () =>
      void (await page('sw', '/requests/new', 'requests-new-403', 403)));
  });

  describe('administration', () => {
    it('users', async () => void (await page('admin', '/admin/users', 'admin-users')));
    it('new user', async () => void (await page('admin', '/admin/users/new', 'admin-user-new')));
    it('a user', async () => void (await page('admin', `/admin/users/${f.chair.id}`, 'admin-user')));
    it('templates', async () => void (await page('admin', '/admin/templates', 'admin-templates')));
    it('outbox', async () => void (await page('admin', '/admin/outbox', 'admin-outbox', 200, { unorderedRows: true })));
    it('users as a social worker (403)', async () => void (await page('sw', '/admin/users', 'admin-users-403', 403)));
    it('a template', async () => void (await page('admin', '/admin/templates/copy-ready', 'admin-template')));
    it('letter wording', async () => void (await page('admin', '/admin/letters', 'admin-letters')));
    it('council settings', async () => void (await page('admin', '/admin/settings', 'admin-settings')));
    it('a letter’s wording', async () =>
      void (await page('admin', '/admin/letters/letter-complaints', 'admin-letter')));
    it('new user: errors (400)', async () => {
      await clients['admin']!.get('/admin/users/new');
      const res = await clients['admin']!.post('/admin/users/new', { name: '', email: 'not an email' });
      await compare(res, 'admin-user-new-error', 400);
    });
    it('an outbox message', async () => {
      const list = await clients['admin']!.get('/admin/outbox');
      const href = /href="(\/admin\/outbox\/[0-9a-f-]{36})"/.exec(list.body)?.[1] ?? `/admin/outbox/${NO_ID}`;
      await page('admin', href, 'admin-outbox-message');
    });
    it('a setup link that does not work', async () =>
      void (await page('anon', '/setup/not-a-real-token', 'setup-bad-token', 410)));
    it('a password link that does not work', async () =>
      void (await page('anon', '/set-password/not-a-real-token', 'set-password-bad-token', 410)));
    it('a copy link that does not work', async () =>
      void (await page('anon', '/copy/not-a-real-token', 'copy-bad-token', 404)));
    it('a page when not signed in', async () => void (await page('anon', '/dashboard', 'dashboard-anon', 303)));
    it('account', async () => void (await page('sw', '/account', 'account')));
    it('kept answers', async () => void (await page('sw', '/kept-answers', 'kept-answers', 303)));
    it('audit, last: every entry the pages above made', async () => void (await page('auditor', '/audit', 'audit')));
  });
});
