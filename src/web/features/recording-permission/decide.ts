/**
 * The decision on a request to record (P-2): each refusal ground a checkbox with its evidence, and what is offered
 * instead when recording is refused. Only the conference's chair, or the child's social worker, decides.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { PermissionRequestDetail } from '../../../app/recording-permission/service.ts';
import {
  ALTERNATIVES,
  ALTERNATIVE_LABELS,
  REFUSAL_GROUNDS,
  REFUSAL_GROUND_LABELS,
} from '../../../domain/recording-permission/requests.ts';
import {
  type FormError,
  type FormValues,
  bodyOf,
  idParams,
  readingContext,
  requestContext,
  submit,
  text,
  ticked,
  versionOf,
} from '../../forms/index.ts';
import { DECIDE, type RecordingPermissionPagesOptions, meetingText, render, requestHref } from './shared.ts';

function decidePage(
  reply: FastifyReply,
  d: PermissionRequestDetail,
  values: FormValues,
  errors: FormError[] = [],
  status: 400 | 409 = 400,
) {
  const r = d.request;
  return render(
    reply,
    'decide.njk',
    'Decide the request to record',
    {
      r,
      d,
      caption: `${meetingText(r)} – ${r.requester.name}`,
      backHref: requestHref(r.id),
      action: `${requestHref(r.id)}/decision`,
      values,
      groundItems: REFUSAL_GROUNDS.map((g) => ({ value: g, text: REFUSAL_GROUND_LABELS[g] })),
      alternativeItems: ALTERNATIVES.filter(
        (a) => a !== 'service-recording-copy' || r.meeting.kind === 'conference',
      ).map((a) => ({ value: a, text: ALTERNATIVE_LABELS[a] })),
    },
    errors,
    status,
  );
}

export function decidePages(app: FastifyInstance, { recordingPermission }: RecordingPermissionPagesOptions): void {
  app.get('/recording-permission/:requestId/decision', { config: DECIDE }, async (request, reply) => {
    const { requestId } = idParams('requestId').parse(request.params);
    const d = await recordingPermission.detail(request.actor!, requestId, requestContext(request));
    // Decided already, or not this person's to decide: the request's page says who decides.
    if (!d.can.decide) return reply.redirect(requestHref(d.request.id), 303);
    return decidePage(reply, d, {
      version: String(d.request.version),
      outcome: '',
      grounds: [],
      alternatives: [],
      alternativesNote: '',
      reasons: '',
    });
  });

  app.post('/recording-permission/:requestId/decision', { config: DECIDE }, async (request, reply) => {
    const { requestId } = idParams('requestId').parse(request.params);
    const body = bodyOf(request);
    const grounds = ticked(body, 'grounds');
    const values: FormValues = {
      version: text(body, 'version'),
      outcome: text(body, 'outcome'),
      grounds,
      alternatives: ticked(body, 'alternatives'),
      alternativesNote: text(body, 'alternativesNote', 2_000),
      reasons: text(body, 'reasons', 2_000),
    };
    for (const g of REFUSAL_GROUNDS) values[`evidence-${g}`] = text(body, `evidence-${g}`, 2_000);
    return submit<unknown, unknown>({
      call: () =>
        recordingPermission.decide(
          request.actor!,
          requestId,
          {
            version: versionOf(body),
            outcome: values['outcome'] as string,
            grounds: grounds.map((ground) => ({
              ground,
              evidence: (values[`evidence-${ground}`] as string | undefined) ?? '',
            })),
            alternatives: values['alternatives'] as string[],
            alternativesNote: values['alternativesNote'] as string,
            reasons: values['reasons'] as string,
          },
          requestContext(request),
        ),
      next: () => reply.redirect(`${requestHref(requestId)}?done=decided`, 303),
      again: async (errors, status) =>
        decidePage(
          reply,
          await recordingPermission.detail(request.actor!, requestId, readingContext(request)),
          values,
          errors,
          status,
        ),
    });
  });
}
