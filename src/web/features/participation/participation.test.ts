import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../../domain/access/roles.ts';
import { siblingGroupConference, type SiblingGroupConference } from '../../../../test/support/conferences.ts';
import { clientFor as staffClient } from '../../../../test/support/convening.ts';
import { auditRows, staff } from '../../../../test/support/people.ts';
import { inviteSupporter } from '../../../../test/support/participation.ts';
import { errorSummary, postMultipart } from '../../../../test/support/recording-to-record.ts';
import { createTestServices, testDatabases, type TestContext } from '../../../../test/support/services.ts';
import { type WebClient, testApp } from '../../../../test/support/web.ts';

const PDF = Buffer.from('%PDF-1.7\nmy report\n%%EOF\n');

describe.each(testDatabases())('participation pages, 002 §3.2 (%s)', (kind) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let chairClient: WebClient;
  let swClient: WebClient;
  let strangerClient: WebClient;
  let g: SiblingGroupConference;
  let base: string;
  let supporter: string;

  beforeAll(async () => {
    ctx = await createTestServices(kind);
    app = await testApp(ctx);
    const sw: Actor = await staff(ctx, 'Sam Worker', ['social_worker']);
    const chair = await staff(ctx, 'Cal Chair', ['chair']);
    const stranger = await staff(ctx, 'Sol Other', ['social_worker']);
    ctx.clock.current = new Date('2026-02-23T09:00:00Z');
    g = await siblingGroupConference(ctx, { socialWorker: sw, chair });
    supporter = await inviteSupporter(ctx, sw, g);
    base = `/conferences/${g.conferenceId}/participation`;
    chairClient = await staffClient(ctx, app, chair);
    swClient = await staffClient(ctx, app, sw);
    strangerClient = await staffClient(ctx, app, stranger);
  });
  afterAll(async () => {
    await app.close();
    await ctx.dispose();
  });

  it('002 §3.2: the page lists each child, the supporters and advocates, and the parents; someone without access is refused', async () => {
    const page = await swClient.get(base);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Ava Okafor (age 12)');
    expect(page.body).toContain('Aged 12 or over: presumed able to attend.');
    expect(page.body).toContain('Fay Friend');
    expect(page.body).toContain('Ada Advocate');
    expect(page.body).toContain('Grace Okafor');
    expect((await strangerClient.get(base)).statusCode).toBe(403);
  });

  it('002 §3.2: the decision form shows every problem with the child’s refusal respected, keeping what was typed', async () => {
    const url = `${base}/children/${g.children.ava}`;
    expect((await swClient.get(url)).statusCode).toBe(200);
    const empty = await swClient.post(
      url,
      { version: '0', parentsViews: 'They both want her there.' },
      { fromPage: url },
    );
    expect(empty.statusCode).toBe(400);
    expect(errorSummary(empty.body)).toEqual([
      '#understands: Select whether the child understands what a conference is and how it works',
      '#wishExpressed: Select whether the child has expressed a wish to be involved',
      '#benefit: Select whether taking part would benefit the child',
      '#chairAdvice: Select what the chair advises',
      '#socialWorkerAdvice: Select what the social worker advises',
      '#childWish: Select what the child wishes',
      '#decision: Select whether the child will attend',
    ]);
    expect(empty.body).toContain('They both want her there.');
    const answers = {
      version: '0',
      understands: 'yes',
      wishExpressed: 'explicit',
      parentsViews: 'They both want her there.',
      benefit: 'yes',
      chairAdvice: 'attend',
      socialWorkerAdvice: 'attend',
    };
    const refused = await swClient.post(
      url,
      { ...answers, childWish: 'not-attend', decision: 'attend' },
      { fromPage: url },
    );
    expect(errorSummary(refused.body)).toEqual([
      '#decision: The child does not wish to attend: this must be respected. Record how their views will be conveyed instead',
    ]);
    const ok = await swClient.post(
      url,
      { ...answers, childWish: 'not-attend', decision: 'not-attend', viewsRoutes: ['chair-pre-meeting', 'written'] },
      { fromPage: url },
    );
    expect(ok.statusCode).toBe(303);
    const page = await swClient.get(base);
    expect(page.body).toContain('A meeting with the chair before the conference');
    expect(page.body).not.toContain('Confirm the conference has');
    expect((await chairClient.get(base)).body).toContain('Their views are not on the conference’s record yet');
    // The chair records her views with the meeting, then confirms the conference has them.
    const views = `/conferences/${g.conferenceId}/meeting/children/${g.children.ava}/views`;
    expect((await chairClient.get(base)).body).toContain(`href="${views}"`);
    const recorded = await chairClient.post(views, { childViews: 'She wants to stay at home.' }, { fromPage: views });
    expect(recorded.statusCode).toBe(303);
    const checked = await chairClient.post(`${base}/children/${g.children.ava}/views-checked`, {}, { fromPage: base });
    expect(checked.statusCode).toBe(303);
    expect((await chairClient.get(base)).body).toContain('Yes, by Cal Chair');
  });

  it('002 §3.2: the chair bars a supporter with a reason; it shows as barred; others are sent back', async () => {
    const url = `${base}/supporters/${supporter}/bar`;
    const sw = await swClient.get(url);
    expect(sw.statusCode).toBe(303);
    expect((await swClient.post(url, { reason: 'disruptive' }, { fromPage: base })).statusCode).toBe(403);
    const bad = await chairClient.post(url, { reason: 'other', detail: '' }, { fromPage: url });
    expect(errorSummary(bad.body)).toEqual(['#detail: Enter the reason they may not attend']);
    const ok = await chairClient.post(url, { reason: 'disruptive', detail: '' }, { fromPage: url });
    expect(ok.statusCode).toBe(303);
    const page = await chairClient.get(base);
    expect(page.body).toContain('Barred by the chair');
    expect(page.body).toContain('Their presence is disruptive');
    // 002 §3.2: the invitation list shows them as barred.
    expect((await chairClient.get(`/conferences/${g.conferenceId}`)).body).toContain('Barred by the chair');
    const denied = await auditRows(ctx, 'participation.supporter.bar');
    expect(denied.map((r) => r.outcome)).toEqual(['denied', 'success']);
  });

  it('002 §3.2: an advocate’s role is recorded with the date they found out the view', async () => {
    const url = `${base}/advocates/${g.invitee.advocate}`;
    const bad = await swClient.post(
      url,
      { speaksFor: `parent:${g.invitee.mother}`, viewAscertained: 'yes', 'viewAscertainedOn-day': '20' },
      { fromPage: url },
    );
    expect(errorSummary(bad.body)).toEqual([
      '#viewAscertainedOn-day: The date they found out the view must include a month and year',
    ]);
    const ok = await swClient.post(
      url,
      {
        speaksFor: `parent:${g.invitee.mother}`,
        viewAscertained: 'yes',
        'viewAscertainedOn-day': '20',
        'viewAscertainedOn-month': '2',
        'viewAscertainedOn-year': '2026',
      },
      { fromPage: url },
    );
    expect(ok.statusCode).toBe(303);
    expect((await swClient.get(base)).body).toContain(
      'Speaks for Grace Okafor. Found out their view on 20 February 2026.',
    );
  });

  it('002 §3.2, 001: a parent’s report is uploaded (checked by content) or typed, listed and read back; help is recorded', async () => {
    const url = `${base}/parents/${g.invitee.mother}/report`;
    const wrong = await postMultipart(app, swClient, url, url, [['source', 'file']], {
      name: 'report.pdf',
      type: 'application/pdf',
      content: Buffer.from([0, 1, 2, 3]),
    });
    expect(wrong.statusCode).toBe(400);
    expect(errorSummary(wrong.body)).toEqual([
      '#file: The selected file must be a PDF, a Word document (.docx or .doc), OpenDocument text (.odt) or a text file',
    ]);
    const ok = await postMultipart(app, swClient, url, url, [['source', 'file']], {
      name: 'report.pdf',
      type: 'application/pdf',
      content: PDF,
    });
    expect(ok.statusCode).toBe(303);
    const typed = await postMultipart(
      app,
      swClient,
      url,
      url,
      [
        ['source', 'typed'],
        ['text', 'I want the children home.'],
      ],
      null,
    );
    expect(typed.statusCode).toBe(303);
    const page = await swClient.get(base);
    const links = [...page.body.matchAll(/href="(\/conferences\/[^"]+\/participation\/reports\/[^"]+)"/g)].map(
      (m) => m[1]!,
    );
    expect(links).toHaveLength(2);
    // Beside the agencies' reports on the conference's page.
    const conference = await swClient.get(`/conferences/${g.conferenceId}`);
    expect(conference.body).toContain('Parents’ own reports');
    expect(conference.body).toContain(`href="${links[0]}"`);
    const file = await swClient.get(links[1]!);
    expect(file.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(file.body).toBe('I want the children home.');

    const help = `${base}/parents/${g.invitee.mother}/help`;
    const bad = await swClient.post(help, { kind: 'travel', status: 'arranged', arrangedBy: '' }, { fromPage: help });
    expect(errorSummary(bad.body)).toEqual(['#arrangedBy: Enter who arranges it']);
    const saved = await swClient.post(
      help,
      { kind: 'travel', status: 'arranged', arrangedBy: 'Sam Worker', details: 'Taxi both ways' },
      { fromPage: help },
    );
    expect(saved.statusCode).toBe(303);
    expect((await swClient.get(base)).body).toContain('Arranged: arranged by Sam Worker. Taxi both ways');
  });
});
