/**
 * R-2: the explanatory statement held with every recording. It says when and where the recording
 * was made, when the meeting started and ended, the context of the discussion, the main speakers with
 * their role or title, and each break with its reason and any change of participants. It is pre-filled
 * from the conference, completed and confirmed by the chair, shown with the recording and included in
 * every copy. A confirmed statement is changed only by confirming a new version.
 */
import { type IsoDate, formatLongDate, isIsoDate } from '../calendar/index.ts';
import { formatClockTime, parseClockTime } from '../conferences/meeting.ts';
import { timeOfDayProblem } from '../shared/time-of-day.ts';
import { ProblemList } from '../shared/errors.ts';

export const STATEMENT_TEXT_MAX = 2_000;
export const STATEMENT_SHORT_MAX = 200;
export const MAX_SPEAKERS = 40;
export const MAX_BREAKS = 30;

export interface StatementSpeaker {
  name: string;
  role: string;
}

export interface StatementBreak {
  /** "10:40": times of day, England local time. */
  startedAt: string;
  endedAt: string;
  reason: string;
  participantChanges: string;
}

export interface ExplanatoryStatement {
  location: string;
  recordedOn: IsoDate;
  startedAt: string;
  endedAt: string;
  context: string;
  speakers: StatementSpeaker[];
  breaks: StatementBreak[];
}

/** What a form or the API sends: everything as text, possibly blank. */
export interface StatementInput {
  location?: string | null;
  recordedOn?: string | null;
  startedAt?: string | null;
  endedAt?: string | null;
  context?: string | null;
  speakers?: Array<{ name?: string | null; role?: string | null }>;
  breaks?: Array<{
    startedAt?: string | null;
    endedAt?: string | null;
    reason?: string | null;
    participantChanges?: string | null;
  }>;
}

function text(
  p: ProblemList,
  field: string,
  v: string | null | undefined,
  missing: string | null,
  max: number,
  what: string,
): string {
  const t = (v ?? '').trim();
  if (!t && missing) p.add(field, missing);
  else if (t.length > max) p.add(field, `${what} must be ${max.toLocaleString('en-GB')} characters or fewer`);
  return t;
}

function time(
  p: ProblemList,
  field: string,
  v: string | null | undefined,
  missing: string,
  what: string,
): number | null {
  if (!(v ?? '').trim()) {
    p.add(field, missing);
    return null;
  }
  const minutes = parseClockTime(v);
  if (minutes === null) p.add(field, timeOfDayProblem(what[0]!.toLowerCase() + what.slice(1)));
  return minutes;
}

/**
 * Checks a statement the chair is confirming; throws every problem at once with the field it belongs
 * to (speakers[0].name, breaks[1].reason …). Blank speaker and break rows are ignored, so a form can
 * always offer a spare row.
 */
export function validateStatement(input: StatementInput): ExplanatoryStatement {
  const p = new ProblemList();
  const location = text(
    p,
    'location',
    input.location,
    'Enter where the recording was made',
    STATEMENT_SHORT_MAX,
    'Where it was made',
  );
  const recordedOnText = (input.recordedOn ?? '').trim();
  if (!recordedOnText) p.add('recordedOn', 'Enter the date of the recording');
  else if (!isIsoDate(recordedOnText)) p.add('recordedOn', 'The date of the recording must be a real date');
  const start = time(p, 'startedAt', input.startedAt, 'Enter the time the meeting started', 'The start time');
  const end = time(p, 'endedAt', input.endedAt, 'Enter the time the meeting ended', 'The end time');
  if (start !== null && end !== null && end <= start) p.add('endedAt', 'The end time must be after the start time');
  const context = text(
    p,
    'context',
    input.context,
    'Describe the context of the discussion',
    STATEMENT_TEXT_MAX,
    'The context',
  );

  const speakers: StatementSpeaker[] = [];
  (input.speakers ?? []).forEach((s, i) => {
    const name = (s.name ?? '').trim();
    const role = (s.role ?? '').trim();
    if (!name && !role) return;
    speakers.push({
      name: text(p, `speakers[${i}].name`, name, 'Enter the speaker’s name', STATEMENT_SHORT_MAX, 'The name'),
      role: text(p, `speakers[${i}].role`, role, 'Enter the speaker’s role or title', STATEMENT_SHORT_MAX, 'The role'),
    });
  });
  if (speakers.length === 0)
    p.add('speakers[0].name', 'Name at least one of the main speakers and their role or title');
  if (speakers.length > MAX_SPEAKERS) p.add('speakers', `List at most ${MAX_SPEAKERS} main speakers`);

  const breaks: StatementBreak[] = [];
  let previousEnd: number | null = null;
  (input.breaks ?? []).forEach((b, i) => {
    const blank = ![b.startedAt, b.endedAt, b.reason, b.participantChanges].some((v) => (v ?? '').trim());
    if (blank) return;
    const f = `breaks[${i}]`;
    const bs = time(p, `${f}.startedAt`, b.startedAt, 'Enter the time the break started', 'The time the break started');
    const be = time(p, `${f}.endedAt`, b.endedAt, 'Enter the time the break ended', 'The time the break ended');
    if (bs !== null && be !== null && be <= bs) p.add(`${f}.endedAt`, 'The break must end after it started');
    if (bs !== null && start !== null && bs < start)
      p.add(`${f}.startedAt`, 'The break must start after the meeting started');
    if (be !== null && end !== null && be > end) p.add(`${f}.endedAt`, 'The break must end before the meeting ended');
    if (bs !== null && previousEnd !== null && bs < previousEnd)
      p.add(`${f}.startedAt`, 'Breaks must be in order and must not overlap');
    if (be !== null) previousEnd = be;
    breaks.push({
      startedAt: bs !== null ? formatClockTime(bs) : '',
      endedAt: be !== null ? formatClockTime(be) : '',
      reason: text(p, `${f}.reason`, b.reason, 'Enter the reason for the break', STATEMENT_SHORT_MAX * 2, 'The reason'),
      participantChanges: text(
        p,
        `${f}.participantChanges`,
        b.participantChanges,
        null,
        STATEMENT_SHORT_MAX * 2,
        'Changes to who was present',
      ),
    });
  });
  if (breaks.length > MAX_BREAKS) p.add('breaks', `List at most ${MAX_BREAKS} breaks`);
  p.throwIfAny();
  return {
    location,
    recordedOn: recordedOnText as IsoDate,
    startedAt: formatClockTime(start!),
    endedAt: formatClockTime(end!),
    context,
    speakers,
    breaks,
  };
}

/** The statement as plain text: shown with the recording and written at the start of every copy. */
export function statementText(s: ExplanatoryStatement, title: string): string {
  const lines = [
    title,
    '',
    `Recorded on ${formatLongDate(s.recordedOn)} at ${s.location}.`,
    `The meeting started at ${s.startedAt} and ended at ${s.endedAt}.`,
    '',
    'Context',
    s.context,
    '',
    'Main speakers',
    ...s.speakers.map((sp) => `- ${sp.name}, ${sp.role}`),
    '',
    'Breaks',
    ...(s.breaks.length
      ? s.breaks.map(
          (b) =>
            `- ${b.startedAt} to ${b.endedAt}: ${b.reason}${b.participantChanges ? `. Change of participants: ${b.participantChanges}` : ''}`,
        )
      : ['- No breaks.']),
  ];
  return lines.join('\n');
}
