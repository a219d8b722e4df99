/**
 * Staff pages for requests for copies of conference recordings (A-1 … A-10): the work queue, a
 * conference's requests, recording a request (requester type first, then what that type needs,
 * then check answers), the chair's referral (one form that cannot be sent incomplete, then check
 * answers), and the request's page: its timeline and the form for each step the person may take.
 * Every form works without JavaScript and carries a CSRF token; RequestService checks who may see
 * and do what (every child of the conference; each step's roles) and audits every view.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { ReferralFormView, RequestView } from '../../../app/requests/request-service.ts';
import { formatLongDate } from '../../../domain/calendar/index.ts';
import {
  AUTHORITY_PURPOSE_LABELS,
  AUTHORITY_PURPOSES,
  assessEligibility,
  isRequestState,
  NOTIFIED_PARTIES,
  NOTIFIED_PARTY_LABELS,
  type NotifiedParty,
  QA_PURPOSE_LABELS,
  QA_PURPOSES,
  REQUEST_STATE_LABELS,
  REQUEST_STATES,
  REQUEST_STEP_ROLES,
  REQUEST_VIEW_ROLES,
  REQUESTER_TYPE_LABELS,
  REQUESTER_TYPES,
  TRANSCRIPT_REFUSAL,
  type RequestState,
} from '../../../domain/requests/index.ts';
import { WITHHOLDING_REASON_LABELS, WITHHOLDING_REASONS } from '../../../domain/recordings/timeline.ts';
import type { DeadlineRag } from '../../../domain/calendar/index.ts';
import { bodyOf, readingContext, requestContext, type FormValues, parseDateInput } from '../../forms/index.ts';
import type { FormError } from '../../types.ts';
import type { FeatureOptions } from '../index.ts';
import { copyService, deliveryModel, deliveryService } from './copy-and-delivery.ts';
import { copyPlayerRoutes, LISTEN_ROLES } from './copy-player-routes.ts';
import { newRequestRoutes } from './new-request-routes.ts';
import {
  clock,
  dedupe,
  FIELDS_FOR_TYPE,
  MAX_WITHHELD_ROWS,
  RAG_TAG_CLASSES,
  RAG_TEXT,
  readReceiveForm,
  readReferralForm,
  receivedOnOf,
  referralErrors,
  referralInput,
  requesterInput,
  ruleErrors,
  SPARE_WITHHELD_ROWS,
  text,
  ticked,
  withheldRowCount,
} from './forms.ts';
import { idSchema } from '../../../domain/shared/ids.ts';

const VIEW = { access: REQUEST_VIEW_ROLES };
const RECEIVE = { access: REQUEST_STEP_ROLES.receive };
const REFER = { access: REQUEST_STEP_ROLES.refer };

const idParams = z.object({ id: idSchema });
const conferenceParams = z.object({ cid: idSchema });
const copyParams = z.object({ id: idSchema, copyId: idSchema });
const deliveryParams = z.object({ id: idSchema, deliveryId: idSchema });

/** Steps taken on the request page, by the name in the form's address. */
const PAGE_STEPS = [
  'resolve-queries',
  'check-recording',
  'request-verification',
  'record-verification',
  'resume-verification',
  'approve-copy',
  'reject-copy',
  'record-notifications',
  'close',
  'refuse',
  'withdraw',
  'extend',
] as const;
type PageStep = (typeof PAGE_STEPS)[number];
const stepParams = z.object({ id: idSchema, step: z.enum(PAGE_STEPS) });

const DONE: Record<string, string> = {
  received: 'The request is recorded.',
  refused: 'The request is recorded and refused: the requester is not eligible.',
  referred: 'The referral is sent to business support, the social worker and the quality assurance service manager.',
  'referral-amended': 'The referral is changed. The request goes back to business support to check.',
  'resolve-queries': 'Queries with the chair are recorded as resolved.',
  'check-recording': 'The recording is recorded as checked.',
  'request-verification': 'The requester has been emailed to confirm their details.',
  verified: 'The requester’s details match the children’s records.',
  'not-verified': 'The requester’s details did not match. The chair has been told.',
  'resume-verification': 'Business support can ask the requester again.',
  'prepare-copy': 'The copy is recorded as prepared. A second person must now check and approve it.',
  'approve-copy': 'The copy is approved.',
  'reject-copy': 'The copy is sent back to be prepared again.',
  send: 'The copy is sent. The requester has been emailed a link to download it securely.',
  'record-notifications': 'Notifications and case notes are recorded.',
  close: 'The request is closed.',
  refuse: 'The request is refused.',
  withdraw: 'The request is recorded as withdrawn.',
  extend: 'The time limit is extended.',
  'cancel-link': 'The download link is cancelled. The requester can no longer use it to download the copy.',
};

