/** Someone who turned up uninvited joins the register: from the family's network, the lists, or someone new. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ArrivalInput, MeetingService, MeetingView } from '../../../../app/conferences/meeting-service.ts';
import { CSC_STAFF_ROLE_LABELS } from '../../../../domain/conferences/invitees.ts';
import { RELATIONSHIP_LABELS } from '../../../../domain/people/index.ts';
import { DomainError } from '../../../../domain/shared/errors.ts';
import {
  type FormError,
  type FormValues,
  bodyOf,
  pageProblems,
  readingContext,
  requestContext,
  text,
  ticked,
} from '../../../forms/index.ts';
import { type MeetingPages, WRITE, done, meetingIds, meetingParams, render, submit } from './shared.ts';

const ARRIVAL_FIELDS = [
  'source',
  'personId',
  'childId',
  'professionalId',
  'staffUserId',
  'knownDirectContact',
  'profName',
  'profRole',
  'profAgencyId',
  'profDirectContact',
  'interpName',
  'interpRole',
  'interpAgencyId',
  'supporterKind',
  'supporterGivenNames',
  'supporterFamilyName',
];

/** The list each source chooses from, by its input's id. */
const SELECTED: Record<string, string> = {
  network: 'personId',
  child: 'childId',
  professional: 'professionalId',
  staff: 'staffUserId',
};

async function arrivalPage(
  meeting: MeetingService,
  request: FastifyRequest,
  reply: FastifyReply,
  view: MeetingView,
  values: FormValues,
  errors: FormError[] = [],
  status?: 400 | 409,
) {
  const choices = await meeting.arrivalChoices(request.actor!, view.conference.id, readingContext(request));
  const relationshipText = (r: { childId: string; relationship: keyof typeof RELATIONSHIP_LABELS }) =>
    `${RELATIONSHIP_LABELS[r.relationship]} of ${view.children.find((c) => c.childId === r.childId)?.givenNames ?? 'a child'}`;
  return render(
    reply,
    'meeting-arrival.njk',
    view,
    'Add someone who has arrived',
    {
      values,
      choices: {
        network: choices.network.map((n) => ({
          value: n.personId,
          text: `${n.name} – ${n.relationships.map(relationshipText).join(', ')}`,
        })),
        children: choices.children.map((c) => ({ value: c.childId, text: c.name })),
        professionals: choices.professionals.map((p) => ({
          value: p.professionalId,
          text: `${p.name} – ${p.roleTitle}, ${p.agencyName}`,
        })),
        staff: choices.staff.map((s) => ({
          value: s.userId,
          text: `${s.name} – ${CSC_STAFF_ROLE_LABELS[s.role].toLowerCase()}`,
        })),
        agencies: choices.agencies.map((a) => ({ value: a.id, text: a.name })),
      },
    },
    errors,
    status,
  );
}

/** The arrival as the use case takes it, and the ids of the new person's inputs for its rules. */
function arrivalInput(values: FormValues): { input: ArrivalInput | null; renames: Record<string, string> } {
  const partIds = values['partIds'] as string[];
  const v = (k: string) => values[k] as string;
  switch (v('source')) {
    case 'network':
      return { input: { source: 'network', personId: v('personId'), partIds }, renames: {} };
    case 'child':
      return { input: { source: 'child', childId: v('childId'), partIds }, renames: {} };
    case 'professional': {
      const directContact = v('knownDirectContact') === 'yes';
      return {
        input: { source: 'professional', professionalId: v('professionalId'), directContact, partIds },
        renames: {},
      };
    }
    case 'staff':
      return { input: { source: 'staff', userId: v('staffUserId'), partIds }, renames: {} };
    case 'new-professional':
    case 'interpreter': {
      const p = v('source') === 'interpreter' ? 'interp' : 'prof';
      return {
        input: {
          source: 'new-professional',
          kind: p === 'interp' ? 'interpreter' : 'professional',
          name: v(`${p}Name`),
          roleTitle: v(`${p}Role`),
          agencyId: v(`${p}AgencyId`),
          directContact: p === 'prof' && v('profDirectContact') === 'yes',
          partIds,
        },
        renames: { name: `${p}Name`, roleTitle: `${p}Role`, agencyId: `${p}AgencyId` },
      };
    }
    case 'new-supporter':
      return {
        input: {
          source: 'new-supporter',
          kind: v('supporterKind') as 'friend',
          givenNames: v('supporterGivenNames'),
          familyName: v('supporterFamilyName'),
          partIds,
        },
        renames: { givenNames: 'supporterGivenNames', familyName: 'supporterFamilyName', kind: 'supporterKind' },
      };
    default:
      return { input: null, renames: {} };
  }
}

export function arrivalRoutes(app: FastifyInstance, { meeting, load }: MeetingPages): void {
  app.get('/conferences/:id/meeting/arrivals', { config: WRITE }, async (request, reply) => {
    const { id } = meetingParams.parse(request.params);
    const view = await load(request, id, 'register');
    const values = { partIds: view.parts.length === 1 ? [view.parts[0]!.id] : [] };
    return arrivalPage(meeting, request, reply, view, values);
  });

  app.post('/conferences/:id/meeting/arrivals', { config: WRITE }, async (request, reply) => {
    const { id } = meetingParams.parse(request.params);
    const body = bodyOf(request);
    const view = await load(request, id, 'register');
    const values: FormValues = Object.fromEntries(ARRIVAL_FIELDS.map((f) => [f, text(body, f)]));
    values['partIds'] = ticked(body, 'partIds');
    const { input, renames } = arrivalInput(values);
    const list = input ? SELECTED[input.source] : undefined;
    const errors: FormError[] = [];
    if (!input) errors.push({ text: 'Select who has arrived', href: '#source' });
    else if (list && !values[list]) errors.push({ text: 'Select who has arrived from the list', href: `#${list}` });
    return submit({
      errors,
      call: () => meeting.addArrival(request.actor!, id, input!, requestContext(request)),
      next: () => done(reply, id, 'arrival'),
      // Someone from the lists who cannot be found (no longer linked to the children) is a problem on that list.
      problems: (err) =>
        err instanceof DomainError && err.code === 'NOT_FOUND' && list
          ? { status: 400, errors: [{ text: 'Select who has arrived from the list', href: `#${list}` }] }
          : pageProblems(err, meetingIds(renames)),
      again: (errors, status) => arrivalPage(meeting, request, reply, view, values, errors, status),
    });
  });
}
