import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../domain/access/roles.ts';
import { type IsoDate, computeDeadline, deadlineStatus } from '../../domain/calendar/index.ts';
import { REMINDER_POINT_IDS } from '../../domain/conferences/meeting.ts';
import { AccessDeniedError, ConflictError, InvalidDetailsError, StaleRecordError } from '../../domain/shared/errors.ts';
import { caseNotes, conferences, people } from '../../infra/db/schema.ts';
import { explanatoryStatements, recordingBookmarks } from '../../infra/db/recordings-schema.ts';
import { openPdf } from '../../../test/support/pdf.ts';
import { insertStoredRecordingRow } from '../../../test/support/recordings.ts';
import { auditRows, staff } from '../../../test/support/people.ts';
import { siblingGroupConference, type SiblingGroupConference } from '../../../test/support/conferences.ts';
import { heldConferenceForRecord } from '../../../test/support/written-record.ts';
import { createTestServices, testDatabases, type TestContext } from '../../../test/support/services.ts';
import type { RegisterInput } from '../conferences/meeting-service.ts';
import type { RecordingCipher } from '../recordings/ports.ts';
import { DocumentService } from './document-service.ts';
import { loadDocumentFacts } from './facts-loader.ts';
import { htmlDocumentRenderer } from './html.ts';
import { TemplateLetterWording } from './letter-wording.ts';
import type { DocumentRenderer } from './ports.ts';

const d = (s: string) => s as IsoDate;
const as = (a: Actor) => ({ actor: { id: a.id, label: a.name }, correlationId: 'test-request' });

/** The fields of every problem, for a check that reports several at once. */
async function problemFields(p: Promise<unknown>): Promise<string[]> {
  try {
    await p;
  } catch (err) {
    if (err instanceof InvalidDetailsError) return err.problems.map((x) => x.field);
    throw err;
  }
  throw new Error('expected the check to refuse');
}

const attended = (inviteeId: string): RegisterInput => ({
  inviteeId,
  status: 'attended',
  joinedAt: null,
  leftAt: null,
  interpreterUsed: false,
});

const REASONS = 'The conference agreed that Ava and Ben need a plan because the home was not safe.';
const CONFIDENTIAL = 'Grace has moved to a refuge address in Eastbourne.';

