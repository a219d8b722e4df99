/** A child's record: details, family and network, professionals, case notes and the recordings kept on it. */
import type { FastifyInstance } from 'fastify';
import { type ChildRecordDeps, readChildRecord } from '../../../app/people/child-record.ts';
import type { PlanEndingUseCases } from '../../../app/plan-endings/service.ts';
import type { CoreGroupUseCases } from '../../../app/core-groups/service.ts';
import { dueView as coreGroupDueView } from '../core-groups/shared.ts';
import type { ConferenceRequestsService } from '../../../app/conference-requests/service.ts';
import { rowOf } from '../conference-requests/shared.ts';
import { AccessDeniedError } from '../../../domain/shared/errors.ts';
import { CHILD_RECORD_ROLES } from '../../../domain/access/child-access.ts';
import {
  AGENCY_KIND_LABELS,
  CASE_NOTE_KIND_LABELS,
  legalStatusText,
  RELATIONSHIP_LABELS,
  receivesMinutes,
} from '../../../domain/people/index.ts';
import { idParams, requestContext } from '../../forms/index.ts';

const VIEW = { access: CHILD_RECORD_ROLES };

export function recordPage(
  app: FastifyInstance,
  deps: ChildRecordDeps & {
    planEndings?: Pick<PlanEndingUseCases, 'forChild'> | undefined;
    coreGroups?: Pick<CoreGroupUseCases, 'forChild'> | undefined;
    conferenceRequests?: Pick<ConferenceRequestsService, 'forChild'> | undefined;
  },
): void {
  app.get('/children/:id', { config: VIEW }, async (request, reply) => {
    const { id } = idParams('id').parse(request.params);
    const view = await readChildRecord(deps, request.actor!, id, requestContext(request));
    // 002 §3.9: the plan in place or ended, and why, with its warnings (a receiving conference overdue).
    const planEnding = deps.planEndings
      ? await deps.planEndings.forChild(request.actor!, id, requestContext(request))
      : null;
    // 002 §3.7: when the child's next core group is due, while a plan is in force (its own view is audited). Someone
    // who may see this child but not a sibling in the plan's conference is refused the core group (audited), not the record.
    const coreGroupDue = deps.coreGroups
      ? await deps.coreGroups
          .forChild(request.actor!, id, requestContext(request))
          .then((g) => coreGroupDueView(g.due))
          .catch((err: unknown) => {
            if (err instanceof AccessDeniedError) return null;
            throw err;
          })
      : null;
    // 002 §1.1: professionals' requests for a conference about the child (their own list is audited).
    const conferenceRequests = deps.conferenceRequests
      ? (await deps.conferenceRequests.forChild(request.actor!, id, requestContext(request))).map(rowOf)
      : [];
    return reply.view('children/record.njk', {
      conferenceRequests,
      coreGroupDue,
      planEnding,
      title: `${view.child.givenNames} ${view.child.familyName}`,
      ...view,
      legalStatusText: legalStatusText(view.child.legalStatus, view.child.legalStatusDetails),
      // each recording by the name that tells it apart (type, date, part, where it was made).
      recordings: view.recordings.map((r) => ({
        href: `/recordings/${r.id}`,
        name: r.name,
        stored: r.status === 'stored',
      })),
      family: view.family.map((m) => ({
        ...m,
        relationshipLabel: RELATIONSHIP_LABELS[m.relationship],
        receivesMinutes: receivesMinutes(m),
      })),
      professionals: view.professionals.map((p) => ({ ...p, agencyKindLabel: AGENCY_KIND_LABELS[p.agency.kind] })),
      caseNotes: view.caseNotes.map((n) => ({ ...n, kindLabel: CASE_NOTE_KIND_LABELS[n.kind] ?? n.kind })),
    });
  });
}
