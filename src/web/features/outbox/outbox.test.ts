import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../../../../test/support/services.ts';
import { WebClient, signedInClient } from '../../../../test/support/web.ts';
import { COPY_READY_VALUES } from '../../../infra/mail/test-support.ts';
import { type OutboxTestContext, outboxTestContext } from './test-support.ts';

const TO = 'jordan.requester@example.org';
const ABOUT = { subjectType: 'copy_request', subjectId: '6f1c0e2a-0000-4000-8000-000000000001' };

describe.each(testDatabases())('outbox and email wording pages on %s', (kind) => {
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

  it('only administrators may open or use any of the pages', async () => {
    const { messageId } = await t.mail.send('copy-ready', TO, COPY_READY_VALUES, ABOUT);
    for (const url of [
      '/admin/outbox',
      `/admin/outbox/${messageId}`,
      '/admin/templates',
      '/admin/templates/copy-ready',
    ]) {
      expect((await chair.get(url)).statusCode, url).toBe(403);
      const anonymous = await new WebClient(t.app).get(url);
      expect(anonymous.statusCode, url).toBe(303);
      expect(anonymous.headers.location).toMatch(/^\/sign-in\?returnTo=/);
    }
    await chair.get('/account');
    for (const url of [
      `/admin/outbox/${messageId}/retry`,
      '/admin/templates/copy-ready',
      '/admin/templates/copy-ready/reset',
    ]) {
      expect((await chair.post(url, { subject: 'x', body: '((download_link))', version: '0' })).statusCode, url).toBe(
        403,
      );
    }
    expect((await audit('mail.viewed')).filter((a) => a.subject_id === messageId)).toEqual([]);
    expect((await audit('route.access')).length).toBeGreaterThanOrEqual(7);
  });

  it('administration’s navigation links to the outbox and the email wording', async () => {
    for (const url of ['/admin/users', '/admin/outbox', '/admin/templates']) {
      const res = await admin.get(url);
      expect(res.statusCode, url).toBe(200);
      const nav = /<nav[^>]*aria-label="Administration">([\s\S]*?)<\/nav>/.exec(res.body)?.[1] ?? '';
      expect(nav, url).toContain('href="/admin/outbox"');
      expect(nav, url).toContain('href="/admin/templates"');
      expect(nav, url).toContain('href="/admin/users"');
      expect(nav.match(/aria-current="page"/g), url).toHaveLength(1);
    }
  });

  it('lists messages with their state and attempts, filters by state, and shows one message (audited)', async () => {
    const kept = (await t.mail.send('copy-ready', TO, COPY_READY_VALUES, ABOUT)).messageId;
    await t.mail.deliver(kept);
    const list = await admin.get('/admin/outbox');
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('Email is not being sent: every message is kept here for you to read');
    expect(list.body).toContain(`href="/admin/outbox/${kept}"`);
    expect(list.body).toContain('OFFICIAL-SENSITIVE: Your copy of the conference recording is ready');
    expect(list.body).toMatch(/Kept in outbox/);
    expect(list.body).toMatch(/Waiting to send \(\d+\)/);

    const filtered = await admin.get('/admin/outbox?state=kept');
    expect(filtered.body).toContain(`href="/admin/outbox/${kept}"`);
    expect(filtered.body).toMatch(/<title>Outbox: Kept in outbox/);
    expect((await admin.get('/admin/outbox?state=sent')).body).toContain('There are no emails to show.');
    expect((await admin.get('/admin/outbox?state=nonsense&page=x')).statusCode).toBe(200);

    const page = await admin.get(`/admin/outbox/${kept}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(TO);
    expect(page.body).toMatch(
      /<p class="govuk-body govuk-!-text-break-word">OFFICIAL-SENSITIVE<\/p>\s*<p class="govuk-body govuk-!-text-break-word">Dear Jordan Requester<\/p>/,
    );
    expect(page.body).not.toContain('Try sending it again now');
    expect((await audit('mail.viewed')).filter((a) => a.subject_id === kept)).toEqual([
      expect.objectContaining({ actor_label: 'Ada Admin', outcome: 'success' }),
    ]);
    expect((await admin.get('/admin/outbox/6f1c0e2a-0000-4000-8000-00000000ffff')).statusCode).toBe(404);
    expect((await admin.get('/admin/outbox/not-a-uuid')).statusCode).toBe(404);
  });

  it('escapes what a message holds', async () => {
    const { messageId } = await t.mail.send(
      'copy-ready',
      TO,
      { ...COPY_READY_VALUES, requester_name: '<script>alert(1)</script>' },
      ABOUT,
    );
    const page = await admin.get(`/admin/outbox/${messageId}`);
    expect(page.body).not.toContain('<script>alert(1)</script>');
    expect(page.body).toContain('Dear &lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('pages through a long outbox', async () => {
    for (let i = 0; i < 50; i++) await t.mail.queue('copy-ready', TO, COPY_READY_VALUES, ABOUT);
    const first = await admin.get('/admin/outbox');
    expect(first.body).toContain('href="/admin/outbox?page=2"');
    const second = await admin.get('/admin/outbox?page=2');
    expect(second.statusCode).toBe(200);
    expect(second.body).toContain('href="/admin/outbox?page=1"');
  });

  it('tries a failed message again, with a CSRF token only', async () => {
    // An email with no link or code in it (a refused one with them is tested in secrets.test.ts).
    const { messageId } = await t.mail.queue(
      'confirmation-failed',
      TO,
      {
        request_reference: 'CR-2026-0007',
        request_link: 'https://cpcr.example.test/requests/6f1c0e2a-0000-4000-8000-000000000001',
      },
      ABOUT,
    );
    await t.ctx.services.database.execute(
      `update outbox_messages set state = 'rejected', attempts = 1, last_error = 'smtp:EENVELOPE 550' where id = $1`,
      [messageId],
    );
    const page = await admin.get(`/admin/outbox/${messageId}`);
    expect(page.body).toContain('Refused by the mail service');
    expect(page.body).toContain('smtp:EENVELOPE 550');
    expect(page.body).toContain('Try sending it again now');
    expect((await admin.post(`/admin/outbox/${messageId}/retry`, {}, { csrf: false })).statusCode).toBe(403);
    const res = await admin.post(`/admin/outbox/${messageId}/retry`, {}, { fromPage: `/admin/outbox/${messageId}` });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/admin/outbox/${messageId}`);
    expect((await t.mail.viewMessage(messageId, { actor: { id: null, label: 't' } })).state).toBe('queued');
    expect((await audit('mail.retried')).map((a) => a.subject_id)).toContain(messageId);
    // Queued again, so it cannot be retried a second time.
    const again = await admin.post(`/admin/outbox/${messageId}/retry`, {}, { fromPage: `/admin/outbox/${messageId}` });
    expect(again.statusCode).toBe(400);
    expect(again.body).toContain('Only a message that has not been sent can be tried again');
  });

  describe('email wording', () => {
    it('lists every email with whether its wording was changed', async () => {
      const res = await admin.get('/admin/templates');
      expect(res.statusCode).toBe(200);
      for (const name of [
        'Ask the requester to confirm their details',
        'Tell the requester their copy is ready',
        'Tell staff a request has been referred',
        'Tell the quality assurance service manager the copy has been sent',
      ])
        expect(res.body).toContain(name.replace(/’/g, '’'));
      expect(res.body).toContain('href="/admin/templates/copy-ready"');
    });

    it('previews wording with example values without saving it', async () => {
      await admin.get('/admin/templates/one-time-code');
      expect(admin.lastHtml).toContain('<code>((code))</code>');
      const res = await admin.post('/admin/templates/one-time-code', {
        subject: 'Your code',
        body: 'Code: ((code))\nValid for ((expires_in)).',
        version: '0',
        action: 'preview',
      });
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('Preview with example values');
      expect(res.body).toContain('Subject: OFFICIAL-SENSITIVE: Your code');
      expect(res.body).toContain('Code: 482915<br />\nValid for 10 minutes.');
      expect((await t.mail.templateForEditing('one-time-code')).customised).toBe(false);
    });

    it('refuses unknown placeholders and missing required ones, with the error summary linking to the field', async () => {
      await admin.get('/admin/templates/copy-ready');
      const res = await admin.post('/admin/templates/copy-ready', {
        subject: 'For ((child_name))',
        body: 'Your copy is ready.',
        version: '0',
        action: 'save',
      });
      expect(res.statusCode).toBe(400);
      expect(res.body).toMatch(/<title>Error: /);
      expect(res.body).toContain('href="#subject"');
      expect(res.body).toContain('Subject uses ((child_name)), which is not a placeholder this email can use');
      expect(res.body).toContain('href="#body"');
      expect(res.body).toContain('Message must include ((download_link))');
      // What was typed stays in the form.
      expect(res.body).toContain('value="For ((child_name))"');
      expect((await t.mail.templateForEditing('copy-ready')).customised).toBe(false);
      const preview = await admin.post('/admin/templates/copy-ready', {
        subject: 's',
        body: 'none',
        version: '0',
        action: 'preview',
      });
      expect(preview.statusCode).toBe(400);
      expect(preview.body).not.toContain('Preview with example values');
    });

    it('saves new wording, which new messages use; a stale form is refused; the default can be put back', async () => {
      await admin.get('/admin/templates/request-referred');
      const form = {
        subject: 'Referred: ((request_reference))',
        body: 'Please look at ((request_link)) today.',
        action: 'save',
      };
      const saved = await admin.post('/admin/templates/request-referred', { ...form, version: '0' });
      expect(saved.statusCode).toBe(303);
      expect(saved.headers.location).toBe('/admin/templates/request-referred?done=saved');
      const after = await admin.get(saved.headers.location!);
      expect(after.body).toContain('Your wording has been saved');
      expect(after.body).toContain('value="Referred: ((request_reference))"');
      expect((await audit('mail.template.changed')).map((a) => a.actor_label)).toContain('Ada Admin');

      const { messageId } = await t.mail.queue(
        'request-referred',
        'support@council.gov.uk',
        {
          request_reference: 'CR-9',
          received_on: '2 April 2026',
          due_on: '5 May 2026',
          referred_by: 'Chris Chair',
          request_link: 'https://cpcr.example/requests/1',
        },
        ABOUT,
      );
      const m = await t.mail.viewMessage(messageId, { actor: { id: null, label: 't' } });
      expect(m.subject).toBe('OFFICIAL-SENSITIVE: Referred: CR-9');
      expect(m.body).toBe(
        'OFFICIAL-SENSITIVE\n\nPlease look at https://cpcr.example/requests/1 today.\n\nOFFICIAL-SENSITIVE\n',
      );

      // A second administrator still holding the old form (version 0) does not overwrite it.
      const stale = await admin.post(
        '/admin/templates/request-referred',
        { ...form, subject: 'Overwrite', version: '0' },
        { fromPage: '/admin/templates/request-referred' },
      );
      expect(stale.statusCode).toBe(409);
      expect(stale.body).toContain('Someone else changed this email while you were editing it');
      expect(stale.body).toContain('The wording someone else saved');
      expect((await t.mail.templateForEditing('request-referred')).subject).toBe('Referred: ((request_reference))');

      const list = await admin.get('/admin/templates');
      expect(list.body).toMatch(/Changed/);
      const version = String((await t.mail.templateForEditing('request-referred')).version);
      expect(
        (await admin.post('/admin/templates/request-referred/reset', { version }, { csrf: false })).statusCode,
      ).toBe(403);
      const reset = await admin.post(
        '/admin/templates/request-referred/reset',
        { version },
        { fromPage: '/admin/templates/request-referred' },
      );
      expect(reset.statusCode).toBe(303);
      expect((await admin.get(reset.headers.location!)).body).toContain('The default wording has been put back.');
      expect((await t.mail.templateForEditing('request-referred')).customised).toBe(false);
    });

    it('an unknown email is not found', async () => {
      expect((await admin.get('/admin/templates/no-such-email')).statusCode).toBe(404);
      expect((await admin.get('/admin/templates/..%2Fetc')).statusCode).toBe(404);
    });
  });
});
