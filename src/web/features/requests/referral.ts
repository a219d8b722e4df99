/**
 * The chair's referral (A-3): one form that cannot be sent incomplete (the children, the confirmed
 * email address, the recordings and parts, what to withhold, joint consideration for a child, reasonable
 * adjustments and advice), then check answers; sending it, or changing it with a reason, is one step.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ReferralFormView, RequestService } from '../../../app/requests/request-service.ts';
import { formatLongDate } from '../../../domain/calendar/index.ts';
import { formatDuration } from '../../../domain/recordings/index.ts';
import { WITHHOLDING_REASON_LABELS, WITHHOLDING_REASONS } from '../../../domain/recordings/timeline.ts';
import { TRANSCRIPT_REFUSAL } from '../../../domain/requests/index.ts';
import { bodyOf, dedupe, idParams, readingContext, requestContext, text, type FormValues } from '../../forms/index.ts';
import type { FormError } from '../../types.ts';
import {
  MAX_WITHHELD_ROWS,
  readReferralForm,
  referralErrors,
  referralInput,
  SPARE_WITHHELD_ROWS,
  withheldRowCount,
} from './forms.ts';
import { hiddenFields, REFER, requestBase } from './shared.ts';

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
      hint: { text: `${r.partLabel ? `${r.partLabel}, ` : ''}${formatDuration(r.durationMs)} long` },
      checked: list('recordingIds').includes(r.id),
    })),
    recordingSelect: form.recordings.map((r) => ({ value: r.id, text: r.label })),
    segmentGroups: form.recordings
      .filter((r) => r.segments.length)
      .map((r) => ({
        label: r.label,
        items: r.segments.map((s) => ({
          value: s.id,
          text: `${formatDuration(s.startMs)} to ${formatDuration(s.endMs)}: ${s.reasonLabel}`,
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

export async function referralRoutes(app: FastifyInstance, opts: { requests: RequestService }): Promise<void> {
  const { requests } = opts;
  const params = idParams('id');

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
    const { id } = params.parse(request.params);
    return referralPage(request, reply, id, null, null);
  });

  app.post('/requests/:id/referral', { config: REFER }, async (request, reply) => {
    const { id } = params.parse(request.params);
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
    // Joint consideration is read as for a child's request; the use case keeps it only for one.
    const { input, rowIndex, dateError } = referralInput(values, rows, true);
    const amendReason = (values['amendReason'] as string).trim();
    let answered;
    try {
      const send = action === 'submit' && !dateError;
      answered = await requests.answerReferral(
        request.actor!,
        id,
        input,
        { send, amendReason },
        requestContext(request),
      );
    } catch (err) {
      const errors = [...(dateError ? [dateError] : []), ...referralErrors(err, rowIndex)];
      return referralPage(request, reply, id, values, rows, dedupe(errors));
    }
    if (dateError) return referralPage(request, reply, id, values, rows, [dateError]);
    const { form, summary, done } = answered;
    if (done) return reply.redirect(`${requestBase(id)}?done=${done}`, 303);
    return reply.view('requests/referral-check.njk', {
      title: 'Check the referral before sending it',
      ...referralModel(form, values),
      summary,
      withheldRowsText: summary.withheld.map((w) => ({
        ...w,
        span: `${formatDuration(w.startMs)} to ${formatDuration(w.endMs)}`,
      })),
      amendReason,
      hidden: hiddenFields(values),
    });
  });
}
