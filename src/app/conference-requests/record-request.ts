import type { Actor } from '../../domain/access/roles.ts';
import { checkNewRequest } from '../../domain/conference-requests/requests.ts';
import { InvalidDetailsError } from '../../domain/shared/errors.ts';
import type { RequestContext } from '../audit/audit-log.ts';
import { isUuid } from '../conferences/service-deps.ts';
import { SUBJECT_TYPE, audit, withChild } from './access.ts';
import type {
  ConferenceRequestView,
  ConferenceRequestsDeps,
  NewConferenceRequestInput,
  RequesterChoice,
} from './use-cases.ts';
import { viewOf } from './views.ts';

/** The professionals on the child's record, to choose who asked (audited as `conference-request.requesters`). */
export async function requesterChoices(
  deps: ConferenceRequestsDeps,
  actor: Actor,
  childId: string,
  ctx: RequestContext,
): Promise<{ childName: string; professionals: RequesterChoice[] }> {
  return withChild(deps.uow, actor, childId, 'edit', 'conference-request.requesters', ctx, async (repos, id) => {
    const child = (await repos.people.findChild(id))!;
    const professionals = (await repos.people.listProfessionals(id)).map((p) => ({
      professionalId: p.id,
      name: p.name,
      roleTitle: p.roleTitle,
      agencyName: p.agency.name,
      hasEmail: p.email !== null,
    }));
    await audit(repos, ctx, 'conference-request.requesters', { type: 'child', id }, { count: professionals.length });
    return { childName: `${child.givenNames} ${child.familyName}`, professionals };
  });
}

/**
 * 002 §1.1: records a professional's request that a conference be convened for the child, waiting for a team
 * manager's decision. Recorded by staff who may change the child's record; audited with ids only.
 */
export async function recordRequest(
  deps: ConferenceRequestsDeps,
  actor: Actor,
  childId: string,
  input: NewConferenceRequestInput,
  ctx: RequestContext,
): Promise<ConferenceRequestView> {
  return withChild(deps.uow, actor, childId, 'edit', 'conference-request.record', ctx, async (repos, id) => {
    const { value, problems } = checkNewRequest(input);
    let requester = {
      professionalId: null as string | null,
      name: '',
      agency: '',
      role: '',
      email: null as string | null,
    };
    if (value?.requester.kind === 'on-record') {
      const pid = value.requester.professionalId;
      const onRecord = isUuid(pid)
        ? (await repos.people.listProfessionals(id)).find((p) => p.id === pid.toLowerCase())
        : undefined;
      if (!onRecord) problems.push({ field: 'professionalId', message: 'Select a professional on the child’s record' });
      else
        requester = {
          professionalId: onRecord.id,
          name: onRecord.name,
          agency: onRecord.agency.name,
          role: onRecord.roleTitle,
          email: onRecord.email,
        };
    } else if (value?.requester.kind === 'described') {
      const d = value.requester;
      requester = { professionalId: null, name: d.name, agency: d.agency, role: d.role, email: d.email };
    }
    if (problems.length || !value) throw new InvalidDetailsError(problems);
    const requestId = await repos.conferenceRequests.insert({
      childId: id,
      professionalId: requester.professionalId,
      requesterName: requester.name,
      requesterAgency: requester.agency,
      requesterRole: requester.role,
      requesterEmail: requester.email,
      reasons: value.reasons,
      support: value.support,
      supporterName: value.supporterName,
      recordedByUserId: actor.id,
      recordedAt: deps.clock.now(),
    });
    await audit(
      repos,
      ctx,
      'conference-request.record',
      { type: SUBJECT_TYPE, id: requestId },
      { childId: id, professionalId: requester.professionalId, support: value.support },
    );
    const child = (await repos.people.findChild(id))!;
    return viewOf((await repos.conferenceRequests.find(requestId))!, `${child.givenNames} ${child.familyName}`);
  });
}
