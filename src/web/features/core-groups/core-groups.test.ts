import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../../domain/access/roles.ts';
import type { SiblingGroupConference } from '../../../../test/support/conferences.ts';
import { clientFor as staffClient } from '../../../../test/support/convening.ts';
import { coreGroupsCast } from '../../../../test/support/core-groups.ts';
import { auditRows } from '../../../../test/support/people.ts';
import { errorSummary } from '../../../../test/support/recording-to-record.ts';
import { createTestServices, testDatabases, type TestContext } from '../../../../test/support/services.ts';
import type { WebClient } from '../../../../test/support/web.ts';
import { testApp } from '../../../../test/support/web.ts';

describe.each(testDatabases())('core group pages, 002 §3.7, §3.10, §3.11 (%s)', (kind) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let sw: Actor;
  let manager: Actor;
  let swClient: WebClient;
  let managerClient: WebClient;
  let strangerClient: WebClient;
  let g: SiblingGroupConference;
  let ava: string;

  beforeAll(async () => {
    ctx = await createTestServices(kind);
    app = await testApp(ctx);
    let stranger: Actor;
    ({ sw, manager, stranger, g } = await coreGroupsCast(ctx));
    ava = `/children/${g.children.ava}`;
    // Set once: a session is signed out after a while without use, as the clock reads it.
    ctx.clock.current = new Date('2026-03-12T16:00:00Z');
    swClient = await staffClient(ctx, app, sw);
    managerClient = await staffClient(ctx, app, manager);
    strangerClient = await staffClient(ctx, app, stranger);
  });
  afterAll(async () => {
    await app.close();
    await ctx.dispose();
  });

  it('002 §3.7: the child’s record links to the core group, which shows its members, the plan’s actions and when the first is due', async () => {
    const record = (await swClient.get(ava)).body;
    expect(record).toContain(`href="${ava}/core-groups"`);
    expect(record).toMatch(
      /data-core-group-due><strong[^>]*>Due soon<\/strong> The first core group is due by 12 March 2026/,
    );
    const page = await swClient.get(`${ava}/core-groups`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Grace Okafor');
    expect(page.body).toContain('Register Ben with a dentist');
    expect(page.body).toMatch(/Due soon<\/strong> The first core group is due by 12 March 2026/);
    expect(page.body).toContain('No lead social worker is appointed');
    expect((await strangerClient.get(`${ava}/core-groups`)).statusCode).toBe(403);
    expect((await auditRows(ctx, 'core-group.view')).at(-1)).toMatchObject({ outcome: 'denied' });
  });

  it('002 §3.10: scheduling refuses a missing date and chair with 400, keeping what was typed; then the meeting is listed', async () => {
    const url = `${ava}/core-groups/schedule`;
    const form = await swClient.get(url);
    expect(form.body).toContain('value="12"');
    const noCsrf = await swClient.post(url, { 'date-day': '12' }, { csrf: false });
    expect(noCsrf.statusCode).toBe(403);
    const bad = await swClient.post(
      url,
      { 'date-day': '31', 'date-month': '2', 'date-year': '2026' },
      { fromPage: url },
    );
    expect(bad.statusCode).toBe(400);
    expect(errorSummary(bad.body)).toEqual(['#date-day: The date of the meeting must be a real date']);
    const bad2 = await swClient.post(
      url,
      { 'date-day': '12', 'date-month': '3', 'date-year': '2026' },
      { fromPage: url },
    );
    expect(errorSummary(bad2.body)).toEqual([
      '#chairUserId: Select who chairs the meeting: the lead social worker or a manager',
    ]);
    expect(bad2.body).toContain('value="12"');
    const ok = await swClient.post(
      url,
      { 'date-day': '12', 'date-month': '3', 'date-year': '2026', chairUserId: manager.id },
      { fromPage: url },
    );
    expect(ok.statusCode).toBe(303);
    const list = await swClient.get(ok.headers.location as string);
    expect(list.body).toContain('The core group meeting is scheduled.');
    expect(list.body).toContain('First core group');
  });

  it('002 §3.11: the meeting is recorded with every member’s attendance and each action’s progress; a change needs a reason', async () => {
    const meetingId = (
      await ctx.services.coreGroups.forChild(sw, g.children.ava, {
        actor: { id: sw.id, label: sw.name },
        correlationId: 't',
      })
    ).meetings[0]!.id;
    const url = `/core-groups/${meetingId}/record`;
    const form = await swClient.get(url);
    expect(form.statusCode).toBe(200);
    const bad = await swClient.post(
      url,
      { version: '1', [`attendance-${g.invitee.mother}`]: 'attended', 'progress-1': 'not-done', notes: 'Kept notes' },
      { fromPage: url },
    );
    expect(bad.statusCode).toBe(400);
    expect(errorSummary(bad.body)).toEqual([
      `#attendance-${g.invitee.socialWorker}: Select whether Sam Worker attended, sent apologies or did not attend`,
      `#attendance-${g.invitee.school}: Select whether Tom Reid attended, sent apologies or did not attend`,
      '#note-1: Say why action 1 has not been done',
      '#progress-2: Select how action 2 of the plan is going',
    ]);
    expect(bad.body).toContain('Kept notes');
    const full = {
      version: '1',
      [`attendance-${g.invitee.mother}`]: 'attended',
      [`attendance-${g.invitee.socialWorker}`]: 'attended',
      [`attendance-${g.invitee.school}`]: 'did-not-attend',
      'progress-1': 'in-progress',
      'progress-2': 'done',
      notes: 'Good progress at home.',
    };
    const ok = await swClient.post(url, full, { fromPage: url });
    expect(ok.statusCode).toBe(303);
    const page = await swClient.get(ok.headers.location as string);
    expect(page.body).toContain('The record of the meeting is saved.');
    expect(page.body).toContain('Did not attend');
    const noReason = await swClient.post(url, { ...full, version: '2' }, { fromPage: url });
    expect(errorSummary(noReason.body)).toEqual([
      '#changeReason: Enter why the record of the meeting is being changed',
    ]);
    const stale = await swClient.post(url, { ...full, changeReason: 'Late apologies' }, { fromPage: url });
    expect(stale.statusCode).toBe(409);
    const changed = await swClient.post(
      url,
      { ...full, version: '2', [`attendance-${g.invitee.school}`]: 'apologies', changeReason: 'Late apologies' },
      { fromPage: url },
    );
    expect(changed.statusCode).toBe(303);
    const after = await swClient.get(`/core-groups/${meetingId}`);
    expect(after.body).toContain('Changed after it was first recorded: Late apologies');
    expect(after.body).toContain('Earlier versions of the record');
  });

  it('002 §3.7: a team manager appoints the lead social worker; a social worker cannot', async () => {
    const url = `${ava}/lead-social-worker`;
    expect((await swClient.get(url)).statusCode).toBe(303);
    const form = await managerClient.get(url);
    expect(form.statusCode).toBe(200);
    const bad = await managerClient.post(url, {}, { fromPage: url });
    expect(errorSummary(bad.body)).toEqual(['#userId: Select a social worker from the list']);
    const ok = await managerClient.post(url, { userId: sw.id }, { fromPage: url });
    expect(ok.statusCode).toBe(303);
    const page = await managerClient.get(ok.headers.location as string);
    expect(page.body).toContain('Sam Worker (appointed by a team manager)');
    expect(page.body).not.toContain('No lead social worker is appointed');
  });
});