describe.each(testDatabases())('the written record (%s)', (kind) => {
  let ctx: TestContext;
  let documents: DocumentService;
  let sw: Actor;
  let chair: Actor;
  let otherChair: Actor;
  let support: Actor;
  let stranger: Actor;

  beforeAll(async () => {
    ctx = await createTestServices(kind);
    documents = ctx.services.documents;
    sw = await staff(ctx, 'Sam Worker', ['social_worker']);
    chair = await staff(ctx, 'Cal Chair', ['chair']);
    otherChair = await staff(ctx, 'Olu Otherchair', ['chair']);
    support = await staff(ctx, 'Bo Support', ['business_support']);
    stranger = await staff(ctx, 'Stan Stranger', ['social_worker']);
  });
  afterAll(async () => {
    await ctx.dispose();
  });

  /** A conference held with both children's decisions and plans, the summary recorded and the family present. */
  function heldConference(): Promise<SiblingGroupConference> {
    return heldConferenceForRecord(ctx, { socialWorker: sw, chair, support });
  }

  /** A decision letter started, written and approved by the conference's chair. */
  async function approvedLetter(g: SiblingGroupConference) {
    const started = await documents.startDraft(
      support,
      g.conferenceId,
      { kind: 'decision-letter', subjectInviteeId: null },
      as(support),
    );
    const written = await documents.saveSections(
      support,
      g.conferenceId,
      started.id,
      { version: started.version, sections: { 'plain-english-reasons': REASONS } },
      as(support),
    );
    const approved = await documents.approve(
      chair,
      g.conferenceId,
      started.id,
      { version: written.version },
      as(chair),
    );
    return approved;
  }

  const blobPath = (key: string) => path.join(ctx.dataDir, 'blobs', key.slice(0, 2), key);

  it('W-1, W-2, W-3, W-4: a decision letter is drafted, reviewed, approved by the chair and issued as a copy per recipient', async () => {
    const g = await heldConference();
    await ctx.services.database.db
      .update(people)
      .set({ language: 'Polish', accessibilityNeeds: 'Partially sighted' })
      .where(eq(people.id, g.people.mother));

    const before = await documents.conferenceDocuments(support, g.conferenceId, as(support));
    expect(before.documents.map((x) => [x.kind, x.state])).toEqual([
      ['decision-letter', 'not-started'],
      ['plan-and-core-group-letter', 'not-started'],
      ['chairs-summary', 'not-started'],
      ['conference-record', 'not-started'],
    ]);
    expect(before.can).toEqual({ draft: true, approve: false, issue: true });

    // Only a document the conference needs is started; starting it again gives the same draft.
    await expect(
      documents.startDraft(support, g.conferenceId, { kind: 'inquorate-notes', subjectInviteeId: null }, as(support)),
    ).rejects.toMatchObject({ code: 'DOCUMENT_NOT_NEEDED' });
    const started = await documents.startDraft(
      support,
      g.conferenceId,
      { kind: 'decision-letter', subjectInviteeId: null },
      as(support),
    );
    expect(started).toMatchObject({ status: 'drafting', version: 1 });
    expect(
      (
        await documents.startDraft(
          support,
          g.conferenceId,
          { kind: 'decision-letter', subjectInviteeId: null },
          as(support),
        )
      ).id,
    ).toBe(started.id);

    let view = await documents.draft(support, g.conferenceId, started.id, as(support));
    expect(view.sections.map((s) => [s.id, s.text])).toEqual([['plain-english-reasons', '']]);
    expect(view.missing).toEqual(['plain-english-reasons']);
    expect(view.previewHtml).toContain('OFFICIAL-SENSITIVE');
    expect(view.familyMembers).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          inviteeId: g.invitee.mother,
          kind: 'family-member',
          needs: 'First language: Polish. Access needs: Partially sighted',
        }),
        expect.objectContaining({ inviteeId: g.invitee.ava, kind: 'child' }),
      ]),
    );
    expect(view.familyMembers.some((m) => m.inviteeId === g.invitee.advocate)).toBe(false);
    expect(view.can).toMatchObject({ edit: true, submit: true, approve: false, issue: false });

    // W-2: nothing goes to the chair while a required section is empty.
    expect(
      await problemFields(
        documents.submitForApproval(support, g.conferenceId, started.id, { version: 1 }, as(support)),
      ),
    ).toEqual(['plain-english-reasons']);

    // Text is checked section by section, keyed by section id.
    expect(
      await problemFields(
        documents.saveSections(
          support,
          g.conferenceId,
          started.id,
          { version: 1, sections: { 'plain-english-reasons': 'a\u0000b', 'no-such-section': 'x' } },
          as(support),
        ),
      ),
    ).toEqual(['plain-english-reasons', 'no-such-section']);
    expect(
      await problemFields(
        documents.saveSections(
          support,
          g.conferenceId,
          started.id,
          { version: 1, sections: { 'plain-english-reasons': 'x'.repeat(20_001) } },
          as(support),
        ),
      ),
    ).toEqual(['plain-english-reasons']);

    const first = await documents.saveSections(
      support,
      g.conferenceId,
      started.id,
      { version: 1, sections: { 'plain-english-reasons': `${REASONS}\r\n\r\n${CONFIDENTIAL}` } },
      as(support),
    );
    expect(first.version).toBe(2);
    // Someone else saved first: the stale save changes nothing.
    await expect(
      documents.saveSections(
        support,
        g.conferenceId,
        started.id,
        { version: 1, sections: { 'plain-english-reasons': 'An older text' } },
        as(support),
      ),
    ).rejects.toBeInstanceOf(StaleRecordError);

    // W-3: the reasons are withheld from the father's copy; only this conference's family can be named.
    view = await documents.draft(support, g.conferenceId, started.id, as(support));
    expect(view.withholdable.map((b) => b.id)).toContain('plain-english-reasons');
    expect(
      await problemFields(
        documents.setWithholding(
          support,
          g.conferenceId,
          started.id,
          {
            version: 2,
            blockId: 'plain-english-reasons',
            withholdings: [
              { from: { kind: 'people', people: [{ id: g.invitee.police, name: 'x' }] }, reason: 'third-party' },
            ],
          },
          as(support),
        ),
      ),
    ).toEqual(['withholdings[0].from']);
    await expect(
      documents.setWithholding(
        support,
        g.conferenceId,
        started.id,
        { version: 2, blockId: 'no-such-block', withholdings: [] },
        as(support),
      ),
    ).rejects.toMatchObject({ problems: [{ field: 'blockId' }] });
    const withheld = await documents.setWithholding(
      support,
      g.conferenceId,
      started.id,
      {
        version: 2,
        blockId: 'plain-english-reasons',
        withholdings: [
          {
            from: { kind: 'people', people: [{ id: g.invitee.father, name: 'Someone else' }] },
            reason: 'confidential-to-parent',
            explanation: 'Her new address must not reach him',
          },
        ],
      },
      as(support),
    );
    // W-1, W-4: Ava receives her own copy; the mother gets large print and an interpreter.
    const recipients = await documents.setRecipients(
      support,
      g.conferenceId,
      started.id,
      {
        version: withheld.version,
        childRecipientInviteeIds: [g.invitee.ava],
        arrangements: [
          { inviteeId: g.invitee.mother, kinds: ['large-print', 'interpreter'], language: 'Polish', detail: null },
        ],
      },
      as(support),
    );
    view = await documents.draft(support, g.conferenceId, started.id, as(support));
    expect(view.withholdings['plain-english-reasons']).toEqual([
      {
        from: { kind: 'people', people: [{ id: g.invitee.father, name: 'Daniel Mensah' }] },
        reason: 'confidential-to-parent',
        explanation: 'Her new address must not reach him',
      },
    ]);
    expect(view.sections[0]!.text).toBe(`${REASONS}\n\n${CONFIDENTIAL}`);

    // The chair comments, asks for changes; business support answers and sends it back.
    const submitted = await documents.submitForApproval(
      support,
      g.conferenceId,
      started.id,
      { version: recipients.version },
      as(support),
    );
    expect(submitted.status).toBe('waiting-for-chair');
    await expect(
      documents.comment(
        support,
        g.conferenceId,
        started.id,
        { sectionId: 'plain-english-reasons', body: 'x' },
        as(support),
      ),
    ).rejects.toBeInstanceOf(AccessDeniedError);
    const comment = await documents.comment(
      chair,
      g.conferenceId,
      started.id,
      { sectionId: 'plain-english-reasons', body: 'Say what happens at the first core group.' },
      as(chair),
    );
    expect(comment).toMatchObject({ authorName: 'Cal Chair', resolvedAt: null });
    const sentBack = await documents.requestChanges(
      chair,
      g.conferenceId,
      started.id,
      { version: submitted.version },
      as(chair),
    );
    expect(sentBack.status).toBe('drafting');
    expect((await documents.conferenceDocuments(support, g.conferenceId, as(support))).documents[0]).toMatchObject({
      state: 'drafting',
      openComments: 1,
    });
    await documents.resolveComment(support, g.conferenceId, started.id, comment.id, as(support));
    const resubmitted = await documents.submitForApproval(
      support,
      g.conferenceId,
      started.id,
      { version: sentBack.version },
      as(support),
    );

    // Only the conference's chair approves.
    await expect(
      documents.approve(support, g.conferenceId, started.id, { version: resubmitted.version }, as(support)),
    ).rejects.toBeInstanceOf(AccessDeniedError);
    await expect(
      documents.approve(otherChair, g.conferenceId, started.id, { version: resubmitted.version }, as(otherChair)),
    ).rejects.toBeInstanceOf(AccessDeniedError);
    const approved = await documents.approve(
      chair,
      g.conferenceId,
      started.id,
      { version: resubmitted.version },
      as(chair),
    );
    expect(approved.status).toBe('approved');
    await expect(
      documents.saveSections(
        support,
        g.conferenceId,
        started.id,
        { version: approved.version, sections: { 'plain-english-reasons': 'Changed after approval' } },
        as(support),
      ),
    ).rejects.toMatchObject({ code: 'DRAFT_STATE' });

    // Issued: the file copy, each parent, Ava, and each professional; never the advocate.
    ctx.clock.current = new Date('2026-03-03T09:30:00Z');
    const issued = await documents.issue(
      support,
      g.conferenceId,
      started.id,
      { version: approved.version },
      as(support),
    );
    expect(issued.issueNumber).toBe(1);
    const pdfs = issued.copies.filter((c) => c.format === 'pdf');
    expect(issued.copies).toHaveLength(pdfs.length * 2);
    expect(pdfs.map((c) => c.recipientInviteeId).sort()).toEqual(
      [
        null,
        g.invitee.mother,
        g.invitee.father,
        g.invitee.ava,
        g.invitee.socialWorker,
        g.invitee.police,
        g.invitee.school,
        g.invitee.healthVisitor,
        g.invitee.gp,
      ].sort(),
    );
    const copyFor = (inviteeId: string | null, format = 'pdf') =>
      issued.copies.find((c) => c.recipientInviteeId === inviteeId && c.format === format)!;
    const father = copyFor(g.invitee.father);
    const mother = copyFor(g.invitee.mother);
    const file = copyFor(null);
    expect(father).toMatchObject({
      copyKind: 'parent',
      largePrint: false,
      marking: ['OFFICIAL-SENSITIVE', "PARENT'S COPY"],
      approvedByName: 'Cal Chair',
      issuedByName: 'Bo Support',
    });
    expect(father.leftOut).toEqual([
      expect.objectContaining({
        blockId: 'plain-english-reasons',
        recipient: "Daniel Mensah (parent's copy)",
        reasons: [expect.objectContaining({ reason: 'confidential-to-parent' })],
      }),
    ]);
    expect(mother).toMatchObject({ copyKind: 'parent', largePrint: true, leftOut: [] });
    expect(copyFor(g.invitee.ava)).toMatchObject({
      copyKind: 'child',
      marking: ['OFFICIAL-SENSITIVE', "CHILD'S COPY"],
    });
    expect(file).toMatchObject({
      copyKind: 'full',
      marking: ['OFFICIAL-SENSITIVE'],
      recipientName: "The children's file",
    });

    // The father's copy leaves the confidential paragraph out; the full record keeps it with a notice.
    const fatherPdf = await documents.download(support, g.conferenceId, father.id, as(support));
    expect(createHash('sha256').update(fatherPdf.bytes).digest('hex')).toBe(father.sha256);
    // The mother's is in large print, so the father's is the one parent's copy in normal print: no ordinal.
    expect(fatherPdf.fileName).toBe('decision-letter-2026-03-02-v1-parents-copy.pdf');
    const pdf = await openPdf(fatherPdf.bytes);
    try {
      expect((await pdf.info())['Tagged']).toBe('yes');
      const text = (await pdf.pagesText()).join('\n');
      expect(text).toContain("PARENT'S COPY");
      expect(text).not.toContain('Eastbourne');
    } finally {
      await pdf.dispose();
    }
    const fileCopy = await documents.download(support, g.conferenceId, file.id, as(support));
    // Six full records (the file and five professionals) are told apart by their place, never by a name.
    expect(fileCopy.fileName).toMatch(/^decision-letter-2026-03-02-v1-full-record-[1-6]\.pdf$/);
    const filePdf = await openPdf(fileCopy.bytes);
    try {
      expect((await filePdf.pagesText()).join('\n')).toContain('Eastbourne');
    } finally {
      await filePdf.dispose();
    }
    const motherHtml = await documents.download(
      support,
      g.conferenceId,
      copyFor(g.invitee.mother, 'html').id,
      as(support),
    );
    expect(motherHtml.fileName).toMatch(/^decision-letter-2026-03-02-v1-parents-copy-large-print\.html$/);
    const html = new TextDecoder().decode(motherHtml.bytes);
    expect(html).toContain('Eastbourne');
    expect(html).toContain('An interpreter who speaks Polish will go through this document with you.');
    expect(html).toContain('Dear Grace Okafor');
    // W-1: dated the day it was issued (3 March), after the conference (2 March) and its approval.
    expect(html).toMatch(/Date<\/dt>\s*<dd[^>]*>\s*3 March 2026/);
    expect(await auditRows(ctx, 'documents.copy.download')).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          subjectId: g.conferenceId,
          outcome: 'success',
          details: expect.objectContaining({ issuedId: father.id }),
        }),
      ]),
    );
    expect(JSON.stringify((await auditRows(ctx, 'documents.issue')).map((r) => r.details))).not.toContain('Mensah');

    // W-4: one task per arrangement, on the conference until done.
    expect(issued.tasks.map((t) => [t.inviteeId, t.arrangement, t.language]).sort()).toEqual([
      [g.invitee.mother, 'interpreter', 'Polish'],
      [g.invitee.mother, 'large-print', 'Polish'],
    ]);
    const interpreter = issued.tasks.find((t) => t.arrangement === 'interpreter')!;
    await documents.completeTask(support, g.conferenceId, interpreter.id, { note: 'Booked for 10 March' }, as(support));
    await expect(
      documents.completeTask(support, g.conferenceId, interpreter.id, { note: null }, as(support)),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const after = await documents.conferenceDocuments(support, g.conferenceId, as(support));
    expect(after.tasks.map((t) => [t.arrangement, t.doneNote])).toEqual([
      ['large-print', null],
      ['interpreter', 'Booked for 10 March'],
    ]);
    expect(after.documents[0]).toMatchObject({ state: 'issued', issuedAt: new Date('2026-03-03T09:30:00Z') });
    // T-6: issued is not yet met: the date is met once every recipient's copy has been sent (sending.test.ts).
    expect(after.documents[0]!.sending).toMatchObject({ sent: 0 });
    expect(after.documents[0]!.due?.status).not.toBe('met');
    expect(after.issued).toHaveLength(issued.copies.length);

    // A case note on each child's record; an issued document cannot be issued again.
    const notes = await ctx.services.database.db.select().from(caseNotes).where(eq(caseNotes.kind, 'document-issued'));
    expect(notes.filter((n) => n.childId === g.children.ava || n.childId === g.children.ben)).toHaveLength(2);
    await expect(
      documents.issue(support, g.conferenceId, started.id, { version: approved.version + 1 }, as(support)),
    ).rejects.toMatchObject({ code: 'DRAFT_STATE' });
    ctx.clock.current = new Date('2026-03-02T09:00:00Z');
  });

  it('W-2, W-4, T-1: the facts a document is built from are read from the meeting, the register and the people', async () => {
    const g = await heldConference();
    const { db } = ctx.services.database;
    await db
      .update(conferences)
      .set({ lateReason: 'The family were abroad' })
      .where(eq(conferences.id, g.conferenceId));
    await db.update(people).set({ language: 'Twi', interpreterNeeded: true }).where(eq(people.id, g.people.father));
    const council = { name: 'Northshire County Council', contact: 'Conference team, 01234 567890' };
    const { facts } = await ctx.services.uow.run((repos) => loadDocumentFacts(repos, g.conferenceId, council));
    expect(facts.council).toEqual(council);
    expect(facts.conference).toMatchObject({
      status: 'held',
      typeLabel: 'Initial child protection conference',
      lateReason: 'The family were abroad',
      actualStartTime: '10:04',
      actualEndTime: '11:40',
      chairName: 'Cal Chair',
      nextConferenceDate: '2026-05-29',
    });
    expect(facts.children.map((c) => c.name)).toEqual(['Ava Okafor', 'Ben Okafor']);
    const who = (inviteeId: string) => facts.attendees.find((a) => a.inviteeId === inviteeId)!;
    expect(who(g.invitee.mother)).toMatchObject({
      kind: 'family-member',
      name: 'Grace Okafor',
      role: 'Mother of Ava and Ben (parental responsibility)',
      parentalResponsibility: true,
      attendance: 'attended',
      exclusion: null,
    });
    expect(who(g.invitee.father)).toMatchObject({
      role: 'Father of Ava and Ben (parental responsibility for Ben)',
      language: 'Twi',
      interpreterLanguage: 'Twi',
    });
    expect(who(g.invitee.gp)).toMatchObject({ kind: 'professional', role: 'GP', agencyName: 'Mill Lane Surgery' });
    expect(who(g.invitee.gp).attendance).toBe('invited');
    expect(facts.decisions.map((x) => [x.outcomeLabel, x.categoryLabel, x.agencyViews.length])).toEqual([
      ['Child protection plan needed', 'Neglect', 3],
      ['Child protection plan needed', 'Neglect', 3],
    ]);
    expect(facts.plans[0]).toMatchObject({
      leadSocialWorker: { name: 'Sam Worker', contact: 'sam.worker@example.gov.uk' },
      firstCoreGroupDate: '2026-03-12',
      coreGroup: [
        expect.objectContaining({ name: 'Grace Okafor' }),
        expect.objectContaining({ name: 'Sam Worker' }),
        expect.objectContaining({ name: 'Tom Reid', agencyName: 'Riverside Academy' }),
      ],
    });
    expect(facts.summary).toEqual({
      worries: 'The home is unsafe',
      positives: 'Grace engages with the school',
      changes: 'A safe, clean home',
    });
    expect(facts.recordingStatements).toEqual([]);
  });

  it('R-6, R-2: the record is written beside the conference’s recordings with their bookmarks; the confirmed statement is in the facts', async () => {
    const g = await heldConference();
    const { db } = ctx.services.database;
    const recordingId = await insertStoredRecordingRow(ctx, {
      conferenceId: g.conferenceId,
      partId: g.partId,
      createdBy: chair.id,
      durationMs: 5_400_400,
    });
    await db.insert(recordingBookmarks).values([
      { recordingId, atMs: 1_800_500, kind: 'decision', label: 'Decision for Ava', createdBy: chair.id },
      { recordingId, atMs: 60_000, kind: 'agenda-item', label: 'Introductions', createdBy: chair.id },
    ]);
    await db.insert(explanatoryStatements).values({
      recordingId,
      version: 1,
      content: {
        location: 'Room 2, Civic Centre',
        recordedOn: '2026-03-02',
        startedAt: '10:04',
        endedAt: '11:40',
        context: 'Initial conference for Ava and Ben',
        speakers: [{ name: 'Cal Chair', role: 'Chair' }],
        breaks: [],
      },
      confirmedBy: chair.id,
      confirmedAt: new Date('2026-03-02T12:00:00Z'),
    });
    const started = await documents.startDraft(
      support,
      g.conferenceId,
      { kind: 'conference-record', subjectInviteeId: null },
      as(support),
    );
    const view = await documents.draft(support, g.conferenceId, started.id, as(support));
    expect(view.recordings).toEqual([
      {
        id: recordingId,
        name: 'Initial child protection conference, 2 March 2026 (Microsoft Teams recording)',
        kind: 'meeting',
        durationSeconds: 5400,
        bookmarks: [
          { atSeconds: 60, label: 'Introductions' },
          { atSeconds: 1800, label: 'Decision for Ava' },
        ],
      },
    ]);
    const { facts } = await ctx.services.uow.run((repos) =>
      loadDocumentFacts(repos, g.conferenceId, { name: 'Council', contact: 'Team' }),
    );
    expect(facts.recordingStatements).toHaveLength(1);
    expect(facts.recordingStatements[0]).toContain('Context\nInitial conference for Ava and Ben');
    expect(view.missing).toEqual([
      'family-composition',
      'reasons-for-convening',
      'essential-facts',
      'discussion-summary',
    ]);
  });

  it('W-3: a stored copy whose bytes were changed fails its integrity check, and the failure is audited', async () => {
    const g = await heldConference();
    const approved = await approvedLetter(g);
    const issued = await documents.issue(
      support,
      g.conferenceId,
      approved.id,
      { version: approved.version },
      as(support),
    );
    const copy = issued.copies.find((c) => c.copyKind === 'full' && c.format === 'pdf')!;
    const file = blobPath(copy.blobKey);
    const stored = await readFile(file);
    stored[stored.length - 20] = stored[stored.length - 20]! ^ 0xff;
    await writeFile(file, stored);
    await expect(documents.download(support, g.conferenceId, copy.id, as(support))).rejects.toMatchObject({
      code: 'DOCUMENT_INTEGRITY',
      message: expect.stringContaining('failed its integrity check'),
    });
    expect(
      (await auditRows(ctx, 'documents.copy.download')).filter(
        (r) => r.subjectId === g.conferenceId && r.outcome === 'failure',
      ),
    ).toEqual([expect.objectContaining({ details: { issuedId: copy.id, integrity: 'unreadable' } })]);
    // Another conference's copy is not found through this one.
    const other = await heldConference();
    await expect(documents.download(support, other.conferenceId, copy.id, as(support))).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('W-1: an issue that fails part-way keeps nothing: the copies already stored are deleted and the draft stays approved', async () => {
    const g = await heldConference();
    const approved = await approvedLetter(g);
    const { services } = ctx;
    const keys = async () => {
      const out: string[] = [];
      for await (const key of services.blobs.list()) out.push(key);
      return out.sort();
    };
    const before = await keys();
    // The PDF renderer fails on the fourth copy, after three copies' bytes were stored.
    let renders = 0;
    const failing: DocumentRenderer = {
      mediaType: 'application/pdf',
      extension: 'pdf',
      async render() {
        renders += 1;
        if (renders === 4) throw new Error('the renderer ran out of memory');
        return new TextEncoder().encode(`%PDF-1.7 copy ${renders}`);
      },
    };
    const passThrough: RecordingCipher = {
      encrypt: (plaintext) => plaintext,
      decrypt: (ciphertext) => ciphertext,
      plaintextSize: async (_read, size) => size,
      openRange: async (_read, size) => ({ plaintextSize: size, read: async () => Buffer.alloc(0) }),
      decryptRange: async () => Buffer.alloc(0),
    };
    const service = new DocumentService({
      uow: services.uow,
      clock: services.clock,
      calendar: services.calendar,
      timescales: services.timescales,
      blobs: services.blobs,
      cipher: passThrough,
      pdf: failing,
      html: htmlDocumentRenderer,
      wording: new TemplateLetterWording(),
      council: { name: services.config.councilName, contact: services.config.councilContact },
    });
    await expect(
      service.issue(support, g.conferenceId, approved.id, { version: approved.version }, as(support)),
    ).rejects.toThrow('the renderer ran out of memory');
    expect(renders).toBe(4);
    expect(await keys()).toEqual(before);
    const view = await documents.draft(support, g.conferenceId, approved.id, as(support));
    expect(view).toMatchObject({ status: 'approved', version: approved.version });
    expect((await documents.conferenceDocuments(support, g.conferenceId, as(support))).issued).toEqual([]);
  });

  it('access: someone who may not see the children is refused and audited; a role that may not approve is refused and audited', async () => {
    const g = await heldConference();
    await expect(documents.conferenceDocuments(stranger, g.conferenceId, as(stranger))).rejects.toBeInstanceOf(
      AccessDeniedError,
    );
    const denied = (await auditRows(ctx, 'documents.view')).filter(
      (r) => r.subjectId === g.conferenceId && r.outcome === 'denied',
    );
    expect(denied).toHaveLength(1);

    const started = await documents.startDraft(
      support,
      g.conferenceId,
      { kind: 'chairs-summary', subjectInviteeId: null },
      as(support),
    );
    // A social worker may see the children but does not write the record.
    await expect(
      documents.saveSections(sw, g.conferenceId, started.id, { version: 1, sections: {} }, as(sw)),
    ).rejects.toBeInstanceOf(AccessDeniedError);
    await expect(
      documents.approve(support, g.conferenceId, started.id, { version: 1 }, as(support)),
    ).rejects.toBeInstanceOf(AccessDeniedError);
    const approvals = (await auditRows(ctx, 'documents.draft.approve')).filter((r) => r.subjectId === g.conferenceId);
    expect(approvals.map((r) => [r.outcome, r.details])).toEqual([['denied', { reason: 'not the conference chair' }]]);
    // A draft of another conference is not found through this one.
    const other = await heldConference();
    await expect(documents.draft(support, other.conferenceId, started.id, as(support))).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    // The chair's summary has no required section: it goes straight to approval.
    expect((await documents.approve(chair, g.conferenceId, started.id, { version: 1 }, as(chair))).status).toBe(
      'approved',
    );
  });

  it('W-2: a decision changed after the chair approved the letter stops it being issued until the chair approves it again', async () => {
    const g = await heldConference();
    const approved = await approvedLetter(g);
    await ctx.services.meeting.recordDecision(
      chair,
      g.conferenceId,
      g.children.ben,
      {
        outcome: 'plan-needed',
        category: 'emotional-abuse',
        reasons: 'Home conditions and missed appointments',
        agencyViews: [g.agencies.csc, g.agencies.police, g.agencies.school].map((agencyId) => ({
          agencyId,
          view: 'agrees' as const,
        })),
        changeReason: 'Category corrected: the chair named emotional abuse at the conference',
      },
      as(chair),
    );
    const refused = documents.issue(support, g.conferenceId, approved.id, { version: approved.version }, as(support));
    await expect(refused).rejects.toBeInstanceOf(ConflictError);
    await expect(refused).rejects.toThrow(
      "The conference's record has changed since the chair approved this document: ask the chair to approve it again",
    );
    // Nothing was kept of the refused issue.
    expect((await documents.conferenceDocuments(support, g.conferenceId, as(support))).issued).toEqual([]);
    const reopened = await documents.reopen(
      chair,
      g.conferenceId,
      approved.id,
      { version: approved.version },
      as(chair),
    );
    const again = await documents.approve(chair, g.conferenceId, approved.id, { version: reopened.version }, as(chair));
    const issued = await documents.issue(support, g.conferenceId, approved.id, { version: again.version }, as(support));
    expect(issued.copies.length).toBeGreaterThan(0);
    const view = await documents.draft(support, g.conferenceId, approved.id, as(support));
    expect(view.status).toBe('issued');
    expect(view.previewHtml).toContain('Emotional abuse');
  });

  it('T-6, T-7: each document is due from the conference date, red / amber / green until it is issued', async () => {
    const g = await heldConference();
    const { calendar, timescales } = ctx.services;
    const due = (rule: 'decision-letter' | 'chair-summary' | 'record-distribution') =>
      computeDeadline(rule, d('2026-03-02'), calendar, timescales).due;
    ctx.clock.current = new Date('2026-03-05T09:00:00Z');
    try {
      const view = await documents.conferenceDocuments(support, g.conferenceId, as(support));
      const byKind = Object.fromEntries(view.documents.map((x) => [x.kind, x.due]));
      expect(byKind['decision-letter']).toEqual({
        date: due('decision-letter'),
        rule: 'decision-letter',
        status: deadlineStatus(d('2026-03-05'), due('decision-letter'), calendar),
      });
      expect(byKind['decision-letter']!.status).toMatchObject({ status: 'overdue' });
      expect(byKind['chairs-summary']).toMatchObject({ rule: 'chair-summary', date: due('chair-summary') });
      expect(byKind['conference-record']).toEqual({
        date: due('record-distribution'),
        rule: 'record-distribution',
        status: deadlineStatus(d('2026-03-05'), due('record-distribution'), calendar),
      });
      expect(byKind['conference-record']!.status).toMatchObject({ status: 'on-track' });
    } finally {
      ctx.clock.current = new Date('2026-03-02T09:00:00Z');
    }
  });

  it('002 §3.2, §3.5: an adjourned conference needs its notes, and an excluded parent a letter pre-filled with the reasons', async () => {
    const { meeting } = ctx.services;
    const g = await siblingGroupConference(ctx, { socialWorker: sw, chair, familyName: 'Adeyemi' });
    await meeting.openConference(
      chair,
      g.conferenceId,
      { pointsGiven: REMINDER_POINT_IDS, actualStartTime: '10:04' },
      as(chair),
    );
    await meeting.recordAttendance(support, g.conferenceId, g.partId, [attended(g.invitee.socialWorker)], as(support));
    await meeting.recordExclusion(
      chair,
      g.conferenceId,
      g.partId,
      g.invitee.father,
      {
        extent: 'full',
        criteria: ['other'],
        otherReason: 'Threats made to the social worker before the conference',
        toldOrallyOn: '2026-03-02',
        toldOrallyBy: 'The chair',
        toldInWritingOn: '2026-03-02',
        toldInWritingBy: 'The chair',
        viewsRoutes: ['other'],
        viewsNote: 'Written statement read out',
      },
      as(chair),
    );
    // In progress: nothing is needed yet.
    expect((await documents.conferenceDocuments(support, g.conferenceId, as(support))).documents).toEqual([]);
    await meeting.adjournInquorate(
      chair,
      g.conferenceId,
      { safetySteps: 'Children stay with their grandmother', reconveneDate: d('2026-03-09') },
      as(chair),
    );
    const after = await documents.conferenceDocuments(support, g.conferenceId, as(support));
    expect(after.documents.map((x) => [x.kind, x.subjectInviteeId, x.due?.rule ?? null])).toEqual([
      ['inquorate-notes', null, 'record-distribution'],
      ['exclusion-letter', g.invitee.father, null],
    ]);
    expect(after.documents[1]!.label).toBe('Reasons for exclusion from the conference: Daniel Mensah');
    await expect(
      documents.startDraft(
        support,
        g.conferenceId,
        { kind: 'exclusion-letter', subjectInviteeId: g.invitee.mother },
        as(support),
      ),
    ).rejects.toMatchObject({ code: 'DOCUMENT_NOT_NEEDED' });
    const started = await documents.startDraft(
      support,
      g.conferenceId,
      { kind: 'exclusion-letter', subjectInviteeId: g.invitee.father },
      as(support),
    );
    const view = await documents.draft(support, g.conferenceId, started.id, as(support));
    expect(view.sections.map((s) => [s.id, s.text])).toEqual([
      ['exclusion-explanation', 'Threats made to the social worker before the conference'],
    ]);
    // The letter goes only to the excluded person, with the file copy.
    const approved = await documents.approve(chair, g.conferenceId, started.id, { version: view.version }, as(chair));
    const issued = await documents.issue(
      support,
      g.conferenceId,
      started.id,
      { version: approved.version },
      as(support),
    );
    expect(issued.copies.filter((c) => c.format === 'pdf').map((c) => [c.copyKind, c.recipientInviteeId])).toEqual(
      expect.arrayContaining([
        ['parent', g.invitee.father],
        ['full', null],
      ]),
    );
    expect(issued.copies).toHaveLength(4);
  });
});
