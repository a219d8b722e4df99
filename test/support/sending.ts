/**
 * A decision letter issued for a held conference, ready to send (W-4), and its next version after an accepted
 * amendment (W-5): shared by the sending tests of the service, the pages and the API. The mother has a postal
 * address; the social worker's professional record is linked to their account, so their copy can be emailed.
 */
import { eq } from 'drizzle-orm';
import type { Actor } from '../../src/domain/access/roles.ts';
import { londonDateOf } from '../../src/domain/calendar/index.ts';
import { people, professionals } from '../../src/infra/db/schema.ts';
import type { SiblingGroupConference } from './conferences.ts';
import { staff as staffMember } from './people.ts';
import type { TestContext } from './services.ts';
import { heldConferenceForRecord } from './written-record.ts';

const as = (a: Actor) => ({ actor: { id: a.id, label: a.name }, correlationId: 'test-request' });
export const LETTER_REASONS = 'The conference agreed that Ava and Ben need a plan because the home was not safe.';

export interface IssuedLetter {
  g: SiblingGroupConference;
  draftId: string;
}

export interface LetterStaff {
  socialWorker: Actor;
  chair: Actor;
  support: Actor;
}

/** The social worker, chair and business support who hold the conference and write, approve and issue its letter. */
export async function letterStaff(ctx: TestContext): Promise<LetterStaff> {
  const socialWorker = await staffMember(ctx, 'Sam Worker', ['social_worker']);
  const chair = await staffMember(ctx, 'Cal Chair', ['chair']);
  const support = await staffMember(ctx, 'Bo Support', ['business_support']);
  return { socialWorker, chair, support };
}

/**
 * With `issue: false` the letter is written but left for the chair to approve and business support to issue.
 * `reasons` replaces the letter's plain-English reasons; with `contacts: false` the mother's address and the social
 * worker's account link are left as the conference has them.
 */
export async function issuedDecisionLetter(
  ctx: TestContext,
  staff: LetterStaff,
  opts: { issue?: boolean; reasons?: string; contacts?: boolean } = {},
): Promise<IssuedLetter> {
  const { documents } = ctx.services;
  const { socialWorker: sw, chair, support } = staff;
  const g = await heldConferenceForRecord(ctx, staff);
  if (opts.contacts !== false) {
    const { db } = ctx.services.database;
    await db.update(people).set({ address: '1 Mill Lane\nEastbourne\nBN21 1AA' }).where(eq(people.id, g.people.mother));
    await db.update(professionals).set({ userId: sw.id }).where(eq(professionals.name, sw.name));
  }
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
    { version: started.version, sections: { 'plain-english-reasons': opts.reasons ?? LETTER_REASONS } },
    as(support),
  );
  if (opts.issue === false) return { g, draftId: started.id };
  const approved = await documents.approve(chair, g.conferenceId, started.id, { version: written.version }, as(chair));
  await documents.issue(support, g.conferenceId, started.id, { version: approved.version }, as(support));
  return { g, draftId: started.id };
}

/** W-5: the father asks for a change, the chair accepts it, and the letter is issued again as version 2. */
export async function issueNextVersion(
  ctx: TestContext,
  letter: IssuedLetter,
  staff: { chair: Actor; support: Actor },
): Promise<void> {
  const { documents, amendments } = ctx.services;
  const { chair, support } = staff;
  const { g, draftId } = letter;
  const request = await amendments.recordRequest(
    support,
    g.conferenceId,
    {
      draftId,
      requesterInviteeId: g.invitee.father,
      channel: 'in-person',
      receivedOn: londonDateOf(ctx.clock.now()),
      recordReceivedOn: null,
      points: [
        {
          sectionId: 'plain-english-reasons',
          originalText: LETTER_REASONS,
          requestedChange: 'Say the home is being cleaned.',
        },
      ],
    },
    as(support),
  );
  await amendments.decide(
    chair,
    g.conferenceId,
    request.id,
    { version: request.version, decisions: [{ decision: 'accepted', reasons: 'Cleaning has started.' }] },
    as(chair),
  );
  const draft = await documents.draft(support, g.conferenceId, draftId, as(support));
  const saved = await documents.saveSections(
    support,
    g.conferenceId,
    draftId,
    {
      version: draft.version,
      sections: { 'plain-english-reasons': `${LETTER_REASONS} The home is being cleaned.` },
    },
    as(support),
  );
  const approved = await documents.approve(chair, g.conferenceId, draftId, { version: saved.version }, as(chair));
  ctx.clock.advance(60_000);
  await documents.issue(support, g.conferenceId, draftId, { version: approved.version }, as(support));
}
