import type { FastifyInstance, FastifyReply } from 'fastify';
import type { StaffRef } from '../../../app/people/people-service.ts';
import type { ChildRecord } from '../../../app/people/ports.ts';
import { CHILD_RECORD_ROLES, RECORD_EDITOR_ROLES } from '../../../domain/access/child-access.ts';
import { type Actor, hasAnyRole } from '../../../domain/access/roles.ts';
import {
  AGENCY_KIND_LABELS,
  CASE_NOTE_KIND_LABELS,
  RELATIONSHIP_LABELS,
  receivesMinutes,
} from '../../../domain/people/index.ts';
import { bodyOf, requestContext, type FormValues, dateValues, pickValues } from '../../forms/index.ts';
import type { FormError } from '../../types.ts';
import type { FeatureOptions } from '../index.ts';
import { DraftStore } from '../../draft-store.ts';
import { familyRoutes } from './family-routes.ts';
import { childErrors, childInputFrom, childValues, idParam, childProblems, searchInputFrom } from './forms.ts';
import { professionalRoutes } from './professional-routes.ts';
import { StaleRecordError } from '../../../domain/shared/errors.ts';

const VIEW = { access: CHILD_RECORD_ROLES };
const EDIT = { access: RECORD_EDITOR_ROLES };

/** Finding, adding, viewing and changing children's records. */
export async function childrenRoutes(app: FastifyInstance, opts: FeatureOptions): Promise<void> {
  const { people, config, clock, recordings } = opts.services;
  const drafts = new DraftStore({
    secret: config.sessionSecret,
    cookieSecure: config.cookieSecure,
    name: 'child',
    path: '/children/new',
  });

  // ---------------------------------------------------------------- find a child

  const canAdd = (actor: Actor | null) => Boolean(actor && hasAnyRole(actor, RECORD_EDITOR_ROLES));

  app.get('/children', { config: VIEW }, async (request, reply) =>
    reply.view('children/find.njk', {
      title: 'Find a child’s record',
      values: {},
      searched: false,
      canAdd: canAdd(request.actor),
    }),
  );

  // A POST, so names and dates of birth typed into the search never appear in a URL or a log.
  app.post('/children', { config: VIEW }, async (request, reply) => {
    const values = pickValues(bodyOf(request), [
      'name',
      'reference',
      'dateOfBirth-day',
      'dateOfBirth-month',
      'dateOfBirth-year',
    ]);
    const { input, errors } = searchInputFrom(values);
    const render = (ctx: Record<string, unknown>) =>
      reply.view('children/find.njk', {
        title: 'Find a child’s record',
        values,
        searched: false,
        canAdd: canAdd(request.actor),
        ...ctx,
      });
    if (errors.length) {
      reply.code(400);
      return render({ errors });
    }
    try {
      const { results, more } = await people.searchChildren(request.actor!, input, requestContext(request));
      return render({ searched: true, results, more });
    } catch (err) {
      reply.code(400);
      return render({ errors: childProblems(err, { dateOfBirth: 'dateOfBirth-day' }) });
    }
  });

  // ---------------------------------------------------------------- add a child: details, check answers, save

  const formContext = async (
    actor: Actor,
    values: FormValues,
    extra: { restrictionShown: boolean; child?: ChildRecord },
  ) => {
    const { socialWorkers, staff } = await people.staffChoices();
    const selectedSw = values['allocatedSocialWorkerId'];
    const named = (values['namedStaffIds'] as string[] | undefined) ?? [];
    return {
      values,
      restrictionShown: extra.restrictionShown,
      socialWorkerItems: [
        { value: '', text: 'Not allocated yet' },
        ...withCurrent(socialWorkers, extra.child).map((s) => ({
          value: s.id,
          text: s.id === actor.id ? `${s.name} (you)` : s.name,
          selected: s.id === selectedSw,
        })),
      ],
      staffItems: staff.map((s) => ({
        value: s.id,
        text: s.id === actor.id ? `${s.name} (you)` : s.name,
        checked: named.includes(s.id),
      })),
    };
  };

  const renderNew = async (reply: FastifyReply, actor: Actor, values: FormValues, errors: FormError[] = []) => {
    if (errors.length) reply.code(400);
    return reply.view('children/child-form.njk', {
      title: 'Add a child',
      action: '/children/new',
      backHref: '/children',
      buttonText: 'Continue',
      errors,
      ...(await formContext(actor, values, { restrictionShown: people.mayRestrictNewChild(actor) })),
    });
  };

  app.get('/children/new', { config: EDIT }, async (request, reply) => {
    drafts.clear(reply);
    const actor = request.actor!;
    // A social worker adding a child is allocated to it unless they choose someone else (the service does the same).
    return renderNew(reply, actor, { allocatedSocialWorkerId: actor.roles.includes('social_worker') ? actor.id : '' });
  });

  /** Back from "check your answers" (its Change links): the form with the answers given so far. */
  app.get('/children/new/details', { config: EDIT }, async (request, reply) => {
    const values = drafts.load(request, request.actor!.id, clock.now());
    if (!values) return reply.redirect('/children/new', 303);
    return renderNew(reply, request.actor!, values);
  });

  app.post('/children/new', { config: EDIT }, async (request, reply) => {
    const actor = request.actor!;
    const values = childValues(bodyOf(request));
    const { input, errors } = childInputFrom(values);
    let ruleErrors: FormError[] = [];
    try {
      await people.prepareNewChild(actor, input, requestContext(request));
    } catch (err) {
      ruleErrors = childProblems(err);
    }
    const all = childErrors(errors, ruleErrors);
    if (all.length) return renderNew(reply, actor, values, all);
    if (!drafts.save(reply, actor.id, values, clock.now())) {
      return renderNew(reply, actor, values, [
        { text: 'Your answers are too long to hold: shorten the address or name fewer staff', href: '#address' },
      ]);
    }
    return reply.redirect('/children/new/check', 303);
  });

  app.get('/children/new/check', { config: EDIT }, async (request, reply) => {
    const actor = request.actor!;
    const values = drafts.load(request, actor.id, clock.now());
    if (!values) return reply.redirect('/children/new', 303);
    try {
      const prepared = await people.prepareNewChild(actor, childInputFrom(values).input, requestContext(request));
      return reply.view('children/check-answers.njk', {
        title: 'Check the child’s details before saving',
        prepared,
        restrictionShown: people.mayRestrictNewChild(actor),
      });
    } catch (err) {
      return renderNew(reply, actor, values, childProblems(err));
    }
  });

  app.post('/children/new/check', { config: EDIT }, async (request, reply) => {
    const actor = request.actor!;
    const values = drafts.load(request, actor.id, clock.now());
    if (!values) return reply.redirect('/children/new', 303);
    let created: { id: string; canView: boolean };
    try {
      created = await people.createChild(actor, childInputFrom(values).input, requestContext(request));
    } catch (err) {
      // Something changed since the check (a reference taken meanwhile): back to the form, answers kept.
      return renderNew(reply, actor, values, childProblems(err));
    }
    drafts.clear(reply);
    if (created.canView) return reply.flash('child-added').redirect(`/children/${created.id}`, 303);
    return reply.view('children/child-added.njk', { title: 'Child’s record added' });
  });

  // ---------------------------------------------------------------- a child's record

  app.get('/children/:id', { config: VIEW }, async (request, reply) => {
    const { id } = idParam.parse(request.params);
    const view = await people.getChildRecord(request.actor!, id, requestContext(request));
    // the recordings kept on the child's record, each by the name that tells it apart (type, date, part, where it was made).
    const recorded = await recordings.listForChild(request.actor!, requestContext(request), id);
    return reply.view('children/record.njk', {
      title: `${view.child.givenNames} ${view.child.familyName}`,
      ...view,
      recordings: recorded.map((r) => ({ href: `/recordings/${r.id}`, name: r.name, stored: r.status === 'stored' })),
      family: view.family.map((m) => ({
        ...m,
        relationshipLabel: RELATIONSHIP_LABELS[m.relationship],
        receivesMinutes: receivesMinutes(m),
      })),
      professionals: view.professionals.map((p) => ({ ...p, agencyKindLabel: AGENCY_KIND_LABELS[p.agency.kind] })),
      caseNotes: view.caseNotes.map((n) => ({ ...n, kindLabel: CASE_NOTE_KIND_LABELS[n.kind] ?? n.kind })),
    });
  });

  // ---------------------------------------------------------------- change a child's details

  const childFormValues = (c: ChildRecord): FormValues => ({
    givenNames: c.givenNames,
    familyName: c.familyName,
    birthStatus: c.dateOfBirth ? 'born' : 'unborn',
    ...dateValues('dateOfBirth', c.dateOfBirth),
    ...dateValues('expectedDeliveryDate', c.expectedDeliveryDate),
    address: c.address,
    localReference: c.localReference,
    nationality: c.nationality ?? '',
    immigrationStatus: c.immigrationStatus ?? '',
    allocatedSocialWorkerId: c.allocatedSocialWorkerId ?? '',
    restricted: c.restricted ? 'yes' : '',
    namedStaffIds: c.namedStaffIds,
  });

  const renderChange = async (
    reply: FastifyReply,
    actor: Actor,
    child: ChildRecord,
    canManage: boolean,
    values: FormValues,
    version: number,
    errors: FormError[] = [],
  ) =>
    reply.view('children/child-form.njk', {
      title: 'Change the child’s details',
      action: `/children/${child.id}/change`,
      backHref: `/children/${child.id}`,
      buttonText: 'Save changes',
      version,
      errors,
      ...(await formContext(actor, values, { restrictionShown: canManage, child })),
    });

  app.get('/children/:id/change', { config: EDIT }, async (request, reply) => {
    const { id } = idParam.parse(request.params);
    const { child, canManageRestriction } = await people.getChildForChange(request.actor!, id, requestContext(request));
    return renderChange(reply, request.actor!, child, canManageRestriction, childFormValues(child), child.version);
  });

  app.post('/children/:id/change', { config: EDIT }, async (request, reply) => {
    const { id } = idParam.parse(request.params);
    const actor = request.actor!;
    const body = bodyOf(request);
    const values = childValues(body);
    const version = Number(body['version']);
    const { input, errors } = childInputFrom(values);
    if (!Number.isSafeInteger(version)) return reply.code(400).view('errors/bad-request.njk');
    if (errors.length === 0) {
      try {
        await people.updateChild(actor, id, version, input, requestContext(request));
        return reply.flash('child-saved').redirect(`/children/${id}`, 303);
      } catch (err) {
        if (err instanceof StaleRecordError) {
          // Nothing was saved. Show what is saved now, so nobody overwrites a colleague's change unseen.
          const { child, canManageRestriction } = await people.getChildForChange(actor, id, requestContext(request));
          reply.code(409);
          return renderChange(reply, actor, child, canManageRestriction, childFormValues(child), child.version, [
            {
              text: `${err.message}. The form now shows the saved details: make your changes again`,
              href: '#main-content',
            },
          ]);
        }
        const ruleErrors = childProblems(err);
        const { child, canManageRestriction } = await people.getChildForChange(actor, id, requestContext(request));
        reply.code(400);
        return renderChange(reply, actor, child, canManageRestriction, values, version, childErrors([], ruleErrors));
      }
    }
    let textErrors: FormError[] = [];
    try {
      requestContext(request); // control characters: field errors with the form's own, after the access check below
    } catch (err) {
      textErrors = childProblems(err);
    }
    const { child, canManageRestriction } = await people.getChildForChange(actor, id, requestContext(request));
    reply.code(400);
    return renderChange(reply, actor, child, canManageRestriction, values, version, childErrors(errors, textErrors));
  });

  await app.register(familyRoutes, opts);
  await app.register(professionalRoutes, opts);
}

/** The social worker list, plus the current one if their account has since changed, so the form can keep them. */
function withCurrent(socialWorkers: StaffRef[], child?: ChildRecord): StaffRef[] {
  if (!child?.allocatedSocialWorkerId || socialWorkers.some((s) => s.id === child.allocatedSocialWorkerId))
    return socialWorkers;
  return [
    ...socialWorkers,
    { id: child.allocatedSocialWorkerId, name: child.allocatedSocialWorkerName ?? 'Unknown account' },
  ];
}
