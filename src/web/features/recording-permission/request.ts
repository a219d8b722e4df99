/** A request to record a meeting: its details, the signed undertaking, professionals' views and the decision (P-1, P-2, P-6). */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { PermissionRequestDetail } from '../../../app/recording-permission/service.ts';
import { VIEWS, VIEW_LABELS } from '../../../domain/recording-permission/requests.ts';
import { type FormError, type FormValues, idParams, requestContext } from '../../forms/index.ts';
import {
  type RecordingPermissionPagesOptions,
  VIEW,
  doneOf,
  listHrefOf,
  render,
  requestHref,
  rowOf,
} from './shared.ts';

export function requestPage(
  reply: FastifyReply,
  d: PermissionRequestDetail,
  done: string | null,
  values: FormValues = {},
  errors: FormError[] = [],
  status: 400 | 409 = 400,
) {
  const r = d.request;
  const href = requestHref(r.id);
  return render(
    reply,
    'request.njk',
    'Request to record a meeting',
    {
      done,
      r: rowOf(r),
      d,
      href,
      listHref: listHrefOf(r),
      values: { version: String(r.version), ...values },
      professionalItems: [
        { value: '', text: 'Choose a professional' },
        ...d.professionals.map((p) => ({ value: p.inviteeId, text: p.agency ? `${p.name}, ${p.agency}` : p.name })),
      ],
      viewItems: VIEWS.map((v) => ({ value: v, text: VIEW_LABELS[v] })),
      fileText: r.undertaking.file
        ? `${r.undertaking.file.format.toUpperCase()}, ${Math.max(1, Math.round(r.undertaking.file.size / 1024))} KB`
        : null,
    },
    errors,
    status,
  );
}

export function requestPages(app: FastifyInstance, { recordingPermission }: RecordingPermissionPagesOptions): void {
  app.get('/recording-permission/:requestId', { config: VIEW }, async (request, reply) => {
    const { requestId } = idParams('requestId').parse(request.params);
    const d = await recordingPermission.detail(request.actor!, requestId, requestContext(request));
    return requestPage(reply, d, doneOf(request.query));
  });
}
