/**
 * Recording a request to record a meeting (P-1, T-11): who asked, when and how, why, and the signed undertaking.
 * A multipart form (the signed notice of intent may be attached), with the CSRF token as its first field.
 */
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type {
  MeetingRef,
  MeetingRequests,
  NewPermissionRequestInput,
  PermissionRequestView,
} from '../../../app/recording-permission/service.ts';
import {
  MEETING_KIND_LABELS,
  OTHER_MEETING_KINDS,
  REQUEST_METHODS,
  REQUEST_METHOD_LABELS,
  UNDERTAKING_METHOD_LABELS,
} from '../../../domain/recording-permission/requests.ts';
import {
  type FormError,
  type FormValues,
  dateFields,
  dateValues,
  fieldIds,
  pageProblems,
  readDate,
  readingContext,
  requestContext,
  idParams,
  submit,
  text,
  readMultipart,
} from '../../forms/index.ts';
import {
  EDIT,
  MULTIPART_LIMITS,
  type RecordingPermissionPagesOptions,
  headingOf,
  render,
  requestHref,
} from './shared.ts';

const ids = fieldIds({ dates: ['askedOn', 'meetingDate'] });
const SOMEONE_ELSE = 'someone-else';
/** The ways of signing offered on this form. */
const UNDERTAKINGS = ['upload', 'online', 'later'] as const;

function newPage(
  reply: FastifyReply,
  view: MeetingRequests,
  values: FormValues,
  errors: FormError[] = [],
  status: 400 | 409 = 400,
) {
  const h = headingOf(view);
  const prText = (f: MeetingRequests['candidates']['family'][number]) =>
    f.prForSome
      ? `Parental responsibility for ${f.prForSome.join(' and ')} only`
      : f.hasPr
        ? 'Has parental responsibility'
        : 'No parental responsibility: they may not ask';
  return render(
    reply,
    'new.njk',
    'Record a request to record a meeting',
    {
      ...h,
      action: `${h.listHref}/new`,
      values,
      forConference: view.conference !== null,
      noticeHours: view.noticeHours,
      kindItems: OTHER_MEETING_KINDS.map((k) => ({ value: k, text: MEETING_KIND_LABELS[k] })),
      childItems: view.candidates.children.map((c) => ({
        value: `child:${c.childId}`,
        text: c.name,
        hint: 'A child the meeting is about',
      })),
      familyItems: view.candidates.family.map((f) => ({
        value: `family:${f.personId}`,
        text: f.name,
        hint: prText(f),
      })),
      someoneElse: SOMEONE_ELSE,
      methodItems: REQUEST_METHODS.map((m) => ({ value: m, text: REQUEST_METHOD_LABELS[m] })),
      undertakingItems: UNDERTAKINGS.map((u) => ({ value: u, text: UNDERTAKING_METHOD_LABELS[u] })),
    },
    errors,
    status,
  );
}

const blank = (): FormValues => ({
  meetingKind: '',
  meetingTime: '',
  organiser: '',
  requester: '',
  requesterName: '',
  askedAtTime: '',
  method: '',
  purpose: '',
  undertaking: '',
  ...dateValues('meetingDate', null),
  ...dateValues('askedOn', null),
});

function requesterOf(value: string, name: string): NewPermissionRequestInput['requester'] | null {
  if (value === SOMEONE_ELSE) return { kind: 'someone-else', name };
  const [kind, id] = value.split(':');
  if (kind === 'child' && id) return { kind: 'child', childId: id };
  if (kind === 'family' && id) return { kind: 'family', personId: id };
  return null;
}

