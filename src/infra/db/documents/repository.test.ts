import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NewIssued } from '../../../app/documents/documents-ports.ts';
import type { Actor } from '../../../domain/access/roles.ts';
import { conferenceRecord } from '../../../../test/support/documents.ts';
import { siblingGroupConference, type SiblingGroupConference } from '../../../../test/support/conferences.ts';
import { staff } from '../../../../test/support/people.ts';
import { createTestServices, testDatabases, type TestContext } from '../../../../test/support/services.ts';
import { createUnitOfWork } from '../unit-of-work.ts';
import { documentsRepository } from './repository.ts';

const at = (iso: string) => new Date(iso);
const sha = (text: string) => createHash('sha256').update(text).digest('hex');

describe.each(testDatabases())('the written record’s repository (%s)', (kind) => {
  let ctx: TestContext;
  let chair: Actor;
  let minuteTaker: Actor;
  let support: Actor;
  let conf: SiblingGroupConference;
  let other: SiblingGroupConference;
  const repo = () => documentsRepository(ctx.services.database.db);
  const sql = async (text: string, values?: unknown[]) => ctx.services.database.execute(text, values);

  beforeAll(async () => {
    ctx = await createTestServices(kind);
    chair = await staff(ctx, 'Chloe Chair', ['chair']);
    minuteTaker = await staff(ctx, 'Mina Minutes', ['business_support']);
    support = await staff(ctx, 'Bob Support', ['business_support']);
    const socialWorker = await staff(ctx, 'Sam Social', ['social_worker']);
    conf = await siblingGroupConference(ctx, { socialWorker, chair, status: 'held' });
    other = await siblingGroupConference(ctx, { socialWorker, chair, status: 'held', familyName: 'Barnes' });
  });
  afterAll(async () => {
    await ctx?.dispose();
  });

  const newDraft = (over: Partial<Parameters<ReturnType<typeof repo>['insertDraft']>[0]> = {}) => ({
    conferenceId: conf.conferenceId,
    kind: 'decision-letter' as const,
    subjectInviteeId: null,
    sections: { decision: 'A child protection plan is needed.' },
    createdByUserId: minuteTaker.id,
    at: at('2026-03-02T12:00:00Z'),
    ...over,
  });

  function copy(draftId: string, over: Partial<NewIssued> = {}): NewIssued {
    return {
      id: randomUUID(),
      draftId,
      conferenceId: conf.conferenceId,
      kind: 'conference-record',
      issueNumber: 1,
      title: 'Conference record',
      copyKind: 'full',
      recipientInviteeId: null,
      recipientName: 'File copy',
      format: 'pdf',
      largePrint: false,
      blobKey: `documents/${randomUUID()}`,
      sha256: sha('pdf bytes'),
      byteLength: 9,
      mediaType: 'application/pdf',
      renderedAt: at('2026-03-05T09:00:00Z'),
      approvedByUserId: chair.id,
      approvedAt: at('2026-03-04T16:00:00Z'),
      issuedByUserId: minuteTaker.id,
      issuedAt: at('2026-03-05T09:00:00Z'),
      leftOut: [],
      marking: ['OFFICIAL-SENSITIVE'],
      ...over,
    };
  }

  /** An approved conference record of the other conference, ready to issue copies of. */
  async function approvedRecord(conferenceId = other.conferenceId): Promise<string> {
    const draft = await repo().insertDraft(newDraft({ conferenceId, kind: 'conference-record', sections: {} }));
    const approved = await repo().updateDraft(draft!.id, 1, {
      status: 'approved',
      approvedByUserId: chair.id,
      approvedAt: at('2026-03-04T16:00:00Z'),
      approvedDocument: conferenceRecord(2),
      updatedByUserId: chair.id,
      at: at('2026-03-04T16:00:00Z'),
    });
    return approved!.id;
  }

  it('W-1: a new draft starts in drafting at version 1 with its sections, and reads back with who saved it', async () => {
    const draft = await repo().insertDraft(newDraft());
    expect(draft).toMatchObject({
      conferenceId: conf.conferenceId,
      kind: 'decision-letter',
      subjectInviteeId: null,
      status: 'drafting',
      sections: { decision: 'A child protection plan is needed.' },
      withholdings: {},
      childRecipientInviteeIds: [],
      arrangements: [],
      version: 1,
      createdByUserId: minuteTaker.id,
      updatedByUserId: minuteTaker.id,
      updatedByName: 'Mina Minutes',
      approvedByUserId: null,
      approvedByName: null,
      approvedDocument: null,
      submittedAt: null,
    });
    expect(draft!.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(draft!.createdAt.toISOString()).toBe('2026-03-02T12:00:00.000Z');
    expect(await repo().findDraft(draft!.id)).toEqual(draft);
    expect((await repo().listDrafts(conf.conferenceId)).map((d) => d.id)).toContain(draft!.id);
    expect(await repo().findDraft(randomUUID())).toBeNull();
  });

  it('T-6: a conference has one draft of each kind: a second insert of the same kind is refused with null', async () => {
    expect(await repo().insertDraft(newDraft({ kind: 'chairs-summary' }))).not.toBeNull();
    expect(await repo().insertDraft(newDraft({ kind: 'chairs-summary' }))).toBeNull();
    // Another conference has its own.
    expect(
      await repo().insertDraft(newDraft({ kind: 'chairs-summary', conferenceId: other.conferenceId })),
    ).not.toBeNull();
    const kinds = (await repo().listDrafts(conf.conferenceId)).filter((d) => d.kind === 'chairs-summary');
    expect(kinds).toHaveLength(1);
  });

  it('T-7: one exclusion letter per excluded person, and only an exclusion letter names one', async () => {
    const father = conf.invitee.father;
    const mother = conf.invitee.mother;
    const first = await repo().insertDraft(newDraft({ kind: 'exclusion-letter', subjectInviteeId: father }));
    expect(first).toMatchObject({ kind: 'exclusion-letter', subjectInviteeId: father });
    expect(await repo().insertDraft(newDraft({ kind: 'exclusion-letter', subjectInviteeId: father }))).toBeNull();
    expect(await repo().insertDraft(newDraft({ kind: 'exclusion-letter', subjectInviteeId: mother }))).not.toBeNull();
    await expect(repo().insertDraft(newDraft({ kind: 'exclusion-letter', subjectInviteeId: null }))).rejects.toThrow();
    await expect(repo().insertDraft(newDraft({ kind: 'inquorate-notes', subjectInviteeId: mother }))).rejects.toThrow();
  });

  it('W-3: a change saves at the expected version and bumps it; a stale version saves nothing and gives null', async () => {
    const draft = (await repo().insertDraft(newDraft({ kind: 'plan-and-core-group-letter' })))!;
    const withholdings = {
      'section-police': [
        { from: { kind: 'family' as const }, reason: 'police-or-marac' as const, explanation: 'Ongoing inquiry' },
      ],
    };
    const arrangements = [
      { inviteeId: conf.invitee.mother, kinds: ['interpreter' as const], language: 'Polish', detail: null },
    ];
    const saved = await repo().updateDraft(draft.id, 1, {
      sections: { plan: 'The plan' },
      withholdings,
      childRecipientInviteeIds: [conf.invitee.ava],
      arrangements,
      updatedByUserId: chair.id,
      at: at('2026-03-03T10:00:00Z'),
    });
    expect(saved).toMatchObject({
      version: 2,
      status: 'drafting',
      sections: { plan: 'The plan' },
      withholdings,
      childRecipientInviteeIds: [conf.invitee.ava],
      arrangements,
      updatedByUserId: chair.id,
      updatedByName: 'Chloe Chair',
      createdByUserId: minuteTaker.id,
    });
    expect(saved!.updatedAt.toISOString()).toBe('2026-03-03T10:00:00.000Z');

    const stale = await repo().updateDraft(draft.id, 1, {
      sections: { plan: 'Overwritten' },
      updatedByUserId: minuteTaker.id,
      at: at('2026-03-03T10:01:00Z'),
    });
    expect(stale).toBeNull();
    expect(await repo().findDraft(draft.id)).toMatchObject({ version: 2, sections: { plan: 'The plan' } });
    expect(await repo().updateDraft(randomUUID(), 1, { updatedByUserId: chair.id, at: new Date() })).toBeNull();
  });

  it('W-3: of two saves at the same version at the same time, one wins and the other gets null', async () => {
    const draft = (await repo().insertDraft(newDraft({ kind: 'inquorate-notes' })))!;
    const uow = createUnitOfWork(ctx.services.database.db, () => new Date());
    const save = (text: string) =>
      uow.run((repos) =>
        repos.documents.updateDraft(draft.id, 1, {
          sections: { notes: text },
          updatedByUserId: minuteTaker.id,
          at: new Date(),
        }),
      );
    const results = await Promise.all([save('first'), save('second')]);
    expect(results.filter((r) => r === null)).toHaveLength(1);
    const winner = results.find((r) => r !== null)!;
    expect(winner.version).toBe(2);
    expect(await repo().findDraft(draft.id)).toMatchObject({ version: 2, sections: winner.sections });
  });

  it.runIf(kind === 'postgres')(
    'W-3: a draft read with the lock holds back another save until the reading transaction ends',
    async () => {
      const draft = (await repo().insertDraft(
        newDraft({ kind: 'decision-letter', conferenceId: other.conferenceId }),
      ))!;
      const uow = createUnitOfWork(ctx.services.database.db, () => new Date());
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      let locked!: () => void;
      const isLocked = new Promise<void>((resolve) => (locked = resolve));
      const holder = uow.run(async (repos) => {
        const read = await repos.documents.findDraft(draft.id, { lock: true });
        locked();
        await released;
        return repos.documents.updateDraft(draft.id, read!.version, {
          sections: { decision: 'The chair’s words' },
          updatedByUserId: chair.id,
          at: new Date(),
        });
      });
      await isLocked;
      const rival = uow.run((repos) =>
        repos.documents.updateDraft(draft.id, 1, {
          sections: { decision: 'Overwritten' },
          updatedByUserId: minuteTaker.id,
          at: new Date(),
        }),
      );
      let rivalDone = false;
      void rival.finally(() => (rivalDone = true)).catch(() => undefined);
      // Wait until the second save is blocked on the row lock (or, were it not held back, has finished).
      while (!rivalDone) {
        const { rows } = await sql(
          `select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database()`,
        );
        if ((rows[0] as { n: number }).n > 0) break;
        await new Promise((resolve) => setImmediate(resolve));
      }
      release();
      expect(await holder).toMatchObject({ version: 2, sections: { decision: 'The chair’s words' } });
      expect(await rival).toBeNull();
      expect(await repo().findDraft(draft.id)).toMatchObject({
        version: 2,
        sections: { decision: 'The chair’s words' },
      });
    },
  );

  it('W-2: approval keeps the approved document exactly, with who approved it; reopening clears it', async () => {
    const draft = (await repo().insertDraft(newDraft({ kind: 'conference-record', sections: {} })))!;
    const submitted = await repo().updateDraft(draft.id, 1, {
      status: 'waiting-for-chair',
      submittedAt: at('2026-03-04T09:00:00Z'),
      updatedByUserId: minuteTaker.id,
      at: at('2026-03-04T09:00:00Z'),
    });
    expect(submitted).toMatchObject({ status: 'waiting-for-chair', version: 2 });
    expect(submitted!.submittedAt!.toISOString()).toBe('2026-03-04T09:00:00.000Z');
    // An approved draft without its approved document is refused by the database.
    await expect(
      repo().updateDraft(draft.id, 2, { status: 'approved', updatedByUserId: chair.id, at: new Date() }),
    ).rejects.toThrow();
    const document = conferenceRecord(3);
    const approved = await repo().updateDraft(draft.id, 2, {
      status: 'approved',
      approvedByUserId: chair.id,
      approvedAt: at('2026-03-04T16:00:00Z'),
      approvedDocument: document,
      updatedByUserId: chair.id,
      at: at('2026-03-04T16:00:00Z'),
    });
    expect(approved).toMatchObject({ status: 'approved', version: 3, approvedByName: 'Chloe Chair' });
    expect(approved!.approvedDocument).toEqual(JSON.parse(JSON.stringify(document)));
    const reopened = await repo().updateDraft(draft.id, 3, {
      status: 'drafting',
      approvedByUserId: null,
      approvedAt: null,
      approvedDocument: null,
      updatedByUserId: chair.id,
      at: at('2026-03-04T17:00:00Z'),
    });
    expect(reopened).toMatchObject({ status: 'drafting', version: 4, approvedDocument: null, approvedByName: null });
  });

  it('the chair’s comments are listed in order with their authors; resolving one keeps it and only once', async () => {
    const draft = (await repo().listDrafts(conf.conferenceId)).find((d) => d.kind === 'decision-letter')!;
    const first = await repo().insertComment({
      draftId: draft.id,
      sectionId: 'decision',
      body: 'Say which category.',
      authorUserId: chair.id,
      at: at('2026-03-04T10:00:00Z'),
    });
    expect(first).toMatchObject({ authorName: 'Chloe Chair', resolvedAt: null, resolvedByName: null });
    await repo().insertComment({
      draftId: draft.id,
      sectionId: 'decision',
      body: 'And the reasons.',
      authorUserId: chair.id,
      at: at('2026-03-04T10:05:00Z'),
    });
    expect(
      await repo().resolveComment(draft.id, first.id, { userId: minuteTaker.id, at: at('2026-03-04T11:00:00Z') }),
    ).toBe(true);
    expect(await repo().resolveComment(draft.id, first.id, { userId: minuteTaker.id, at: new Date() })).toBe(false);
    const elsewhere = (await repo().listDrafts(conf.conferenceId)).find((d) => d.kind === 'chairs-summary')!;
    const second = (await repo().listComments(draft.id))[1]!;
    expect(await repo().resolveComment(elsewhere.id, second.id, { userId: minuteTaker.id, at: new Date() })).toBe(
      false,
    );
    const comments = await repo().listComments(draft.id);
    expect(comments.map((c) => c.body)).toEqual(['Say which category.', 'And the reasons.']);
    expect(comments[0]).toMatchObject({ resolvedByUserId: minuteTaker.id, resolvedByName: 'Mina Minutes' });
    expect(comments[0]!.resolvedAt!.toISOString()).toBe('2026-03-04T11:00:00.000Z');
    expect(comments[1]).toMatchObject({ resolvedAt: null });
  });

  it('W-1, W-3: issued copies read back whole, newest first, and are refused any change or removal', async () => {
    const draftId = await approvedRecord();
    const leftOut = [
      {
        blockId: 'section-police',
        type: 'section' as const,
        location: 'Section “Police information”',
        excerpt: 'Operation Larkspur',
        recipient: 'Grace Barnes (parent)',
        reasons: [{ reason: 'police-or-marac' as const, label: 'Police or MARAC information', explanation: null }],
      },
    ];
    const file = copy(draftId, { conferenceId: other.conferenceId });
    const parent = copy(draftId, {
      conferenceId: other.conferenceId,
      copyKind: 'parent',
      recipientInviteeId: other.invitee.mother,
      recipientName: 'Grace Barnes',
      format: 'html',
      mediaType: 'text/html; charset=utf-8',
      sha256: sha('<html>'),
      byteLength: 6,
      leftOut,
      marking: ['OFFICIAL-SENSITIVE', "PARENT'S COPY"],
    });
    const amended = copy(draftId, {
      conferenceId: other.conferenceId,
      issueNumber: 2,
      issuedAt: at('2026-03-09T09:00:00Z'),
    });
    await repo().insertIssued([file, parent]);
    await repo().insertIssued([amended]);
    await repo().insertIssued([]);

    const listed = await repo().listIssued(other.conferenceId);
    expect(listed.map((c) => c.id)).toEqual([amended.id, file.id, parent.id]);
    expect(await repo().findIssued(parent.id)).toEqual({
      ...parent,
      approvedByName: 'Chloe Chair',
      issuedByName: 'Mina Minutes',
    });
    expect(await repo().findIssued(randomUUID())).toBeNull();
    expect(await repo().listIssued(conf.conferenceId)).toEqual([]);

    // The same copy twice for one issue is refused.
    await expect(repo().insertIssued([copy(draftId, { conferenceId: other.conferenceId })])).rejects.toThrow();
    // A hash that is not SHA-256 hex, or an empty file, is refused.
    await expect(
      repo().insertIssued([copy(draftId, { conferenceId: other.conferenceId, issueNumber: 3, sha256: 'ABC' })]),
    ).rejects.toThrow();
    await expect(
      repo().insertIssued([copy(draftId, { conferenceId: other.conferenceId, issueNumber: 3, byteLength: 0 })]),
    ).rejects.toThrow();

    // Nobody may change or remove an issued copy, not even with SQL.
    await expect(
      sql(`update issued_documents set sha256 = $1 where id = $2`, [sha('tampered'), file.id]),
    ).rejects.toThrow(/refused/);
    await expect(sql(`update issued_documents set left_out = '[]'::jsonb where id = $1`, [parent.id])).rejects.toThrow(
      /refused/,
    );
    await expect(sql(`delete from issued_documents where id = $1`, [file.id])).rejects.toThrow(/refused/);
    await expect(sql(`truncate issued_documents`)).rejects.toThrow(/refused/);
    expect(await repo().findIssued(file.id)).toEqual({
      ...file,
      approvedByName: 'Chloe Chair',
      issuedByName: 'Mina Minutes',
    });
    expect(await repo().findIssued(parent.id)).toMatchObject({ leftOut, sha256: sha('<html>') });
  });

  it('the orphan sweep is told every issued copy’s blob key', async () => {
    const draftId = (await repo().listDrafts(other.conferenceId)).find((d) => d.kind === 'conference-record')!.id;
    const extra = copy(draftId, { conferenceId: other.conferenceId, issueNumber: 4 });
    await repo().insertIssued([extra]);
    const keys = await repo().referencedBlobKeys();
    const issued = await repo().listIssued(other.conferenceId);
    expect(new Set(keys)).toEqual(new Set(issued.map((c) => c.blobKey)));
    expect(keys).toContain(extra.blobKey);
  });

  it('W-4: arrangement tasks stay open until done, open ones first; completing is for the task’s conference and once', async () => {
    const draftId = (await repo().listDrafts(other.conferenceId)).find((d) => d.kind === 'conference-record')!.id;
    const task = (over: Record<string, unknown>) => ({
      draftId,
      conferenceId: other.conferenceId,
      kind: 'conference-record' as const,
      inviteeId: other.invitee.mother,
      recipientName: 'Grace Barnes',
      arrangement: 'interpreter' as const,
      language: 'Polish',
      detail: null,
      createdAt: at('2026-03-05T09:00:00Z'),
      ...over,
    });
    await repo().insertTasks([
      task({}),
      task({ arrangement: 'large-print', language: null, createdAt: at('2026-03-05T09:00:01Z') }),
    ]);
    await repo().insertTasks([]);
    await expect(repo().insertTasks([task({ arrangement: 'braille' })])).rejects.toThrow();

    const tasks = await repo().listTasks(other.conferenceId);
    expect(tasks.map((t) => t.arrangement)).toEqual(['interpreter', 'large-print']);
    expect(tasks[0]).toMatchObject({ doneAt: null, doneByUserId: null, doneByName: null, doneNote: null });
    const [interpreter, largePrint] = tasks;

    const openBefore = await repo().listOpenTasks();
    expect(openBefore.map((t) => t.id)).toEqual([interpreter!.id, largePrint!.id]);

    // Not on another conference.
    expect(
      await repo().completeTask(conf.conferenceId, interpreter!.id, { userId: support.id, at: new Date(), note: null }),
    ).toBe(false);
    expect(
      await repo().completeTask(other.conferenceId, interpreter!.id, {
        userId: support.id,
        at: at('2026-03-06T10:00:00Z'),
        note: 'Interpreter booked for 10 March',
      }),
    ).toBe(true);
    expect(
      await repo().completeTask(other.conferenceId, interpreter!.id, {
        userId: support.id,
        at: new Date(),
        note: null,
      }),
    ).toBe(false);

    expect((await repo().listOpenTasks()).map((t) => t.id)).toEqual([largePrint!.id]);
    const after = await repo().listTasks(other.conferenceId);
    expect(after.map((t) => t.id)).toEqual([largePrint!.id, interpreter!.id]);
    expect(after[1]).toMatchObject({
      doneByUserId: support.id,
      doneByName: 'Bob Support',
      doneNote: 'Interpreter booked for 10 March',
    });
    expect(after[1]!.doneAt!.toISOString()).toBe('2026-03-06T10:00:00.000Z');
    expect(await repo().listTasks(conf.conferenceId)).toEqual([]);
  });

  it('T-6, T-7: the dashboard reads each draft’s state and when it was first issued', async () => {
    const states = await repo().documentStates([conf.conferenceId, other.conferenceId]);
    const issuedRecord = states.find((s) => s.conferenceId === other.conferenceId && s.kind === 'conference-record');
    // The approved record's first copies were issued on 5 March; the amendment on 9 March does not move that.
    expect(issuedRecord).toMatchObject({ status: 'approved', subjectInviteeId: null });
    expect(issuedRecord!.issuedAt!.toISOString()).toBe('2026-03-05T09:00:00.000Z');
    const exclusions = states.filter((s) => s.conferenceId === conf.conferenceId && s.kind === 'exclusion-letter');
    expect(exclusions.map((s) => s.subjectInviteeId).sort()).toEqual([conf.invitee.father, conf.invitee.mother].sort());
    const decision = states.find((s) => s.conferenceId === conf.conferenceId && s.kind === 'decision-letter');
    expect(decision).toEqual({
      conferenceId: conf.conferenceId,
      kind: 'decision-letter',
      subjectInviteeId: null,
      status: 'drafting',
      issuedAt: null,
    });
    const drafts = await repo().listDrafts(conf.conferenceId);
    expect(states.filter((s) => s.conferenceId === conf.conferenceId)).toHaveLength(drafts.length);
    expect(
      (await repo().documentStates([other.conferenceId])).every((s) => s.conferenceId === other.conferenceId),
    ).toBe(true);
    expect(await repo().documentStates([])).toEqual([]);
  });
});