const ragTag = (rag: DeadlineRag | null | undefined) =>
  rag ? { text: RAG_TEXT[rag], classes: RAG_TAG_CLASSES[rag] } : null;

const requestBase = (id: string) => `/requests/${id}`;

export async function requestRoutes(app: FastifyInstance, opts: FeatureOptions): Promise<void> {
  const { requests } = opts.services;
  await app.register(copyPlayerRoutes, opts);
  await app.register(newRequestRoutes, opts);
  const ctxOf = requestContext;

  // ---------------------------------------------------------------- the work queue

  app.get('/requests', { config: VIEW }, async (request, reply) => {
    const q = (request.query ?? {}) as Record<string, unknown>;
    const steps = ticked(q, 'step').filter(isRequestState);
    const statuses = ticked(q, 'status').filter(
      (s): s is DeadlineRag => s === 'overdue' || s === 'due-soon' || s === 'on-track',
    );
    const queue = await requests.queue(
      request.actor!,
      { steps, statuses, mine: text(q, 'mine') === 'yes', includeFinished: text(q, 'finished') === 'yes' },
      ctxOf(request),
    );
    return reply.view('requests/queue.njk', {
      title: 'Requests for copies of recordings',
      queue,
      rows: queue.rows.map((r) => ({
        ...r,
        rag: ragTag(r.status?.status),
        dueText: formatLongDate(r.dueOn),
        receivedText: formatLongDate(r.receivedOn),
      })),
      stepItems: REQUEST_STATES.filter(
        (s) => queue.filter.includeFinished || !['closed', 'refused', 'withdrawn'].includes(s),
      ).map((s) => ({
        value: s,
        text: `${REQUEST_STATE_LABELS[s]} (${queue.counts[s] ?? 0})`,
        checked: queue.filter.steps.includes(s),
      })),
      statusItems: (['overdue', 'due-soon', 'on-track'] as const).map((s) => ({
        value: s,
        text: RAG_TEXT[s],
        checked: queue.filter.statuses.includes(s),
      })),
      mine: queue.filter.mine,
      finished: queue.filter.includeFinished,
      isChair: request.actor!.roles.includes('chair'),
      mayReceive: request.actor!.roles.some((r) => REQUEST_STEP_ROLES.receive.includes(r)),
    });
  });

  // ---------------------------------------------------------------- a conference's requests

  const mayReceive = (request: FastifyRequest) =>
    request.actor!.roles.some((r) => REQUEST_STEP_ROLES.receive.includes(r));

  app.get('/conferences/:cid/requests', { config: VIEW }, async (request, reply) => {
    const { cid } = conferenceParams.parse(request.params);
    const rows = await requests.listForConference(request.actor!, cid, ctxOf(request));
    const form = mayReceive(request) ? await requests.receiveForm(request.actor!, cid, ctxOf(request)) : null;
    return reply.view('requests/conference-requests.njk', {
      title: 'Requests for copies of the recording',
      conference: form?.conference ?? rows[0]?.conference ?? null,
      conferenceId: cid,
      rows: rows.map((r) => ({
        ...r,
        rag: ragTag(r.status?.status),
        dueText: formatLongDate(r.dueOn),
        receivedText: formatLongDate(r.receivedOn),
      })),
      mayReceive: form !== null,
    });
  });

  // ---------------------------------------------------------------- recording a request (A-1)

  const receivePage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    cid: string,
    stage: 'type' | 'details' | 'check',
    values: FormValues,
    errors: FormError[] = [],
    extra: Record<string, unknown> = {},
  ) => {
    const form = await requests.receiveForm(request.actor!, cid, readingContext(request));
    if (errors.length) reply.code(400);
    const type = values['type'] as string;
    const titles = {
      type: 'Who is asking for a copy of the recording?',
      details: 'Details of the request',
      check: 'Check the request before recording it',
    };
    return reply.view(`requests/receive-${stage}.njk`, {
      title: titles[stage],
      form,
      base: `/conferences/${cid}/requests/new`,
      conferenceHref: `/conferences/${cid}/requests`,
      values,
      errors,
      type,
      typeLabel: REQUESTER_TYPE_LABELS[type as keyof typeof REQUESTER_TYPE_LABELS] ?? '',
      typeItems: REQUESTER_TYPES.map((t) => ({ value: t, text: REQUESTER_TYPE_LABELS[t], checked: type === t })),
      fields: FIELDS_FOR_TYPE[type] ?? [],
      qaPurposeItems: QA_PURPOSES.map((p) => ({
        value: p,
        text: QA_PURPOSE_LABELS[p],
        checked: values['qaPurpose'] === p,
      })),
      authorityPurposeItems: AUTHORITY_PURPOSES.map((p) => ({
        value: p,
        text: AUTHORITY_PURPOSE_LABELS[p],
        checked: values['authorityPurpose'] === p,
      })),
      childItems: form.children.map((c) => ({
        value: c.id,
        text: c.name,
        hint: { text: c.dateOfBirth ? `Born ${formatLongDate(c.dateOfBirth)}` : 'No date of birth on record' },
        checked: values['childId'] === c.id,
      })),
      personItems: form.people.map((p) => ({
        value: p.id,
        text: p.name,
        hint: {
          text: p.prChildIds.length
            ? `Parental responsibility for ${
                form.children
                  .filter((c) => p.prChildIds.includes(c.id))
                  .map((c) => c.name)
                  .join(' and ') || 'no child in this conference'
              }`
            : 'No parental responsibility recorded',
        },
        checked: values['personId'] === p.id,
      })),
      chairItems: [
        { value: '', text: 'Choose the chair' },
        ...form.chairs.map((c) => ({ value: c.id, text: c.name, selected: values['chairId'] === c.id })),
      ],
      isChair: request.actor!.roles.includes('chair'),
      hidden: Object.entries(values).filter(([, v]) => typeof v === 'string' && v !== ''),
      ...extra,
    });
  };

  app.get('/conferences/:cid/requests/new', { config: RECEIVE }, async (request, reply) => {
    const { cid } = conferenceParams.parse(request.params);
    return receivePage(request, reply, cid, 'type', { type: '' });
  });

  app.post('/conferences/:cid/requests/new', { config: RECEIVE }, async (request, reply) => {
    const { cid } = conferenceParams.parse(request.params);
    const body = bodyOf(request);
    const stage = text(body, 'stage');
    const values = readReceiveForm(body);
    const type = values['type'] as string;
    if (!FIELDS_FOR_TYPE[type])
      return receivePage(request, reply, cid, 'type', values, [
        { text: 'Select who is asking for the recording', href: '#type' },
      ]);
    if (stage === 'type' || stage === 'change') return receivePage(request, reply, cid, 'details', values);

    // The details: every problem at once, the date's and the requester's.
    const errors: FormError[] = [];
    const received = receivedOnOf(values);
    if (received.error) errors.push(received.error);
    const form = await requests.receiveForm(request.actor!, cid, readingContext(request));
    try {
      ctxOf(request); // control characters in the answers: field errors on the details form
    } catch (err) {
      errors.push(...ruleErrors(err));
    }
    const input = requesterInput(values);
    let eligibility: ReturnType<typeof assessEligibility> | null = null;
    try {
      eligibility = assessEligibility({
        requester: input,
        receivedOn: received.iso ?? form.conference.date,
        conferenceChildren: form.children.map((c) => ({ id: c.id, dateOfBirth: c.dateOfBirth })),
        prChildIds: form.people.find((p) => p.id === input.personId)?.prChildIds ?? [],
      });
    } catch (err) {
      errors.push(...ruleErrors(err));
    }
    if (type === 'child' && input.childId && !form.children.some((c) => c.id === input.childId))
      errors.push({ text: 'Select the child who is asking', href: '#childId' });
    if (type === 'pr-holder' && input.personId && !form.people.some((p) => p.id === input.personId))
      errors.push({ text: 'Select the person who is asking', href: '#personId' });
    if (errors.length) return receivePage(request, reply, cid, 'details', values, dedupe(errors));

    if (stage === 'details') {
      const nameOfChild = (id: string) => form.children.find((c) => c.id === id)?.name ?? '';
      const rows: Array<{ key: { text: string }; value: { text: string } }> = [];
      const row = (key: string, value: string | null | undefined) =>
        value && rows.push({ key: { text: key }, value: { text: value } });
      row('Who is asking', REQUESTER_TYPE_LABELS[type as keyof typeof REQUESTER_TYPE_LABELS]);
      row('The child', input.childId ? nameOfChild(input.childId) : null);
      row('The person', input.personId ? (form.people.find((p) => p.id === input.personId)?.name ?? null) : null);
      row('Name of the person asking', input.contactName);
      row('Court', input.courtName);
      row('Court’s case reference', input.courtReference);
      row(
        'Why the recording is needed',
        input.qaPurpose ? QA_PURPOSE_LABELS[input.qaPurpose as keyof typeof QA_PURPOSE_LABELS] : null,
      );
      row('Complaint or access to records reference', input.complaintReference);
      row('Local authority', input.authorityName);
      row('The authority’s reference', input.authorityReference);
      row(
        'Why the authority needs it',
        input.authorityPurpose
          ? AUTHORITY_PURPOSE_LABELS[input.authorityPurpose as keyof typeof AUTHORITY_PURPOSE_LABELS]
          : null,
      );
      row('Date received', formatLongDate(received.iso!));
      const chairId = values['chairId'] as string;
      row('Chair asked', chairId ? (form.chairs.find((c) => c.id === chairId)?.name ?? null) : null);
      if (eligibility?.eligible) {
        row('Children whose information they may have', eligibility.childrenCovered.map(nameOfChild).join(', '));
        if (eligibility.childrenWithoutPr.length)
          row(
            'Children they hold no parental responsibility for',
            eligibility.childrenWithoutPr.map(nameOfChild).join(', '),
          );
      }
      return receivePage(request, reply, cid, 'check', values, [], {
        rows,
        refusal: eligibility && !eligibility.eligible ? eligibility.reason : null,
      });
    }

    // Confirmed: record it (an ineligible request is recorded and refused at once).
    try {
      const result = await requests.receive(
        request.actor!,
        {
          conferenceId: cid,
          receivedOn: received.iso!,
          requester: input,
          chairId: (values['chairId'] as string) || null,
        },
        ctxOf(request),
      );
      return reply.redirect(`${requestBase(result.id)}?done=${result.refusal ? 'refused' : 'received'}`, 303);
    } catch (err) {
      return receivePage(request, reply, cid, 'details', values, ruleErrors(err));
    }
  });

  // ---------------------------------------------------------------- the request's page

  const requestPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
    o: { openStep?: string; values?: FormValues; errors?: FormError[]; done?: string | null } = {},
  ) => {
    // One use case, one transaction: the request, its timeline and (once sent) its secure deliveries (A-6).
    const { view, deliveries: summaries } = await requests.page(request.actor!, id, readingContext(request));
    const errors = o.errors ?? [];
    if (errors.length) reply.code(400);
    return reply.view('requests/request.njk', {
      deliveries: deliveryModel(summaries, {
        actor: request.actor!,
        state: view.state as RequestState,
        currentDeliveryId: view.delivery?.deliveryId ?? null,
      }),
      title: `Request ${view.reference}`,
      ...requestModel(view),
      errors,
      openStep: o.openStep ?? null,
      values: o.values ?? {},
      done: o.done ?? null,
      copyServiceReady: copyService(opts.services) !== null,
      deliveryReady: deliveryService(opts.services) !== null,
    });
  };

  app.get('/requests/:id', { config: VIEW }, async (request, reply) => {
    const { id } = idParams.parse(request.params);
    const doneKey = text((request.query ?? {}) as Record<string, unknown>, 'done');
    return requestPage(request, reply, id, { done: Object.hasOwn(DONE, doneKey) ? DONE[doneKey] : null });
  });

  app.post('/requests/:id/steps/:step', { config: VIEW }, async (request, reply) => {
    const { id, step } = stepParams.parse(request.params);
    const body = bodyOf(request);
    const version = Number.parseInt(text(body, 'version'), 10);
    const values: FormValues = {};
    for (const k of [
      'note',
      'partsListened',
      'confirmedRightRecording',
      'reason',
      'emailConfirmedSecure',
      'toldOn-day',
      'toldOn-month',
      'toldOn-year',
      'childRows',
    ])
      values[k] = text(body, k);
    const rows = Math.min(20, Math.max(1, Number.parseInt(values['childRows'] as string, 10) || 1));
    for (let i = 0; i < rows; i++)
      for (const f of ['fullName', 'dateOfBirth-day', 'dateOfBirth-month', 'dateOfBirth-year'])
        values[`children-${i}-${f}`] = text(body, `children-${i}-${f}`);
    const fail = (errors: FormError[]) => requestPage(request, reply, id, { openStep: step, values, errors });
    if (!Number.isSafeInteger(version))
      return fail([{ text: 'This page is out of date. Reload the request and try again.', href: '#main-content' }]);
    const actor = request.actor!;
    const s = (k: string) => (values[k] as string).trim();
    let doneKey: string = step;
    try {
      // Inside the try: control characters come back as field errors on this step's form.
      const ctx = ctxOf(request);
      switch (step as PageStep) {
        case 'resolve-queries':
          await requests.resolveQueries(actor, id, version, s('note') || null, ctx);
          break;
        case 'check-recording':
          await requests.checkRecording(
            actor,
            id,
            version,
            { partsListened: s('partsListened'), confirmedRightRecording: s('confirmedRightRecording') === 'yes' },
            ctx,
          );
          break;
        case 'request-verification':
          await requests.requestVerification(actor, id, version, ctx);
          break;
        case 'record-verification': {
          const dateErrors: FormError[] = [];
          const children = Array.from({ length: rows }, (_, i) => {
            const d = parseDateInput(values, `children-${i}-dateOfBirth`, `The date of birth given for child ${i + 1}`);
            if (d.error) dateErrors.push({ text: d.error, href: `#record-verification-children-${i}-dateOfBirth-day` });
            return { fullName: s(`children-${i}-fullName`), dateOfBirth: d.iso ?? (d.error ? 'not a date' : '') };
          });
          const confirmed = s('emailConfirmedSecure');
          try {
            const result = await requests.recordVerification(
              actor,
              id,
              version,
              { emailConfirmedSecure: confirmed === 'yes' ? true : confirmed === 'no' ? false : null, children },
              ctx,
            );
            doneKey = result.matched ? 'verified' : 'not-verified';
          } catch (err) {
            const errors = ruleErrors(err, step).map((e) => dateErrors.find((d) => d.href === e.href) ?? e);
            return fail(dedupe([...dateErrors, ...errors]));
          }
          break;
        }
        case 'resume-verification':
          await requests.resumeVerification(actor, id, version, s('note'), ctx);
          break;
        case 'approve-copy':
          await requests.approveCopy(actor, id, version, ctx);
          break;
        case 'reject-copy':
          await requests.rejectCopy(actor, id, version, s('reason'), ctx);
          break;
        case 'record-notifications':
          await requests.recordNotifications(
            actor,
            id,
            version,
            ctx,
            ticked(body, 'toldOtherwise').filter((x): x is NotifiedParty =>
              (NOTIFIED_PARTIES as readonly string[]).includes(x),
            ),
          );
          break;
        case 'close':
          await requests.close(actor, id, version, ctx);
          break;
        case 'refuse':
          await requests.refuse(actor, id, version, s('reason'), ctx);
          break;
        case 'withdraw':
          await requests.withdraw(actor, id, version, s('reason'), ctx);
          break;
        case 'extend': {
          const told = parseDateInput(values, 'toldOn', 'The date the requester was told');
          if (told.error) return fail([{ text: told.error, href: '#extend-toldOn-day' }]);
          await requests.extend(actor, id, version, { reason: s('reason'), toldOn: told.iso ?? '' }, ctx);
          break;
        }
      }
    } catch (err) {
      return fail(ruleErrors(err, step));
    }
    return reply.redirect(`${requestBase(id)}?done=${doneKey}`, 303);
  });

  // ---------------------------------------------------------------- preparing the copy (R-3)

  app.post('/requests/:id/copy', { config: { access: REQUEST_STEP_ROLES['prepare-copy'] } }, async (request, reply) => {
    const { id } = idParams.parse(request.params);
    const copies = copyService(opts.services);
    if (!copies)
      return requestPage(request, reply, id, {
        openStep: 'prepare-copy',
        errors: [
          {
            text: 'Copies cannot be prepared yet: the copy service is not set up. Tell your system administrator.',
            href: '#prepare-copy',
          },
        ],
      });
    try {
      const ctx = ctxOf(request);
      const plan = await requests.disclosurePlan(request.actor!, id, ctx);
      const { copyId } = await copies.start(
        request.actor!,
        { requestId: id, conferenceId: plan.conferenceId, recordingIds: plan.recordingIds, withheld: plan.withheld },
        ctx,
      );
      return reply.redirect(`${requestBase(id)}/copies/${copyId}`, 303);
    } catch (err) {
      return requestPage(request, reply, id, {
        openStep: 'prepare-copy',
        errors: ruleErrors(err, 'prepare-copy').map((e) =>
          e.href === '#main-content' || e.href.startsWith('#prepare-copy') ? { ...e, href: '#prepare-copy' } : e,
        ),
      });
    }
  });

  const copyPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
    copyId: string,
    errors: FormError[] = [],
  ) => {
    const copies = copyService(opts.services);
    if (!copies) return reply.redirect(requestBase(id), 303);
    const view = await requests.get(request.actor!, id, ctxOf(request));
    const progress = await copies.status(request.actor!, copyId, ctxOf(request));
    if (progress.requestId !== undefined && progress.requestId !== id) return reply.callNotFound();
    const running = progress.state === 'queued' || progress.state === 'running';
    if (errors.length) reply.code(400);
    return reply.view('requests/copy-progress.njk', {
      title: running
        ? 'Preparing the copy'
        : progress.state === 'ready'
          ? 'The copy is ready'
          : 'The copy could not be prepared',
      ...requestModel(view),
      copyId,
      progress,
      percent: Math.max(0, Math.min(100, Math.round(progress.percent))),
      running,
      progressUrl: `${requestBase(id)}/copies/${copyId}/progress`,
      mayRecord: view.actions.includes('prepare-copy'),
      listenLinks:
        progress.state === 'ready'
          ? (progress.files ?? []).map((f) => ({
              href: `${requestBase(id)}/copies/${copyId}/files/${f.fileId}`,
              text:
                (progress.files ?? []).length > 1
                  ? `Listen to recording ${f.ordinal} of the copy`
                  : 'Listen to the copy',
            }))
          : [],
      mayApprove: view.actions.includes('approve-copy') && view.copy?.copyId === copyId,
      errors,
    });
  };

  // Whoever prepares or may approve a copy sees it, and listens to it there (copy-player-routes.ts).
  app.get('/requests/:id/copies/:copyId', { config: { access: LISTEN_ROLES } }, async (request, reply) => {
    const { id, copyId } = copyParams.parse(request.params);
    return copyPage(request, reply, id, copyId);
  });

  app.post(
    '/requests/:id/copies/:copyId',
    { config: { access: REQUEST_STEP_ROLES['prepare-copy'] } },
    async (request, reply) => {
      const { id, copyId } = copyParams.parse(request.params);
      const version = Number.parseInt(text(bodyOf(request), 'version'), 10);
      try {
        await requests.prepareCopy(
          request.actor!,
          id,
          Number.isSafeInteger(version) ? version : -1,
          copyId,
          ctxOf(request),
        );
      } catch (err) {
        return copyPage(
          request,
          reply,
          id,
          copyId,
          ruleErrors(err).map((e) => ({ ...e, href: '#record-copy' })),
        );
      }
      return reply.redirect(`${requestBase(id)}?done=prepare-copy`, 303);
    },
  );

  // ---------------------------------------------------------------- sending (A-6)

  app.post('/requests/:id/send', { config: { access: REQUEST_STEP_ROLES.send } }, async (request, reply) => {
    const { id } = idParams.parse(request.params);
    const version = Number.parseInt(text(bodyOf(request), 'version'), 10);
    try {
      // One unit of work: the download link is made and the request recorded as sent, or neither.
      await requests.sendCopy(request.actor!, id, version, {}, ctxOf(request));
    } catch (err) {
      return requestPage(request, reply, id, {
        openStep: 'send',
        errors: ruleErrors(err).map((e) => ({ ...e, href: '#send' })),
      });
    }
    return reply.redirect(`${requestBase(id)}?done=send`, 303);
  });

  // ---------------------------------------------------------------- cancelling the download link (A-6)

  // Business support, the chair and access to records may cancel a live link (the delivery service
  // decides and audits; anyone else who may see the request gets 403). The reason is required.
  app.post('/requests/:id/deliveries/:deliveryId/cancel', { config: VIEW }, async (request, reply) => {
    const { id, deliveryId } = deliveryParams.parse(request.params);
    const deliveries = deliveryService(opts.services);
    if (!deliveries) return reply.callNotFound();
    const view = await requests.get(request.actor!, id, readingContext(request));
    // Only a link made for this request, and only once it has been sent.
    const ours = view.delivery
      ? (await deliveries.summary(request.actor!, id, readingContext(request))).some((d) => d.deliveryId === deliveryId)
      : false;
    if (!ours) return reply.callNotFound();
    const reason = text(bodyOf(request), 'reason');
    try {
      await deliveries.revoke(request.actor!, deliveryId, reason, ctxOf(request));
    } catch (err) {
      // The field of an older link's form carries the link's id (ids are unique on the page).
      const field =
        deliveryId === view.delivery?.deliveryId ? '#cancel-link-reason' : `#cancel-link-reason-${deliveryId}`;
      const errors = ruleErrors(err, 'cancel-link').map((e) =>
        e.href === '#main-content'
          ? { ...e, href: `#delivery-${deliveryId}` }
          : e.href === '#cancel-link-reason'
            ? { ...e, href: field }
            : e,
      );
      return requestPage(request, reply, id, { openStep: 'cancel-link', values: { reason, deliveryId }, errors });
    }
    return reply.redirect(`${requestBase(id)}?done=cancel-link`, 303);
  });

  // ---------------------------------------------------------------- the chair's referral (A-3)

  const referralPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
    values: FormValues | null,
    rows: number | null,
    errors: FormError[] = [],
  ) => {
    const form = await requests.referralForm(request.actor!, id, readingContext(request));
    const v = values ?? prefillValues(form);
    const rowCount = rows ?? Math.max(1, (form.prefill.withheldAdded ?? []).length + SPARE_WITHHELD_ROWS);
    if (errors.length) reply.code(400);
    return reply.view('requests/referral-form.njk', {
      title: form.amending ? 'Change the referral' : 'Refer the request to business support',
      ...referralModel(form, v),
      values: v,
      withheldRows: Array.from({ length: rowCount }, (_, i) => i),
      rowCount,
      canAddRow: rowCount < MAX_WITHHELD_ROWS,
      errors,
      transcriptRefusal: TRANSCRIPT_REFUSAL,
    });
  };

  app.get('/requests/:id/referral', { config: REFER }, async (request, reply) => {
    const { id } = idParams.parse(request.params);
    return referralPage(request, reply, id, null, null);
  });

  app.post('/requests/:id/referral', { config: REFER }, async (request, reply) => {
    const { id } = idParams.parse(request.params);
    const body = bodyOf(request);
    let rows = withheldRowCount(body, 1);
    const values = readReferralForm(body, rows);
    const action = text(body, 'action');
    if (action === 'add-row') {
      rows = Math.min(MAX_WITHHELD_ROWS, rows + 1);
      values['withheldRows'] = String(rows);
      return referralPage(request, reply, id, values, rows);
    }
    if (action === 'change') return referralPage(request, reply, id, values, rows);
    const form = await requests.referralForm(request.actor!, id, readingContext(request));
    const { input, rowIndex, dateError } = referralInput(values, rows, form.needsJointConsideration);
    const amendReason = (values['amendReason'] as string).trim();
    const errors: FormError[] = [];
    if (dateError) errors.push(dateError);
    if (form.amending && !amendReason)
      errors.push({ text: 'Give the reason for changing the referral', href: '#amendReason' });
    let summary: Awaited<ReturnType<typeof requests.checkReferral>> | null = null;
    try {
      summary = await requests.checkReferral(request.actor!, id, input, ctxOf(request));
    } catch (err) {
      errors.push(...referralErrors(err, rowIndex));
    }
    if (errors.length || !summary) return referralPage(request, reply, id, values, rows, dedupe(errors));
    if (action !== 'submit') {
      return reply.view('requests/referral-check.njk', {
        title: 'Check the referral before sending it',
        ...referralModel(form, values),
        summary,
        withheldRowsText: summary.withheld.map((w) => ({ ...w, span: `${clock(w.startMs)} to ${clock(w.endMs)}` })),
        amendReason,
        hidden: hiddenFields(values),
      });
    }
    try {
      if (form.amending)
        await requests.amendReferral(request.actor!, id, form.request.version, input, amendReason, ctxOf(request));
      else await requests.refer(request.actor!, id, form.request.version, input, ctxOf(request));
    } catch (err) {
      return referralPage(request, reply, id, values, rows, referralErrors(err, rowIndex));
    }
    return reply.redirect(`${requestBase(id)}?done=${form.amending ? 'referral-amended' : 'referred'}`, 303);
  });
}

