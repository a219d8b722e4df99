import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staff } from '../../../../test/support/people.ts';
import { type SiblingGroupConference, siblingGroupConference } from '../../../../test/support/conferences.ts';
import { createTestServices, testDatabases, type TestContext } from '../../../../test/support/services.ts';

describe.each(testDatabases())('the family recording tables (%s)', (kind) => {
  let ctx: TestContext;
  let g: SiblingGroupConference;
  beforeAll(async () => {
    ctx = await createTestServices(kind);
    const sw = await staff(ctx, 'Sam Worker', ['social_worker']);
    g = await siblingGroupConference(ctx, { socialWorker: sw });
  });
  afterAll(async () => {
    await ctx.dispose();
  });

  it('P-4: a refusal without a reason or the further authorisation needed is refused by the database too', async () => {
    const { uow } = ctx.services;
    const request = await uow.run((r) =>
      r.recordingConsent.insertMeetingRequest({
        conferenceId: g.conferenceId,
        requesterInviteeId: g.invitee.mother,
        askedAt: '10:40',
        purpose: 'To remember what was said',
        limitsAccepted: true,
        recordedByUserId: null,
        createdAt: new Date('2026-03-02T10:41:00Z'),
      }),
    );
    const round = {
      conferenceId: g.conferenceId,
      permissionRequestId: null,
      meetingRequestId: request.id,
      occasion: 'new-request' as const,
      askedAt: '10:42',
      recordedByUserId: null,
      createdAt: new Date('2026-03-02T10:42:00Z'),
    };
    const saved = await uow.run((r) =>
      r.recordingConsent.insertRound({
        ...round,
        consents: [
          { inviteeId: g.invitee.mother, answer: 'agrees', reason: null, furtherAuthorisation: null },
          { inviteeId: g.invitee.police, answer: 'refuses', reason: null, furtherAuthorisation: 'Legal advice' },
        ],
      }),
    );
    expect(saved.consents).toHaveLength(2);
    await expect(
      uow.run((r) =>
        r.recordingConsent.insertRound({
          ...round,
          consents: [{ inviteeId: g.invitee.police, answer: 'refuses', reason: null, furtherAuthorisation: null }],
        }),
      ),
    ).rejects.toThrow();
    expect(await uow.run((r) => r.recordingConsent.listRounds(g.conferenceId))).toHaveLength(1);
  });
});
