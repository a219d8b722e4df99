import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { RECORD_EDITOR_ROLES } from '../../../domain/access/child-access.ts';
import { AGENCY_KIND_LABELS } from '../../../domain/people/index.ts';
import { bodyOf, zodErrors, requestContext, type FormValues, pickValues } from '../../forms/index.ts';
import type { FormError } from '../../types.ts';
import type { FeatureOptions } from '../index.ts';
import {
  PROFESSIONAL_FIELDS,
  agencyKindItems,
  caseNoteForm,
  idParam,
  childProblems,
  professionalErrors,
  professionalParam,
} from './forms.ts';

const EDIT = { access: RECORD_EDITOR_ROLES };

/** Professionals working with a child, and case notes typed by staff. */
export async function professionalRoutes(app: FastifyInstance, { services }: FeatureOptions): Promise<void> {
  const { people } = services;

  const renderAdd = async (
    reply: FastifyReply,
    request: FastifyRequest,
    childId: string,
    extra: {
      values?: FormValues;
      errors?: FormError[];
      searchValues?: FormValues;
      results?: unknown[];
      searched?: boolean;
    } = {},
  ) => {
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
    const { id } = idParam.parse(request.params);
    return renderAdd(reply, request, id);
  });

  app.post('/children/:id/professionals/search', { config: EDIT }, async (request, reply) => {
    const { id } = idParam.parse(request.params);
    const searchValues = pickValues(bodyOf(request), ['professionalName']);
    try {
      const results = await people.searchProfessionals(
        request.actor!,
        id,
        String(searchValues['professionalName'] ?? ''),
        requestContext(request),
      );
      return renderAdd(reply, request, id, {
        searchValues,
        searched: true,
        results: results.map((p) => ({ ...p, agencyKindLabel: AGENCY_KIND_LABELS[p.agency.kind] })),
      });
    } catch (err) {
      reply.code(400);
      return renderAdd(reply, request, id, {
        searchValues,
        errors: childProblems(err, { name: 'professionalName' }),
      });
    }
  });

  app.post('/children/:id/professionals/link', { config: EDIT }, async (request, reply) => {
    const { id } = idParam.parse(request.params);
    const professionalId = String(bodyOf(request)['professionalId'] ?? '');
    if (!/^[0-9a-f-]{36}$/i.test(professionalId)) return reply.code(400).view('errors/bad-request.njk');
    try {
      await people.addProfessional(request.actor!, id, { professionalId }, requestContext(request));
    } catch (err) {
      reply.code(400);
      return renderAdd(reply, request, id, { errors: childProblems(err) });
    }
    return reply.flash('professional-added').redirect(`/children/${id}`, 303);
  });

  app.post('/children/:id/professionals/new', { config: EDIT }, async (request, reply) => {
    const { id } = idParam.parse(request.params);
    const values = pickValues(bodyOf(request), PROFESSIONAL_FIELDS);
    const s = (k: string) => String(values[k] ?? '');
    try {
      await people.addProfessional(
        request.actor!,
        id,
        {
          professional: {
            name: s('name'),
            roleTitle: s('roleTitle'),
            email: s('email'),
            phone: s('phone'),
            agencyId: s('agencyId') || null,
            newAgency: s('newAgencyName') ? { name: s('newAgencyName'), kind: s('newAgencyKind') } : null,
          },
        },
        requestContext(request),
      );
    } catch (err) {
      reply.code(400);
      return renderAdd(reply, request, id, { values, errors: professionalErrors(childProblems(err)) });
    }
    return reply.flash('professional-added').redirect(`/children/${id}`, 303);
  });

  app.get('/children/:id/professionals/:professionalId/remove', { config: EDIT }, async (request, reply) => {
    const { id, professionalId } = professionalParam.parse(request.params);
    const ctx = requestContext(request);
    const child = await people.childHeading(request.actor!, id, 'professional.remove', ctx);
    const professional = await people.getChildProfessional(request.actor!, id, professionalId, ctx);
    return reply.view('children/professional-remove.njk', {
      title: `Remove ${professional.name} from ${child.givenNames} ${child.familyName}’s record?`,
      child,
      professional,
    });
  });

  app.post('/children/:id/professionals/:professionalId/remove', { config: EDIT }, async (request, reply) => {
    const { id, professionalId } = professionalParam.parse(request.params);
    await people.removeProfessional(request.actor!, id, professionalId, requestContext(request));
    return reply.flash('professional-removed').redirect(`/children/${id}`, 303);
  });

  // ---------------------------------------------------------------- case notes

  const renderNote = async (
    reply: FastifyReply,
    request: FastifyRequest,
    childId: string,
    values: FormValues,
    errors: FormError[] = [],
  ) => {
    const child = await people.childHeading(request.actor!, childId, 'case-note.add', requestContext(request));
    return reply.view('children/case-note.njk', { title: 'Add a case note', child, values, errors });
  };

  app.get('/children/:id/case-notes/new', { config: EDIT }, async (request, reply) => {
    const { id } = idParam.parse(request.params);
    return renderNote(reply, request, id, {});
  });

  app.post('/children/:id/case-notes/new', { config: EDIT }, async (request, reply) => {
    const { id } = idParam.parse(request.params);
    const values = pickValues(bodyOf(request), ['text']);
    const parsed = caseNoteForm.safeParse(values);
    if (!parsed.success) {
      reply.code(400);
      return renderNote(reply, request, id, values, zodErrors(parsed.error));
    }
    try {
      await people.writeCaseNote(request.actor!, id, parsed.data.text, requestContext(request));
    } catch (err) {
      reply.code(400);
      return renderNote(reply, request, id, values, childProblems(err));
    }
    return reply.flash('case-note-added').redirect(`/children/${id}`, 303);
  });
}