// ------------------------------------------------------------------ view models

/** Every value of the form as hidden inputs (for check answers: nothing about a child goes in a URL). */
function hiddenFields(values: FormValues): Array<{ name: string; value: string }> {
  const out: Array<{ name: string; value: string }> = [];
  for (const [name, v] of Object.entries(values)) {
    if (Array.isArray(v)) for (const item of v) out.push({ name, value: item });
    else if (typeof v === 'string' && v !== '') out.push({ name, value: v });
  }
  return out;
}

function prefillValues(form: ReferralFormView): FormValues {
  const p = form.prefill;
  const v: FormValues = {
    email: p.email ?? '',
    emailVerified: '',
    nothingWithheld: p.nothingWithheld ? 'yes' : '',
    adjustment: p.adjustment ?? '',
    reasons: p.reasons ?? '',
    advice: p.advice ?? '',
    jcFaceToFace: p.jointConsideration?.faceToFace ? 'yes' : '',
    jcNotes: p.jointConsideration?.notes ?? '',
    amendReason: '',
    childIds: [...(p.childIds ?? [])],
    withheldSegmentIds: [...(p.withheldSegmentIds ?? [])],
    recordingIds: [...(p.recordingIds ?? [])],
    partIds: [...(p.partIds ?? [])],
    jcParticipants: [],
  };
  const on = p.jointConsideration?.on;
  const [y, m, d] = (on ?? '').split('-');
  v['jcOn-day'] = d ? String(Number(d)) : '';
  v['jcOn-month'] = m ? String(Number(m)) : '';
  v['jcOn-year'] = y ?? '';
  (p.withheldAdded ?? []).forEach((w, i) => {
    v[`withheldAdded-${i}-recordingId`] = w.recordingId ?? '';
    v[`withheldAdded-${i}-start`] = w.start === undefined || w.start === null ? '' : String(w.start);
    v[`withheldAdded-${i}-end`] = w.end === undefined || w.end === null ? '' : String(w.end);
    v[`withheldAdded-${i}-reason`] = w.reason ?? '';
    v[`withheldAdded-${i}-explanation`] = w.explanation ?? '';
  });
  return v;
}