export function newRequestPages(app: FastifyInstance, { recordingPermission }: RecordingPermissionPagesOptions): void {
  void app.register(async (scoped) => {
    await scoped.register(multipart, { limits: MULTIPART_LIMITS, throwFileSizeLimit: false });

    const load = (request: FastifyRequest, reading: boolean) => {
      const ctx = reading ? readingContext(request) : requestContext(request);
      const params = request.params as Record<string, unknown>;
      if ('childId' in params) {
        const { childId } = idParams('childId').parse(params);
        return { view: recordingPermission.forChild(request.actor!, childId, ctx), conferenceId: null, childId };
      }
      const { id } = idParams('id').parse(params);
      return { view: recordingPermission.forConference(request.actor!, id, ctx), conferenceId: id, childId: null };
    };

    const show = async (request: FastifyRequest, reply: FastifyReply) =>
      newPage(reply, await load(request, false).view, blank());

    const send = async (request: FastifyRequest, reply: FastifyReply) => {
      const parts = request.checkedParts;
      if (!request.isMultipart() || !parts) return reply.code(400).view('errors/bad-request.njk');
      const { body, file, tooLarge } = await readMultipart(parts);
      const loaded = load(request, true);
      const view = await loaded.view;
      const values: FormValues = {
        meetingKind: text(body, 'meetingKind'),
        meetingTime: text(body, 'meetingTime'),
        organiser: text(body, 'organiser'),
        requester: text(body, 'requester'),
        requesterName: text(body, 'requesterName'),
        askedAtTime: text(body, 'askedAtTime'),
        method: text(body, 'method'),
        purpose: text(body, 'purpose'),
        undertaking: text(body, 'undertaking'),
        ...dateFields(body, 'meetingDate'),
        ...dateFields(body, 'askedOn'),
      };
      const unread: FormError[] = [];
      const askedOn = readDate(values, 'askedOn', 'The date they asked', unread);
      const meetingDate = loaded.childId ? readDate(values, 'meetingDate', 'The date of the meeting', unread) : null;
      const requester = requesterOf(values['requester'] as string, values['requesterName'] as string);
      if (!requester) unread.push({ text: 'Select who asked to record the meeting', href: '#requester' });
      if (tooLarge) unread.push({ text: 'The selected file must be smaller than 10 MB', href: '#file' });
      const meeting: MeetingRef = loaded.childId
        ? {
            childId: loaded.childId,
            kind: values['meetingKind'] as string,
            date: meetingDate ?? '',
            time: (values['meetingTime'] as string).trim(),
            organiser: values['organiser'] as string,
          }
        : { conferenceId: loaded.conferenceId! };
      return submit<PermissionRequestView, unknown>({
        errors: tooLarge ? unread : [],
        call: () =>
          recordingPermission.record(
            request.actor!,
            meeting,
            {
              requester: requester ?? { kind: 'someone-else', name: '' },
              askedOn: askedOn ?? '',
              askedAtTime: (values['askedAtTime'] as string).trim(),
              method: values['method'] as string,
              purpose: values['purpose'] as string,
              undertaking: values['undertaking'] as string,
              file: values['undertaking'] === 'upload' ? file : null,
            },
            requestContext(request),
          ),
        next: (saved) =>
          reply.redirect(
            `${requestHref(saved.id)}?done=${saved.status.value === 'not-eligible' ? 'not-eligible' : 'recorded'}`,
            303,
          ),
        again: (errors, status) => newPage(reply, view, values, errors, status),
        problems: (err) => {
          // What the form could not read is said in its own words, in place of the rule's for the same box.
          const { status, errors } = pageProblems(err, ids);
          const kept = requester
            ? errors
            : errors.filter((e) => e.href !== '#requester' && e.href !== '#requesterName');
          const merged = kept.map((e) => unread.find((u) => u.href === e.href) ?? e);
          return { status, errors: [...merged, ...unread.filter((u) => !merged.includes(u))] };
        },
      });
    };

    scoped.get('/conferences/:id/recording-permission/new', { config: EDIT }, show);
    scoped.get('/children/:childId/recording-permission/new', { config: EDIT }, show);
    scoped.post('/conferences/:id/recording-permission/new', { config: { ...EDIT, multipartCsrf: true } }, send);
    scoped.post('/children/:childId/recording-permission/new', { config: { ...EDIT, multipartCsrf: true } }, send);
  });
}
