import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { parseId } from '../../../domain/shared/ids.ts';
import type { AuditFilter } from '../../../infra/audit/audit-trail.ts';
import type { AuditRow } from '../../../infra/audit/audit-repository.ts';
import { formatLongDate } from '../../plugins/format.ts';
import { bodyOf, type FormValues, dateParts, dateValues, parseDateInput } from '../../forms/index.ts';
import type { FormError } from '../../types.ts';
import type { FeatureOptions } from '../index.ts';
import { OUTCOME_WORDS, actionWords } from './actions.ts';
import { csvLine } from './csv.ts';

const PAGE = 50;
const ACCESS = { access: ['auditor', 'admin'] as const };
const ACTION_CODE = /^[a-z0-9][a-z0-9_.-]{0,99}$/;

const SUBJECT_WORDS: Record<string, string> = {
  child: 'Child',
  person: 'Family or network member',
  user: 'Account',
  conference: 'Conference',
  recording: 'Recording',
  request: 'Request for a copy',
  'copy-request': 'Request for a copy',
  delivery: 'Download link',
  professional: 'Professional',
};

const one = (v: unknown): string =>
  (typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : '').slice(0, 200);

/** The filter from the query (or a form): ids, an action code and dates only, never a name. */
function readFilter(source: Record<string, unknown>): {
  filter: AuditFilter;
  values: FormValues;
  errors: FormError[];
  before: number | undefined;
} {
  const values: FormValues = {};
  for (const k of ['person', 'child', 'action', ...dateParts('from'), ...dateParts('to')])
    values[k] = one(source[k]).trim();
  const errors: FormError[] = [];
  const filter: AuditFilter = {};
  const person = values['person'] as string;
  if (person) {
    const id = parseId(person);
    if (id) filter.actorId = id;
    else errors.push({ text: 'Select a person from the list', href: '#person' });
  }
  const child = values['child'] as string;
  if (child) {
    const id = parseId(child);
    if (id) filter.childId = id;
    else errors.push({ text: 'Find the child by their local case reference', href: '#reference' });
  }
  const action = values['action'] as string;
  if (action) {
    if (ACTION_CODE.test(action)) filter.action = action;
    else errors.push({ text: 'Select an action from the list', href: '#action' });
  }
  const from = parseDateInput(values, 'from', 'Date from');
  if (from.error) errors.push({ text: from.error, href: '#from-day' });
  else if (from.iso) filter.from = from.iso;
  const to = parseDateInput(values, 'to', 'Date to');
  if (to.error) errors.push({ text: to.error, href: '#to-day' });
  else if (to.iso) filter.to = to.iso;
  if (filter.from && filter.to && filter.to < filter.from)
    errors.push({ text: 'Date to must be the same as or after date from', href: '#to-day' });
  const beforeText = one(source['before']);
  const before = /^\d{1,15}$/.test(beforeText) ? Number(beforeText) : undefined;
  return { filter, values, errors, before };
}

/** The filter as a query string (ids, a code and dates only), for links and the export. */
function queryOf(filter: AuditFilter, extra: Record<string, string> = {}): string {
  const q = new URLSearchParams();
  if (filter.actorId) q.set('person', filter.actorId);
  if (filter.childId) q.set('child', filter.childId);
  if (filter.action) q.set('action', filter.action);
  for (const [name, iso] of [
    ['from', filter.from],
    ['to', filter.to],
  ] as const) {
    if (iso) for (const [k, v] of Object.entries(dateValues(name, iso))) q.set(k, String(v));
  }
  for (const [k, v] of Object.entries(extra)) q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** What the audit entry records about the filter: ids and dates only. */
const filterDetails = (f: AuditFilter) => Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined));

function subjectText(row: AuditRow, names: Map<string, string>): string {
  if (!row.subjectType) return '';
  const words = SUBJECT_WORDS[row.subjectType] ?? row.subjectType.replace(/[-_]+/g, ' ');
  const name = row.subjectId ? names.get(row.subjectId) : undefined;
  return name ? `${words}: ${name}` : `${words} ${row.subjectId ?? ''}`.trim();
}

async function namesForRows(
  app: FeatureOptions['services'],
  rows: readonly AuditRow[],
  filter: AuditFilter,
): Promise<Map<string, string>> {
  const of = (type: string) => rows.filter((r) => r.subjectType === type && r.subjectId).map((r) => r.subjectId!);
  return app.auditTrail.namesFor({
    users: [
      ...rows.map((r) => r.actorUserId).filter((x): x is string => Boolean(x)),
      ...of('user'),
      ...(filter.actorId ? [filter.actorId] : []),
    ],
    children: [...of('child'), ...(filter.childId ? [filter.childId] : [])],
    people: of('person'),
  });
}

/**
 * The audit trail for auditors and administrators: filtered by person, child, action and dates,
 * in plain English with people's names, a page at a time, and exported as CSV. Every view and
 * export is itself audited. Filters travel as ids and dates (a child is chosen by local case
 * reference through a POST), so no name is ever in a URL.
 */
