/**
 * Viewing a conference: everything its page shows, read in one unit of work after one access check, and one audited
 * view. The parts are read with the same functions their own use cases use (the overview, its changes and how each
 * invitation went, the recordings, anyone recording against the parents' wishes, the family's requests to record and
 * the chairing), each one statement per list however many invitees, children or recordings the conference has.
 */
import { type AccessDecision, canViewChild } from '../../domain/access/child-access.ts';
import type { Actor } from '../../domain/access/roles.ts';
import { nameRecordings } from '../../domain/recordings/naming.ts';
import type { RecordingStatus } from '../../domain/recordings/recording.ts';
import { AccessDeniedError, NotFoundError } from '../../domain/shared/errors.ts';
import type { RequestContext } from '../audit/audit-log.ts';
import { unpermittedView } from '../recording-incidents/incident-shared.ts';
import type { UnpermittedRecordingView } from '../recording-incidents/recording-incident-types.ts';
import { type FamilyRecordingOnTheDay, familyRecordingWithin } from '../recording-consent/service.ts';
import type { Repositories, UnitOfWork } from '../unit-of-work.ts';
import { type ChairingView, chairingWithin } from './chairing/service.ts';
import { auditConference, auditConferenceDenial } from './conference-access.ts';
import type { ConferenceOverview, ConveningService } from './convening-service.ts';
import type { ConferenceLifecycle, RearrangementService } from './rearrangement-service.ts';
import { isUuid } from './service-deps.ts';

export interface ConferenceViewDeps {
  uow: UnitOfWork;
  convening: Pick<ConveningService, 'readOverview'>;
  rearrangement: Pick<RearrangementService, 'lifecycleWithin'>;
}

/** A conference's recording, by the name that tells it apart from the conference's others. */
export interface ConferenceRecordingName {
  id: string;
  name: string;
  status: RecordingStatus;
}

/** Everything a conference's page shows. */
export interface ConferenceView {
  /** Its arrangements, children, invitees, reports and due dates. */
  overview: ConferenceOverview;
  /** Its changes, its cancellation and how each invitation (and cancellation notice) went. */
  life: ConferenceLifecycle;
  /** Its recordings, named, in the order they were made. */
  recordings: ConferenceRecordingName[];
  /** P-8: anyone asked to stop recording against the parents' wishes. */
  unpermitted: UnpermittedRecordingView[];
  /** P-4 to P-7: the family's requests to record, everyone's answers and what the chair must do. */
  familyRecording: FamilyRecordingOnTheDay;
  /** 002 §4.1: the chair's independence of the case, meeting the family beforehand and any cover chair. */
  chairing: ChairingView;
}

/** The audited action of a conference's view, and of a refused one. */
export const CONFERENCE_VIEW_ACTION = 'conference.view';

export class ConferenceViewService {
  private readonly deps: ConferenceViewDeps;

  constructor(deps: ConferenceViewDeps) {
    this.deps = deps;
  }

  /**
   * A conference, for someone who may see every child in it (a sibling group included): the same rule as each part's
   * own use case. One entry in the audit trail (`conference.view`) says what was seen, with the details those use
   * cases record (the number of the family's requests to record, their rounds and copies; of anyone recording
   * against the parents' wishes); a refusal is audited as `conference.view`, denied, with the child's reason.
   */
  async viewConference(actor: Actor, conferenceId: string, ctx: RequestContext): Promise<ConferenceView> {
    const id = conferenceId.toLowerCase();
    if (!isUuid(id)) throw new NotFoundError('The conference');
    const state: { denial: string | null } = { denial: null };
    try {
      return await this.deps.uow.run(async (repos) => {
        const childIds = await repos.convening.conferenceChildIds(id);
        if (!childIds) throw new NotFoundError('The conference');
        state.denial = await refusal(repos, actor, childIds);
        if (state.denial !== null) throw new AccessDeniedError();
        return this.read(repos, actor, id, childIds, ctx);
      });
    } catch (err) {
      const reason = state.denial;
      if (reason !== null) await auditConferenceDenial(this.deps.uow, ctx, CONFERENCE_VIEW_ACTION, id, reason);
      throw err;
    }
  }

  private async read(
    repos: Repositories,
    actor: Actor,
    id: string,
    childIds: string[],
    ctx: RequestContext,
  ): Promise<ConferenceView> {
    // One transaction is one connection: its queries run one after another (never Promise.all).
    const overview = await this.deps.convening.readOverview(repos, id);
    const conference = await repos.meeting.findConference(id);
    if (!conference) throw new NotFoundError('The conference');
    const life = await this.deps.rearrangement.lifecycleWithin(repos, overview, childIds);
    const rows = await repos.recordings.listForConference(id);
    const names = nameRecordings(conference, overview.parts, rows);
    const recordings = rows.map((r) => ({ id: r.id, name: names.get(r.id)!, status: r.status }));
    // The register's people, read once for the recording incidents and the family's requests to record.
    const invitees = await repos.meeting.listInvitees(id);
    const unpermitted = (await repos.recordingIncidents.listUnpermitted(id)).map((r) => unpermittedView(r, invitees));
    const family = await familyRecordingWithin(repos, actor, conference, invitees);
    const chairing = await chairingWithin(repos, actor, conference, childIds);
    await auditConference(repos, ctx, CONFERENCE_VIEW_ACTION, id, {
      // What the page showed past the conference's own record, as each part's own use case audits it.
      viewed: [
        'conference.changes.view',
        'recording-consent.view',
        'conference.chairing.view',
        ...(unpermitted.length ? ['unpermitted-recordings.view'] : []),
      ],
      recordingConsent: family.audited,
      unpermitted: unpermitted.length,
    });
    return { overview, life, recordings, unpermitted, familyRecording: family.view, chairing };
  }
}

/**
 * Why the actor may not see the conference, checked child by child in the conference's order (null when they may):
 * every child's access facts in one statement.
 */
async function refusal(repos: Repositories, actor: Actor, childIds: readonly string[]): Promise<string | null> {
  const facts = await repos.people.childAccessFactsMany(childIds);
  for (const childId of childIds) {
    const f = facts.get(childId);
    const decision: AccessDecision = f ? canViewChild(actor, f) : { allowed: false, reason: 'child record missing' };
    if (!decision.allowed) return decision.reason;
  }
  return null;
}
