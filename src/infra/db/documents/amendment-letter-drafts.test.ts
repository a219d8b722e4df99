import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NewDraft } from '../../../app/documents/documents-ports.ts';
import type { Actor } from '../../../domain/access/roles.ts';
import type { IsoDate } from '../../../domain/calendar/index.ts';
import { conferenceRecord } from '../../../../test/support/documents.ts';
import { siblingGroupConference, type SiblingGroupConference } from '../../../../test/support/conferences.ts';
import { staff } from '../../../../test/support/people.ts';
import { createTestServices, testDatabases, type TestContext } from '../../../../test/support/services.ts';
import { amendmentsRepository } from '../amendments/repository.ts';
import { documentsRepository } from './repository.ts';

const d = (s: string) => s as IsoDate;
const at = new Date('2026-03-20T10:00:00Z');

describe.each(testDatabases())('amendment decision letters in the database (%s)', (kind) => {
  let ctx: TestContext;
  let support: Actor;
  let conf: SiblingGroupConference;
  let recordId: string;
  const repo = () => documentsRepository(ctx.services.database.db);
  const requests = () => amendmentsRepository(ctx.services.database.db);

  beforeAll(async () => {
    ctx = await createTestServices(kind);
    const chair = await staff(ctx, 'Chloe Chair', ['chair']);
    support = await staff(ctx, 'Bob Support', ['business_support']);
    const socialWorker = await staff(ctx, 'Sam Social', ['social_worker']);
    conf = await siblingGroupConference(ctx, { socialWorker, chair, status: 'held' });
    recordId = (await repo().insertDraft(draft({ kind: 'conference-record', subjectInviteeId: null })))!.id;
  });
  afterAll(async () => {
    await ctx?.dispose();
  });

  function draft(over: Partial<NewDraft>): NewDraft {
    return {
      conferenceId: conf.conferenceId,
      kind: 'amendment-decision-letter',
      subjectInviteeId: conf.invitee.mother,
      sections: {},
      createdByUserId: support.id,
      at,
      ...over,
    };
  }

  async function request(requesterInviteeId: string): Promise<string> {
    const r = await requests().insert({
      conferenceId: conf.conferenceId,
      draftId: recordId,
      issueNumber: 1,
      requesterInviteeId,
      channel: 'letter',
      receivedOn: d('2026-03-16'),
      recordReceivedOn: d('2026-03-06'),
      dueOn: d('2026-03-20'),
      late: false,
      points: [{ sectionId: 'essential-facts', originalText: '', requestedChange: 'Change this.', decision: null }],
      issuedDocument: conferenceRecord(1),
      recordedByUserId: support.id,
      recordedAt: at,
    });
    return r.id;
  }

  it('W-5: one letter per amendment request, so one person’s two requests have two letters; it names its request', async () => {
    const first = await request(conf.invitee.mother);
    const second = await request(conf.invitee.mother);
    const letter = await repo().insertDraft(draft({ amendmentRequestId: first }));
    expect(letter).toMatchObject({
      kind: 'amendment-decision-letter',
      subjectInviteeId: conf.invitee.mother,
      amendmentRequestId: first,
      status: 'drafting',
    });
    expect(await repo().insertDraft(draft({ amendmentRequestId: first }))).toBeNull();
    const another = await repo().insertDraft(draft({ amendmentRequestId: second }));
    expect(another?.id).not.toBe(letter?.id);
    const listed = (await repo().listDrafts(conf.conferenceId)).filter((x) => x.kind === 'amendment-decision-letter');
    expect(listed.map((x) => x.amendmentRequestId).sort()).toEqual([first, second].sort());
    // Every other draft names no request.
    expect((await repo().findDraft(recordId))?.amendmentRequestId).toBeNull();
  });

  it('W-5: a letter needs its request and its requester; no other kind may name a request; exclusion letters stay one per person', async () => {
    const asked = await request(conf.invitee.father);
    await expect(repo().insertDraft(draft({ amendmentRequestId: null }))).rejects.toThrow();
    await expect(repo().insertDraft(draft({ subjectInviteeId: null, amendmentRequestId: asked }))).rejects.toThrow();
    await expect(
      repo().insertDraft(draft({ kind: 'decision-letter', subjectInviteeId: null, amendmentRequestId: asked })),
    ).rejects.toThrow();
    const exclusion = draft({ kind: 'exclusion-letter', subjectInviteeId: conf.invitee.father });
    expect(await repo().insertDraft(exclusion)).not.toBeNull();
    expect(await repo().insertDraft(exclusion)).toBeNull();
  });
});