export async function auditRoutes(app: FastifyInstance, { services, audit }: FeatureOptions): Promise<void> {
  const record = (request: FastifyRequest, action: string, filter: AuditFilter, details: Record<string, unknown>) =>
    audit.record({
      action,
      actor: { id: request.actor!.id, label: request.actor!.name },
      correlationId: request.id,
      ...(filter.childId ? { subject: { type: 'child', id: filter.childId } } : {}),
      outcome: 'success',
      details: { filter: filterDetails(filter), ...details },
    });

  const render = async (
    reply: FastifyReply,
    values: FormValues,
    filter: AuditFilter,
    opts: { rows?: AuditRow[]; errors?: FormError[]; before?: number | undefined; referenceValue?: string },
  ) => {
    const rows = opts.rows ?? [];
    const [users, actions, names] = await Promise.all([
      services.accounts.listUsers(),
      services.auditTrail.actionsInUse(),
      namesForRows(services, rows, filter),
    ]);
    if (filter.action && !actions.includes(filter.action)) actions.push(filter.action);
    if (opts.errors?.length) reply.code(400);
    return reply.view('audit/audit.njk', {
      title: 'Audit trail',
      errors: opts.errors ?? [],
      fieldErrors: Object.fromEntries((opts.errors ?? []).map((e) => [e.href.slice(1), { text: e.text }])),
      values,
      referenceValue: opts.referenceValue ?? '',
      personItems: [
        { value: '', text: 'Anyone' },
        ...users
          .map((u) => ({ value: u.id, text: u.name, selected: u.id === filter.actorId }))
          .sort((a, b) => a.text.localeCompare(b.text, 'en-GB')),
      ],
      actionItems: [
        { value: '', text: 'Any action' },
        ...actions
          .map((a) => ({ value: a, text: actionWords(a), selected: a === filter.action }))
          .sort((a, b) => a.text.localeCompare(b.text, 'en-GB')),
      ],
      child: filter.childId
        ? {
            id: filter.childId,
            name: names.get(filter.childId) ?? 'A child whose record was removed',
            removeHref: `/audit${queryOf({ ...filter, childId: undefined })}`,
          }
        : null,
      hidden: Object.entries(values).filter(([k, v]) => k !== 'child' && typeof v === 'string' && v !== ''),
      filtered: Object.values(filter).some((v) => v !== undefined),
      exportHref: `/audit/export.csv${queryOf(filter)}`,
      rows: rows.map((r) => ({
        seq: r.seq,
        at: formatLongDate(r.at),
        who: (r.actorUserId && names.get(r.actorUserId)) || r.actorLabel,
        what: actionWords(r.action),
        code: r.action,
        record: subjectText(r, names),
        outcome: OUTCOME_WORDS[r.outcome] ?? r.outcome,
      })),
      next: rows.length === PAGE ? `/audit${queryOf(filter, { before: String(rows.at(-1)!.seq) })}` : null,
      newest: opts.before ? `/audit${queryOf(filter)}` : null,
    });
  };

  app.get('/audit', { config: ACCESS }, async (request, reply) => {
    const { filter, values, errors, before } = readFilter(request.query as Record<string, unknown>);
    if (errors.length) return render(reply, values, {}, { errors });
    const rows = await services.auditTrail.search(filter, PAGE, before);
    // Reading the trail is itself recorded: who looked, at what (ids and dates only), and how far back.
    await record(request, 'audit.view', filter, { before: before ?? null, shown: rows.length });
    return render(reply, values, filter, { rows, before });
  });

  // Choosing the child by local case reference: a POST, so the reference never appears in a URL.
  app.post('/audit/child', { config: ACCESS }, async (request, reply) => {
    const body = bodyOf(request);
    const { filter, values } = readFilter(body);
    const reference = one(body['reference']).trim();
    const childId = reference ? await services.auditTrail.childByReference(reference) : null;
    if (!childId) {
      const text = reference
        ? 'No child’s record has this local case reference'
        : 'Enter the child’s local case reference';
      return render(reply, values, filter, { errors: [{ text, href: '#reference' }], referenceValue: reference });
    }
    return reply.redirect(`/audit${queryOf({ ...filter, childId })}`, 303);
  });

  app.get('/audit/export.csv', { config: ACCESS }, async (request, reply) => {
    const { filter, values, errors } = readFilter(request.query as Record<string, unknown>);
    if (errors.length) return render(reply, values, {}, { errors });
    await record(request, 'audit.export', filter, { format: 'csv' });
    const trail = services.auditTrail;
    async function* lines(): AsyncGenerator<string> {
      yield csvLine([
        'No.',
        'When (UTC)',
        'Who',
        'Who (account id)',
        'What',
        'Action code',
        'Record',
        'Record type',
        'Record id',
        'Outcome',
        'Details',
      ]);
      let batch: AuditRow[] = [];
      const flush = async function* () {
        const names = await namesForRows(services, batch, filter);
        for (const r of batch) {
          yield csvLine([
            String(r.seq),
            r.at.toISOString(),
            (r.actorUserId && names.get(r.actorUserId)) || r.actorLabel,
            r.actorUserId ?? '',
            actionWords(r.action),
            r.action,
            subjectText(r, names),
            r.subjectType ?? '',
            r.subjectId ?? '',
            OUTCOME_WORDS[r.outcome] ?? r.outcome,
            JSON.stringify(r.details ?? {}),
          ]);
        }
        batch = [];
      };
      for await (const row of trail.matching(filter)) {
        batch.push(row);
        if (batch.length >= 500) yield* flush();
      }
      yield* flush();
    }
    const day = new Date().toISOString().slice(0, 10);
    reply.header('content-type', 'text/csv; charset=utf-8');
    reply.header('content-disposition', `attachment; filename="audit-trail-${day}.csv"`);
    reply.header('cache-control', 'no-store');
    return reply.send(Readable.from(lines()));
  });

  app.post('/audit/verify', { config: ACCESS }, async (request, reply) => {
    const result = await services.auditTrail.verify();
    await audit.record({
      action: 'audit.verify',
      actor: { id: request.actor!.id, label: request.actor!.name },
      correlationId: request.id,
      outcome: 'success',
      details: { ok: result.ok, entries: result.entries },
    });
    return reply.view('audit/verify.njk', { title: 'Audit trail check', result });
  });
}
