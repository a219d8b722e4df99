import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../domain/access/roles.ts';
import { AccessDeniedError, ConflictError, InvalidDetailsError, StaleRecordError } from '../../domain/shared/errors.ts';
import { caseNotes } from '../../infra/db/schema.ts';
import { auditRows, staff } from '../../../test/support/people.ts';
import type { SiblingGroupConference } from '../../../test/support/conferences.ts';
import { insertStoredRecordingRow } from '../../../test/support/recordings.ts';
import { heldConferenceForRecord } from '../../../test/support/written-record.ts';
import { createTestServices, testDatabases, type TestContext } from '../../../test/support/services.ts';
import type { ComplaintService } from './complaint-service.ts';

const as = (a: Actor) => ({ actor: { id: a.id, label: a.name }, correlationId: 'test-request' });

async function problemFields(p: Promise<unknown>): Promise<string[]> {
  try {
    await p;
  } catch (err) {
    if (err instanceof InvalidDetailsError) return err.problems.map((x) => x.field);
    throw err;
  }
  throw new Error('expected the check to refuse');
}

describe.each(testDatabases())('complaints about a conference, W-7 and 002 §3.12 (%s)', (kind) => {
  let ctx: TestContext;
  let complaints: ComplaintService;
  let sw: Actor;
  let chair: Actor;
  let support: Actor;
  let investigator: Actor;
  let manager: Actor;

  beforeAll(async () => {
    ctx = await createTestServices(kind);
    complaints = ctx.services.complaints;
    sw = await staff(ctx, 'Sam Worker', ['social_worker']);
    chair = await staff(ctx, 'Cal Chair', ['chair']);
    support = await staff(ctx, 'Bo Support', ['business_support']);
    // A social worker with no child of the conference allocated: no access to it but through a complaint.
    investigator = await staff(ctx, 'Ivy Investigator', ['social_worker']);
    manager = await staff(ctx, 'Tam Manager', ['team_manager']);
  });
  afterAll(async () => {
    await ctx.dispose();
  });

  /** A held conference whose decision letter is issued, with a stored recording. */
  async function conferenceWithRecord(): Promise<{ g: SiblingGroupConference; copyId: string; recordingId: string }> {
    ctx.clock.current = new Date('2026-03-03T09:30:00Z');
    const g = await heldConferenceForRecord(ctx, { socialWorker: sw, chair, support });
    const { documents } = ctx.services;
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
      { version: started.version, sections: { 'plain-english-reasons': 'The home was not safe.' } },
      as(support),
    );
    const approved = await documents.approve(
      chair,
      g.conferenceId,
      started.id,
      { version: written.version },
      as(chair),
    );
    const issued = await documents.issue(
      support,
      g.conferenceId,
      started.id,
      { version: approved.version },
      as(support),
    );
    const copyId = issued.copies.find((c) => c.recipientInviteeId === null && c.format === 'pdf')!.id;
    const recordingId = await insertStoredRecordingRow(ctx, {
      conferenceId: g.conferenceId,
      partId: g.partId,
      createdBy: chair.id,
    });
    ctx.clock.current = new Date('2026-03-20T10:00:00Z');
    return { g, copyId, recordingId };
  }

  it('W-7, 002 §3.12: a complaint is recorded with what it is about, who complained, when and what it says; a case note goes on each child', async () => {
    const { g } = await conferenceWithRecord();
    const list = await complaints.list(support, g.conferenceId, as(support));
    expect(list.complaints).toEqual([]);
    expect(list.complainants.map((c) => c.inviteeId).sort()).toEqual(
      [g.invitee.mother, g.invitee.father, g.invitee.ava].sort(),
    );
    const saved = await complaints.record(
      support,
      g.conferenceId,
      {
        about: ['plan', 'process'],
        complainantInviteeId: g.invitee.father.toUpperCase(),
        complainantName: null,
        receivedOn: '2026-03-10',
        summary: '  The father says he was not given the reports before the conference.  ',
      },
      as(support),
    );
    expect(saved).toMatchObject({
      about: [
        { value: 'process', label: 'The conference process' },
        { value: 'plan', label: 'Whether a child protection plan was made' },
      ],
      complainant: { inviteeId: g.invitee.father, name: 'Daniel Mensah' },
      receivedOn: '2026-03-10',
      summary: 'The father says he was not given the reports before the conference.',
      stage: { value: 'informal', label: 'Informal resolution by the chair' },
      investigator: null,
      outcome: null,
      open: true,
      version: 1,
    });
    const other = await complaints.record(
      chair,
      g.conferenceId,
      {
        about: ['category'],
        complainantInviteeId: null,
        complainantName: 'Mrs Rose Okafor (grandmother)',
        receivedOn: '2026-03-12',
        summary: 'Disagrees with the category of neglect.',
      },
      as(chair),
    );
    expect(other.complainant).toEqual({ inviteeId: null, name: 'Mrs Rose Okafor (grandmother)' });
    expect((await complaints.list(manager, g.conferenceId, as(manager))).complaints.map((c) => c.id)).toEqual([
      saved.id,
      other.id,
    ]);

    const notes = await ctx.services.database.db
      .select()
      .from(caseNotes)
      .where(eq(caseNotes.kind, 'complaint-recorded'));
    const mine = notes.filter((n) => n.childId === g.children.ava || n.childId === g.children.ben);
    expect(mine.map((n) => n.childId).sort()).toEqual(
      [g.children.ava, g.children.ava, g.children.ben, g.children.ben].sort(),
    );
    expect(mine[0]!.text).toMatch(/^A complaint about the .* on .* 2026 was received on 10 March 2026/);
    const audits = await auditRows(ctx, 'complaint.record');
    expect(audits.at(-2)).toMatchObject({ outcome: 'success', details: { complaintId: saved.id } });
  });

  it('W-7, 002 §3.12: a complaint is refused with a problem per field; a parent or young person of another conference cannot be named', async () => {
    const { g } = await conferenceWithRecord();
    expect(
      await problemFields(
        complaints.record(
          support,
          g.conferenceId,
          { about: [], complainantInviteeId: null, complainantName: '  ', receivedOn: '2026-13-01', summary: ' ' },
          as(support),
        ),
      ),
    ).toEqual(['about', 'complainantName', 'receivedOn', 'summary']);
    expect(
      await problemFields(
        complaints.record(
          support,
          g.conferenceId,
          {
            about: ['process', 'bogus'],
            complainantInviteeId: g.invitee.police,
            complainantName: null,
            receivedOn: '2026-03-21',
            summary: 'x',
          },
          as(support),
        ),
      ),
    ).toEqual(['about', 'complainant', 'receivedOn']);
  });

  it('W-7: only chairs, business support and managers record complaints; a social worker of the children is refused and audited', async () => {
    const { g } = await conferenceWithRecord();
    await expect(complaints.list(sw, g.conferenceId, as(sw))).rejects.toThrow(AccessDeniedError);
    const denied = await auditRows(ctx, 'complaints.view');
    expect(denied.at(-1)).toMatchObject({ outcome: 'denied', subjectId: g.conferenceId });
  });

  it('W-7, 002 §3.12: the stages go forward only; formal investigation needs an investigator; a stale form is refused', async () => {
    const { g } = await conferenceWithRecord();
    const c = await complaints.record(
      support,
      g.conferenceId,
      {
        about: ['process'],
        complainantInviteeId: g.invitee.mother,
        complainantName: null,
        receivedOn: '2026-03-11',
        summary: 'Not heard.',
      },
      as(support),
    );
    expect(
      await problemFields(
        complaints.changeStage(
          manager,
          g.conferenceId,
          c.id,
          { stage: 'formal', investigatorUserId: null, version: c.version },
          as(manager),
        ),
      ),
    ).toEqual(['investigator']);
    const admin = await staff(ctx, 'Ada Admin', ['admin']);
    expect(
      await problemFields(
        complaints.changeStage(
          manager,
          g.conferenceId,
          c.id,
          { stage: 'formal', investigatorUserId: admin.id, version: c.version },
          as(manager),
        ),
      ),
    ).toEqual(['investigator']);
    const formal = await complaints.changeStage(
      manager,
      g.conferenceId,
      c.id,
      { stage: 'formal', investigatorUserId: investigator.id, version: c.version },
      as(manager),
    );
    expect(formal).toMatchObject({
      stage: { value: 'formal', label: 'Formal investigation' },
      investigator: { userId: investigator.id, name: 'Ivy Investigator' },
      version: 2,
    });
    await expect(
      complaints.changeStage(
        manager,
        g.conferenceId,
        c.id,
        { stage: 'review-panel', investigatorUserId: investigator.id, version: c.version },
        as(manager),
      ),
    ).rejects.toThrow(StaleRecordError);
    expect(
      await problemFields(
        complaints.changeStage(
          manager,
          g.conferenceId,
          c.id,
          { stage: 'informal', investigatorUserId: null, version: formal.version },
          as(manager),
        ),
      ),
    ).toEqual(['stage']);
    const panel = await complaints.changeStage(
      manager,
      g.conferenceId,
      c.id,
      { stage: 'review-panel', investigatorUserId: investigator.id, version: formal.version },
      as(manager),
    );
    expect(panel.stage.value).toBe('review-panel');
    const audit = (await auditRows(ctx, 'complaint.stage')).at(-1);
    expect(audit).toMatchObject({ details: { complaintId: c.id, from: 'formal', to: 'review-panel' } });
  });

  it('W-7, 002 §3.12: the investigator may view the written record and listen to the recordings while the complaint is open, for that conference only, audited with the complaint', async () => {
    const { g, copyId, recordingId } = await conferenceWithRecord();
    const elsewhere = await conferenceWithRecord();
    const { documents, recordings } = ctx.services;
    // Without a complaint the investigator has no access (their children are not these).
    await expect(documents.conferenceDocuments(investigator, g.conferenceId, as(investigator))).rejects.toThrow(
      AccessDeniedError,
    );
    const c = await complaints.record(
      support,
      g.conferenceId,
      {
        about: ['plan'],
        complainantInviteeId: g.invitee.ava,
        complainantName: null,
        receivedOn: '2026-03-15',
        summary: 'I was not listened to.',
      },
      as(support),
    );
    await complaints.changeStage(
      chair,
      g.conferenceId,
      c.id,
      { stage: 'formal', investigatorUserId: investigator.id, version: c.version },
      as(chair),
    );

    const view = await documents.conferenceDocuments(investigator, g.conferenceId, as(investigator));
    expect(view.issued.length).toBeGreaterThan(0);
    const copy = await documents.download(investigator, g.conferenceId, copyId, as(investigator));
    expect(copy.bytes.length).toBeGreaterThan(0);
    const listed = await recordings.conferenceRecordings(investigator, as(investigator), g.conferenceId);
    expect(listed.recordings.map((r) => r.id)).toContain(recordingId);
    const listening = await recordings.listening(investigator, as(investigator), recordingId);
    expect(listening.until).toBeNull();
    await expect(recordings.startListening(investigator, as(investigator), recordingId, ' ')).rejects.toThrow(
      InvalidDetailsError,
    );
    await recordings.startListening(investigator, as(investigator), recordingId, 'Investigating the complaint');
    expect((await recordings.listening(investigator, as(investigator), recordingId)).until).not.toBeNull();
    const detail = await complaints.detail(investigator, g.conferenceId, c.id, as(investigator));
    expect(detail.can.manage).toBe(false);

    const grants = await auditRows(ctx, 'complaint.investigator.access');
    const mine = grants.filter((a) => a.actorUserId === investigator.id && a.subjectId === g.conferenceId);
    expect(mine.map((a) => (a.details as { for: string }).for)).toEqual(
      expect.arrayContaining([
        'documents.view',
        'documents.copy.download',
        'recording.list',
        'recording.view',
        'recording.played',
        'complaint.view',
      ]),
    );
    expect(mine.every((a) => (a.details as { complaintId: string }).complaintId === c.id)).toBe(true);

    // Never a change, never a draft, never another conference.
    await expect(
      documents.startDraft(
        investigator,
        g.conferenceId,
        { kind: 'conference-record', subjectInviteeId: null },
        as(investigator),
      ),
    ).rejects.toThrow(AccessDeniedError);
    await expect(recordings.setLabel(investigator, as(investigator), recordingId, 'Mine')).rejects.toThrow(
      AccessDeniedError,
    );
    await expect(
      documents.conferenceDocuments(investigator, elsewhere.g.conferenceId, as(investigator)),
    ).rejects.toThrow(AccessDeniedError);
    await expect(
      documents.download(investigator, elsewhere.g.conferenceId, elsewhere.copyId, as(investigator)),
    ).rejects.toThrow(AccessDeniedError);
    await expect(recordings.listening(investigator, as(investigator), elsewhere.recordingId)).rejects.toThrow(
      AccessDeniedError,
    );
  });

  it('W-7, 002 §3.12: closing the complaint ends the investigator’s access; the denial is audited with the complaint, and a case note goes on each child', async () => {
    const { g, copyId, recordingId } = await conferenceWithRecord();
    const { documents, recordings } = ctx.services;
    const c = await complaints.record(
      support,
      g.conferenceId,
      {
        about: ['category'],
        complainantInviteeId: null,
        complainantName: 'Uncle Joe',
        receivedOn: '2026-03-16',
        summary: 'Wrong category.',
      },
      as(support),
    );
    const formal = await complaints.changeStage(
      manager,
      g.conferenceId,
      c.id,
      { stage: 'formal', investigatorUserId: investigator.id, version: c.version },
      as(manager),
    );
    await documents.download(investigator, g.conferenceId, copyId, as(investigator));

    expect(
      await problemFields(
        complaints.close(
          manager,
          g.conferenceId,
          c.id,
          { outcome: 'maybe', closedOn: '2026-03-15', version: formal.version },
          as(manager),
        ),
      ),
    ).toEqual(['outcome', 'closedOn']);
    const closed = await complaints.close(
      manager,
      g.conferenceId,
      c.id,
      { outcome: 'partly-upheld', closedOn: '2026-03-19', version: formal.version },
      as(manager),
    );
    expect(closed).toMatchObject({
      outcome: { value: 'partly-upheld', label: 'Partly upheld' },
      closedOn: '2026-03-19',
      open: false,
    });
    await expect(
      complaints.close(
        manager,
        g.conferenceId,
        c.id,
        { outcome: 'upheld', closedOn: '2026-03-19', version: closed.version },
        as(manager),
      ),
    ).rejects.toThrow(ConflictError);

    await expect(documents.download(investigator, g.conferenceId, copyId, as(investigator))).rejects.toThrow(
      AccessDeniedError,
    );
    await expect(recordings.listening(investigator, as(investigator), recordingId)).rejects.toThrow(AccessDeniedError);
    await expect(complaints.detail(investigator, g.conferenceId, c.id, as(investigator))).rejects.toThrow(
      AccessDeniedError,
    );
    const download = (await auditRows(ctx, 'documents.copy.download')).at(-1);
    expect(download).toMatchObject({
      outcome: 'denied',
      actorUserId: investigator.id,
      details: { reason: 'complaint closed: investigator access ended', complaintId: c.id },
    });
    const listen = (await auditRows(ctx, 'recording.view')).at(-1);
    expect(listen).toMatchObject({ outcome: 'denied', details: { complaintId: c.id } });

    const notes = await ctx.services.database.db
      .select()
      .from(caseNotes)
      .where(and(eq(caseNotes.kind, 'complaint-closed'), eq(caseNotes.childId, g.children.ben)));
    expect(notes).toHaveLength(1);
    expect(notes[0]!.text).toMatch(/closed on 19 March 2026 at formal investigation: partly upheld\.$/);
  });
});