function referralModel(form: ReferralFormView, v: FormValues) {
  const list = (k: string) => (v[k] as string[] | undefined) ?? [];
  const base = requestBase(form.request.id);
  return {
    form,
    base,
    conference: form.conference,
    conferenceDateText: formatLongDate(form.conference.date),
    childItems: form.conference.children.map((c) => ({
      value: c.id,
      text: c.name,
      checked: list('childIds').includes(c.id),
      hint: c.withoutPr
        ? { text: 'The requester holds no parental responsibility for this child: their information is not given' }
        : undefined,
    })),
    childrenWithoutPr: form.conference.children.filter((c) => c.withoutPr).map((c) => c.name),
    recordingItems: form.recordings.map((r) => ({
      value: r.id,
      text: r.label,
      hint: { text: `${r.partLabel ? `${r.partLabel}, ` : ''}${clock(r.durationMs)} long` },
      checked: list('recordingIds').includes(r.id),
    })),
    recordingSelect: form.recordings.map((r) => ({ value: r.id, text: r.label })),
    segmentGroups: form.recordings
      .filter((r) => r.segments.length)
      .map((r) => ({
        label: r.label,
        items: r.segments.map((s) => ({
          value: s.id,
          text: `${clock(s.startMs)} to ${clock(s.endMs)}: ${s.reasonLabel}`,
          hint: { text: `${s.explanation} (withheld from ${s.withheldFromLabel})` },
          checked: list('withheldSegmentIds').includes(s.id),
        })),
      })),
    partItems: form.conference.parts.map((p) => ({
      value: p.id,
      text: p.label,
      checked: list('partIds').includes(p.id),
    })),
    reasonItems: [
      { value: '', text: 'Choose a reason' },
      ...WITHHOLDING_REASONS.map((r) => ({ value: r, text: WITHHOLDING_REASON_LABELS[r] })),
    ],
    participantItems: [
      { value: 'child', text: 'The child', checked: list('jcParticipants').includes('child') },
      {
        value: 'social-worker',
        text: 'Their social worker',
        checked: list('jcParticipants').includes('social-worker'),
      },
      { value: 'chair', text: 'The chair', checked: list('jcParticipants').includes('chair') },
    ],
  };
}

function requestModel(view: RequestView) {
  const step = view.state as RequestState;
  return {
    view,
    base: requestBase(view.id),
    rag: ragTag(view.status?.status),
    dueText: formatLongDate(view.dueOn),
    receivedText: formatLongDate(view.receivedOn),
    conferenceDateText: formatLongDate(view.conference.date),
    finished: ['closed', 'refused', 'withdrawn'].includes(step),
    has: Object.fromEntries(view.actions.map((a) => [a, true])),
    referralWithheld: (view.referral?.withheld ?? []).map((w) => ({
      ...w,
      span: `${clock(w.startMs)} to ${clock(w.endMs)}`,
    })),
    notifiedItems: NOTIFIED_PARTIES.map((p) => ({ value: p, text: NOTIFIED_PARTY_LABELS[p] })),
    verificationRows: Array.from({ length: Math.max(1, view.verificationChildCount) }, (_, i) => i),
  };
}
