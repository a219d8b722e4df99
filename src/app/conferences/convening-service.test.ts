import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../domain/access/roles.ts';
import { AccessDeniedError, DomainError, InvalidDetailsError } from '../../domain/shared/errors.ts';
import {
  caseNotes,
  conferenceInvitees,
  conferenceParts,
  conferenceReports,
  conferences,
  professionals,
  users,
} from '../../infra/db/schema.ts';
import { addChild, auditRows, staff } from '../../../test/support/people.ts';
import {
  PDF_BYTES,
  type SiblingFixture,
  ctxOf,
  docxBytes,
  initialInput,
  markHeld,
  odtBytes,
  siblingFixture,
} from '../../../test/support/convening.ts';
import { type TestContext, createTestServices, testDatabases } from '../../../test/support/services.ts';
import type { ConveneInput } from './convening-service.ts';

/** The fields an InvalidDetailsError names, in order. */
async function problemFields(p: Promise<unknown>): Promise<string[]> {
  try {
    await p;
  } catch (err) {
    if (err instanceof InvalidDetailsError) return err.problems.map((x) => x.field);
    throw err;
  }
  throw new Error('expected InvalidDetailsError');
}

describe.each(testDatabases())('convening conferences (%s)', (kind) => {
  let ctx: TestContext;
  let f: SiblingFixture;
  const count = async () => (await ctx.services.database.db.select().from(conferences)).length;

  beforeAll(async () => {
    ctx = await createTestServices(kind);
    f = await siblingFixture(ctx);
  });
  afterAll(async () => {
    await ctx.dispose();
  });

  describe('each type of conference', () => {
    it('convenes an initial conference for a sibling group within T-1, with one part "Whole conference", audited', async () => {
      const { id, prepared } = await ctx.services.convening.convene(f.sw, initialInput(f), ctxOf(f.sw));
      expect(prepared.assessment).toMatchObject({ withinTimescale: true });
      // T-1: 15 working days from Friday 27 February 2026 is Friday 20 March 2026.
      expect(prepared.deadline).toMatchObject({ ruleId: 'T-1', from: '2026-02-27', due: '2026-03-20' });
      const [row] = await ctx.services.database.db.select().from(conferences).where(eq(conferences.id, id));
      expect(row).toMatchObject({
        type: 'initial',
        status: 'planned',
        dueRule: 'initial-conference',
        dueDate: '2026-03-20',
        venueKind: 'hybrid',
        lateAgreedBy: null,
        lateReason: null,
        createdByUserId: f.sw.id,
      });
      const parts = await ctx.services.database.db
        .select()
        .from(conferenceParts)
        .where(eq(conferenceParts.conferenceId, id));
      expect(parts).toEqual([
        expect.objectContaining({ ordinal: 1, label: 'Whole conference', startOffsetMinutes: 0, durationMinutes: 120 }),
      ]);
      expect(await ctx.services.database.db.select().from(conferences).where(eq(conferences.id, id))).toHaveLength(1);
      const audit = (await auditRows(ctx, 'conference.create')).filter((r) => r.subjectId === id);
      expect(audit).toEqual([
        expect.objectContaining({
          outcome: 'success',
          details: expect.objectContaining({
            type: 'initial',
            dueRule: 'T-1',
            dueDate: '2026-03-20',
            withinTimescale: true,
          }),
        }),
      ]);

      const overview = await ctx.services.convening.getConference(f.chair, id, ctxOf(f.chair));
      expect(overview.children.map((c) => [c.givenNames, c.ageOnConferenceDate, c.presumedToAttend])).toEqual([
        ['Ava', 14, true],
        ['Ben', 6, false],
      ]);
      expect(overview.deadline.explanation).toContain('rule T-1');
      // T-5: three working days before Monday 16 March 2026.
      expect(overview.reportsDeadline).toMatchObject({ ruleId: 'T-5', due: '2026-03-11' });
      expect((await auditRows(ctx, 'conference.view')).filter((r) => r.subjectId === id)).toHaveLength(1);
    });

    it('convenes a pre-birth conference within the T-2 window, for an unborn baby and a sibling', async () => {
      const baby = await addChild(ctx, f.sw, {
        givenNames: 'Baby',
        familyName: 'Okafor',
        dateOfBirth: null,
        expectedDeliveryDate: '2026-08-20',
      });
      const input: ConveneInput = {
        ...initialInput(f),
        childIds: [baby, f.ava],
        type: 'pre-birth',
        strategyDiscussionDate: null,
        expectedDeliveryDate: '2026-08-20',
        preBirthGrounds: ['assessment-significant-harm'],
      };
      const { id, prepared } = await ctx.services.convening.convene(f.sw, input, ctxOf(f.sw));
      // 13 and 24 weeks from 280 days before 20 August 2026.
      expect(prepared.deadline).toMatchObject({ ruleId: 'T-2', earliest: '2026-02-12', latest: '2026-04-30' });
      const overview = await ctx.services.convening.getConference(f.sw, id, ctxOf(f.sw));
      expect(overview.conference.expectedDeliveryDate).toBe('2026-08-20');
      expect(overview.midwifeInvited).toBe(false);
      expect(overview.children.map((c) => c.givenNames)).toEqual(['Ava', 'Baby']);
    });

    it('refuses a pre-birth conference when no child in it is unborn', async () => {
      const before = await count();
      const input: ConveneInput = {
        ...initialInput(f),
        type: 'pre-birth',
        expectedDeliveryDate: '2026-08-20',
        preBirthGrounds: ['risk-in-household'],
      };
      expect(await problemFields(ctx.services.convening.convene(f.sw, input, ctxOf(f.sw)))).toEqual(['type']);
      expect(await count()).toBe(before);
    });

    it('convenes a review only after a held conference (T-3: first review within 90 days)', async () => {
      const g = await siblingFixture(ctx, 'Review');
      const before = await count();
      const review = (over: Partial<ConveneInput>): ConveneInput => ({
        ...initialInput(g),
        type: 'review',
        strategyDiscussionDate: null,
        scheduledDate: '2026-05-11',
        ...over,
      });
      // No conference has been held for these children: nothing to review.
      expect(await problemFields(ctx.services.convening.convene(g.sw, review({}), ctxOf(g.sw)))).toEqual([
        'previousConferenceId',
      ]);
      expect(await count()).toBe(before);

      const { id: initial } = await ctx.services.convening.convene(g.sw, initialInput(g), ctxOf(g.sw));
      // Planned, not held: still not a conference a review can follow.
      expect(
        await problemFields(
          ctx.services.convening.convene(g.sw, review({ previousConferenceId: initial }), ctxOf(g.sw)),
        ),
      ).toEqual(['previousConferenceId']);
      await markHeld(ctx, initial);
      const choices = await ctx.services.convening.previousConferenceChoices(g.sw, [g.ava], ctxOf(g.sw));
      expect(choices.map((c) => c.id)).toEqual([initial]);
      const { prepared } = await ctx.services.convening.convene(
        g.sw,
        review({ previousConferenceId: initial }),
        ctxOf(g.sw),
      );
      // 90 days after 16 March 2026 is Sunday 14 June 2026, so the last working day is Friday 12 June.
      expect(prepared.deadline).toMatchObject({
        rule: 'first-review',
        ruleId: 'T-3',
        from: '2026-03-16',
        due: '2026-06-12',
      });
    });

    it('convenes a transfer-in conference from the notice of the move (T-4)', async () => {
      const input: ConveneInput = {
        ...initialInput(f),
        type: 'transfer-in',
        strategyDiscussionDate: null,
        noticeOfMoveDate: '2026-02-25',
        scheduledDate: '2026-03-10',
      };
      const { prepared } = await ctx.services.convening.convene(f.sw, input, ctxOf(f.sw));
      expect(prepared.deadline).toMatchObject({ ruleId: 'T-4', from: '2026-02-25', due: '2026-03-18' });
    });
  });

  describe('problems are shown on the right field and nothing is saved', () => {
    it('lists every missing answer at once', async () => {
      const before = await count();
      const fields = await problemFields(ctx.services.convening.convene(f.sw, { childIds: [f.ava] }, ctxOf(f.sw)));
      expect(fields).toEqual([
        'type',
        'scheduledDate',
        'startTime',
        'durationMinutes',
        'venueKind',
        'chairUserId',
        'minuteTakerUserId',
      ]);
      const online = await problemFields(
        ctx.services.convening.convene(
          f.sw,
          initialInput(f, { venueKind: 'online', onlineLink: 'http://teams.example/x', startTime: '25:00' }),
          ctxOf(f.sw),
        ),
      );
      expect(online).toEqual(['startTime', 'onlineLink']);
      expect(await count()).toBe(before);
    });

    it('refuses a date before the strategy discussion (T-1)', async () => {
      const before = await count();
      try {
        await ctx.services.convening.convene(
          f.sw,
          initialInput(f, { strategyDiscussionDate: '2026-03-02', scheduledDate: '2026-02-27' }),
          ctxOf(f.sw),
        );
        expect.unreachable();
      } catch (err) {
        expect(err).toBeInstanceOf(InvalidDetailsError);
        expect((err as InvalidDetailsError).problems).toEqual([
          {
            field: 'scheduledDate',
            message: 'The conference date must be on or after the date of the strategy discussion (2 March 2026)',
          },
        ]);
      }
      expect(await count()).toBe(before);
    });

    it('needs the senior manager and the reason for a date after the T-1 due date, and keeps them', async () => {
      const before = await count();
      const late = initialInput(f, { scheduledDate: '2026-03-30' });
      const prepared = await ctx.services.convening.prepareConvening(f.sw, late, ctxOf(f.sw), 'arrangements');
      expect(prepared.assessment).toMatchObject({ withinTimescale: false });
      expect(prepared.assessment!.outsideTimescale).toContain('20 March 2026');
      expect(await problemFields(ctx.services.convening.convene(f.sw, late, ctxOf(f.sw)))).toEqual([
        'lateAgreedBy',
        'lateReason',
      ]);
      expect(
        await problemFields(
          ctx.services.convening.convene(f.sw, { ...late, lateAgreedBy: 'Jo Head, Head of Service' }, ctxOf(f.sw)),
        ),
      ).toEqual(['lateReason']);
      expect(await count()).toBe(before);

      const { id } = await ctx.services.convening.convene(
        f.sw,
        {
          ...late,
          lateAgreedBy: 'Jo Head, Head of Service',
          lateReason: 'The police officer in the case is on leave until 27 March.',
        },
        ctxOf(f.sw),
      );
      const overview = await ctx.services.convening.getConference(f.sw, id, ctxOf(f.sw));
      expect(overview.conference).toMatchObject({
        lateAgreedBy: 'Jo Head, Head of Service',
        lateReason: 'The police officer in the case is on leave until 27 March.',
      });
    });

    it('drops a senior manager’s agreement given for a date that is in time', async () => {
      const { prepared } = await ctx.services.convening.convene(
        f.sw,
        initialInput(f, { lateAgreedBy: 'Someone', lateReason: 'Not needed' }),
        ctxOf(f.sw),
      );
      expect(prepared.input).toMatchObject({ lateAgreedBy: null, lateReason: null });
    });
  });

  describe('who may convene', () => {
    it('refuses a sibling group when the social worker may change only one child (403), audited, nothing saved', async () => {
      const otherSw = await staff(ctx, 'Olu Worker', ['social_worker']);
      const theirs = await addChild(ctx, otherSw, { givenNames: 'Cara', familyName: 'Okafor' });
      const before = await count();
      await expect(
        ctx.services.convening.convene(f.sw, initialInput(f, { childIds: [f.ava, theirs] }), ctxOf(f.sw)),
      ).rejects.toBeInstanceOf(AccessDeniedError);
      expect(await count()).toBe(before);
      const denied = (await auditRows(ctx, 'conference.create')).filter(
        (r) => r.outcome === 'denied' && r.subjectId === theirs,
      );
      expect(denied).toEqual([
        expect.objectContaining({
          actorUserId: f.sw.id,
          details: expect.objectContaining({ reason: 'not the allocated social worker', childIds: [f.ava, theirs] }),
        }),
      ]);
    });

    it('refuses roles that may not change records, audited', async () => {
      const qa: Actor = await staff(ctx, 'Quinn Qa', ['qa_manager']);
      await expect(ctx.services.convening.convene(qa, initialInput(f), ctxOf(qa))).rejects.toBeInstanceOf(
        AccessDeniedError,
      );
      expect(
        (await auditRows(ctx, 'conference.create')).some((r) => r.outcome === 'denied' && r.actorUserId === qa.id),
      ).toBe(true);
    });

    it('offers siblings who share a family member with PR, only those the actor may change', async () => {
      const loner = await addChild(ctx, f.sw, { givenNames: 'Lone', familyName: 'Child' });
      const { start, siblings } = await ctx.services.convening.siblingGroupChoices(f.sw, f.ava, [], ctxOf(f.sw));
      expect(start.id).toBe(f.ava);
      expect(siblings.map((s) => s.id)).toContain(f.ben);
      expect(siblings.map((s) => s.id)).not.toContain(loner);
    });
  });

  describe('invitations', () => {
    let conferenceId: string;
    beforeAll(async () => {
      conferenceId = (await ctx.services.convening.convene(f.sw, initialInput(f), ctxOf(f.sw))).id;
    });

    it('offers the family with PR per child, supporters marked, children 12+ presumed, professionals by agency', async () => {
      const { candidates } = await ctx.services.convening.invitationCandidates(
        f.support,
        conferenceId,
        ctxOf(f.support),
      );
      const byName: Record<string, (typeof candidates.family)[number]> = Object.fromEntries(
        candidates.family.map((m) => [m.name.split(' ')[0], m]),
      );
      expect(byName['Grace']).toMatchObject({ kind: 'family-member', interpreterNeeded: true });
      expect(byName['Grace']!.links.map((l) => [l.childGivenNames, l.parentalResponsibility])).toEqual([
        ['Ava', true],
        ['Ben', true],
      ]);
      expect(byName['Dev']!.links.map((l) => [l.childGivenNames, l.relationship, l.parentalResponsibility])).toEqual([
        ['Ava', 'step_parent', false],
        ['Ben', 'father', true],
      ]);
      expect(byName['Sue']).toMatchObject({ kind: 'supporter' });
      expect(candidates.children.map((c) => [c.name, c.presumedToAttend])).toEqual([
        ['Ava Okafor', true],
        ['Ben Okafor', false],
      ]);
      const officer = candidates.professionals.find((p) => p.professionalId === f.officer)!;
      expect(officer).toMatchObject({ agencyKind: 'police', childGivenNames: ['Ava', 'Ben'] });
    });

    it('invites, needs the direct-contact answer for professionals (Q-1), refuses people outside the conference and duplicates', async () => {
      const c = ctxOf(f.support);
      const stranger = await staff(ctx, 'Zed Stranger', ['social_worker']);
      const strangerChild = await addChild(ctx, stranger, { givenNames: 'Zoe', familyName: 'Else' });
      const zoeMum = (
        await ctx.services.people.addFamilyMember(
          stranger,
          strangerChild,
          { person: { givenNames: 'Zara', familyName: 'Else' }, relationship: 'mother', parentalResponsibility: true },
          ctxOf(stranger),
        )
      ).person.id;
      const fields = await problemFields(
        ctx.services.convening.invite(
          f.support,
          conferenceId,
          [
            { kind: 'professional', professionalId: f.teacher, directContact: undefined },
            { kind: 'family-member', personId: zoeMum },
          ],
          c,
        ),
      );
      expect(fields).toEqual(['invitees.0.directContact', 'invitees.1.personId']);
      expect(
        await ctx.services.database.db
          .select()
          .from(conferenceInvitees)
          .where(eq(conferenceInvitees.conferenceId, conferenceId)),
      ).toHaveLength(0);

      const added = await ctx.services.convening.invite(
        f.support,
        conferenceId,
        [
          { kind: 'family-member', personId: f.grace, sent: { method: 'letter', sentOn: '2026-03-02' } },
          { kind: 'family-member', personId: f.sue },
          { kind: 'child', childId: f.ava },
          { kind: 'professional', professionalId: f.teacher, directContact: true },
          { kind: 'professional', professionalId: f.officer, directContact: false },
          {
            kind: 'interpreter',
            interpreter: {
              name: 'Ife Interpreter',
              language: 'Yoruba',
              agencyId: f.agencies.interpreting,
              email: 'ife@languageline.example',
            },
          },
        ],
        c,
      );
      expect(added.map((i) => [i.name, i.kind, i.directContact, i.receivesMinutes])).toEqual([
        ['Grace Okafor', 'family-member', false, true],
        ['Sue Friend', 'supporter', false, false],
        ['Ava Okafor', 'child', false, true],
        [expect.stringMatching(/^Tess Teacher/), 'professional', true, true],
        [expect.stringMatching(/^Pat Police/), 'professional', false, true],
        ['Ife Interpreter', 'interpreter', false, true],
      ]);
      expect(added[0]).toMatchObject({ invitationMethod: 'letter', invitedAt: expect.any(Date) });
      expect(added[3]).toMatchObject({ agencyName: 'Mill Lane Primary', agencyKind: 'school', invitationMethod: null });
      expect(added[5]).toMatchObject({ roleTitle: 'Interpreter (Yoruba)', agencyName: 'Language Line' });
      await expect(
        ctx.services.convening.invite(f.support, conferenceId, [{ kind: 'family-member', personId: f.grace }], c),
      ).rejects.toBeInstanceOf(InvalidDetailsError);
      expect(
        (await auditRows(ctx, 'conference.invite')).filter(
          (r) => r.subjectId === conferenceId && r.outcome === 'success',
        ),
      ).toHaveLength(1);

      const teacher = added[3]!;
      await expect(
        ctx.services.convening.recordInvitationSent(
          f.support,
          conferenceId,
          teacher.id,
          { method: 'email', sentOn: '2026-03-03' },
          c,
        ),
      ).rejects.toBeInstanceOf(InvalidDetailsError);
      await ctx.services.convening.recordInvitationSent(
        f.support,
        conferenceId,
        teacher.id,
        { method: 'email', sentOn: '2026-02-28' },
        c,
      );
      const overview = await ctx.services.convening.getConference(f.support, conferenceId, c);
      expect(overview.invitees.find((i) => i.id === teacher.id)).toMatchObject({
        invitationMethod: 'email',
        invitedAt: new Date('2026-02-28T12:00:00Z'),
      });
    });

    it('produces the letter: R-1 notice and, for a professional, the children’s and adults’ names, dates of birth and addresses (001)', async () => {
      const overview = await ctx.services.convening.getConference(f.support, conferenceId, ctxOf(f.support));
      const teacher = overview.invitees.find((i) => i.professionalId === f.teacher)!;
      const { content } = await ctx.services.convening.invitationContent(
        f.support,
        conferenceId,
        teacher.id,
        ctxOf(f.support),
      );
      expect(content.body).toContain('Ava Okafor, born 10 January 2012, of 12 Mill Lane, Luton, LU1 1AA');
      expect(content.body).toContain('Ben Okafor, born 5 May 2019, of 12 Mill Lane, Luton, LU1 1AA');
      expect(content.body).toContain(
        'Grace Okafor, born 2 February 1988, of 12 Mill Lane, Luton, LU1 1AA: mother of Ava (has parental responsibility); mother of Ben (has parental responsibility)',
      );
      expect(content.body).toContain(
        'Dev Mensah, date of birth not known, of 4 Hill Road, Dunstable: step-parent of Ava; father of Ben (has parental responsibility)',
      );
      expect(content.body).not.toContain('Sue Friend');
      expect(content.body).toContain('Date: Monday 16 March 2026');
      expect(content.body).toContain('Time: 10am to about midday');
      expect(content.body).toContain('Place: Room 2, Town Hall, Luton');
      expect(content.body).toContain('https://teams.microsoft.com/l/meetup-join/');
      //
      expect(content.body).toContain('will be audio recorded');
      expect(content.body).toContain('stored securely on the electronic record of each child');
      expect(content.body).toContain('A typed record of the conference');
      expect(content.body).toContain('may be used by a court');
      expect(content.body).toContain('quality of its work');
      expect(content.body).toContain('please contact Bo Support at bo.support@example.gov.uk');
      expect(content.subject).toBe(
        'OFFICIAL-SENSITIVE: invitation to a child protection conference on Monday 16 March 2026 at 10am',
      );
      expect(
        (await auditRows(ctx, 'conference.invitation.view')).filter((r) => r.subjectId === conferenceId).at(-1),
      ).toMatchObject({ details: { inviteeId: teacher.id } });
    });

    it('leaves other people’s addresses out of a family member’s letter', async () => {
      const overview = await ctx.services.convening.getConference(f.support, conferenceId, ctxOf(f.support));
      const grace = overview.invitees.find((i) => i.personId === f.grace)!;
      const { content } = await ctx.services.convening.invitationContent(
        f.support,
        conferenceId,
        grace.id,
        ctxOf(f.support),
      );
      expect(content.recipientLines).toEqual(['Grace Okafor', '12 Mill Lane', 'Luton', 'LU1 1AA']);
      expect(content.body).toContain('Ava Okafor, born 10 January 2012');
      expect(content.body).not.toContain('4 Hill Road');
      expect(content.body).not.toContain(', of 12 Mill Lane');
      expect(content.body).toContain('will be audio recorded');
      expect(content.body).toContain('by 11 March 2026');
      expect(content.includesAddresses).toBe(false);
    });
  });

  describe('reports', () => {
    let conferenceId: string;
    const upload = (agencyId: string, content: Uint8Array) =>
      ctx.services.convening.uploadReport(f.support, conferenceId, { agencyId, content }, ctxOf(f.support));
    const blobFiles = async () => {
      const root = path.join(ctx.dataDir, 'blobs');
      const dirs = await readdir(root).catch(() => [] as string[]);
      let n = 0;
      for (const d of dirs) if (d !== 'tmp') n += (await readdir(path.join(root, d))).length;
      return n;
    };

    beforeAll(async () => {
      conferenceId = (await ctx.services.convening.convene(f.sw, initialInput(f), ctxOf(f.sw))).id;
    });

    it('stores PDF, Word and ODT reports by content, with their SHA-256, audited', async () => {
      const pdf = await upload(f.agencies.school, PDF_BYTES);
      expect(pdf).toMatchObject({
        agencyName: 'Mill Lane Primary',
        format: 'pdf',
        mediaType: 'application/pdf',
        sizeBytes: PDF_BYTES.length,
        sharedWithFamilyOn: null,
      });
      expect(pdf.fileSha256).toMatch(/^[0-9a-f]{64}$/);
      expect((await upload(f.agencies.healthVisitor, docxBytes())).format).toBe('docx');
      expect((await upload(f.agencies.csc, odtBytes())).format).toBe('odt');
      expect(
        (await auditRows(ctx, 'conference.report.upload')).filter(
          (r) => r.subjectId === conferenceId && r.outcome === 'success',
        ),
      ).toHaveLength(3);
      expect(await blobFiles()).toBe(3);
    });

    it('refuses a text file, a macro-enabled document and one over 20 MB, and keeps nothing', async () => {
      const before = await blobFiles();
      const rows = async () =>
        (
          await ctx.services.database.db
            .select()
            .from(conferenceReports)
            .where(eq(conferenceReports.conferenceId, conferenceId))
        ).length;
      const reports = await rows();
      expect(await problemFields(upload(f.agencies.school, Buffer.from('Report: all well.\n')))).toEqual(['file']);
      expect(await problemFields(upload(f.agencies.school, docxBytes({ 'word/vbaProject.bin': 'macro' })))).toEqual([
        'file',
      ]);
      const big = Buffer.alloc(20 * 1024 * 1024 + 1);
      PDF_BYTES.copy(big);
      expect(await problemFields(upload(f.agencies.school, big))).toEqual(['file']);
      expect(await problemFields(upload('00000000-0000-4000-8000-000000000000', PDF_BYTES))).toEqual(['agencyId']);
      expect(await blobFiles()).toBe(before);
      expect(await rows()).toBe(reports);
    });

    it('shows whether each report reached the family 3 working days before (T-5), and never shares a police report automatically', async () => {
      const police = await upload(f.agencies.police, PDF_BYTES);
      let overview = await ctx.services.convening.getConference(f.support, conferenceId, ctxOf(f.support));
      // Today is 2 March; the reports are due to the family by 11 March: on track.
      expect(overview.reports.filter((r) => !r.isPolice).map((r) => r.sharing)).toEqual(
        Array(3).fill(expect.objectContaining({ state: 'not-shared', due: '2026-03-11', rag: 'green' })),
      );
      expect(overview.reports.find((r) => r.id === police.id)!.sharing).toEqual({
        state: 'police-not-shared',
        due: '2026-03-11',
        rag: 'grey',
      });

      const result = await ctx.services.convening.recordReportsShared(
        f.support,
        conferenceId,
        '2026-03-02',
        ctxOf(f.support),
      );
      expect(result).toEqual({ recorded: 3, policeNotShared: 1 });
      overview = await ctx.services.convening.getConference(f.support, conferenceId, ctxOf(f.support));
      expect(overview.reports.find((r) => r.id === police.id)!.sharedWithFamilyOn).toBeNull();
      expect(overview.reports.filter((r) => !r.isPolice).every((r) => r.sharing.state === 'shared-in-time')).toBe(true);

      expect(
        await problemFields(
          ctx.services.convening.recordReportShared(
            f.support,
            conferenceId,
            police.id,
            { sharedOn: '2026-03-02' },
            ctxOf(f.support),
          ),
        ),
      ).toEqual(['policeConfirmed', 'reason']);
      await ctx.services.convening.recordReportShared(
        f.support,
        conferenceId,
        police.id,
        {
          sharedOn: '2026-03-02',
          policeConfirmed: true,
          reason: 'The chair agreed: the officer’s report contains nothing from the criminal investigation.',
        },
        ctxOf(f.support),
      );
      overview = await ctx.services.convening.getConference(f.support, conferenceId, ctxOf(f.support));
      expect(overview.reports.find((r) => r.id === police.id)!.sharing).toMatchObject({
        state: 'shared-in-time',
        sharedOn: '2026-03-02',
      });
      const notes = await ctx.services.database.db
        .select()
        .from(caseNotes)
        .where(eq(caseNotes.kind, 'police-report-shared'));
      expect(notes.map((n) => n.childId).sort()).toEqual([f.ava, f.ben].sort());
      expect(notes[0]!.text).toContain('The chair agreed');
    });

    it('marks a report shared after the T-5 date as late', async () => {
      const other = (
        await ctx.services.convening.convene(f.sw, initialInput(f, { scheduledDate: '2026-03-04' }), ctxOf(f.sw))
      ).id;
      const r = await ctx.services.convening.uploadReport(
        f.support,
        other,
        { agencyId: f.agencies.school, content: PDF_BYTES },
        ctxOf(f.support),
      );
      // A conference on 4 March needs its reports with the family by 27 February: already overdue today.
      expect(r.sharing).toMatchObject({ state: 'not-shared', due: '2026-02-27', rag: 'red', status: 'overdue' });
      await ctx.services.convening.recordReportShared(
        f.support,
        other,
        r.id,
        { sharedOn: '2026-03-02' },
        ctxOf(f.support),
      );
      const overview = await ctx.services.convening.getConference(f.support, other, ctxOf(f.support));
      expect(overview.reports[0]!.sharing).toMatchObject({ state: 'shared-late', rag: 'red' });
    });

    it('opens a report for download, audited, and denies someone who may not see every child', async () => {
      const overview = await ctx.services.convening.getConference(f.support, conferenceId, ctxOf(f.support));
      const report = overview.reports.find((r) => r.agencyName === 'Mill Lane Primary')!;
      const opened = await ctx.services.convening.openReport(f.chair, conferenceId, report.id, ctxOf(f.chair));
      const chunks: Buffer[] = [];
      for await (const chunk of opened.stream) chunks.push(chunk as Buffer);
      expect(Buffer.concat(chunks).equals(PDF_BYTES)).toBe(true);
      expect(opened.fileName).toBe('2026-03-16-mill-lane-primary-report.pdf');
      expect((await auditRows(ctx, 'conference.report.download')).at(-1)).toMatchObject({
        outcome: 'success',
        subjectId: conferenceId,
        details: { reportId: report.id },
      });

      const stranger = await staff(ctx, 'Sid Stranger', ['social_worker']);
      await expect(
        ctx.services.convening.openReport(stranger, conferenceId, report.id, ctxOf(stranger)),
      ).rejects.toBeInstanceOf(AccessDeniedError);
      expect((await auditRows(ctx, 'conference.report.download')).at(-1)).toMatchObject({
        outcome: 'denied',
        actorUserId: stranger.id,
      });
    });

    it('withholds a report from the family with a reason (002 §3.4)', async () => {
      const r = await upload(f.agencies.healthVisitor, PDF_BYTES);
      await expect(
        ctx.services.convening.withholdReport(f.support, conferenceId, r.id, ' ', ctxOf(f.support)),
      ).rejects.toBeInstanceOf(InvalidDetailsError);
      await ctx.services.convening.withholdReport(
        f.support,
        conferenceId,
        r.id,
        'Sharing would reveal the address of the refuge.',
        ctxOf(f.support),
      );
      const overview = await ctx.services.convening.getConference(f.support, conferenceId, ctxOf(f.support));
      expect(overview.reports.find((x) => x.id === r.id)!.sharing).toEqual({
        state: 'withheld',
        reason: 'Sharing would reveal the address of the refuge.',
        rag: 'grey',
      });
      await expect(
        ctx.services.convening.recordReportShared(
          f.support,
          conferenceId,
          r.id,
          { sharedOn: '2026-03-02' },
          ctxOf(f.support),
        ),
      ).rejects.toBeInstanceOf(DomainError);
    });
  });

  describe('children’s social care (Q-1)', () => {
    let conferenceId: string;
    beforeAll(async () => {
      conferenceId = (await ctx.services.convening.convene(f.sw, initialInput(f), ctxOf(f.sw))).id;
    });

    it('exists as an agency from the start (seeded by the migration, before anyone adds one)', async () => {
      // The fixture adds its own "Luton Children’s Social Care" afterwards: the council's own is the first.
      expect(await ctx.services.convening.childrensSocialCareAgency()).toMatchObject({
        name: 'Children’s social care',
      });
      const seeded = (await ctx.services.people.listAgencies())
        .filter((a) => a.kind === 'childrens_social_care')
        .map((a) => a.name);
      expect(seeded).toContain('Children’s social care');
    });

    it('Q-1: offers the allocated social worker and the team managers, and invites them for children’s social care without inventing a professional', async () => {
      const manager = await staff(ctx, 'Tia Manager', ['team_manager']);
      const formerManager = await staff(ctx, 'Old Manager', ['team_manager']);
      await ctx.services.database.db
        .update(users)
        .set({ disabledAt: new Date('2026-01-01T00:00:00Z') })
        .where(eq(users.id, formerManager.id));
      const { candidates } = await ctx.services.convening.invitationCandidates(
        f.support,
        conferenceId,
        ctxOf(f.support),
      );
      expect(candidates.childrensSocialCare.agency).toMatchObject({ name: 'Children’s social care' });
      expect(candidates.childrensSocialCare.socialWorkers).toEqual([
        { userId: f.sw.id, name: 'Sam Worker', childGivenNames: ['Ava', 'Ben'], invited: false },
      ]);
      expect(candidates.childrensSocialCare.unallocated).toEqual([]);
      expect(candidates.childrensSocialCare.teamManagers.map((m) => m.name)).toEqual(['Tia Manager']);
      const professionalsBefore = (await ctx.services.database.db.select().from(professionals)).length;

      const c = ctxOf(f.support);
      // Someone who is not the children's social worker, and a social worker offered as a team manager, are refused.
      const other = await staff(ctx, 'Olu Other', ['social_worker']);
      expect(
        await problemFields(
          ctx.services.convening.invite(
            f.support,
            conferenceId,
            [
              { kind: 'social-worker', userId: other.id },
              { kind: 'team-manager', userId: other.id },
            ],
            c,
          ),
        ),
      ).toEqual(['invitees.0.userId', 'invitees.1.userId', 'invitees.1']);
      const added = await ctx.services.convening.invite(
        f.support,
        conferenceId,
        [
          { kind: 'social-worker', userId: f.sw.id },
          { kind: 'team-manager', userId: manager.id },
        ],
        c,
      );
      expect(added.map((i) => [i.name, i.kind, i.staffRole, i.roleTitle, i.agencyName, i.agencyKind, i.email])).toEqual(
        [
          [
            'Sam Worker',
            'professional',
            'social-worker',
            'Allocated social worker',
            'Children’s social care',
            'childrens_social_care',
            'sam.worker@example.gov.uk',
          ],
          [
            'Tia Manager',
            'professional',
            'team-manager',
            'Team manager',
            'Children’s social care',
            'childrens_social_care',
            'tia.manager@example.gov.uk',
          ],
        ],
      );
      expect(added[0]).toMatchObject({ userId: f.sw.id, directContact: true, receivesMinutes: true });
      // Nobody was made up as an outside professional to get them there.
      expect((await ctx.services.database.db.select().from(professionals)).length).toBe(professionalsBefore);
      // Not twice.
      expect(
        await problemFields(
          ctx.services.convening.invite(f.support, conferenceId, [{ kind: 'social-worker', userId: f.sw.id }], c),
        ),
      ).toEqual(['invitees.0.userId']);
      const again = await ctx.services.convening.invitationCandidates(f.support, conferenceId, c);
      expect(again.candidates.childrensSocialCare.socialWorkers[0]!.invited).toBe(true);

      // Their letter is a professional's: the social worker is asked for the report (the children's social care report).
      const letter = await ctx.services.convening.invitationContent(f.support, conferenceId, added[0]!.id, c);
      expect(letter.content.recipientLines.slice(0, 3)).toEqual([
        'Sam Worker',
        'Allocated social worker',
        'Children’s social care',
      ]);
      expect(letter.content.body).toContain('Please send a written report');
    });

    it('T-5: the social worker’s report is the children’s social care report, shared with the family like any other', async () => {
      const csc = (await ctx.services.convening.childrensSocialCareAgency())!;
      const report = await ctx.services.convening.uploadReport(
        f.sw,
        conferenceId,
        { agencyId: csc.id, content: PDF_BYTES },
        ctxOf(f.sw),
      );
      expect(report).toMatchObject({
        agencyName: 'Children’s social care',
        agencyKind: 'childrens_social_care',
        isPolice: false,
        uploadedBy: { id: f.sw.id, name: 'Sam Worker' },
      });
      // Conference on 16 March 2026: shared with the family by 11 March.
      expect(report.sharing).toMatchObject({ state: 'not-shared', due: '2026-03-11' });
      expect(
        await ctx.services.convening.recordReportsShared(f.support, conferenceId, '2026-03-02', ctxOf(f.support)),
      ).toEqual({ recorded: 1, policeNotShared: 0 });
      const overview = await ctx.services.convening.getConference(f.support, conferenceId, ctxOf(f.support));
      expect(overview.reports.find((r) => r.id === report.id)!.sharing).toMatchObject({
        state: 'shared-in-time',
        sharedOn: '2026-03-02',
      });
    });
  });
});
