/** A child's record: details, family and network, professionals, case notes and the recordings kept on it. */
import type { FastifyInstance } from 'fastify';
import type { ChildRecordService } from '../../../app/people/child-record.ts';
import { dueView as coreGroupDueView } from '../core-groups/shared.ts';
import { rowOf } from '../conference-requests/shared.ts';
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

export function recordPage(app: FastifyInstance, deps: { childRecords: Pick<ChildRecordService, 'view'> }): void {
  app.get('/children/:id', { config: VIEW }, async (request, reply) => {
    const { id } = idParams('id').parse(request.params);
    // One use case reads all the page shows, checking access once and auditing the view once (a refusal too). The
    // plan (002 §3.9), when the next core group is due (002 §3.7; left out when a sibling in the plan's conference
    // may not be seen) and professionals' requests for a conference (002 §1.1) come with it.
    const view = await deps.childRecords.view(request.actor!, id, requestContext(request));
    return reply.view('children/record.njk', {
      ...view,
      conferenceRequests: view.conferenceRequests.map(rowOf),
      coreGroupDue: coreGroupDueView(view.coreGroupDue),
      planEnding: view.planEnding,
      title: `${view.child.givenNames} ${view.child.familyName}`,
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
