/**
 * "Work out a deadline": any signed-in member of staff picks a timescale rule (DOMAIN.md T-1 … T-11,
 * A-9, D-1) and a date, and sees the deadline with the rule's plain-English explanation.
 */
import type { FastifyInstance } from 'fastify';
import {
  CalendarError,
  computeDeadline,
  formatLongDate,
  isIsoDate,
  isRuleName,
  RULE_NAMES,
  TIMESCALE_RULES,
  weekdayName,
  type Deadline,
  type IsoDate,
  type RuleName,
} from '../../../domain/calendar/index.ts';
import type { Services } from '../../../composition.ts';
import { type FormError, bodyOf, str } from '../../forms/index.ts';

type Group = 'conferences' | 'records' | 'recordings';

const GROUPS: ReadonlyArray<{ key: Group; title: string }> = [
  { key: 'conferences', title: 'Conferences and meetings' },
  { key: 'records', title: 'Reports, letters and the record' },
  { key: 'recordings', title: 'Recordings' },
];

/** Typed as a Record so that a new rule cannot be left out of the page. */
const GROUP_OF: Readonly<Record<RuleName, Group>> = {
  'initial-conference': 'conferences', // T-1
  'pre-birth-conference': 'conferences', // T-2
  'first-review': 'conferences', // T-3
  'next-review': 'conferences', // T-3
  'transfer-in-conference': 'conferences', // T-4
  'reconvene-after-dissent': 'conferences', // D-1
  'plan-ended-meeting': 'conferences', // T-9
  'reports-to-family': 'records', // T-5
  'decision-letter': 'records', // T-6
  'chair-summary': 'records', // T-6
  'record-distribution': 'records', // T-7
  'record-amendments': 'records', // T-8
  'recording-copy': 'recordings', // T-10, A-9
  'recording-copy-extended': 'recordings',
  'recording-permission-request': 'recordings', // T-11
};

/** What a page calls a timescale: its title in words. The rule ID and its source are for hints and the explanation only. */
export const ruleLabel = (name: RuleName) => TIMESCALE_RULES[name].title;
const ruleReference = (name: RuleName) => `rule ${TIMESCALE_RULES[name].ruleId}, ${TIMESCALE_RULES[name].source}`;

/** Radio groups; the first item overall has id "rule" so the error summary can link to it. */
function ruleGroups(selected: string) {
  let first = true;
  return GROUPS.map((g) => ({
    title: g.title,
    items: RULE_NAMES.filter((n) => GROUP_OF[n] === g.key).map((n) => {
      const id = first ? 'rule' : `rule-${n}`;
      first = false;
      return {
        id,
        value: n,
        text: ruleLabel(n),
        hint: { text: `Counts from the ${TIMESCALE_RULES[n].fromMeaning} (${ruleReference(n)})` },
        checked: n === selected,
      };
    }),
  }));
}

type DatePart = 'day' | 'month' | 'year';
const PARTS: readonly DatePart[] = ['day', 'month', 'year'];
const MONTH_NAMES = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];
const FIELD = 'Date to count from';
const num = (s: string) => (/^\d+$/.test(s) ? Number(s) : NaN);
// Month names are accepted too ("Apr", "April"), as GOV.UK recommends.
const monthOf = (s: string) =>
  num(s) || MONTH_NAMES.findIndex((m) => s.length >= 3 && m.startsWith(s.toLowerCase())) + 1;

/**
 * GOV.UK date input validation: one message, linked to the first field at fault, highlighting each field
 * at fault. Unlike the form kit's `readDate`, it takes month names and marks each box at fault, as this
 * page's one date input shows them.
 */
