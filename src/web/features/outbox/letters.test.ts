import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../../../../test/support/services.ts';
import { WebClient, signedInClient } from '../../../../test/support/web.ts';
import { TemplateLetterWording } from '../../../app/documents/letter-wording.ts';
import type { LetterValues } from '../../../app/documents/ports.ts';
import { type OutboxTestContext, outboxTestContext } from './test-support.ts';

const VALUES: LetterValues = {
  recipientName: 'Sam Parent',
  childNames: 'Ava Brown',
  conferenceDate: '3 March 2026',
  conferenceType: 'initial child protection conference',
  chairName: 'Chris Chair',
  councilName: 'Eastshire Council',
  councilContact: 'the conference team',
};

describe.each(testDatabases())('letter wording pages on %s', (kind) => {
  let t: OutboxTestContext;
  let admin: WebClient;
  let chair: WebClient;

  beforeAll(async () => {
    t = await outboxTestContext(kind, {
      env: { COUNCIL_NAME: 'Eastshire Council', COUNCIL_CONTACT: 'the conference team on 01234 567890' },
    });
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
        `select actor_label, subject_type, subject_id from audit_events where action = $1 order by seq`,
        [action],
      )
    ).rows as Array<{ actor_label: string; subject_type: string; subject_id: string }>;
  const wordingFor = (k: 'decision-letter' | 'exclusion-letter') =>
    t.ctx.services.uow.run((repos) => new TemplateLetterWording().wordingFor(repos, k, VALUES));
  const editing = (key: string) => t.ctx.services.letterWording.letterForEditing(key);

  it('only administrators may open or use the pages', async () => {
    for (const url of ['/admin/letters', '/admin/letters/letter-complaints']) {
      expect((await chair.get(url)).statusCode, url).toBe(403);
      const anonymous = await new WebClient(t.app).get(url);
      expect(anonymous.statusCode, url).toBe(303);
      expect(anonymous.headers.location).toMatch(/^\/sign-in\?returnTo=/);
    }
    await chair.get('/account');
    for (const url of ['/admin/letters/letter-complaints', '/admin/letters/letter-complaints/reset'])
      expect((await chair.post(url, { body: 'Contact ((council_contact))', version: '0' })).statusCode, url).toBe(403);
    expect((await editing('letter-complaints')).customised).toBe(false);
  });

  it('administration’s navigation links to the letter wording, marked as the current page there', async () => {
    const res = await admin.get('/admin/letters');
    expect(res.statusCode).toBe(200);
    const nav = /<nav[^>]*aria-label="Administration">([\s\S]*?)<\/nav>/.exec(res.body)?.[1] ?? '';
    expect(nav).toMatch(/href="\/admin\/letters" aria-current="page">Letter wording</);
    expect(nav.match(/aria-current="page"/g)).toHaveLength(1);
    expect((await admin.get('/admin/templates')).body).toContain('href="/admin/letters"');
  });

  it('lists each piece of letter wording with whether it was changed', async () => {
    const res = await admin.get('/admin/letters');
    for (const name of [
      'Decision letter: opening',
      'Child protection plan and core group letter: opening',
      'Exclusion letter: opening',
      'How to complain',
      'Confidentiality',
    ])
      expect(res.body).toContain(name);
    expect(res.body).toContain('href="/admin/letters/letter-decision-opening"');
    expect(res.body).toContain('Default wording');
  });

  it('previews wording with example values and the council’s own name and contact, without saving it', async () => {
    await admin.get('/admin/letters/letter-complaints');
    expect(admin.lastHtml).toContain('<code>((council_contact))</code>');
    expect(admin.lastHtml).toContain('(the wording must include it)');
    const res = await admin.post('/admin/letters/letter-complaints', {
      body: 'Dear ((recipient_name))\n\nComplain to ((council_name)) through ((council_contact)).',
      version: '0',
      action: 'preview',
    });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Preview with example values');
    expect(res.body).toContain('Dear Sam Example</p>');
    expect(res.body).toContain('Complain to Eastshire Council through the conference team on 01234 567890.');
    expect((await editing('letter-complaints')).customised).toBe(false);
  });

  it('W-7: refuses an unknown placeholder and a missing required one with a 400 and an error summary', async () => {
    await admin.get('/admin/letters/letter-complaints');
    const res = await admin.post('/admin/letters/letter-complaints', {
      body: 'Complain to ((complaints_team)).',
      version: '0',
      action: 'save',
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toMatch(/<title>Error: /);
    expect(res.body).toContain('govuk-error-summary');
    expect(res.body).toContain('href="#body"');
    expect(res.body).toContain('Wording uses ((complaints_team)), which is not a placeholder this letter can use');
    expect(res.body).toContain('Wording must include ((council_contact)): the letter is no use without it');
    // What was typed stays in the form.
    expect(res.body).toContain('Complain to ((complaints_team)).</textarea>');
    const preview = await admin.post('/admin/letters/letter-complaints', { body: '', version: '0', action: 'preview' });
    expect(preview.statusCode).toBe(400);
    expect(preview.body).toContain('Enter the wording');
    expect(preview.body).not.toContain('Preview with example values');
    expect((await editing('letter-complaints')).customised).toBe(false);
  });

  it('saves wording that new letters use; refuses a form without its CSRF token or a stale one (409); puts the default back', async () => {
    await admin.get('/admin/letters/letter-decision-opening');
    const form = { body: 'Hello ((recipient_name)), about ((conference_date)).', action: 'save' };
    expect(
      (await admin.post('/admin/letters/letter-decision-opening', { ...form, version: '0' }, { csrf: false }))
        .statusCode,
    ).toBe(403);
    const saved = await admin.post('/admin/letters/letter-decision-opening', { ...form, version: '0' });
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe('/admin/letters/letter-decision-opening?done=saved');
    expect((await admin.get(saved.headers.location!)).body).toContain('Your wording has been saved');
    expect((await audit('letter.wording.changed')).map((a) => [a.actor_label, a.subject_id])).toEqual([
      ['Ada Admin', 'letter-decision-opening'],
    ]);
    expect((await wordingFor('decision-letter')).opening).toBe('Hello Sam Parent, about 3 March 2026.');
    expect((await wordingFor('exclusion-letter')).opening).toMatch(/^Dear Sam Parent/);
    expect((await admin.get('/admin/letters')).body).toContain('Changed');

    // A second administrator still holding the old form (version 0) does not overwrite it.
    const stale = await admin.post(
      '/admin/letters/letter-decision-opening',
      { ...form, body: 'Overwrite ((conference_date))', version: '0' },
      { fromPage: '/admin/letters/letter-decision-opening' },
    );
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('govuk-error-summary');
    expect(stale.body).toContain('Someone else changed this wording while you were editing it');
    expect(stale.body).toContain('The wording someone else saved');
    expect(stale.body).toContain('Overwrite ((conference_date))</textarea>');
    expect((await wordingFor('decision-letter')).opening).toBe('Hello Sam Parent, about 3 March 2026.');

    const { version } = await editing('letter-decision-opening');
    expect(
      (
        await admin.post(
          '/admin/letters/letter-decision-opening/reset',
          { version: String(version - 1) },
          { fromPage: '/admin/letters/letter-decision-opening' },
        )
      ).statusCode,
    ).toBe(409);
    const reset = await admin.post(
      '/admin/letters/letter-decision-opening/reset',
      { version: String(version) },
      { fromPage: '/admin/letters/letter-decision-opening' },
    );
    expect(reset.statusCode).toBe(303);
    expect((await admin.get(reset.headers.location!)).body).toContain('The default wording has been put back.');
    expect((await wordingFor('decision-letter')).opening).toMatch(/^Dear Sam Parent\n\nWe are writing/);
    expect((await audit('letter.wording.reset')).map((a) => a.subject_type)).toEqual(['letter_wording']);
  });

  it('escapes what the wording holds in the form and the preview', async () => {
    const res = await admin.post(
      '/admin/letters/letter-confidentiality',
      { body: '<script>alert(1)</script>', version: '0', action: 'preview' },
      { fromPage: '/admin/letters/letter-confidentiality' },
    );
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toContain('<script>alert(1)</script>');
    expect(res.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('an unknown letter, or an email’s key, is not found', async () => {
    expect((await admin.get('/admin/letters/letter-no-such')).statusCode).toBe(404);
    expect((await admin.get('/admin/letters/copy-ready')).statusCode).toBe(404);
    expect((await admin.get('/admin/letters/..%2Fetc')).statusCode).toBe(404);
  });
});
