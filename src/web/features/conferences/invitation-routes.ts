import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { InvitationIssueRecord } from '../../../app/conferences/convening-ports.ts';
import type { InvitationCandidates, InviteeInput } from '../../../app/conferences/convening-service.ts';
import { CHILD_RECORD_ROLES, RECORD_EDITOR_ROLES } from '../../../domain/access/child-access.ts';
import { hasAnyRole } from '../../../domain/access/roles.ts';
import { formatLongDate, londonDateOf } from '../../../domain/calendar/index.ts';
import {
  INVITATION_METHOD_LABELS,
  INVITATION_METHODS,
  describeInvitationMethod,
} from '../../../domain/conferences/invitations.ts';
import { INVITEE_KIND_LABELS, mayUseInterpreter } from '../../../domain/conferences/invitees.ts';
import { RELATIONSHIP_LABELS } from '../../../domain/people/index.ts';
import { asArray, bodyOf, readingContext, requestContext, parseDateInput } from '../../forms/index.ts';
import type { FormError } from '../../types.ts';
import type { FeatureOptions } from '../index.ts';
import {
  type FormValues,
  dateValues,
  idParam,
  inviteeParam,
  issueParam,
  pickValues,
  serviceErrors,
} from './convening-forms.ts';

const VIEW = { access: CHILD_RECORD_ROLES };
const EDIT = { access: RECORD_EDITOR_ROLES };

