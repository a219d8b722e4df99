/** Adding a professional to a child's record: find one already recorded, or add someone new (with a new agency). */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { PeopleService } from '../../../../app/people/people-service.ts';
import { RECORD_EDITOR_ROLES } from '../../../../domain/access/child-access.ts';
import { AGENCY_KIND_LABELS } from '../../../../domain/people/index.ts';
import { parseId } from '../../../../domain/shared/ids.ts';
import {
  type FormError,
  type FormValues,
  bodyOf,
  idParams,
  pickValues,
  requestContext,
  str,
} from '../../../forms/index.ts';
import {
  PROFESSIONAL_FIELDS,
  agencyKindItems,
  childProblems,
  professionalErrors,
  professionalInputFrom,
} from '../forms.ts';

const EDIT = { access: RECORD_EDITOR_ROLES };

interface AddPageState {
  values?: FormValues;
  errors?: FormError[];
  searchValues?: FormValues;
  results?: unknown[];
  searched?: boolean;
}

export function addProfessionalPage(app: FastifyInstance, { people }: { people: PeopleService }): void {
  const render = async (reply: FastifyReply, request: FastifyRequest, childId: string, extra: AddPageState = {}) => {
    const child = await people.childHeading(request.actor!, childId, 'professional.add', requestContext(request));
    const agencies = await people.listAgencies();
    const values = extra.values ?? {};
    return reply.view('children/professional-add.njk', {
      title: 'Add a professional',
      child,
      values,
      searchValues: extra.searchValues ?? {},
      errors: extra.errors ?? [],
      searched: extra.searched ?? false,
      results: extra.results ?? [],
      agencyItems: [
        { value: '', text: 'Select an agency' },
        ...agencies.map((a) => ({
          value: a.id,
          text: `${a.name} (${AGENCY_KIND_LABELS[a.kind]})`,
          selected: values['agencyId'] === a.id,
        })),
      ],
      agencyKindItems: agencyKindItems(values['newAgencyKind'] as string | undefined),
      newAgencyOpen: Boolean(values['newAgencyName']),
    });
  };

  app.get('/children/:id/professionals/add', { config: EDIT }, async (request, reply) => {
    const { id } = idParams('id').parse(request.params);
    return render(reply, request, id);
  });

  app.post('/children/:id/professionals/search', { config: EDIT }, async (request, reply) => {
    const { id } = idParams('id').parse(request.params);
    const searchValues = pickValues(bodyOf(request), ['professionalName']);
    try {
      const name = str(searchValues['professionalName']);
      const results = await people.searchProfessionals(request.actor!, id, name, requestContext(request));
      return render(reply, request, id, {
        searchValues,
        searched: true,
        results: results.map((p) => ({ ...p, agencyKindLabel: AGENCY_KIND_LABELS[p.agency.kind] })),
      });
    } catch (err) {
      reply.code(400);
      return render(reply, request, id, { searchValues, errors: childProblems(err, { name: 'professionalName' }) });
    }
  });

  app.post('/children/:id/professionals/link', { config: EDIT }, async (request, reply) => {
    const { id } = idParams('id').parse(request.params);
    const professionalId = parseId(bodyOf(request)['professionalId']);
    if (!professionalId) return reply.code(400).view('errors/bad-request.njk');
    try {
      await people.addProfessional(request.actor!, id, { professionalId }, requestContext(request));
    } catch (err) {
      reply.code(400);
      return render(reply, request, id, { errors: childProblems(err) });
    }
    return reply.flash('professional-added').redirect(`/children/${id}`, 303);
  });

  app.post('/children/:id/professionals/new', { config: EDIT }, async (request, reply) => {
    const { id } = idParams('id').parse(request.params);
    const values = pickValues(bodyOf(request), PROFESSIONAL_FIELDS);
    try {
      const input = { professional: professionalInputFrom(values) };
      await people.addProfessional(request.actor!, id, input, requestContext(request));
    } catch (err) {
      reply.code(400);
      return render(reply, request, id, { values, errors: professionalErrors(childProblems(err)) });
    }
    return reply.flash('professional-added').redirect(`/children/${id}`, 303);
  });
}
