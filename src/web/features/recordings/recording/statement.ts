/**
 * The explanatory statement: pre-filled from the conference and the recording's breaks, rows
 * added without JavaScript, every problem shown at once, and a change to a confirmed statement needing
 * its reason.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  MAX_BREAKS,
  MAX_SPEAKERS,
  type ExplanatoryStatement,
  type StatementInput,
  validateStatement,
} from '../../../../domain/recordings/index.ts';
import { formatLongDate } from '../../../plugins/format.ts';
import {
  bodyOf,
  dateValues,
  dedupe,
  parseDateInput,
  requestContext,
  text,
  type FormError,
  type FormValues,
} from '../../../forms/index.ts';
import {
  backToRecording,
  MANAGE,
  recordingPage,
  recordingParams,
  ruleErrors,
  type RecordingPagesOptions,
} from '../common.ts';

/** Spare blank rows on the statement form (blank rows are ignored), so no JavaScript is needed. */
const SPARE_SPEAKER_ROWS = 2;
const SPARE_BREAK_ROWS = 1;

const SPEAKER_FIELDS = ['name', 'role'] as const;
const BREAK_FIELDS = ['startedAt', 'endedAt', 'reason', 'participantChanges'] as const;

type Rows = { speakers: number; breaks: number };

const CHANGE_REASON_NEEDED: FormError = {
  text: 'Give the reason for changing the confirmed statement',
  href: '#changeReason',
};

const rowCount = (body: Record<string, unknown>, key: string, min: number, max: number) => {
  const n = Number.parseInt(text(body, key), 10);
  return Math.min(max, Math.max(min, Number.isFinite(n) ? n : min));
};

function statementValues(s: ExplanatoryStatement): FormValues {
  const v: FormValues = {
    location: s.location,
    startedAt: s.startedAt,
    endedAt: s.endedAt,
    context: s.context,
    ...dateValues('recordedOn', s.recordedOn),
    changeReason: '',
  };
  s.speakers.forEach((sp, i) => {
    v[`speakers-${i}-name`] = sp.name;
    v[`speakers-${i}-role`] = sp.role;
  });
  s.breaks.forEach((b, i) => {
    v[`breaks-${i}-startedAt`] = b.startedAt;
    v[`breaks-${i}-endedAt`] = b.endedAt;
    v[`breaks-${i}-reason`] = b.reason;
    v[`breaks-${i}-participantChanges`] = b.participantChanges;
  });
  return v;
}

function readStatementForm(body: Record<string, unknown>, rows: Rows): FormValues {
  const v: FormValues = {};
  for (const k of [
    'location',
    'startedAt',
    'endedAt',
    'context',
    'changeReason',
    'recordedOn-day',
    'recordedOn-month',
    'recordedOn-year',
  ])
    v[k] = text(body, k);
  for (let i = 0; i < rows.speakers; i++)
    for (const f of SPEAKER_FIELDS) v[`speakers-${i}-${f}`] = text(body, `speakers-${i}-${f}`);
  for (let i = 0; i < rows.breaks; i++)
    for (const f of BREAK_FIELDS) v[`breaks-${i}-${f}`] = text(body, `breaks-${i}-${f}`);
  return v;
}

function statementInput(v: FormValues, recordedOn: string, rows: Rows): StatementInput {
  const s = (k: string) => (v[k] as string | undefined) ?? '';
  return {
    location: s('location'),
    recordedOn,
    startedAt: s('startedAt'),
    endedAt: s('endedAt'),
    context: s('context'),
    speakers: Array.from({ length: rows.speakers }, (_, i) => ({
      name: s(`speakers-${i}-name`),
      role: s(`speakers-${i}-role`),
    })),
    breaks: Array.from({ length: rows.breaks }, (_, i) => ({
      startedAt: s(`breaks-${i}-startedAt`),
      endedAt: s(`breaks-${i}-endedAt`),
      reason: s(`breaks-${i}-reason`),
      participantChanges: s(`breaks-${i}-participantChanges`),
    })),
  };
}

