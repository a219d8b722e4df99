/** The invitation letter and email for one invitee, and each copy as it was issued. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { InvitationIssueRecord } from '../../../../app/conferences/convening-ports.ts';
import { RECORD_EDITOR_ROLES } from '../../../../domain/access/child-access.ts';
import { hasAnyRole } from '../../../../domain/access/roles.ts';
import { formatLongDate, londonDateOf } from '../../../../domain/calendar/index.ts';
import { describeInvitationMethod } from '../../../../domain/conferences/invitations.ts';
import { INVITEE_KIND_LABELS } from '../../../../domain/conferences/invitees.ts';
import { idParams, requestContext } from '../../../forms/index.ts';
import { type InvitationServices, VIEW } from './shared.ts';

export function copyPages(app: FastifyInstance, { convening }: InvitationServices): void {
  /**
   * Once issued, the pages show the copy as it was sent (the latest), never the text rebuilt from
   * today's record; the text as it would now read is shown only to be sent, or sent again after a change.
   */
  const copies = async (request: FastifyRequest) => {
    const { id, inviteeId } = idParams('id', 'inviteeId').parse(request.params);
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
    const { id, inviteeId, issueId } = idParams('id', 'inviteeId', 'issueId').parse(request.params);
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
