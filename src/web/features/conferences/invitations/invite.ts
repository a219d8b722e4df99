/** Choosing people to invite: family, children, professionals and children's social care, with interpreters. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { InvitationCandidates, InviteeInput } from '../../../../app/conferences/convening-service.ts';
import { INVITEE_KIND_LABELS } from '../../../../domain/conferences/invitees.ts';
import { RELATIONSHIP_LABELS } from '../../../../domain/people/index.ts';
import {
  type FormError,
  type FormValues,
  asArray,
  bodyOf,
  idParams,
  readingContext,
  requestContext,
  str,
  text,
} from '../../../forms/index.ts';
import { serviceErrors } from '../convening-forms.ts';
import { EDIT, type InvitationServices } from './shared.ts';

export function invitePage(app: FastifyInstance, { convening }: InvitationServices): void {
  const renderInvite = async (
    request: FastifyRequest,
    reply: FastifyReply,
    values: FormValues,
    errors: FormError[] = [],
  ) => {
    const { id } = idParams('id').parse(request.params);
    const { overview, candidates } = await convening.invitationCandidates(request.actor!, id, readingContext(request));
    if (errors.length) reply.code(400);
    return reply.view('conferences/convening/invite.njk', {
      title: 'Invite people to the conference',
      o: overview,
      errors,
      values,
      ...inviteItems(candidates, values),
    });
  };

  app.get('/conferences/:id/invitations/new', { config: EDIT }, async (request, reply) =>
    renderInvite(request, reply, {}),
  );

  app.post('/conferences/:id/invitations/new', { config: EDIT }, async (request, reply) => {
    const { id } = idParams('id').parse(request.params);
    const { values, invitees, ids } = readInvitees(bodyOf(request));
    try {
      await convening.invite(request.actor!, id, invitees, requestContext(request));
    } catch (err) {
      return renderInvite(request, reply, values, inviteErrors(err, values, ids));
    }
    reply.flash('conference-invited');
    return reply.redirect(`/conferences/${id}#invitations`, 303);
  });
}

/** The people ticked as the service's input, the form's values to re-render, and each invitee's input id in order. */
function readInvitees(body: Record<string, unknown>): { values: FormValues; invitees: InviteeInput[]; ids: string[] } {
  const values: FormValues = {
    personIds: asArray(body['personIds']).slice(0, 100),
    childIds: asArray(body['childIds']).slice(0, 20),
    professionalIds: asArray(body['professionalIds']).slice(0, 100),
    socialWorkerIds: asArray(body['socialWorkerIds']).slice(0, 20),
    teamManagerId: str(body['teamManagerId']),
  };
  const invitees: InviteeInput[] = [];
  const ids: string[] = [];
  // Each family member and child ticked says whether they need an interpreter, and the language.
  const need = (key: string) => {
    const needed = body[`interpreterNeeded-${key}`] === 'yes';
    const language = text(body, `interpreterLanguage-${key}`, 200);
    values[`interpreterNeeded-${key}`] = needed ? 'yes' : 'no';
    values[`interpreterLanguage-${key}`] = language;
    return { interpreterNeeded: needed, interpreterLanguage: language };
  };
  for (const personId of values['personIds'] as string[]) {
    invitees.push({ kind: 'family-member', personId, ...need(personId) });
    ids.push(`person-${personId}`);
  }
  for (const childId of values['childIds'] as string[]) {
    invitees.push({ kind: 'child', childId, ...need(childId) });
    ids.push(`child-${childId}`);
  }
  for (const professionalId of values['professionalIds'] as string[]) {
    const answer = str(body[`directContact-${professionalId}`]);
    values[`directContact-${professionalId}`] = answer;
    invitees.push({
      kind: 'professional',
      professionalId,
      directContact: answer === 'yes' ? true : answer === 'no' ? false : undefined,
    });
    ids.push(`professional-${professionalId}`);
  }
  // Children's social care: the allocated social worker and, if chosen, a team manager.
  for (const userId of values['socialWorkerIds'] as string[]) {
    invitees.push({ kind: 'social-worker', userId });
    ids.push(`socialWorker-${userId}`);
  }
  if (values['teamManagerId']) {
    invitees.push({ kind: 'team-manager', userId: values['teamManagerId'] as string });
    ids.push('teamManagerId');
  }
  return { values, invitees, ids };
}

/**
 * The service's problems on the page: "invitees.2.directContact" → the radios for that professional;
 * "….interpreterLanguage" → that person's language box; other problems → that person's checkbox.
 */
