/** The audit trail as CSV: every entry matching the filter, oldest first, streamed; the export is itself audited. */
import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { type AuditTrailFilter, type AuditTrailRow, exportAuditTrail } from '../../../app/audit/audit-reading.ts';
import { readingContext } from '../../forms/index.ts';
import { OUTCOME_WORDS, actionWords } from './actions.ts';
import { csvLine } from './csv.ts';
import { ACCESS, type AuditDeps } from './deps.ts';
import { readFilter } from './filter.ts';
import { namesForRows, subjectText } from './rows.ts';
import { trailRenderer } from './trail-page.ts';

const HEADINGS = [
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
];

/** The CSV's lines, with names looked up 500 rows at a time. */
async function* csvLines(
  deps: AuditDeps,
  entries: AsyncIterable<AuditTrailRow>,
  filter: AuditTrailFilter,
): AsyncGenerator<string> {
  yield csvLine(HEADINGS);
  let batch: AuditTrailRow[] = [];
  const flush = async function* () {
    const names = await namesForRows(deps.auditTrail, batch, filter);
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
  for await (const row of entries) {
    batch.push(row);
    if (batch.length >= 500) yield* flush();
  }
  yield* flush();
}

export function exportCsv(app: FastifyInstance, deps: AuditDeps): void {
  const render = trailRenderer(deps);
  app.get('/audit/export.csv', { config: ACCESS }, async (request, reply) => {
    const { filter, values, errors } = readFilter(request.query as Record<string, unknown>);
    if (errors.length) return render(reply, values, {}, { errors });
    const trail = { trail: deps.auditTrail, audit: deps.audit };
    const entries = await exportAuditTrail(trail, filter, 'csv', readingContext(request));
    const day = new Date().toISOString().slice(0, 10);
    reply.header('content-type', 'text/csv; charset=utf-8');
    reply.header('content-disposition', `attachment; filename="audit-trail-${day}.csv"`);
    reply.header('cache-control', 'no-store');
    return reply.send(Readable.from(csvLines(deps, entries, filter)));
  });
}
