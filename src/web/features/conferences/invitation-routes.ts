import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { InvitationCandidates, InviteeInput } from '../../../app/conferences/convening-service.ts';
import { CHILD_RECORD_ROLES, RECORD_EDITOR_ROLES } from '../../../domain/access/child-access.ts';
import { INVITATION_METHOD_LABELS, INVITATION_METHODS } from '../../../domain/conferences/invitations.ts';
import { INVITEE_KIND_LABELS } from '../../../domain/conferences/invitees.ts';
import { RELATIONSHIP_LABELS } from '../../../domain/people/index.ts';
import { asArray, bodyOf, requestContext } from '../../forms.ts';
import type { FormError } from '../../types.ts';
import type { FeatureOptions } from '../index.ts';
import { parseDateInput } from '../children/forms.ts';
import { type FormValues, dateValues, idParam, inviteeParam, pickValues, serviceErrors } from './convening-forms.ts';

const VIEW = { access: CHILD_RECORD_ROLES };
const EDIT = { access: RECORD_EDITOR_ROLES };

/** Inviting people, recording how and when the invitation went, and the letter and email to send. */
export async function invitationRoutes(app: FastifyInstance, opts: FeatureOptions): Promise<void> {
  const { convening } = opts.services;

  // ---------------------------------------------------------------- choose people to invite

  const renderInvite = async (request: FastifyRequest, reply: FastifyReply, values: FormValues, errors: FormError[] = []) => {
    const { id } = idParam.parse(request.params);
    const { overview, candidates } = await convening.invitationCandidates(request.actor!, id, requestContext(request));
    if (errors.length) reply.code(400);
    return reply.view('conferences/convening/invite.njk', {
      title: 'Invite people to the conference',
      o: overview,
      errors,
      values,
      ...inviteItems(candidates, values),
    });
  };

  app.get('/conferences/:id/invitations/new', { config: EDIT }, async (request, reply) => renderInvite(request, reply, {}));

  app.post('/conferences/:id/invitations/new', { config: EDIT }, async (request, reply) => {
    const { id } = idParam.parse(request.params);
    const body = bodyOf(request);
    const values: FormValues = {
      personIds: asArray(body['personIds']).slice(0, 100),
      childIds: asArray(body['childIds']).slice(0, 20),
      professionalIds: asArray(body['professionalIds']).slice(0, 100),
    };
    const invitees: InviteeInput[] = [];
    const ids: string[] = [];
    for (const personId of values['personIds'] as string[]) {
      invitees.push({ kind: 'family-member', personId });
      ids.push(`person-${personId}`);
    }
    for (const childId of values['childIds'] as string[]) {
      invitees.push({ kind: 'child', childId });
      ids.push(`child-${childId}`);
    }
    for (const professionalId of values['professionalIds'] as string[]) {
      const answer = typeof body[`directContact-${professionalId}`] === 'string' ? String(body[`directContact-${professionalId}`]) : '';
      values[`directContact-${professionalId}`] = answer;
      invitees.push({ kind: 'professional', professionalId, directContact: answer === 'yes' ? true : answer === 'no' ? false : undefined });
      ids.push(`professional-${professionalId}`);
    }
    try {
      await convening.invite(request.actor!, id, invitees, requestContext(request));
    } catch (err) {
      // "invitees.2.directContact" → the radios for that professional; other problems → that person's checkbox.
      const mapped = serviceErrors(err, values).map((e) => {
        const m = /^#invitees\.(\d+)\.?(\w*)/.exec(e.href);
        if (!m) return e.href === '#invitees' ? { ...e, href: '#personIds' } : e;
        const target = ids[Number(m[1])] ?? 'personIds';
        return { ...e, href: m[2] === 'directContact' ? `#${target.replace('professional-', 'directContact-')}` : `#${target}` };
      });
      return renderInvite(request, reply, values, mapped);
    }
    return reply.redirect(`/conferences/${id}#invitations`, 303);
  });

  // ---------------------------------------------------------------- an interpreter

  const INTERPRETER_FIELDS = ['name', 'language', 'agencyId', 'email'];
  const renderInterpreter = async (request: FastifyRequest, reply: FastifyReply, values: FormValues, errors: FormError[] = []) => {
    const { id } = idParam.parse(request.params);
    const { overview, candidates } = await convening.invitationCandidates(request.actor!, id, requestContext(request));
    if (errors.length) reply.code(400);
    const languages = [...new Set(candidates.family.filter((f) => f.language).map((f) => `${f.name}: ${f.language}${f.interpreterNeeded ? ' (interpreter needed)' : ''}`))];
    return reply.view('conferences/convening/interpreter.njk', {
      title: 'Add an interpreter',
      o: overview,
      errors,
      values,
      languages,
      agencyItems: [{ value: '', text: 'Select the interpreting service' }, ...candidates.agencies.map((a) => ({ value: a.id, text: a.name, selected: values['agencyId'] === a.id }))],
    });
  };

  app.get('/conferences/:id/invitations/interpreter', { config: EDIT }, async (request, reply) => renderInterpreter(request, reply, {}));

  app.post('/conferences/:id/invitations/interpreter', { config: EDIT }, async (request, reply) => {
    const { id } = idParam.parse(request.params);
    const values = pickValues(bodyOf(request), INTERPRETER_FIELDS);
    const v = (k: string) => String(values[k] ?? '');
    try {
      await convening.invite(request.actor!, id, [{ kind: 'interpreter', interpreter: { name: v('name'), language: v('language'), agencyId: v('agencyId') || null, email: v('email') } }], requestContext(request));
    } catch (err) {
      const errors = serviceErrors(err, values).map((e) => ({ ...e, href: e.href.replace(/^#invitees\.0\./, '#') }));
      return renderInterpreter(request, reply, values, errors);
    }
    return reply.redirect(`/conferences/${id}#invitations`, 303);
  });

  // ---------------------------------------------------------------- record how and when it was sent

  const renderSent = async (request: FastifyRequest, reply: FastifyReply, values: FormValues, errors: FormError[] = []) => {
    const { id, inviteeId } = inviteeParam.parse(request.params);
    const overview = await convening.getConference(request.actor!, id, requestContext(request));
    const invitee = overview.invitees.find((i) => i.id === inviteeId);
    if (!invitee) return reply.code(404).view('errors/not-found.njk');
    if (errors.length) reply.code(400);
    return reply.view('conferences/convening/invitation-sent.njk', {
      title: `Record the invitation to ${invitee.name} as sent`,
      o: overview,
      invitee,
      errors,
      values,
      methodItems: INVITATION_METHODS.map((m) => ({ value: m, text: INVITATION_METHOD_LABELS[m], checked: values['method'] === m })),
    });
  };

  app.get('/conferences/:id/invitations/:inviteeId/sent', { config: EDIT }, async (request, reply) =>
    renderSent(request, reply, { ...dateValues('sentOn', convening.today()) }),
  );

  app.post('/conferences/:id/invitations/:inviteeId/sent', { config: EDIT }, async (request, reply) => {
    const { id, inviteeId } = inviteeParam.parse(request.params);
    const values = pickValues(bodyOf(request), ['method', 'sentOn-day', 'sentOn-month', 'sentOn-year']);
    const date = parseDateInput(values, 'sentOn', 'The date it was sent');
    if (date.error) return renderSent(request, reply, values, [{ text: date.error, href: '#sentOn-day' }]);
    try {
      await convening.recordInvitationSent(request.actor!, id, inviteeId, { method: values['method'] || undefined, sentOn: date.iso }, requestContext(request));
    } catch (err) {
      return renderSent(request, reply, values, serviceErrors(err, values));
    }
    return reply.redirect(`/conferences/${id}#invitations`, 303);
  });

  // ---------------------------------------------------------------- the letter and the email

  const content = async (request: FastifyRequest) => {
    const { id, inviteeId } = inviteeParam.parse(request.params);
    return convening.invitationContent(request.actor!, id, inviteeId, requestContext(request));
  };

  app.get('/conferences/:id/invitations/:inviteeId/letter', { config: VIEW }, async (request, reply) => {
    const { overview, invitee, content: letter } = await content(request);
    const nonce = (reply as FastifyReply & { cspNonce?: { style: string } }).cspNonce?.style;
    return reply.view('conferences/convening/letter.njk', { title: `Invitation letter to ${invitee.name}`, o: overview, invitee, letter, styleNonce: nonce, kindLabel: INVITEE_KIND_LABELS[invitee.kind] });
  });

  app.get('/conferences/:id/invitations/:inviteeId/email', { config: VIEW }, async (request, reply) => {
    const { overview, invitee, content: email } = await content(request);
    return reply.view('conferences/convening/email.njk', { title: `Invitation email to ${invitee.name}`, o: overview, invitee, email });
  });
}

/** Checkbox items for the people who could be invited; already invited people are shown but cannot be chosen twice. */
function inviteItems(c: InvitationCandidates, values: FormValues) {
  const picked = (field: string) => (values[field] as string[] | undefined) ?? [];
  const already = { text: 'Already invited' };
  const family = c.family.map((f) => {
    const links = f.links.map((l) => `${RELATIONSHIP_LABELS[l.relationship]} of ${l.childGivenNames} (${l.parentalResponsibility ? 'has PR' : 'no PR'})`).join('; ');
    const needs = f.language ? ` Language: ${f.language}${f.interpreterNeeded ? ', interpreter needed' : ''}.` : f.interpreterNeeded ? ' Interpreter needed.' : '';
    const role = f.kind === 'family-member' ? '' : ` ${INVITEE_KIND_LABELS[f.kind]}: does not receive the minutes or the record.`;
    return {
      value: f.personId,
      id: `person-${f.personId}`,
      text: f.name,
      hint: { text: f.invited ? already.text : `${links}.${role}${needs}` },
      checked: picked('personIds').includes(f.personId),
      disabled: f.invited,
    };
  });
  const children = c.children.map((k) => ({
    value: k.childId,
    id: `child-${k.childId}`,
    text: k.name,
    hint: { text: k.invited ? already.text : k.presumedToAttend ? `Aged ${k.age} on the day: presumed able to attend (12 or over).` : `Aged ${k.age} on the day: invite if they have enough understanding and want to come.` },
    checked: picked('childIds').includes(k.childId),
    disabled: k.invited,
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
  return { familyItems: family, childItems: children, professionalItems: professionals };
}

