import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { siblingGroupConference } from '../../../../test/support/conferences.ts';
import { staff } from '../../../../test/support/people.ts';
import { testDatabases } from '../../../../test/support/services.ts';
import { heldConferenceForRecord } from '../../../../test/support/written-record.ts';
import { WebClient, signedInClient } from '../../../../test/support/web.ts';
import { type OutboxTestContext, outboxTestContext } from '../outbox/test-support.ts';

const REASON = 'During its pilot the council does not give copies of conference recordings to families.';

describe.each(testDatabases())('council settings pages on %s', (kind) => {
  let t: OutboxTestContext;
  let admin: WebClient;
  let chair: WebClient;

  beforeAll(async () => {
    t = await outboxTestContext(kind);
    admin = (await signedInClient(t.ctx, t.app, { email: 'ada@council.gov.uk', name: 'Ada Admin', roles: ['admin'] }))
      .client;
    chair = (
      await signedInClient(t.ctx, t.app, {
        email: 'chris@council.gov.uk',
        name: 'Chris Chair',
        roles: ['chair', 'business_support', 'qa_manager', 'auditor'],
      })
    ).client;
  });
  afterAll(async () => {
    await t?.dispose();
  });

  const audit = async (action: string) =>
    (
      await t.ctx.services.database.execute(
        `select actor_label, subject_id, outcome, details from audit_events where action = $1 order by seq`,
        [action],
      )
    ).rows as Array<{ actor_label: string; subject_id: string; outcome: string; details: Record<string, unknown> }>;
  const current = () =>
    t.ctx.services.councilSettings.settings(
      { id: '00000000-0000-4000-8000-000000000000', name: 'Test', roles: ['admin'] },
      { actor: { id: null, label: 'test' } },
    );

  it('003: only administrators may open the page or change a setting', async () => {
    expect((await chair.get('/admin/settings')).statusCode).toBe(403);
    const anonymous = await new WebClient(t.app).get('/admin/settings');
    expect(anonymous.statusCode).toBe(303);
    expect(anonymous.headers.location).toMatch(/^\/sign-in\?returnTo=/);
    await chair.get('/account');
    const post = await chair.post('/admin/settings/recording-copies', {
      familyCopies: 'no',
      reason: 'x',
      version: '0',
    });
    expect(post.statusCode).toBe(403);
    expect((await current()).recordingCopies.version).toBe(0);
  });

  it('003: administration’s navigation links to the settings, marked as the current page there', async () => {
    const res = await admin.get('/admin/settings');
    expect(res.statusCode).toBe(200);
    const nav = /<nav[^>]*aria-label="Administration">([\s\S]*?)<\/nav>/.exec(res.body)?.[1] ?? '';
    expect(nav).toMatch(/href="\/admin\/settings" aria-current="page">Council settings</);
    expect(nav.match(/aria-current="page"/g)).toHaveLength(1);
    expect((await admin.get('/admin/letters')).body).toContain('href="/admin/settings"');
  });

  it('003: shows each setting at its default, today’s behaviour, changed by nobody', async () => {
    const res = await admin.get('/admin/settings');
    expect(res.body).toContain('<h1 class="govuk-heading-l">Council settings</h1>');
    expect(res.body).toMatch(/The full record \(the default\)/);
    expect(res.body).toMatch(/The family may be given copies \(the default\)/);
    expect(res.body).toMatch(/name="distribution" type="radio" value="full-record" checked/);
    expect(res.body).toMatch(/name="familyCopies" type="radio" value="yes" checked/);
  });

  it('003: a change needs its CSRF token; without the council’s reason it is shown again with the problem (400)', async () => {
    await admin.get('/admin/settings');
    const noToken = await admin.post(
      '/admin/settings/recording-copies',
      { familyCopies: 'no', reason: REASON, version: '0' },
      { csrf: false },
    );
    expect(noToken.statusCode).toBe(403);
    const missing = await admin.post('/admin/settings/recording-copies', {
      familyCopies: 'no',
      reason: ' ',
      version: '0',
    });
    expect(missing.statusCode).toBe(400);
    expect(missing.body).toContain('There is a problem');
    expect(missing.body).toContain('href="#reason"');
    expect(missing.body).toMatch(/name="familyCopies" type="radio" value="no" checked/);
    expect((await current()).recordingCopies.version).toBe(0);
    expect(await audit('council-settings.changed')).toEqual([]);
  });

  it('003: saves a setting, audits it with the value before and after, and refuses a stale form (409)', async () => {
    await admin.get('/admin/settings');
    const saved = await admin.post('/admin/settings/recording-copies', {
      familyCopies: 'no',
      reason: REASON,
      version: '0',
    });
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe('/admin/settings?done=recording-copies');
    const page = await admin.get(saved.headers.location!);
    expect(page.body).toContain('Copies of recordings for the family: your change has been saved.');
    expect(page.body).toContain(`The family is not given copies: ${REASON}`);
    expect(page.body).toContain('by Ada Admin');
    expect((await current()).recordingCopies).toMatchObject({
      value: { familyCopies: false, reason: REASON },
      version: 1,
    });
    expect(await audit('council-settings.changed')).toEqual([
      {
        actor_label: 'Ada Admin',
        subject_id: 'recording-copies',
        outcome: 'success',
        details: {
          from: 'The family may be given copies',
          to: `The family is not given copies: ${REASON}`,
          version: 1,
        },
      },
    ]);

    // A form opened before that change (version 0) does not overwrite it.
    const stale = await admin.post(
      '/admin/settings/recording-copies',
      { familyCopies: 'yes', reason: '', version: '0' },
      { fromPage: '/admin/settings' },
    );
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('Someone else changed this setting');
    expect((await current()).recordingCopies.version).toBe(1);

    const distribution = await admin.post(
      '/admin/settings/document-distribution',
      { distribution: 'decisions-only', version: '0' },
      { fromPage: '/admin/settings' },
    );
    expect(distribution.statusCode).toBe(303);
    expect((await current()).documentDistribution.value).toEqual({ distribution: 'decisions-only' });
    expect((await admin.get('/admin/settings/nothing-such')).statusCode).toBe(404);
  });

  it('A-1, 003: the new request form says the family is not given copies; a parent’s request is shown as refused with the council’s reason', async () => {
    // The family is not given copies (saved by the test above).
    const chairActor = await staff(t.ctx, 'Cal Chair', ['chair']);
    const sw = await staff(t.ctx, 'Sam Worker', ['social_worker']);
    const g = await siblingGroupConference(t.ctx, { socialWorker: sw, chair: chairActor, status: 'held' });
    t.ctx.clock.current = new Date('2026-05-11T09:00:00Z');
    const records = (
      await signedInClient(t.ctx, t.app, {
        email: 'ari@council.gov.uk',
        name: 'Ari Records',
        roles: ['access_to_records'],
      })
    ).client;
    const base = `/conferences/${g.conferenceId}/requests/new`;
    const typePage = await records.get(base);
    expect(typePage.statusCode).toBe(200);
    expect(typePage.body).toContain(`refused with the council’s reason: ${REASON}`);
    const received = { 'receivedOn-day': '11', 'receivedOn-month': '5', 'receivedOn-year': '2026' };
    const parent = await records.post(base, {
      type: 'pr-holder',
      personId: g.people.mother,
      ...received,
      stage: 'details',
    });
    expect(parent.statusCode).toBe(200);
    expect(parent.body).toContain(`This request will be recorded and refused: ${REASON}`);
    const court = await records.post(base, {
      type: 'court',
      contactName: 'Clerk Kim',
      courtName: 'Family Court at Leeds',
      courtReference: 'LS26C00123',
      ...received,
      stage: 'details',
    });
    expect(court.statusCode).toBe(200);
    expect(court.body).not.toContain('will be recorded and refused');
    expect(court.body).toContain('Record the request');
  });

  it('W-4, 003: the draft of a conference record says the council keeps it on the children’s file alone; a decision letter’s does not', async () => {
    const actor = (name: string, roles: Parameters<typeof staff>[2]) => staff(t.ctx, name, roles);
    const [sw, chairActor, support] = await Promise.all([
      actor('Sam Worker', ['social_worker']),
      actor('Cal Chair', ['chair']),
      actor('Bo Support', ['business_support']),
    ]);
    const g = await heldConferenceForRecord(t.ctx, { socialWorker: sw, chair: chairActor, support });
    const ctxOf = { actor: { id: support.id, label: support.name } };
    const start = (kindOf: 'conference-record' | 'decision-letter') =>
      t.ctx.services.documents.startDraft(support, g.conferenceId, { kind: kindOf, subjectInviteeId: null }, ctxOf);
    const [record, letter] = [await start('conference-record'), await start('decision-letter')];
    const writer = (
      await signedInClient(t.ctx, t.app, {
        email: 'bo@council.gov.uk',
        name: 'Bo Support',
        roles: ['business_support'],
      })
    ).client;
    // Changed through the service: the page's own journey is tested above.
    const adminActor = await staff(t.ctx, 'Ada Admin', ['admin']);
    const choose = async (distribution: string) =>
      t.ctx.services.councilSettings.changeSetting(
        adminActor,
        'document-distribution',
        { value: { distribution }, version: (await current()).documentDistribution.version },
        { actor: { id: adminActor.id, label: adminActor.name } },
      );
    const said = 'This record is kept on the children’s file and issued only as the file copy';
    await choose('decisions-only');
    expect((await writer.get(`/conferences/${g.conferenceId}/documents/${record.id}`)).body).toContain(said);
    expect((await writer.get(`/conferences/${g.conferenceId}/documents/${letter.id}`)).body).not.toContain(said);
    await choose('full-record');
    expect((await writer.get(`/conferences/${g.conferenceId}/documents/${record.id}`)).body).not.toContain(said);
  });
});
