import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conferenceReports, conferences } from '../../../infra/db/schema.ts';
import { type TestContext, createTestServices, testDatabases } from '../../../../test/support/services.ts';
import { type WebClient, testApp } from '../../../../test/support/web.ts';
import { addChild, auditRows, staff } from '../../../../test/support/people.ts';
import {
  PDF_BYTES,
  type SiblingFixture,
  clientFor,
  ctxOf,
  dateFields,
  initialInput,
  markHeld,
  siblingFixture,
  summaryErrors,
} from '../../../../test/support/convening.ts';

const date = dateFields;

/** A multipart body as a browser sends it: fields in the order given (the CSRF token first, see plugins/csrf.ts), then the file. */
function multipartBody(fields: Record<string, string>, file: { name: string; type: string; data: Buffer } | null) {
  const boundary = '----cpcrTestBoundary7MA4YWxkTrZu0gW';
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields))
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  if (file) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`,
      ),
      file.data,
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

describe.each(testDatabases())('convening conferences on the web (%s)', (kind) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let f: SiblingFixture;
  let sw: WebClient;

  beforeAll(async () => {
    ctx = await createTestServices(kind);
    app = await testApp(ctx);
    f = await siblingFixture(ctx);
    sw = await clientFor(ctx, app, f.sw);
  });
  afterAll(async () => {
    await app.close();
    await ctx.dispose();
  });

  const countConferences = async () => (await ctx.services.database.db.select().from(conferences)).length;

  it('convenes a sibling-group initial conference step by step, with errors on the right fields and nothing saved until the end', async () => {
    const before = await countConferences();
    const start = await sw.get(`/conferences/new?child=${f.ava}`);
    expect(start.statusCode).toBe(303);
    expect(start.headers.location).toBe('/conferences/new/children');

    const children = await sw.get('/conferences/new/children');
    expect(children.statusCode).toBe(200);
    expect(children.body).toContain('Ben Okafor');
    expect(children.body).toContain('Shares a parent or carer with parental responsibility');
    // Nothing ticked: the error is on the checkboxes.
    let res = await sw.post('/conferences/new/children', {});
    expect(res.statusCode).toBe(400);
    expect(summaryErrors(res.body)).toEqual([
      { href: '#childIds', text: 'Select the children the conference is about' },
    ]);
    res = await sw.post('/conferences/new/children', { childIds: [f.ava, f.ben] });
    expect(res.headers.location).toBe('/conferences/new/type');

    await sw.get('/conferences/new/type');
    res = await sw.post('/conferences/new/type', { type: 'initial', ...date('strategyDiscussionDate', '2026-03-05') });
    expect(res.statusCode).toBe(400);
    expect(summaryErrors(res.body)).toEqual([
      { href: '#strategyDiscussionDate-day', text: 'The date of the strategy discussion must be today or in the past' },
    ]);
    expect(res.body).toContain('value="5"');
    res = await sw.post('/conferences/new/type', { type: 'initial', ...date('strategyDiscussionDate', '2026-02-27') });
    expect(res.headers.location).toBe('/conferences/new/arrangements');

    const arrangements = await sw.get('/conferences/new/arrangements');
    expect(arrangements.body).toContain(
      'By Friday 20 March 2026, counted from the date of the strategy discussion, 27 February 2026',
    );
    const arrangement = {
      ...date('scheduledDate', '2026-02-26'),
      startTime: '10am',
      durationMinutes: '120',
      venueKind: 'online',
      onlineLink: 'teams.microsoft.com/meet/123',
      chairUserId: f.chair.id,
      minuteTakerUserId: f.support.id,
    };
    res = await sw.post('/conferences/new/arrangements', arrangement);
    expect(res.statusCode).toBe(400);
    expect(summaryErrors(res.body)).toEqual([
      {
        href: '#scheduledDate-day',
        text: 'The conference date must be on or after the date of the strategy discussion (27 February 2026)',
      },
      { href: '#onlineLink', text: 'Enter the meeting link in full, starting with https://' },
    ]);
    expect(res.body).toContain('value="teams.microsoft.com/meet/123"');

    // Outside T-1: on to the senior manager's agreement.
    res = await sw.post('/conferences/new/arrangements', {
      ...arrangement,
      ...date('scheduledDate', '2026-03-30'),
      onlineLink: 'https://teams.microsoft.com/meet/123',
    });
    expect(res.headers.location).toBe('/conferences/new/timescale');
    const timescale = await sw.get('/conferences/new/timescale');
    expect(timescale.body).toContain('The date is after the due date, 20 March 2026.');
    res = await sw.post('/conferences/new/timescale', { lateAgreedBy: '', lateReason: '' });
    expect(res.statusCode).toBe(400);
    expect(summaryErrors(res.body).map((e) => e.href)).toEqual(['#lateAgreedBy', '#lateReason']);
    expect(await countConferences()).toBe(before);
    res = await sw.post('/conferences/new/timescale', {
      lateAgreedBy: 'Jo Head, Head of Service',
      lateReason: 'The family’s interpreter is not available sooner.',
    });
    expect(res.headers.location).toBe('/conferences/new/check');

    const check = await sw.get('/conferences/new/check');
    expect(check.statusCode).toBe(200);
    expect(check.body).toContain('Ava Okafor (born 10 January 2012)<br>Ben Okafor (born 5 May 2019)');
    expect(check.body).toContain('By Friday 20 March 2026');
    expect(check.body).toContain('Jo Head, Head of Service');
    expect(await countConferences()).toBe(before);

    // Back to the date from check answers, in time now: the agreement is no longer asked for and is dropped.
    res = await sw.post('/conferences/new/arrangements', {
      ...arrangement,
      ...date('scheduledDate', '2026-03-16'),
      onlineLink: 'https://teams.microsoft.com/meet/123',
      from: 'check',
    });
    expect(res.headers.location).toBe('/conferences/new/check');
    expect((await sw.get('/conferences/new/check')).body).not.toContain('Jo Head');

    res = await sw.post('/conferences/new/check', {}, { fromPage: '/conferences/new/check' });
    expect(res.statusCode).toBe(303);
    const id = /^\/conferences\/([0-9a-f-]{36})$/.exec(String(res.headers.location))![1]!;
    expect(await countConferences()).toBe(before + 1);

    const page = await sw.get(`/conferences/${id}`);
    expect(page.statusCode).toBe(200);
    // The success banner after convening, shown once.
    expect(page.body).toContain('govuk-notification-banner--success');
    expect(page.body).toContain('Conference convened');
    expect((await sw.get(`/conferences/${id}`)).body).not.toContain('Conference convened');
    expect(page.body).toContain('Initial child protection conference');
    expect(page.body).toContain('Monday 16 March 2026');
    expect(page.body).toContain('10am to midday (2 hours)');
    expect(page.body).toContain('Presumed to attend (12+)');
    expect(page.body).toContain(
      'By Friday 20 March 2026, counted from the date of the strategy discussion, 27 February 2026',
    );
    expect(page.body).toContain('Whole conference');
    // The social worker is not a chair: no "Hold the conference".
    expect(page.body).not.toContain('/meeting');
    expect((await auditRows(ctx, 'conference.view')).some((r) => r.subjectId === id && r.actorUserId === f.sw.id)).toBe(
      true,
    );
    const chairPage = await (await clientFor(ctx, app, f.chair)).get(`/conferences/${id}`);
    expect(chairPage.body).toContain(`href="/conferences/${id}/meeting"`);
  });

  it('refuses to start from a child the person may not change (403), audited', async () => {
    const other = await staff(ctx, 'Olu Worker', ['social_worker']);
    const theirs = await addChild(ctx, other, { givenNames: 'Cara', familyName: 'Other' });
    const res = await sw.get(`/conferences/new?child=${theirs}`);
    expect(res.statusCode).toBe(403);
    expect(
      (await auditRows(ctx, 'conference.create')).some(
        (r) => r.outcome === 'denied' && r.subjectId === theirs && r.actorUserId === f.sw.id,
      ),
    ).toBe(true);
    const qa = await clientFor(ctx, app, await staff(ctx, 'Quinn Qa', ['qa_manager']));
    expect((await qa.get('/conferences/new')).statusCode).toBe(403);
  });

  it('refuses a post without its CSRF token', async () => {
    await sw.get(`/conferences/new?child=${f.ava}`);
    const res = await sw.post('/conferences/new/children', { childIds: f.ava }, { csrf: false });
    expect(res.statusCode).toBe(403);
  });

  describe('on a convened conference', () => {
    let id: string;
    let support: WebClient;
    beforeAll(async () => {
      id = (await ctx.services.convening.convene(f.sw, initialInput(f), ctxOf(f.sw))).id;
      support = await clientFor(ctx, app, f.support);
    });

    it('invites family, a child and professionals (direct contact asked per professional), then shows the letter with R-1', async () => {
      const form = await support.get(`/conferences/${id}/invitations/new`);
      expect(form.statusCode).toBe(200);
      expect(form.body).toContain('Mother of Ava (has PR); Mother of Ben (has PR)');
      expect(form.body).toContain('Step-parent of Ava (no PR); Father of Ben (has PR)');
      expect(form.body).toContain('Supporter: does not receive the minutes or the record.');
      expect(form.body).toContain('Aged 14 on the day: presumed able to attend (12 or over).');

      let res = await support.post(`/conferences/${id}/invitations/new`, {
        personIds: [f.grace, f.sue],
        childIds: f.ava,
        professionalIds: [f.teacher, f.officer],
        [`directContact-${f.teacher}`]: 'yes',
      });
      expect(res.statusCode).toBe(400);
      expect(summaryErrors(res.body)).toEqual([
        {
          href: `#directContact-${f.officer}`,
          text: 'Select whether their agency has had direct contact with the child and family',
        },
      ]);
      expect(res.body).toMatch(new RegExp(`value="${f.grace}"[^>]*checked`));
      res = await support.post(`/conferences/${id}/invitations/new`, {
        personIds: [f.grace, f.sue],
        childIds: f.ava,
        professionalIds: [f.teacher, f.officer],
        [`directContact-${f.teacher}`]: 'yes',
        [`directContact-${f.officer}`]: 'no',
      });
      expect(res.statusCode).toBe(303);
      expect(res.headers.location).toBe(`/conferences/${id}#invitations`);

      const page = await support.get(`/conferences/${id}`);
      expect(page.body).toContain('Direct contact with the child and family: yes');
      expect(page.body).toContain('Does not receive minutes');
      const overview = await ctx.services.convening.getConference(f.support, id, ctxOf(f.support));
      const teacher = overview.invitees.find((i) => i.professionalId === f.teacher)!;
      const letter = await support.get(`/conferences/${id}/invitations/${teacher.id}/letter`);
      expect(letter.statusCode).toBe(200);
      expect(letter.body).toContain('Ava Okafor, born 10 January 2012, of 12 Mill Lane, Luton, LU1 1AA');
      expect(letter.body).toContain('The conference will be audio recorded.');
      expect(letter.body).toMatch(/<style nonce="[0-9a-f]+">/);
      const email = await support.get(`/conferences/${id}/invitations/${teacher.id}/email`);
      expect(email.body).toContain(
        'OFFICIAL-SENSITIVE: invitation to a child protection conference on Monday 16 March 2026 at 10am',
      );

      res = await support.post(
        `/conferences/${id}/invitations/${teacher.id}/sent`,
        { method: 'email', ...date('sentOn', '2026-03-02') },
        { fromPage: `/conferences/${id}/invitations/${teacher.id}/sent` },
      );
      expect(res.statusCode).toBe(303);
      expect((await support.get(`/conferences/${id}`)).body).toContain('Email, 2 March 2026');
    });

    it('uploads a report (CSRF token a form field, never in the URL), rejects a renamed text file, and audits the download', async () => {
      const form = await support.get(`/conferences/${id}/reports/new`);
      const action = /<form method="post" action="([^"]*)" enctype="multipart\/form-data"/.exec(form.body)![1]!;
      expect(action).toBe(`/conferences/${id}/reports/new`);
      // The token is the form's first field, before the file.
      expect(form.body).toMatch(
        /enctype="multipart\/form-data" novalidate>\s*(<!--.*?-->\s*)?<input type="hidden" name="_csrf" value="[^"]+">/,
      );
      const token = support.csrfToken(form.body);
      const post = (
        fields: Record<string, string>,
        file: { name: string; type: string; data: Buffer } | null,
        opts: { url?: string; token?: string | null; client?: WebClient } = {},
      ) => {
        const { payload, contentType } = multipartBody(
          opts.token === null ? fields : { _csrf: opts.token ?? token, ...fields },
          file,
        );
        const cookie = (opts.client ?? support).cookieHeader();
        return app.inject({
          method: 'POST',
          url: opts.url ?? action,
          payload,
          headers: { 'content-type': contentType, cookie },
        });
      };
      const rows = async () =>
        (await ctx.services.database.db.select().from(conferenceReports).where(eq(conferenceReports.conferenceId, id)))
          .length;

      // A text file named like a PDF is refused by its content.
      let res = await post(
        { agencyId: f.agencies.school },
        { name: 'report.pdf', type: 'application/pdf', data: Buffer.from('Just some notes\n') },
      );
      expect(res.statusCode).toBe(400);
      expect(summaryErrors(res.body)).toEqual([
        {
          href: '#file',
          text: 'The selected file must be a PDF, a Word document (.docx or .doc) or OpenDocument text (.odt)',
        },
      ]);
      res = await post({ agencyId: '' }, null);
      expect(summaryErrors(res.body).map((e) => e.href)).toEqual(['#agencyId', '#file']);
      // Over 20 MB: refused, nothing kept.
      const big = Buffer.alloc(20 * 1024 * 1024 + 10);
      PDF_BYTES.copy(big);
      res = await post({ agencyId: f.agencies.school }, { name: 'big.pdf', type: 'application/pdf', data: big });
      expect(res.statusCode).toBe(400);
      expect(summaryErrors(res.body)).toEqual([
        { href: '#file', text: 'The selected file must be smaller than 20 MB' },
      ]);
      // Without the token, with it only in the query string, or with another session's token: refused before the file is read.
      res = await post(
        { agencyId: f.agencies.school },
        { name: 'r.pdf', type: 'application/pdf', data: PDF_BYTES },
        { token: null },
      );
      expect(res.statusCode).toBe(403);
      res = await post(
        { agencyId: f.agencies.school },
        { name: 'r.pdf', type: 'application/pdf', data: PDF_BYTES },
        { token: null, url: `${action}?_csrf=${encodeURIComponent(token)}` },
      );
      expect(res.statusCode).toBe(403);
      const otherSession = await clientFor(ctx, app, f.support);
      await otherSession.get(`/conferences/${id}/reports/new`);
      res = await post(
        { agencyId: f.agencies.school },
        { name: 'r.pdf', type: 'application/pdf', data: PDF_BYTES },
        { token: otherSession.csrfToken() },
      );
      expect(res.statusCode).toBe(403);
      // A token that is not the first field does not count: it must come before the rest of the form.
      res = await post(
        { agencyId: f.agencies.school, _csrf: token },
        { name: 'r.pdf', type: 'application/pdf', data: PDF_BYTES },
        { token: null },
      );
      expect(res.statusCode).toBe(403);
      expect(await rows()).toBe(0);

      // A PDF named .txt is accepted: the name does not matter.
      res = await post(
        { agencyId: f.agencies.school },
        { name: '../../etc/passwd.txt', type: 'text/plain', data: PDF_BYTES },
      );
      expect(res.statusCode).toBe(303);
      // The confirmation banner for the next page travels as a flash key (no personal data).
      expect(res.cookies.some((c) => c.name === 'cpcr_flash' && c.value.startsWith('conference-report-added.'))).toBe(
        true,
      );
      expect(await rows()).toBe(1);
      const page = await support.get(`/conferences/${id}`);
      expect(page.body).toContain('Not shared with the family yet: share by 11 March 2026');
      const reportId = /reports\/([0-9a-f-]{36})\/file/.exec(page.body)![1]!;
      const download = await support.get(`/conferences/${id}/reports/${reportId}/file`);
      expect(download.statusCode).toBe(200);
      expect(download.headers['content-type']).toBe('application/pdf');
      expect(download.headers['content-disposition']).toBe(
        'attachment; filename="2026-03-16-mill-lane-primary-report.pdf"',
      );
      expect(download.rawPayload.equals(PDF_BYTES)).toBe(true);
      expect(
        (await auditRows(ctx, 'conference.report.download')).some(
          (r) => r.subjectId === id && r.actorUserId === f.support.id,
        ),
      ).toBe(true);
    });

    it('asks for the chair’s agreement and a reason before recording a police report as shared', async () => {
      const police = await ctx.services.convening.uploadReport(
        f.support,
        id,
        { agencyId: f.agencies.police, content: PDF_BYTES },
        ctxOf(f.support),
      );
      const url = `/conferences/${id}/reports/${police.id}/shared`;
      let res = await support.post(url, date('sharedOn', '2026-03-02'), { fromPage: url });
      expect(res.statusCode).toBe(400);
      expect(summaryErrors(res.body).map((e) => e.href)).toEqual(['#policeConfirmed', '#reason']);
      res = await support.post('/conferences/' + id + '/reports/shared', date('sharedOn', '2026-03-02'), {
        fromPage: `/conferences/${id}/reports/shared`,
      });
      expect(res.statusCode).toBe(303);
      const overview = await ctx.services.convening.getConference(f.support, id, ctxOf(f.support));
      expect(overview.reports.find((r) => r.id === police.id)!.sharedWithFamilyOn).toBeNull();
      res = await support.post(
        url,
        { ...date('sharedOn', '2026-03-02'), policeConfirmed: 'yes', reason: 'Agreed by the chair on 2 March.' },
        { fromPage: url },
      );
      expect(res.statusCode).toBe(303);
    });

    it('Q-1: invites the allocated social worker and a team manager for children’s social care, with a banner', async () => {
      const manager = await staff(ctx, 'Tia Manager', ['team_manager']);
      const form = await support.get(`/conferences/${id}/invitations/new`);
      expect(form.body).toContain('Children’s social care');
      expect(form.body).toContain(`id="socialWorker-${f.sw.id}"`);
      expect(form.body).toContain('For Ava and Ben. Attends for children’s social care.');
      expect(form.body).toContain(`<option value="${manager.id}">Tia Manager</option>`);
      const res = await support.post(`/conferences/${id}/invitations/new`, {
        socialWorkerIds: f.sw.id,
        teamManagerId: manager.id,
      });
      expect(res.statusCode).toBe(303);
      const page = await support.get(`/conferences/${id}`);
      expect(page.body).toContain('People invited');
      expect(page.body).toContain('Allocated social worker, Children’s social care');
      expect(page.body).toContain('Team manager, Children’s social care');
      expect(page.body).toContain('Counts as children’s social care for quoracy');
      // Offered once: already invited now.
      const again = await support.get(`/conferences/${id}/invitations/new`);
      expect(again.body).not.toContain(`<option value="${manager.id}">`);
      expect(again.body).toMatch(new RegExp(`id="socialWorker-${f.sw.id}"[^>]*disabled`));
    });

    it('takes the social worker’s report as the children’s social care report (T-5 applies)', async () => {
      const csc = (await ctx.services.convening.childrensSocialCareAgency())!;
      const page = await sw.get(`/conferences/${id}`);
      expect(page.body).toContain(`href="/conferences/${id}/reports/new?from=social-worker"`);
      const form = await sw.get(`/conferences/${id}/reports/new?from=social-worker`);
      expect(form.body).toContain(
        `<option value="${csc.id}" selected>Children’s social care: the social worker’s report</option>`,
      );
      const { payload, contentType } = multipartBody(
        { _csrf: sw.csrfToken(form.body), agencyId: csc.id },
        { name: 'sw-report.pdf', type: 'application/pdf', data: PDF_BYTES },
      );
      const res = await app.inject({
        method: 'POST',
        url: `/conferences/${id}/reports/new`,
        payload,
        headers: { 'content-type': contentType, cookie: sw.cookieHeader() },
      });
      expect(res.statusCode).toBe(303);
      const after = await sw.get(`/conferences/${id}`);
      expect(after.body).not.toContain('reports/new?from=social-worker');
      expect(after.body).toMatch(
        /Children’s social care<\/td>[\s\S]*?Not shared with the family yet: share by 11 March 2026/,
      );
    });

    it('on a held conference, the report form explains why no report can be added, with the way back, never JSON', async () => {
      const held = (
        await ctx.services.convening.convene(f.sw, initialInput(f, { scheduledDate: '2026-03-17' }), ctxOf(f.sw))
      ).id;
      const form = await support.get(`/conferences/${held}/reports/new`);
      await markHeld(ctx, held);
      const page = await support.get(`/conferences/${held}/reports/new`);
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('Reports can no longer be added to this conference');
      expect(page.body).not.toContain('enctype="multipart/form-data"');
      // Held while the form was open: the upload is refused on a page, not with JSON, and nothing is kept.
      const { payload, contentType } = multipartBody(
        { _csrf: support.csrfToken(form.body), agencyId: f.agencies.school },
        { name: 'r.pdf', type: 'application/pdf', data: PDF_BYTES },
      );
      const res = await app.inject({
        method: 'POST',
        url: `/conferences/${held}/reports/new`,
        payload,
        headers: { 'content-type': contentType, cookie: support.cookieHeader() },
      });
      expect(res.statusCode).toBe(409);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.body).toContain('This conference is held.');
      expect(res.body).toContain(`href="/conferences/${held}#reports"`);
      expect(
        (
          await ctx.services.database.db
            .select()
            .from(conferenceReports)
            .where(eq(conferenceReports.conferenceId, held))
        ).length,
      ).toBe(0);
    });

    it('lists a child’s conferences', async () => {
      const res = await sw.get(`/conferences/by-child/${f.ben}`);
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain(`href="/conferences/${id}"`);
    });
  });
});
