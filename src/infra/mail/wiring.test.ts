import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type TestContext, createTestServices, testDatabases } from '../../../test/support/services.ts';
import { TEMPLATE_DEFINITIONS } from '../../app/mail/templates.ts';
import { MAIL_DELIVER_JOB, MAIL_SWEEP_JOB } from './index.ts';
import { COPY_READY_VALUES, readOutbox } from './test-support.ts';

const TO = 'jordan.requester@example.org';
const ABOUT = { subjectType: 'copy_request', subjectId: '6f1c0e2a-0000-4000-8000-000000000001' };
const system = { id: null, label: 'system' };

describe.each(testDatabases())('email wired into the service on %s', (kind) => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestServices(kind);
  });
  beforeEach(async () => {
    await ctx.services.database.execute('delete from outbox_messages');
    ctx.queuedMail.length = 0;
  });
  afterAll(async () => {
    await ctx?.dispose();
  });

  it('seeds every template’s default wording at start, once, without overwriting an administrator’s change', async () => {
    const keys = async () =>
      (
        (await ctx.services.database.execute('select key from message_templates order by key')).rows as Array<{
          key: string;
        }>
      ).map((r) => r.key);
    expect(await keys()).toEqual(TEMPLATE_DEFINITIONS.map((d) => d.key).sort());
    await ctx.services.mail.saveTemplate(
      'one-time-code',
      { subject: 'Your code', body: 'Code: ((code))', version: 1 },
      { actor: system },
    );
    expect(await ctx.services.mail.seedTemplates()).toBe(0);
    expect((await ctx.services.mail.templateForEditing('one-time-code')).subject).toBe('Your code');
    await ctx.services.mail.resetTemplate('one-time-code', 2, { actor: system });
  });

  it('runs delivery as a pg-boss worker and the sweep every minute', () => {
    expect(ctx.services.workers.find((w) => w.name === MAIL_DELIVER_JOB)).toMatchObject({ retryLimit: 8 });
    expect(ctx.services.scheduledJobs.find((j) => j.name === MAIL_SWEEP_JOB)).toMatchObject({ cron: '* * * * *' });
    expect(ctx.config.mail).toEqual({ transport: 'outbox' });
    expect(ctx.services.mail.transportName).toBe('outbox');
  });

  it('a step and its email commit together in the shared unit of work, and the email is delivered after commit', async () => {
    const { messageId } = await ctx.services.uow.run(async (repos) => {
      await repos.audit.record({ action: 'test.step', actor: system, outcome: 'success' });
      return ctx.services.mail.queueWithin(repos, {
        template: 'copy-ready',
        to: TO,
        values: COPY_READY_VALUES,
        about: ABOUT,
      });
    });
    // Nothing is delivered from inside the transaction: the caller dispatches once it has committed.
    expect(ctx.queuedMail).toEqual([]);
    await ctx.services.mail.dispatch(messageId);
    expect(ctx.queuedMail).toEqual([messageId]);
    const [email, ...rest] = await readOutbox(ctx.services.database, { to: TO });
    expect(rest).toEqual([]);
    expect(email).toMatchObject({
      id: messageId,
      templateKey: 'copy-ready',
      state: 'kept',
      transport: 'outbox',
      attempts: 1,
      subjectType: 'copy_request',
      subjectId: ABOUT.subjectId,
    });
    expect(email!.subject).toBe('OFFICIAL-SENSITIVE: Your copy of the conference recording is ready');
    // the download link is stored masked: the outbox shows where it pointed, never the usable link.
    expect(email!.body).not.toContain(COPY_READY_VALUES.download_link);
    expect(email!.body).toContain('https://cpcr.example.test/download/••••••••');
    expect(email).toMatchObject({ secretsMasked: true, sealed: null });
    expect(email!.body).toContain(`\n${ctx.config.councilName}\n`);
    expect(await readOutbox(ctx.services.database, { template: 'one-time-code' })).toEqual([]);
  });

  it('a step that fails takes its email with it', async () => {
    await expect(
      ctx.services.uow.run(async (repos) => {
        await ctx.services.mail.queueWithin(repos, {
          template: 'copy-ready',
          to: TO,
          values: COPY_READY_VALUES,
          about: ABOUT,
        });
        throw new Error('the step failed');
      }),
    ).rejects.toThrow('the step failed');
    expect(await readOutbox(ctx.services.database)).toEqual([]);
  });
});
