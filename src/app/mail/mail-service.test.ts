import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { testDatabases } from '../../../test/support/services.ts';
import { ConflictError, NotFoundError } from '../../domain/shared/errors.ts';
import { createUnitOfWork } from '../../infra/db/unit-of-work.ts';
import { COPY_READY_VALUES, FakeTransport, type MailHarness, mailHarness } from '../../infra/mail/test-support.ts';
import { MailDeliveryRetry, MailService } from './mail-service.ts';
import { MailSendError } from './ports.ts';
import { InvalidTemplateError, MailError, TEMPLATE_DEFINITIONS } from './templates.ts';

const ABOUT = { subjectType: 'copy_request', subjectId: '6f1c0e2a-0000-4000-8000-000000000001' };
const TO = 'jordan.requester@example.org';
const admin = { actor: { id: null, label: 'Ada Admin' }, requestId: 'req-1' };

describe.each(testDatabases())('mail on %s', (kind) => {
  let h: MailHarness;
  let transport: FakeTransport;
  let sending: MailService;

  beforeAll(async () => {
    h = await mailHarness(kind);
  });
  beforeEach(async () => {
    await h.reset();
    transport = new FakeTransport();
    sending = h.withDelivery({ kind: 'send', transport });
  });
  afterAll(async () => {
    await h?.dispose();
  });

  const auditActions = async () =>
    (
      await h.database.execute(
        `select action, subject_type, subject_id, outcome, details from audit_events where seq > $1 order by seq`,
        [h.auditSince],
      )
    ).rows as Array<{
      action: string;
      subject_type: string;
      subject_id: string;
      outcome: string;
      details: Record<string, unknown>;
    }>;
  const outbox = (m: MailService = h.mail) => m.listMessages({});

  describe('queueing in the caller’s transaction', () => {
    it('stores the rendered, marked message with its step, and audits it against the message', async () => {
      const uow = createUnitOfWork(h.database.db, () => h.clock.now());
      const { messageId } = await uow.run((repos) =>
        h.mail.queueWithin(repos, { template: 'copy-ready', to: TO, values: COPY_READY_VALUES, about: ABOUT }),
      );
      const m = await h.mail.viewMessage(messageId, admin);
      expect(m).toMatchObject({
        templateKey: 'copy-ready',
        templateVersion: 0,
        to: TO,
        state: 'queued',
        attempts: 0,
        subjectType: 'copy_request',
        subjectId: ABOUT.subjectId,
      });
      expect(m.subject).toBe('OFFICIAL-SENSITIVE: Your copy of the conference recording is ready');
      expect(m.body).toMatch(/^OFFICIAL-SENSITIVE\n\nDear Jordan Requester\n/);
      expect(m.body).toMatch(/\nEastshire Council\n\nOFFICIAL-SENSITIVE\n$/);
      expect((await auditActions()).find((a) => a.action === 'mail.queued')).toMatchObject({
        subject_type: 'outbox_message',
        subject_id: messageId,
        details: { template: 'copy-ready', about: { type: 'copy_request', id: ABOUT.subjectId } },
      });
      // Not dispatched: the caller does that once its transaction has committed.
      expect(h.queued).toEqual([]);
    });

    it('leaves nothing behind when the step’s transaction rolls back', async () => {
      const uow = createUnitOfWork(h.database.db, () => h.clock.now());
      await expect(
        uow.run(async (repos) => {
          await h.mail.queueWithin(repos, { template: 'copy-ready', to: TO, values: COPY_READY_VALUES, about: ABOUT });
          throw new Error('the step failed');
        }),
      ).rejects.toThrow('the step failed');
      expect((await outbox()).total).toBe(0);
      expect((await auditActions()).map((a) => a.action)).not.toContain('mail.queued');
    });

    it('an email that cannot be composed rolls back the step that asked for it', async () => {
      const uow = createUnitOfWork(h.database.db, () => h.clock.now());
      await expect(
        uow.run(async (repos) => {
          await repos.audit.record({ action: 'test.step', actor: admin.actor, outcome: 'success' });
          await h.mail.queueWithin(repos, {
            template: 'copy-ready',
            to: 'not-an-address',
            values: COPY_READY_VALUES,
            about: ABOUT,
          });
        }),
      ).rejects.toMatchObject({ code: 'INVALID_ADDRESS', field: 'to' });
      expect((await auditActions()).map((a) => a.action)).not.toContain('test.step');
      expect((await outbox()).total).toBe(0);
    });

    it('send() stores and queues delivery at once', async () => {
      const { messageId } = await h.mail.send('copy-ready', TO, COPY_READY_VALUES, ABOUT);
      expect(h.queued).toEqual([messageId]);
    });

    it('refuses an unknown email, a bad address, missing or unexpected values, naming the problem', async () => {
      await expect(h.mail.queue('hello', TO, {}, ABOUT)).rejects.toThrow('There is no email called hello');
      await expect(h.mail.queue('copy-ready', 'not-an-address', COPY_READY_VALUES, ABOUT)).rejects.toMatchObject({
        code: 'INVALID_ADDRESS',
      });
      const { reply_to: _r, ...missing } = COPY_READY_VALUES;
      await expect(h.mail.queue('copy-ready', TO, missing, ABOUT)).rejects.toThrow(
        'The copy-ready email needs a value for ((reply_to))',
      );
      await expect(
        h.mail.queue('copy-ready', TO, { ...COPY_READY_VALUES, council_name: 'Other' }, ABOUT),
      ).rejects.toThrow(/filled in by the service/);
      await expect(
        h.mail.queue('copy-ready', TO, { ...COPY_READY_VALUES, child_dob: '1 May 2012' }, ABOUT),
      ).rejects.toBeInstanceOf(MailError);
      expect((await outbox()).total).toBe(0);
    });
  });

  describe('delivery', () => {
    it('MAIL_TRANSPORT=outbox: keeps the message for administrators instead of sending it', async () => {
      const { messageId } = await h.mail.send('copy-ready', TO, COPY_READY_VALUES, ABOUT);
      expect(await h.mail.deliver(messageId)).toBe('kept');
      expect(await h.mail.viewMessage(messageId, admin)).toMatchObject({
        state: 'kept',
        attempts: 1,
        transport: 'outbox',
        completedAt: h.clock.now(),
      });
      expect(await h.mail.deliver(messageId)).toBe('skipped');
      expect((await auditActions()).filter((a) => a.action === 'mail.kept')).toHaveLength(1);
    });

    it('sends through the transport with the message id as reference, once', async () => {
      const { messageId } = await sending.send('copy-ready', TO, COPY_READY_VALUES, ABOUT);
      expect(await sending.deliver(messageId)).toBe('sent');
      expect(await sending.deliver(messageId)).toBe('skipped');
      expect(transport.sent).toHaveLength(1);
      expect(transport.sent[0]).toMatchObject({
        to: TO,
        reference: messageId,
        subject: expect.stringMatching(/^OFFICIAL-SENSITIVE: /),
      });
      expect(await sending.viewMessage(messageId, admin)).toMatchObject({
        state: 'sent',
        attempts: 1,
        transport: 'smtp',
        providerId: '<fake-1@test>',
        lastError: null,
      });
    });

    it('records a transient failure with its code and attempts, throws so the job is retried, and sends on a later attempt', async () => {
      const { messageId } = await sending.send('copy-ready', TO, COPY_READY_VALUES, ABOUT);
      transport.failWith = new MailSendError('smtp:ECONNECTION', false);
      await expect(sending.deliver(messageId)).rejects.toBeInstanceOf(MailDeliveryRetry);
      await expect(sending.deliver(messageId)).rejects.toThrow(/will be tried again/);
      expect(await sending.viewMessage(messageId, admin)).toMatchObject({
        state: 'failed',
        attempts: 2,
        lastError: 'smtp:ECONNECTION',
      });
      transport.failWith = null;
      expect(await sending.deliver(messageId)).toBe('sent');
      expect(await sending.viewMessage(messageId, admin)).toMatchObject({
        state: 'sent',
        attempts: 3,
        lastError: null,
      });
      expect(
        (await auditActions()).filter((a) => a.action === 'mail.failed').map((a) => [a.outcome, a.details['error']]),
      ).toEqual([
        ['failure', 'smtp:ECONNECTION'],
        ['failure', 'smtp:ECONNECTION'],
      ]);
    });

    it('records a permanent refusal as rejected without retrying; an administrator can send it again', async () => {
      const { messageId } = await sending.send('copy-ready', TO, COPY_READY_VALUES, ABOUT);
      transport.failWith = new MailSendError('smtp:EENVELOPE 550', true);
      expect(await sending.deliver(messageId)).toBe('rejected');
      expect(await sending.deliver(messageId)).toBe('skipped');
      expect(await sending.viewMessage(messageId, admin)).toMatchObject({
        state: 'rejected',
        attempts: 1,
        lastError: 'smtp:EENVELOPE 550',
      });
      transport.failWith = null;
      h.queued.length = 0;
      await sending.retryMessage(messageId, admin);
      expect(h.queued).toEqual([messageId]);
      expect(await sending.deliver(messageId)).toBe('sent');
      // a refused email kept its usable link for the retry; the outbox shows it masked.
      expect(transport.sent.at(-1)!.text).toContain(COPY_READY_VALUES.download_link);
      expect((await sending.viewMessage(messageId, admin)).body).not.toContain(COPY_READY_VALUES.download_link);
      await expect(sending.retryMessage(messageId, admin)).rejects.toThrow(
        'Only a message that has not been sent can be tried again',
      );
      await expect(sending.retryMessage('6f1c0e2a-0000-4000-8000-00000000ffff', admin)).rejects.toBeInstanceOf(
        NotFoundError,
      );
    });

    it('an unexpected error is stored as a code, never its message (which may quote the address)', async () => {
      const { messageId } = await sending.send('copy-ready', TO, COPY_READY_VALUES, ABOUT);
      transport.failWith = new Error(`Mailbox ${TO} is full`);
      await expect(sending.deliver(messageId)).rejects.toBeInstanceOf(MailDeliveryRetry);
      expect((await sending.viewMessage(messageId, admin)).lastError).toBe('smtp:unexpected');
      expect(JSON.stringify(await auditActions())).not.toContain(TO);
    });

    it('two workers delivering the same message at once send it once', async () => {
      const { messageId } = await sending.send('copy-ready', TO, COPY_READY_VALUES, ABOUT);
      const outcomes = await Promise.all([
        sending.deliver(messageId),
        sending.deliver(messageId),
        sending.deliver(messageId),
      ]);
      expect(outcomes.sort()).toEqual(['sent', 'skipped', 'skipped']);
      expect(transport.sent).toHaveLength(1);
    });

    it('never logs an address, a subject or a body', async () => {
      const { messageId } = await sending.send('copy-ready', TO, COPY_READY_VALUES, ABOUT);
      transport.failWith = new MailSendError('smtp:ETIMEDOUT', false);
      await expect(sending.deliver(messageId)).rejects.toThrow();
      transport.failWith = null;
      await sending.deliver(messageId);
      const logs = h.logger.text();
      expect(h.logger.lines.length).toBeGreaterThanOrEqual(2);
      for (const secret of [TO, 'Jordan', 'download/abc', 'recording is ready', 'CR-2026-0007'])
        expect(logs).not.toContain(secret);
      expect(logs).toContain(messageId);
    });
  });

  describe('the sweep: nothing is lost', () => {
    it('queues messages whose job was never queued, whose retries ran out, or whose worker died', async () => {
      const never = (await sending.queue('copy-ready', TO, COPY_READY_VALUES, ABOUT)).messageId;
      const failing = (await sending.send('copy-ready', TO, COPY_READY_VALUES, ABOUT)).messageId;
      transport.failWith = new MailSendError('smtp:ECONNECTION', false);
      await expect(sending.deliver(failing)).rejects.toThrow();
      transport.failWith = null;
      const stuck = (await sending.send('copy-ready', TO, COPY_READY_VALUES, ABOUT)).messageId;
      // A worker claims it and dies before recording the result.
      await createUnitOfWork(h.database.db, () => h.clock.now()).run((r) =>
        r.outbox.claim(stuck, h.clock.now(), new Date(0)),
      );
      h.queued.length = 0;

      expect(await sending.sweep()).toBe(0);
      h.clock.advance(2 * 60_000);
      expect(await sending.sweep()).toBe(1);
      expect(h.queued).toEqual([never]);
      h.clock.advance(15 * 60_000);
      h.queued.length = 0;
      await sending.sweep();
      expect(h.queued.sort()).toEqual([never, stuck].sort());
      h.clock.advance(3 * 3_600_000);
      h.queued.length = 0;
      await sending.sweep();
      expect(h.queued.sort()).toEqual([never, failing, stuck].sort());

      for (const id of h.queued) expect(await sending.deliver(id)).toBe('sent');
      expect(await sending.sweep()).toBe(0);
      expect(transport.sent).toHaveLength(3);
    });

    it('a delivery queue that is down loses nothing: the message waits for the sweep', async () => {
      const broken = new MailService({
        uow: createUnitOfWork(h.database.db, () => h.clock.now()),
        clock: h.clock,
        delivery: { kind: 'keep' },
        queue: {
          enqueueDelivery: async () => {
            throw new Error('The job queue is not running');
          },
        },
        logger: h.logger,
        settings: { councilName: 'Eastshire Council' },
      });
      const { messageId } = await broken.send('copy-ready', TO, COPY_READY_VALUES, ABOUT);
      expect((await broken.viewMessage(messageId, admin)).state).toBe('queued');
      expect(h.logger.lines.at(-1)?.msg).toMatch(/outbox sweep will/);
      h.clock.advance(2 * 60_000);
      await h.mail.sweep();
      expect(h.queued).toEqual([messageId]);
    });
  });

  describe('templates', () => {
    it('seeds the default wording once', async () => {
      expect(await h.mail.seedTemplates()).toBe(TEMPLATE_DEFINITIONS.length);
      expect(await h.mail.seedTemplates()).toBe(0);
      const list = await h.mail.listTemplates();
      expect(list.map((t) => t.definition.key)).toEqual(TEMPLATE_DEFINITIONS.map((d) => d.key));
      expect(list.every((t) => !t.customised && t.updatedByName === null)).toBe(true);
    });

    it('an administrator’s wording is used for new messages, with its version', async () => {
      await h.mail.seedTemplates();
      const before = await h.mail.templateForEditing('copy-ready');
      expect(before.version).toBe(1);
      await h.mail.saveTemplate(
        'copy-ready',
        {
          subject: 'Ready: ((request_reference))',
          body: 'Hello ((requester_name)).\r\nGet it here: ((download_link))  \r\n',
          version: 1,
        },
        admin,
      );
      const after = await h.mail.templateForEditing('copy-ready');
      expect(after).toMatchObject({
        subject: 'Ready: ((request_reference))',
        body: 'Hello ((requester_name)).\nGet it here: ((download_link))',
        version: 2,
        customised: true,
      });
      const { messageId } = await h.mail.queue('copy-ready', TO, COPY_READY_VALUES, ABOUT);
      const m = await h.mail.viewMessage(messageId, admin);
      expect(m).toMatchObject({ subject: 'OFFICIAL-SENSITIVE: Ready: CR-2026-0007', templateVersion: 2 });
      // the download link is kept masked (src/app/mail/secrets.ts).
      expect(m.body).toBe(
        'OFFICIAL-SENSITIVE\n\nHello Jordan Requester.\nGet it here: https://cpcr.example.test/download/••••••••\n\nOFFICIAL-SENSITIVE\n',
      );
      expect((await auditActions()).find((a) => a.action === 'mail.template.changed')).toMatchObject({
        subject_type: 'message_template',
        subject_id: 'copy-ready',
        details: { version: 2 },
      });
    });

    it('saves a template that was never seeded (version 0)', async () => {
      await h.mail.saveTemplate('one-time-code', { subject: 'Code', body: 'Your code: ((code))', version: 0 }, admin);
      expect(await h.mail.templateForEditing('one-time-code')).toMatchObject({
        body: 'Your code: ((code))',
        version: 2,
      });
    });

    it('refuses wording with unknown placeholders or without the ones it needs, saving nothing', async () => {
      await h.mail.seedTemplates();
      const err = await h.mail
        .saveTemplate('copy-ready', { subject: 'For ((child_name))', body: 'No link here', version: 1 }, admin)
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(InvalidTemplateError);
      expect((err as InvalidTemplateError).problems.map((p) => p.field)).toEqual(['subject', 'body']);
      expect((await h.mail.templateForEditing('copy-ready')).version).toBe(1);
    });

    it('refuses to overwrite wording someone else saved meanwhile', async () => {
      await h.mail.seedTemplates();
      await h.mail.saveTemplate('copy-ready', { subject: 'First', body: '((download_link))', version: 1 }, admin);
      await expect(
        h.mail.saveTemplate('copy-ready', { subject: 'Second', body: '((download_link))', version: 1 }, admin),
      ).rejects.toBeInstanceOf(ConflictError);
      expect((await h.mail.templateForEditing('copy-ready')).subject).toBe('First');
    });

    it('puts the default wording back', async () => {
      await h.mail.seedTemplates();
      await h.mail.saveTemplate('copy-ready', { subject: 'First', body: '((download_link))', version: 1 }, admin);
      await h.mail.resetTemplate('copy-ready', 2, admin);
      expect(await h.mail.templateForEditing('copy-ready')).toMatchObject({ customised: false, version: 3 });
      expect((await auditActions()).map((a) => a.action)).toContain('mail.template.reset');
    });

    it('previews wording with example values, or gives its problems', () => {
      const p = h.mail.previewTemplate('one-time-code', {
        subject: 'Code',
        body: 'Code: ((code)) for ((council_name))',
      });
      expect(p).toEqual({
        ok: true,
        preview: {
          subject: 'OFFICIAL-SENSITIVE: Code',
          text: 'OFFICIAL-SENSITIVE\n\nCode: 482915 for Eastshire Council\n\nOFFICIAL-SENSITIVE\n',
        },
      });
      expect(h.mail.previewTemplate('one-time-code', { subject: 'Code', body: 'none' })).toMatchObject({
        ok: false,
        problems: [{ field: 'body' }],
      });
      expect(() => h.mail.previewTemplate('nope', { subject: 's', body: 'b' })).toThrow(NotFoundError);
    });
  });

  describe('the outbox for administrators', () => {
    it('lists newest first, a page at a time, with counts by state; viewing a message is audited', async () => {
      for (let i = 0; i < 52; i++) {
        await h.mail.queue('copy-ready', TO, COPY_READY_VALUES, ABOUT);
        h.clock.advance(1000);
      }
      const { messageId } = await h.mail.send('copy-ready', TO, COPY_READY_VALUES, ABOUT);
      await h.mail.deliver(messageId);
      const first = await h.mail.listMessages({});
      expect(first).toMatchObject({ total: 53, page: 1, pages: 2, counts: { queued: 52, kept: 1, sent: 0 } });
      expect(first.messages).toHaveLength(50);
      expect(first.messages[0]!.id).toBe(messageId);
      expect(first.messages[0]).not.toHaveProperty('body');
      expect((await h.mail.listMessages({ page: 2 })).messages).toHaveLength(3);
      expect((await h.mail.listMessages({ state: 'kept' })).messages.map((m) => m.id)).toEqual([messageId]);
      await h.mail.viewMessage(messageId, admin);
      expect((await auditActions()).filter((a) => a.action === 'mail.viewed')).toEqual([
        expect.objectContaining({ subject_id: messageId, outcome: 'success' }),
      ]);
      await expect(h.mail.viewMessage('6f1c0e2a-0000-4000-8000-00000000ffff', admin)).rejects.toBeInstanceOf(
        NotFoundError,
      );
    });
  });
});