function inviteErrors(err: unknown, values: FormValues, ids: readonly string[]): FormError[] {
  return serviceErrors(err, values).map((e) => {
    const m = /^#invitees\.(\d+)\.?(\w*)/.exec(e.href);
    if (!m) return e.href === '#invitees' ? { ...e, href: '#personIds' } : e;
    const target = ids[Number(m[1])] ?? 'personIds';
    if (m[2] === 'directContact') return { ...e, href: `#${target.replace('professional-', 'directContact-')}` };
    if (m[2] === 'interpreterLanguage')
      return { ...e, href: `#${target.replace(/^(person|child)-/, 'interpreterLanguage-')}` };
    return { ...e, href: `#${target}` };
  });
}

/** Checkbox items for the people who could be invited; already invited people are shown but cannot be chosen twice. */
function inviteItems(c: InvitationCandidates, values: FormValues) {
  const picked = (field: string) => (values[field] as string[] | undefined) ?? [];
  // Whether they need an interpreter, and the language: as answered, else from the person's record.
  const need = (key: string, record: { language: string | null; interpreterNeeded: boolean } | null) => ({
    key,
    needed:
      values[`interpreterNeeded-${key}`] !== undefined
        ? values[`interpreterNeeded-${key}`] === 'yes'
        : (record?.interpreterNeeded ?? false),
    language:
      values[`interpreterLanguage-${key}`] !== undefined
        ? String(values[`interpreterLanguage-${key}`])
        : (record?.language ?? ''),
  });
  const already = { text: 'Already invited' };
  const family = c.family.map((f) => {
    const links = f.links
      .map(
        (l) =>
          `${RELATIONSHIP_LABELS[l.relationship]} of ${l.childGivenNames} (${l.parentalResponsibility ? 'has PR' : 'no PR'})`,
      )
      .join('; ');
    const needs = f.language
      ? ` Language: ${f.language}${f.interpreterNeeded ? ', interpreter needed' : ''}.`
      : f.interpreterNeeded
        ? ' Interpreter needed.'
        : '';
    const role =
      f.kind === 'family-member' ? '' : ` ${INVITEE_KIND_LABELS[f.kind]}: does not receive the minutes or the record.`;
    return {
      value: f.personId,
      id: `person-${f.personId}`,
      text: f.name,
      hint: { text: f.invited ? already.text : `${links}.${role}${needs}` },
      checked: picked('personIds').includes(f.personId),
      disabled: f.invited,
      interpreter: need(f.personId, f),
    };
  });
  const children = c.children.map((k) => ({
    value: k.childId,
    id: `child-${k.childId}`,
    text: k.name,
    hint: {
      text: k.invited
        ? already.text
        : k.presumedToAttend
          ? `Aged ${k.age} on the day: presumed able to attend (12 or over).`
          : `Aged ${k.age} on the day: invite if they have enough understanding and want to come.`,
    },
    checked: picked('childIds').includes(k.childId),
    disabled: k.invited,
    interpreter: need(k.childId, null),
  }));
  const professionals = c.professionals.map((p) => ({
    value: p.professionalId,
    id: `professional-${p.professionalId}`,
    text: `${p.name}, ${p.roleTitle}`,
    hint: { text: p.invited ? already.text : `${p.agencyName}. Works with ${p.childGivenNames.join(' and ')}.` },
    checked: picked('professionalIds').includes(p.professionalId),
    disabled: p.invited,
    directContactName: `directContact-${p.professionalId}`,
    directContact: values[`directContact-${p.professionalId}`] ?? '',
  }));
  const csc = c.childrensSocialCare;
  const socialWorkers = csc.socialWorkers.map((w) => ({
    value: w.userId,
    id: `socialWorker-${w.userId}`,
    text: `${w.name}, allocated social worker`,
    hint: {
      text: w.invited ? already.text : `For ${w.childGivenNames.join(' and ')}. Attends for children’s social care.`,
    },
    checked: picked('socialWorkerIds').includes(w.userId),
    disabled: w.invited,
  }));
  const invitedManagers = csc.teamManagers.filter((m) => m.invited).map((m) => m.name);
  const teamManagerItems = [
    { value: '', text: 'No team manager' },
    ...csc.teamManagers
      .filter((m) => !m.invited)
      .map((m) => ({ value: m.userId, text: m.name, selected: values['teamManagerId'] === m.userId })),
  ];
  return {
    familyItems: family,
    childItems: children,
    professionalItems: professionals,
    csc: {
      agency: csc.agency,
      socialWorkers,
      unallocated: csc.unallocated,
      teamManagerItems,
      invitedManagers,
      anyManagers: csc.teamManagers.length > 0,
    },
  };
}