/** The form's problems before it is sent to be confirmed: the rule's, with the date pattern's message for a half-filled date. */
function formProblems(values: FormValues, rows: Rows): { input: StatementInput; errors: FormError[] } {
  let errors: FormError[] = [];
  const date = parseDateInput(values, 'recordedOn', 'The date of the recording');
  const input = statementInput(values, date.iso ?? (date.error ? 'not a date' : ''), rows);
  try {
    validateStatement(input);
  } catch (err) {
    errors.push(...ruleErrors(err));
  }
  // A half-filled date box gets the GOV.UK date pattern's message rather than the rule's.
  if (date.error) errors = errors.map((e) => (e.href === '#recordedOn-day' ? { ...e, text: date.error! } : e));
  return { input, errors };
}

export function statementRoutes(app: FastifyInstance, { recordings }: Pick<RecordingPagesOptions, 'recordings'>) {
  const statementPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    rid: string,
    values: FormValues | null,
    rows: Rows | null,
    errors: FormError[] = [],
  ) => {
    const { detail, draft, confirmed } = await recordings.statementForm(request.actor!, requestContext(request), rid);
    // A change to a confirmed statement needs its reason: said with the form's other problems at once.
    const reasonMissing = errors.length > 0 && confirmed !== null && !(values?.['changeReason'] as string)?.trim();
    const shown = dedupe(reasonMissing ? [...errors, CHANGE_REASON_NEEDED] : errors);
    const speakerRows =
      rows?.speakers ?? Math.min(MAX_SPEAKERS, Math.max(3, draft.speakers.length + SPARE_SPEAKER_ROWS));
    const breakRows = rows?.breaks ?? Math.min(MAX_BREAKS, draft.breaks.length + SPARE_BREAK_ROWS);
    const title = confirmed ? 'Change the explanatory statement' : 'Confirm the explanatory statement';
    return recordingPage(
      reply,
      'statement-form.njk',
      detail,
      title,
      {
        values: values ?? statementValues(draft),
        confirmed,
        confirmedText: confirmed
          ? `Version ${confirmed.version} was confirmed by ${confirmed.confirmedByName} on ${formatLongDate(confirmed.confirmedAt)}.`
          : null,
        speakerRows: Array.from({ length: speakerRows }, (_, i) => i),
        breakRows: Array.from({ length: breakRows }, (_, i) => i),
        canAddSpeaker: speakerRows < MAX_SPEAKERS,
        canAddBreak: breakRows < MAX_BREAKS,
      },
      shown,
    );
  };

  app.get('/recordings/:rid/statement', { config: MANAGE }, async (request, reply) => {
    const { rid } = recordingParams.parse(request.params);
    return statementPage(request, reply, rid, null, null);
  });

  app.post('/recordings/:rid/statement', { config: MANAGE }, async (request, reply) => {
    const { rid } = recordingParams.parse(request.params);
    const body = bodyOf(request);
    const rows: Rows = {
      speakers: rowCount(body, 'speakerRows', 1, MAX_SPEAKERS),
      breaks: rowCount(body, 'breakRows', 0, MAX_BREAKS),
    };
    const values = readStatementForm(body, rows);
    // "Add another row" without JavaScript: the same form again, one row longer, nothing checked yet.
    const add = text(body, 'add');
    if (add === 'speaker' || add === 'break') {
      if (add === 'speaker') rows.speakers = Math.min(MAX_SPEAKERS, rows.speakers + 1);
      else rows.breaks = Math.min(MAX_BREAKS, rows.breaks + 1);
      return statementPage(request, reply, rid, values, rows);
    }
    const { input, errors } = formProblems(values, rows);
    if (errors.length) return statementPage(request, reply, rid, values, rows, errors);
    const changeReason = (values['changeReason'] as string).trim() || null;
    try {
      await recordings.confirmStatement(request.actor!, requestContext(request), rid, { ...input, changeReason });
    } catch (err) {
      return statementPage(request, reply, rid, values, rows, ruleErrors(err));
    }
    return backToRecording(reply, rid, 'statement', 'statement');
  });
}
