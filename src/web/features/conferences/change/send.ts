/**
 * Sending everyone's invitations by email or recording the letters as posted, and, once a conference
 * is cancelled, its cancellation notices (each one readable, to print and post).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type FormError, idParams, requestContext } from '../../../forms/index.ts';
import { serviceErrors } from '../convening-forms.ts';
import { escapeHtml } from '../convening-view.ts';
import { type ChangeServices, EDIT, VIEW } from './shared.ts';

/** Problems sending point at the list of invitations to send. */
const sendingErrors = (err: unknown): FormError[] =>
  serviceErrors(err, {}).map((e) => ({ ...e, href: '#invitations-to-send' }));

export function sendPages(app: FastifyInstance, { rearrangement }: Pick<ChangeServices, 'rearrangement'>): void {
  const render = async (request: FastifyRequest, reply: FastifyReply, errors: FormError[] = []) => {
    const { id } = idParams('id').parse(request.params);
    const { overview: o, life } = await rearrangement.conferenceWithLifecycle(
      request.actor!,
      id,
      requestContext(request),
    );
    if (errors.length) reply.code(400);
    const rows = o.invitees.map((i) => {
      const s = life.sending.find((x) => x.inviteeId === i.id)!;
      const how = { text: i.email ? 'Email' : 'Post: no email address' };
      if (o.conference.status === 'cancelled' && s.notice) {
        const link = `<a class="govuk-link" href="/conferences/${o.conference.id}/cancellation-notices/${i.id}">Cancellation notice<span class="govuk-visually-hidden"> to ${escapeHtml(i.name)}</span></a>: ${escapeHtml(s.notice.label)}`;
        return [{ text: i.name }, how, { html: link }];
      }
      const status = `${s.label}${s.issueNumber ? ` (copy ${s.issueNumber})` : ''}${s.changedSinceIssued ? ': changed since it was sent' : ''}`;
      return [{ text: i.name }, how, { text: status }];
    });
    return reply.view('conferences/change/send.njk', {
      title: o.conference.status === 'cancelled' ? 'Cancellation letters' : 'Send the invitations',
      o,
      life,
      rows,
      errors,
    });
  };

  app.get('/conferences/:id/invitations/send', { config: VIEW }, async (request, reply) => render(request, reply));

  app.get('/conferences/:id/cancellation-notices/:inviteeId', { config: VIEW }, async (request, reply) => {
    const { id, inviteeId } = idParams('id', 'inviteeId').parse(request.params);
    const { overview, invitee, notice } = await rearrangement.cancellationNotice(
      request.actor!,
      id,
      inviteeId,
      requestContext(request),
    );
    return reply.view('conferences/change/notice.njk', {
      title: `Cancellation notice to ${invitee.name}`,
      o: overview,
      invitee,
      notice,
      paragraphs: notice.body.split(/\n{2,}/),
    });
  });

  app.post('/conferences/:id/invitations/send/email', { config: EDIT }, async (request, reply) => {
    const { id } = idParams('id').parse(request.params);
    try {
      await rearrangement.sendAllByEmail(request.actor!, id, requestContext(request));
    } catch (err) {
      return render(request, reply, sendingErrors(err));
    }
    reply.flash('invitations-emailed');
    return reply.redirect(`/conferences/${id}/invitations/send`, 303);
  });

  app.post('/conferences/:id/invitations/send/posted', { config: EDIT }, async (request, reply) => {
    const { id } = idParams('id').parse(request.params);
    try {
      await rearrangement.recordAllPosted(request.actor!, id, requestContext(request));
    } catch (err) {
      return render(request, reply, sendingErrors(err));
    }
    reply.flash('invitations-posted');
    return reply.redirect(`/conferences/${id}/invitations/send`, 303);
  });
}
