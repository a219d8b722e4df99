import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPdf } from '../../../../test/support/pdf.ts';
import { auditRows } from '../../../../test/support/people.ts';
import { WebClient, signedInClient } from '../../../../test/support/web.ts';
import { DISPOSAL_JOB } from '../../../app/retention/retention-service.ts';
import { type RetentionFixture, retentionFixture, stored } from '../../../app/retention/test-support.ts';
import { type OutboxTestContext, outboxTestContext } from '../outbox/test-support.ts';

describe('retention and disposal pages (R-4)', () => {
  let t: OutboxTestContext;
  let ig: WebClient;
  let qa: WebClient;
  let sw: WebClient;
  let igId: string;
  let f: RetentionFixture;

  beforeAll(async () => {
    t = await outboxTestContext('pglite');
    f = await retentionFixture(t.ctx, t.ctx.services.blobs);
    // Every record has reached its date (Ben is 25 in 2044); people sign in on that day.
    t.ctx.clock.current = new Date('2045-01-02T10:00:00Z');
    // Destruction runs as in production: a pg-boss job.
    await t.ctx.services.queue.start(
      [],
      t.ctx.services.workers.filter((w) => w.name === DISPOSAL_JOB),
    );
    const igUser = await signedInClient(t.ctx, t.app, {
      email: 'ina@council.gov.uk',
      name: 'Ina Governance',
      roles: ['access_to_records'],
    });
    ig = igUser.client;
    igId = igUser.userId;
    qa = (
      await signedInClient(t.ctx, t.app, {
        email: 'quinn@council.gov.uk',
        name: 'Quinn Quality',
        roles: ['qa_manager'],
      })
    ).client;
    sw = (
      await signedInClient(t.ctx, t.app, { email: 'sam@council.gov.uk', name: 'Sam Social', roles: ['social_worker'] })
    ).client;
  });
  afterAll(async () => {
    await t?.dispose();
  });

  const proposalState = async (id: string) =>
    (
      (await t.ctx.services.database.execute(`select state from disposal_proposals where id = $1`, [id])).rows[0] as {
        state: string;
      }
    ).state;

  /** Waits for the job to finish the proposal (a state, not a time). */
  async function destroyed(id: string): Promise<void> {
    for (let i = 0; i < 600; i++) {
      if ((await proposalState(id)) === 'destroyed') return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('the disposal job did not finish');
  }

  it('R-4: a social worker is refused every retention page and form, and each refusal is audited', async () => {
    for (const url of [
      '/admin/retention',
      '/admin/retention/holds',
      '/admin/retention/proposals',
      '/admin/retention/schedules',
    ])
      expect((await sw.get(url)).statusCode).toBe(403);
    await sw.get('/account');
    expect((await sw.post('/admin/retention/proposals', { items: `copy-sent:${f.copyId}` })).statusCode).toBe(403);
    const denied = (await auditRows(t.ctx, 'route.access')).filter((e) => e.outcome === 'denied');
    expect(denied.map((e) => (e.details as { route: string }).route)).toEqual(
      expect.arrayContaining(['GET /admin/retention', 'POST /admin/retention/proposals']),
    );
    const anonymous = await new WebClient(t.app).get('/admin/retention');
    expect(anonymous.statusCode).toBe(303);
  });

  it('R-4: the review lists what has reached its date, filtered by kind, without names; a proposal needs its CSRF token and a record', async () => {
    const all = await ig.get('/admin/retention');
    expect(all.statusCode).toBe(200);
    expect(all.body).toContain('<h1 class="govuk-heading-l">Records due for destruction</h1>');
    expect(all.body).toContain(`value="copy-sent:${f.copyId}"`);
    expect(all.body).toContain('Copies of it are still kept');
    expect(all.body).not.toContain('Okafor');
    const copies = await ig.get('/admin/retention?kind=copy-sent');
    expect(copies.body).toContain(f.copyId);
    expect(copies.body).not.toContain(`recording:${f.recordingId}`);

    const noToken = await ig.post('/admin/retention/proposals', { items: `copy-sent:${f.copyId}` }, { csrf: false });
    expect(noToken.statusCode).toBe(403);
    const none = await ig.post('/admin/retention/proposals', { note: 'Due', kind: '', page: '1' });
    expect(none.statusCode).toBe(400);
    expect(none.body).toContain('<title>Error: Records due for destruction');
    expect(none.body).toContain('href="#items"');
    expect(none.body).toContain('Select at least one record to propose for destruction');
  });

  it('R-4: a conference record waits for its recordings and a request for its copies: listed with the reason, nothing to tick, and either may be held', async () => {
    const conference = await ig.get('/admin/retention?kind=conference-record');
    expect(conference.statusCode).toBe(200);
    expect(conference.body).toContain('Its recordings are still kept: destroy them first');
    expect(conference.body).not.toContain(`value="conference-record:${f.conferenceId}"`);
    expect(conference.body).toContain(`/admin/retention/holds/new?kind=conference-record&amp;id=${f.conferenceId}`);
    expect(conference.body).not.toContain('Okafor');
    const requests = await ig.get('/admin/retention?kind=copy-request');
    expect(requests.body).toContain('Copies sent for it are still kept: destroy them first');
    expect(requests.body).not.toContain(`value="copy-request:${f.requestId}"`);
    expect(requests.body).not.toContain('Grace');
    const form = await ig.get(`/admin/retention/holds/new?kind=copy-request&id=${f.requestId}`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('Request for a copy');
  });

  it('R-4: one person proposes, the same person cannot approve, a second person approves and the job destroys the copy; the certificate shows the SHA-256s', async () => {
    const proposed = await ig.post('/admin/retention/proposals', { items: `copy-sent:${f.copyId}`, note: '' });
    expect(proposed.statusCode).toBe(303);
    const page = await ig.get(proposed.headers.location!);
    expect(page.body).toContain('A second person must now approve it');
    expect(page.body).toContain('You proposed this destruction, so someone else must approve it');
    expect(page.body).not.toContain('Approve the destruction');
    const id = /proposals\/([0-9a-f-]{36})/.exec(proposed.headers.location!)![1]!;

    const own = await ig.post(`/admin/retention/proposals/${id}/approve`, { version: '1' });
    expect(own.statusCode).toBe(400);
    expect(own.body).toContain('someone else must approve it');
    expect(await proposalState(id)).toBe('proposed');
    expect((await auditRows(t.ctx, 'retention.approved')).at(-1)).toMatchObject({
      outcome: 'denied',
      actorUserId: igId,
    });

    const approved = await qa.post(
      `/admin/retention/proposals/${id}/approve`,
      { version: '1' },
      { fromPage: `/admin/retention/proposals/${id}` },
    );
    expect(approved.statusCode).toBe(303);
    await destroyed(id);
    expect(await stored(t.ctx.services.blobs, f.copyFile.key)).toBe(false);

    const list = await qa.get('/admin/retention/proposals');
    expect(list.body).toContain(`/admin/retention/proposals/${id}/certificate`);
    const cert = await qa.get(`/admin/retention/proposals/${id}/certificate`);
    expect(cert.statusCode).toBe(200);
    expect(cert.body).toContain(f.copyFile.sha256);
    expect(cert.body).toContain('Ina Governance');
    expect(cert.body).toContain('Quinn Quality');
    const pdf = await qa.get(`/admin/retention/proposals/${id}/certificate.pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const file = await openPdf(pdf.rawPayload);
    try {
      expect((await file.info())['Tagged']).toBe('yes');
      expect((await file.pagesText()).join(' ').replace(/\s+/g, ' ')).toContain(f.copyFile.sha256);
    } finally {
      await file.dispose();
    }
    expect((await auditRows(t.ctx, 'retention.certificate-viewed')).length).toBe(2);
  });

  it('R-4: a legal hold needs a reason (400, kept as typed), then keeps the record out of proposals until removed', async () => {
    await ig.get(`/admin/retention/holds/new?kind=recording&id=${f.recordingId}`);
    const empty = await ig.post('/admin/retention/holds', { kind: 'recording', itemId: f.recordingId, reason: '  ' });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('<title>Error: Place a legal hold');
    expect(empty.body).toContain('href="#reason"');
    const placed = await ig.post('/admin/retention/holds', {
      kind: 'recording',
      itemId: f.recordingId,
      reason: 'Care proceedings CP-2044-12',
    });
    expect(placed.statusCode).toBe(303);
    const holds = await ig.get(placed.headers.location!);
    expect(holds.body).toContain('Care proceedings CP-2044-12');
    const review = await ig.get('/admin/retention?kind=recording');
    expect(review.body).toContain('On legal hold');
    expect(review.body).not.toContain(`value="recording:${f.recordingId}"`);
    const holdId = /holds\/([0-9a-f-]{36})\/remove/.exec(holds.body)![1]!;
    await qa.get(`/admin/retention/holds/${holdId}/remove`);
    expect((await qa.post(`/admin/retention/holds/${holdId}/remove`, { reason: '' })).statusCode).toBe(400);
    expect((await qa.post(`/admin/retention/holds/${holdId}/remove`, { reason: 'Proceedings ended' })).statusCode).toBe(
      303,
    );
    expect((await ig.get('/admin/retention?kind=recording')).body).toContain(`value="recording:${f.recordingId}"`);
  });

  it('R-4: information governance reads the schedules; the QA service manager changes one (400 on a bad number, then saved)', async () => {
    const read = await ig.get('/admin/retention/schedules');
    expect(read.statusCode).toBe(200);
    expect(read.body).toContain(
      'Until the youngest child is 25, and at least 6 years after the conference (the default)',
    );
    expect(read.body).not.toContain('action="/admin/retention/schedules/recording"');
    expect(
      (await ig.post('/admin/retention/schedules/recording', { trigger: 'child-birth', years: '30', version: '0' }))
        .statusCode,
    ).toBe(403);
    await qa.get('/admin/retention/schedules');
    const bad = await qa.post('/admin/retention/schedules/recording', {
      trigger: 'child-birth',
      years: 'lots',
      minimumYearsAfterConference: '6',
      version: '0',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('href="#recording-years"');
    expect(bad.body).toContain('value="lots"');
    const saved = await qa.post('/admin/retention/schedules/recording', {
      trigger: 'conference-date',
      years: '30',
      minimumYearsAfterConference: '',
      version: '0',
    });
    expect(saved.statusCode).toBe(303);
    expect((await qa.get(saved.headers.location!)).body).toContain('30 years after the date of the conference');
  });
});
