/** Audit entries in plain English: who (by name), what, and the record it is about. */
import { type AuditTrailFilter, type AuditTrailPort, type AuditTrailRow } from '../../../app/audit/audit-reading.ts';

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

export function subjectText(row: AuditTrailRow, names: Map<string, string>): string {
  if (!row.subjectType) return '';
  const words = SUBJECT_WORDS[row.subjectType] ?? row.subjectType.replace(/[-_]+/g, ' ');
  const name = row.subjectId ? names.get(row.subjectId) : undefined;
  return name ? `${words}: ${name}` : `${words} ${row.subjectId ?? ''}`.trim();
}

/** The names of the people, children and accounts the rows (and the filter) refer to, by id. */
export async function namesForRows(
  trail: Pick<AuditTrailPort, 'namesFor'>,
  rows: readonly AuditTrailRow[],
  filter: AuditTrailFilter,
): Promise<Map<string, string>> {
  const of = (type: string) => rows.filter((r) => r.subjectType === type && r.subjectId).map((r) => r.subjectId!);
  return trail.namesFor({
    users: [
      ...rows.map((r) => r.actorUserId).filter((x): x is string => Boolean(x)),
      ...of('user'),
      ...(filter.actorId ? [filter.actorId] : []),
    ],
    children: [...of('child'), ...(filter.childId ? [filter.childId] : [])],
    people: of('person'),
  });
}