/** Inviting people, recording how and when the invitation went, and the letter and email to send. */
export async function invitationRoutes(app: FastifyInstance, opts: FeatureOptions): Promise<void> {
  const { convening } = opts.services;

  // ---------------------------------------------------------------- choose people to invite

  const renderInvite = async (
    request: FastifyRequest,
    reply: FastifyReply,
    values: FormValues,
    errors: FormError[] = [],
  ) => {
    const { id } = idParam.parse(request.params);
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
    const { id } = idParam.parse(request.params);
    const body = bodyOf(request);
    const values: FormValues = {
      personIds: asArray(body['personIds']).slice(0, 100),
      childIds: asArray(body['childIds']).slice(0, 20),
      professionalIds: asArray(body['professionalIds']).slice(0, 100),
      socialWorkerIds: asArray(body['socialWorkerIds']).slice(0, 20),
      teamManagerId: typeof body['teamManagerId'] === 'string' ? body['teamManagerId'] : '',
    };
    const invitees: InviteeInput[] = [];
    const ids: string[] = [];
    // Each family member and child ticked says whether they need an interpreter, and the language.
    const need = (key: string) => {
      const needed = body[`interpreterNeeded-${key}`] === 'yes';
      const language =
        typeof body[`interpreterLanguage-${key}`] === 'string'
          ? String(body[`interpreterLanguage-${key}`]).slice(0, 200)
          : '';
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
      const answer =
        typeof body[`directContact-${professionalId}`] === 'string'
          ? String(body[`directContact-${professionalId}`])
          : '';
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
    try {
      await convening.invite(request.actor!, id, invitees, requestContext(request));
    } catch (err) {
      // "invitees.2.directContact" → the radios for that professional; "….interpreterLanguage" → that person's
      // language box; other problems → that person's checkbox.
      const mapped = serviceErrors(err, values).map((e) => {
        const m = /^#invitees\.(\d+)\.?(\w*)/.exec(e.href);
        if (!m) return e.href === '#invitees' ? { ...e, href: '#personIds' } : e;
        const target = ids[Number(m[1])] ?? 'personIds';
        if (m[2] === 'directContact') return { ...e, href: `#${target.replace('professional-', 'directContact-')}` };
        if (m[2] === 'interpreterLanguage')
          return { ...e, href: `#${target.replace(/^(person|child)-/, 'interpreterLanguage-')}` };
        return { ...e, href: `#${target}` };
      });
      return renderInvite(request, reply, values, mapped);
    }
    reply.flash('conference-invited');
    return reply.redirect(`/conferences/${id}#invitations`, 303);
  });

  // ---------------------------------------------------------------- an interpreter

  const INTERPRETER_FIELDS = ['name', 'language', 'agencyId', 'email'];
  const renderInterpreter = async (
    request: FastifyRequest,
    reply: FastifyReply,
    values: FormValues,
    errors: FormError[] = [],
  ) => {
    const { id } = idParam.parse(request.params);
    const { overview, candidates } = await convening.invitationCandidates(request.actor!, id, readingContext(request));
    if (errors.length) reply.code(400);
    const languages = [
      ...new Set(
        candidates.family
          .filter((f) => f.language)
          .map((f) => `${f.name}: ${f.language}${f.interpreterNeeded ? ' (interpreter needed)' : ''}`),
      ),
    ];
    return reply.view('conferences/convening/interpreter.njk', {
      title: 'Add an interpreter',
      o: overview,
      errors,
      values,
      languages,
      agencyItems: [
        { value: '', text: 'Select the interpreting service' },
        ...candidates.agencies.map((a) => ({ value: a.id, text: a.name, selected: values['agencyId'] === a.id })),
      ],
    });
  };

  app.get('/conferences/:id/invitations/interpreter', { config: EDIT }, async (request, reply) =>
    renderInterpreter(request, reply, {}),
  );

  app.post('/conferences/:id/invitations/interpreter', { config: EDIT }, async (request, reply) => {
    const { id } = idParam.parse(request.params);
    const values = pickValues(bodyOf(request), INTERPRETER_FIELDS);
    const v = (k: string) => String(values[k] ?? '');
    try {
      await convening.invite(
        request.actor!,
        id,
        [
          {
            kind: 'interpreter',
            interpreter: {
              name: v('name'),
              language: v('language'),
              agencyId: v('agencyId') || null,
              email: v('email'),
            },
          },
        ],
        requestContext(request),
      );
    } catch (err) {
      const errors = serviceErrors(err, values).map((e) => ({ ...e, href: e.href.replace(/^#invitees\.0\./, '#') }));
      return renderInterpreter(request, reply, values, errors);
    }
    return reply.redirect(`/conferences/${id}#invitations`, 303);
  });

  // ---------------------------------------------------------------- record how and when it was sent

  const renderSent = async (
    request: FastifyRequest,
    reply: FastifyReply,
    values: FormValues,
    errors: FormError[] = [],
  ) => {
    const { id, inviteeId } = inviteeParam.parse(request.params);
    const overview = await convening.getConference(request.actor!, id, readingContext(request));
    const invitee = overview.invitees.find((i) => i.id === inviteeId);
    if (!invitee) return reply.code(404).view('errors/not-found.njk');
    if (errors.length) reply.code(400);
    return reply.view('conferences/convening/invitation-sent.njk', {
      title: invitee.invitedAt
        ? `Record the invitation to ${invitee.name} as sent again`
        : `Record the invitation to ${invitee.name} as sent`,
      o: overview,
      invitee,
      errors,
      values,
      methodItems: INVITATION_METHODS.map((m) => ({
        value: m,
        text: INVITATION_METHOD_LABELS[m],
        checked: values['method'] === m,
      })),
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
      await convening.recordInvitationSent(
        request.actor!,
        id,
        inviteeId,
        { method: values['method'] || undefined, sentOn: date.iso },
        requestContext(request),
      );
    } catch (err) {
      return renderSent(request, reply, values, serviceErrors(err, values));
    }
    return reply.redirect(`/conferences/${id}#invitations`, 303);
  });

  // ---------------------------------------------------------------- whether they need an interpreter

  const renderInterpreterNeed = async (
    request: FastifyRequest,
    reply: FastifyReply,
    values: FormValues,
    errors: FormError[] = [],
  ) => {
    const { id, inviteeId } = inviteeParam.parse(request.params);
    const overview = await convening.getConference(request.actor!, id, readingContext(request));
    const invitee = overview.invitees.find((i) => i.id === inviteeId);
    if (!invitee || !mayUseInterpreter(invitee.kind)) return reply.code(404).view('errors/not-found.njk');
    if (errors.length) reply.code(400);
    return reply.view('conferences/convening/interpreter-need.njk', {
      title: `Does ${invitee.name} need an interpreter?`,
      o: overview,
      invitee,
      errors,
      values,
    });
  };

  app.get('/conferences/:id/invitations/:inviteeId/interpreter', { config: EDIT }, async (request, reply) => {
    const { id, inviteeId } = inviteeParam.parse(request.params);
    const overview = await convening.getConference(request.actor!, id, requestContext(request));
    const invitee = overview.invitees.find((i) => i.id === inviteeId);
    const values: FormValues = invitee?.interpreterLanguage
      ? { interpreterNeeded: 'yes', interpreterLanguage: invitee.interpreterLanguage }
      : { interpreterNeeded: 'no' };
    return renderInterpreterNeed(request, reply, values);
  });

  app.post('/conferences/:id/invitations/:inviteeId/interpreter', { config: EDIT }, async (request, reply) => {
    const { id, inviteeId } = inviteeParam.parse(request.params);
    const values = pickValues(bodyOf(request), ['interpreterNeeded', 'interpreterLanguage']);
    const answer = values['interpreterNeeded'];
    try {
      await convening.recordInterpreterNeed(
        request.actor!,
        id,
        inviteeId,
        {
          interpreterNeeded: answer === 'yes' ? true : answer === 'no' ? false : null,
          interpreterLanguage: String(values['interpreterLanguage'] ?? ''),
        },
        requestContext(request),
      );
    } catch (err) {
      return renderInterpreterNeed(request, reply, values, serviceErrors(err, values));
    }
    return reply.redirect(`/conferences/${id}#invitations`, 303);
  });

  // ---------------------------------------------------------------- the letter and the email

  /**
   * Once issued, the pages show the copy as it was sent (the latest), never the text rebuilt from
   * today's record; the text as it would now read is shown only to be sent, or sent again after a change.
   */
  const copies = async (request: FastifyRequest) => {
    const { id, inviteeId } = inviteeParam.parse(request.params);
    const found = await convening.invitationContent(request.actor!, id, inviteeId, requestContext(request));
    const latest = found.issues.at(-1) ?? null;
    return {
      ...found,
      latest,
      issueList: found.issues.map((i) => issueSummary(id, i)).reverse(),
      canEdit: found.overview.open && hasAnyRole(request.actor!, RECORD_EDITOR_ROLES),
    };
  };

  app.get('/conferences/:id/invitations/:inviteeId/letter', { config: VIEW }, async (request, reply) => {
    const found = await copies(request);
    const nonce = (reply as FastifyReply & { cspNonce?: { style: string } }).cspNonce?.style;
    const { overview, invitee, content: letter, latest } = found;
    return reply.view('conferences/convening/letter.njk', {
      ...found,
      title: `Invitation letter to ${invitee.name}`,
      o: overview,
      letter,
      issued: latest ? issuedView(latest) : null,
      styleNonce: nonce,
      kindLabel: INVITEE_KIND_LABELS[invitee.kind],
    });
  });

  app.get('/conferences/:id/invitations/:inviteeId/email', { config: VIEW }, async (request, reply) => {
    const found = await copies(request);
    const { overview, invitee, content: email, latest } = found;
    return reply.view('conferences/convening/email.njk', {
      ...found,
      title: `Invitation email to ${invitee.name}`,
      o: overview,
      email,
      issued: latest ? issuedView(latest) : null,
    });
  });

  app.get('/conferences/:id/invitations/:inviteeId/issues/:issueId', { config: VIEW }, async (request, reply) => {
    const { id, inviteeId, issueId } = issueParam.parse(request.params);
    const { overview, invitee, issue, issues } = await convening.invitationIssue(
      request.actor!,
      id,
      inviteeId,
      issueId,
      requestContext(request),
    );
    const nonce = (reply as FastifyReply & { cspNonce?: { style: string } }).cspNonce?.style;
    return reply.view('conferences/convening/invitation-issue.njk', {
      title: `Invitation to ${invitee.name}: copy ${issue.issueNumber} as sent`,
      o: overview,
      invitee,
      issued: issuedView(issue),
      latestNumber: issues.at(-1)?.issueNumber ?? issue.issueNumber,
      styleNonce: nonce,
    });
  });
}

/** One line of the list of copies sent. */
function issueSummary(conferenceId: string, i: InvitationIssueRecord) {
  return {
    href: `/conferences/${conferenceId}/invitations/${i.inviteeId}/issues/${i.id}`,
    text: `Copy ${i.issueNumber}: ${describeInvitationMethod(i.channel).toLowerCase()}, sent ${formatLongDate(londonDateOf(i.issuedAt))} by ${i.issuedBy.name}`,
  };
}

/** An issued copy for the page: its text as paragraphs and bulleted lists, exactly as stored. */
export function issuedView(i: InvitationIssueRecord) {
  const blocks: Array<{ list: boolean; lines: string[] }> = [];
  for (const para of i.body.split(/\n{2,}/)) {
    const lines = para.split('\n').filter((l) => l.trim() !== '');
    if (!lines.length) continue;
    const list = lines.every((l) => l.startsWith('- '));
    blocks.push({ list, lines: list ? lines.map((l) => l.slice(2)) : lines });
  }
  const sentOn = formatLongDate(londonDateOf(i.issuedAt));
  const methodText = describeInvitationMethod(i.channel);
  const detailRows = [
    { key: { text: 'Sent' }, value: { text: `${sentOn} (${methodText.toLowerCase()}), copy ${i.issueNumber}` } },
    { key: { text: 'Recorded by' }, value: { text: i.issuedBy.name } },
    ...(i.recipientEmail ? [{ key: { text: 'Email address' }, value: { text: i.recipientEmail } }] : []),
    { key: { text: 'Subject' }, value: { text: i.subject } },
    {
      key: { text: 'Fingerprint (SHA-256)' },
      value: { html: `<code class="govuk-!-text-break-word">${i.bodySha256}</code>` },
    },
  ];
  return { ...i, blocks, methodText, sentOn, detailRows };
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
