import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../domain/access/roles.ts';
import { recordingPermissionLinks } from '../../infra/db/recording-permission-schema.ts';
import { readOutbox } from '../../infra/mail/test-support.ts';
import { type SiblingGroupConference, siblingGroupConference } from '../../../test/support/conferences.ts';
import { auditRows, staff } from '../../../test/support/people.ts';
import { as, giveMotherEmail, problemsOf } from '../../../test/support/recording-to-record.ts';
import { createTestServices, testDatabases, type TestContext } from '../../../test/support/services.ts';
import { keyedCodeHash } from '../requests/delivery-service.ts';
import { notingSecrets } from '../requests/delivery-test-support.ts';
import { RecordingPermissionService } from './service.ts';
import { UndertakingLinkService } from './undertaking-link.ts';

const CODE_KEY = Buffer.alloc(32, 7);

const PUBLIC = { actor: { id: null, label: 'anyone' }, correlationId: 'public' };

const problemFields = async (p: Promise<unknown>) =>
  (await problemsOf(p)).map(([field, message]) => `${field}: ${message}`);

describe.each(testDatabases())(
  'P-1: the undertaking confirmed through a secure link with a one-time code (%s)',
  (kind) => {
    let ctx: TestContext;
    let service: RecordingPermissionService;
    let links: UndertakingLinkService;
    let secrets: ReturnType<typeof notingSecrets>;
    let support: Actor;
    let g: SiblingGroupConference;

    beforeAll(async () => {
      ctx = await createTestServices(kind);
      secrets = notingSecrets();
      const { uow, blobs, mail, timescales, config } = ctx.services;
      service = new RecordingPermissionService({
        uow,
        clock: ctx.clock,
        blobs,
        mail,
        noticeHours: timescales.recordingPermissionNoticeHours,
        councilName: config.councilName,
        publicBaseUrl: config.publicBaseUrl,
        secrets,
      });
      links = new UndertakingLinkService({ uow, clock: ctx.clock, mail, secrets, codeKey: CODE_KEY });
      const sw = await staff(ctx, 'Sam Worker', ['social_worker']);
      const chair = await staff(ctx, 'Cal Chair', ['chair']);
      support = await staff(ctx, 'Bo Support', ['business_support']);
      ctx.clock.current = new Date('2026-02-20T10:00:00Z');
      g = await siblingGroupConference(ctx, { socialWorker: sw, chair });
      await giveMotherEmail(ctx, g);
    });
    afterAll(async () => {
      await ctx.dispose();
    });

    it('P-1, P-7: the link is emailed with the request; only digests are kept; a wrong code counts; the right one signs the undertaking', async () => {
      const r = await service.record(
        support,
        { conferenceId: g.conferenceId },
        {
          requester: { kind: 'family', personId: g.people.mother },
          askedOn: '2026-02-20',
          askedAtTime: '09:00',
          method: 'email',
          purpose: 'To remember what is said.',
          undertaking: 'online',
          file: null,
        },
        as(support),
      );
      expect(r.status.value).toBe('awaiting-undertaking');
      const token = secrets.tokens.at(-1)!;
      const [email] = await readOutbox(ctx.services.database, {
        to: 'grace@example.org',
        template: 'recording-permission-link',
      });
      expect(email!.body).not.toContain(token);
      const [row] = await ctx.services.database.db.select().from(recordingPermissionLinks);
      expect(row!.tokenHash).toBe(secrets.hash(token));

      expect((await links.open('not-a-real-token-at-all-000', PUBLIC)).status).toBe('unknown');
      const opened = await links.open(token, PUBLIC);
      expect(opened).toMatchObject({ status: 'active', requesterName: 'Grace Okafor', codeSent: false });
      expect(opened.meeting).toContain('child protection conference on 2 March 2026');

      expect(await problemFields(links.confirm(token, { code: '', name: '', agreed: false }, PUBLIC))).toEqual([
        'agreed: Tick the box to say you agree not to publish or share the recording',
        'name: Enter your full name',
        'code: Enter the 6-digit code from the email',
      ]);
      expect(await links.sendCode(token, PUBLIC)).toEqual({ status: 'active' });
      const code = secrets.codes.at(-1)!;
      const wrong = code === '000000' ? '111111' : '000000';
      expect(
        await problemFields(links.confirm(token, { code: wrong, name: 'Grace Okafor', agreed: true }, PUBLIC)),
      ).toEqual(['code: The code is wrong. You can try 4 more times']);
      const [after] = await ctx.services.database.db.select().from(recordingPermissionLinks);
      expect(after!.codeAttempts).toBe(1);
      // P-1: keyed with the server's secret, never a plain digest of six digits a stolen database would give away.
      expect(after!.codeHash).toBe(keyedCodeHash(CODE_KEY, after!.id, code));
      expect(after!.codeHash).not.toBe(secrets.hash(code));

      expect(
        await links.confirm(
          token,
          { code: ` ${code.slice(0, 3)} ${code.slice(3)} `, name: 'Grace Okafor', agreed: true },
          PUBLIC,
        ),
      ).toEqual({
        status: 'confirmed',
      });
      const detail = await service.detail(support, r.id, as(support));
      expect(detail.request).toMatchObject({
        status: { value: 'awaiting-decision' },
        undertaking: { signed: true, signedVia: 'online' },
      });
      expect(detail.link).toMatchObject({ state: 'confirmed' });
      expect((await links.open(token, PUBLIC)).status).toBe('confirmed');
      const audit = await auditRows(ctx, 'recording-permission.undertaking.confirm');
      expect(audit).toHaveLength(1);
      expect(JSON.stringify(audit[0])).not.toContain(token);
      expect(JSON.stringify(audit[0])).not.toContain('Grace');
    });

    it('P-1: a new link cancels the one before; a link past its week no longer works', async () => {
      const r = await service.record(
        support,
        { conferenceId: g.conferenceId },
        {
          requester: { kind: 'family', personId: g.people.mother },
          askedOn: '2026-02-20',
          askedAtTime: '09:30',
          method: 'phone',
          purpose: 'To remember what is said.',
          undertaking: 'later',
          file: null,
        },
        as(support),
      );
      await service.sendUndertakingLink(support, r.id, as(support));
      const first = secrets.tokens.at(-1)!;
      const d = await service.sendUndertakingLink(support, r.id, as(support));
      const second = secrets.tokens.at(-1)!;
      expect(d.link).toMatchObject({ state: 'active' });
      expect((await links.open(first, PUBLIC)).status).toBe('revoked');
      expect((await links.open(second, PUBLIC)).status).toBe('active');
      ctx.clock.current = new Date('2026-02-28T10:00:00Z');
      expect((await links.open(second, PUBLIC)).status).toBe('expired');
      ctx.clock.current = new Date('2026-02-20T10:00:00Z');
    });
    it('P-1: a code kept as a plain digest (sent before codes were keyed) is never accepted; a new code works', async () => {
      const r = await service.record(
        support,
        { conferenceId: g.conferenceId },
        {
          requester: { kind: 'family', personId: g.people.mother },
          askedOn: '2026-02-20',
          askedAtTime: '10:00',
          method: 'email',
          purpose: 'To remember what is said.',
          undertaking: 'online',
          file: null,
        },
        as(support),
      );
      const token = secrets.tokens.at(-1)!;
      await links.sendCode(token, PUBLIC);
      const code = secrets.codes.at(-1)!;
      const link = (await ctx.services.database.db.select().from(recordingPermissionLinks)).find(
        (l) => l.requestId === r.id,
      )!;
      await ctx.services.database.db
        .update(recordingPermissionLinks)
        .set({ codeHash: secrets.hash(code) })
        .where(eq(recordingPermissionLinks.id, link.id));
      expect(await problemFields(links.confirm(token, { code, name: 'Grace Okafor', agreed: true }, PUBLIC))).toEqual([
        'code: This code no longer works. Ask for a new code',
      ]);
      await links.sendCode(token, PUBLIC);
      expect(
        await links.confirm(token, { code: secrets.codes.at(-1)!, name: 'Grace Okafor', agreed: true }, PUBLIC),
      ).toEqual({ status: 'confirmed' });
    });
  },
);