function readFromDate(v: Record<DatePart, string>): { date: IsoDate } | { error: string; fields: DatePart[] } {
  const missing = PARTS.filter((p) => v[p] === '');
  if (missing.length === 3) return { error: 'Enter the date to count from', fields: [...PARTS] };
  if (missing.length > 0) return { error: `${FIELD} must include a ${missing.join(' and a ')}`, fields: missing };
  const n = { day: num(v.day), month: monthOf(v.month), year: num(v.year) };
  const bad = PARTS.filter(
    (p) => !(p === 'day' ? n.day >= 1 && n.day <= 31 : p === 'month' ? n.month >= 1 && n.month <= 12 : n.year >= 0),
  );
  if (bad.length > 0) return { error: `${FIELD} must be a real date`, fields: bad };
  if (v.year.length !== 4) return { error: 'Year must include 4 numbers', fields: ['year'] };
  const iso = `${v.year}-${String(n.month).padStart(2, '0')}-${String(n.day).padStart(2, '0')}`;
  return isIsoDate(iso) ? { date: iso } : { error: `${FIELD} must be a real date`, fields: ['day'] };
}

const longDate = (d: IsoDate) => `${weekdayName(d)} ${formatLongDate(d)}`;

function resultRows(d: Deadline) {
  const meta = TIMESCALE_RULES[d.rule];
  const row = (key: string, text: string) => ({ key: { text: key }, value: { text } });
  return [
    row('Timescale', ruleLabel(d.rule)),
    row(meta.fromLabel, longDate(d.from)),
    // A window (T-2) has a first and a last suitable day; every other rule has one deadline.
    ...(d.earliest && d.latest
      ? [row('Earliest date', longDate(d.earliest)), row('Latest date', longDate(d.latest))]
      : [row('Deadline', longDate(d.due))]),
  ];
}

export interface DeadlineRoutesOptions {
  calendar: Services['calendar'];
  timescales: Services['timescales'];
}

export async function deadlineRoutes(
  app: FastifyInstance,
  { calendar, timescales }: DeadlineRoutesOptions,
): Promise<void> {
  const title = 'Work out a deadline';

  app.get('/deadlines', { config: { access: 'signed-in' } }, async (_request, reply) =>
    reply.view('deadlines/form.njk', { title, groups: ruleGroups(''), values: {}, dateErrors: [], timescales }),
  );

  app.post('/deadlines', { config: { access: 'signed-in' } }, async (request, reply) => {
    const body = bodyOf(request);
    const field = (k: string) => str(body[k]).trim();
    const rule = field('rule');
    const values = {
      day: field('from-day'),
      month: field('from-month'),
      year: field('from-year'),
      // 002 §1.3: a pre-birth conference is held earlier when a premature birth is likely (T-2).
      prematureBirthLikely: field('prematureBirthLikely') === 'yes' ? 'yes' : '',
    };
    const errors: FormError[] = [];
    if (!isRuleName(rule)) errors.push({ text: 'Select the timescale to work out', href: '#rule' });
    let read = readFromDate(values);
    let deadline: Deadline | undefined;
    if ('date' in read && isRuleName(rule)) {
      try {
        deadline = computeDeadline(rule, read.date, calendar, timescales, {
          prematureBirthLikely: values.prematureBirthLikely === 'yes',
        });
      } catch (err) {
        // Only a date at the very ends of the calendar (years 1000 and 9999) can fail here.
        if (!(err instanceof CalendarError)) throw err;
        read = { error: `${FIELD} must be between the years 1001 and 9998`, fields: [...PARTS] };
      }
    }
    if ('error' in read) errors.push({ text: read.error, href: `#from-${read.fields[0]}` });
    if (!deadline || errors.length > 0) {
      reply.code(400);
      const dateErrors = 'error' in read ? read.fields : [];
      return reply.view('deadlines/form.njk', {
        title,
        errors,
        groups: ruleGroups(rule),
        values,
        dateErrors,
        timescales,
      });
    }
    return reply.view('deadlines/result.njk', {
      title: `Deadline: ${ruleLabel(deadline.rule)}`,
      heading: ruleLabel(deadline.rule),
      rows: resultRows(deadline),
      // The rule and its source are named only here, in "How this was worked out".
      explanation: deadline.explanation,
      reference: `From ${ruleReference(deadline.rule)}.`,
    });
  });
}
