/**
 * The audit trail for auditors and administrators: filtered by person, child, action and dates, in plain
 * English with people's names, a page at a time. Filters travel as ids and dates (a child is chosen by
 * local case reference through a POST), so no name is ever in a URL; every view is itself audited.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { type AuditTrailFilter, type AuditTrailRow, viewAuditTrail } from '../../../app/audit/audit-reading.ts';
import { type FormError, type FormValues, bodyOf, readingContext, text } from '../../forms/index.ts';
import { formatLongDate } from '../../plugins/format.ts';
import { OUTCOME_WORDS, actionWords } from './actions.ts';
import { MAX, queryOf, readFilter } from './filter.ts';
import { namesForRows, subjectText } from './rows.ts';
import { ACCESS, type AuditDeps, PAGE } from './deps.ts';

interface PageState {
  rows?: AuditTrailRow[];
  errors?: FormError[];
  before?: number | undefined;
  referenceValue?: string;
}

const byText = (a: { text: string }, b: { text: string }) => a.text.localeCompare(b.text, 'en-GB');

/** The trail page for a filter: its rows, or the filter's problems (400). */
export function trailRenderer({ accounts, auditTrail }: AuditDeps) {
  return async (reply: FastifyReply, values: FormValues, filter: AuditTrailFilter, opts: PageState) => {
    const rows = opts.rows ?? [];
    const [users, actions, names] = await Promise.all([
      accounts.listUsers(),
      auditTrail.actionsInUse(),
      namesForRows(auditTrail, rows, filter),
    ]);
    if (filter.action && !actions.includes(filter.action)) actions.push(filter.action);
    if (opts.errors?.length) reply.code(400);
    const userItems = users.map((u) => ({ value: u.id, text: u.name, selected: u.id === filter.actorId }));
    const actionItems = actions.map((a) => ({ value: a, text: actionWords(a), selected: a === filter.action }));
    return reply.view('audit/audit.njk', {
      title: 'Audit trail',
      errors: opts.errors ?? [],
      fieldErrors: Object.fromEntries((opts.errors ?? []).map((e) => [e.href.slice(1), { text: e.text }])),
      values,
      referenceValue: opts.referenceValue ?? '',
      personItems: [{ value: '', text: 'Anyone' }, ...userItems.sort(byText)],
      actionItems: [{ value: '', text: 'Any action' }, ...actionItems.sort(byText)],
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
}

export function trailPage(app: FastifyInstance, deps: AuditDeps): void {
  const { auditTrail } = deps;
  const render = trailRenderer(deps);

  app.get('/audit', { config: ACCESS }, async (request, reply) => {
    const { filter, values, errors, before } = readFilter(request.query as Record<string, unknown>);
    if (errors.length) return render(reply, values, {}, { errors });
    // Reading the trail is itself recorded: who looked, at what (ids and dates only), and how far back.
    const page = { size: PAGE, before };
    const rows = await viewAuditTrail({ trail: auditTrail, audit: deps.audit }, filter, page, readingContext(request));
    return render(reply, values, filter, { rows, before });
  });

  // Choosing the child by local case reference: a POST, so the reference never appears in a URL.
  app.post('/audit/child', { config: ACCESS }, async (request, reply) => {
    const body = bodyOf(request);
    const { filter, values } = readFilter(body);
    const reference = text(body, 'reference', MAX).trim();
    const childId = reference ? await auditTrail.childByReference(reference) : null;
    if (!childId) {
      const text = reference
        ? 'No child’s record has this local case reference'
        : 'Enter the child’s local case reference';
      return render(reply, values, filter, { errors: [{ text, href: '#reference' }], referenceValue: reference });
    }
    return reply.redirect(`/audit${queryOf({ ...filter, childId })}`, 303);
  });
}
