/**
 * The written record of held conferences (T-6, T-7, W-1): each document a held conference needs, as a draft in the
 * state a council's would be in. Most conferences whose dates have passed have every document issued; a few still
 * owe one (a record late, a summary waiting for the chair); recent ones are part way through. Which documents are
 * needed, and when each is due, come from the documents domain and the timescales, as the service works them out.
 */
import {
  addDays,
  computeDeadline,
  compareIsoDates,
  type IsoDate,
  type StatutoryCalendar,
  type TimescaleSettings,
} from '../../domain/calendar/index.ts';
import { DOCUMENT_DEADLINES, neededDocuments } from '../../domain/documents/drafting.ts';
import { DOCUMENT_KIND_LABELS, type WrittenDocument } from '../../domain/documents/model.ts';
import type { documentDrafts } from '../../infra/db/documents-schema.ts';
import type { SeedConference } from './council.ts';
import type { SeededRandom } from './random.ts';
import { at } from './rows.ts';

export interface DocumentContext {
  rng: SeededRandom;
  today: IsoDate;
  calendar: StatutoryCalendar;
  timescales: TimescaleSettings;
}

/** Of the conferences whose document dates have passed, this share has every document issued. */
const ALL_ISSUED = 0.93;

/** The drafts of a held conference's documents (none for a conference not held). */
export function documentsFor(c: SeedConference, ctx: DocumentContext): Array<typeof documentDrafts.$inferInsert> {
  if (c.status !== 'held') return [];
  const { rng } = ctx;
  const needed = neededDocuments({
    status: 'held',
    outcomes: [c.type === 'review' ? (c.plan ? 'plan-continues' : 'plan-ends') : c.plan ? 'plan-needed' : 'no-plan'],
    excludedInviteeIds: [],
  });
  const complete = rng.chance(ALL_ISSUED);
  const out: Array<typeof documentDrafts.$inferInsert> = [];
  for (const doc of needed) {
    const rule = DOCUMENT_DEADLINES[doc.kind];
    const due = rule ? computeDeadline(rule, c.scheduledDate, ctx.calendar, ctx.timescales).due : c.scheduledDate;
    const passed = compareIsoDates(due, ctx.today) < 0;
    // T-6 / T-7: issued by its date (a day or two late now and then), or still being written.
    const status = passed
      ? complete || rng.chance(0.5)
        ? 'issued'
        : rng.weighted([
            ['none', 1],
            ['drafting', 2],
            ['waiting-for-chair', 2],
          ] as const)
      : rng.weighted([
          ['issued', 3],
          ['approved', 1],
          ['waiting-for-chair', 2],
          ['drafting', 3],
          ['none', 2],
        ] as const);
    if (status === 'none') continue;
    // Done on or just before its date, now and then a day or two after; one not yet due was done on the day.
    const doneOn = passed ? addDays(due, rng.chance(0.85) ? -rng.int(0, 1) : rng.int(1, 3)) : c.scheduledDate;
    const latest = compareIsoDates(doneOn, ctx.today) > 0 ? ctx.today : doneOn;
    const approvedOn = compareIsoDates(latest, c.scheduledDate) < 0 ? c.scheduledDate : latest;
    const approved = status === 'issued' || status === 'approved';
    const started = at(c.scheduledDate, '16:30');
    const title = DOCUMENT_KIND_LABELS[doc.kind];
    const document: WrittenDocument = {
      title,
      metadata: {
        conferenceId: c.id,
        conferenceDate: c.scheduledDate,
        children: c.family.children.map((k) => ({ id: k.id, name: `${k.givenNames} ${c.family.familyName}` })),
        kind: doc.kind,
        version: 1,
      },
      blocks: [{ type: 'paragraph', text: `${title} of the conference held on ${c.scheduledDate}.` }],
    };
    out.push({
      id: rng.uuid(),
      conferenceId: c.id,
      kind: doc.kind,
      subjectInviteeId: null,
      status,
      createdByUserId: c.minuteTakerId,
      updatedByUserId: approved ? c.chairId : c.minuteTakerId,
      approvedByUserId: approved ? c.chairId : null,
      createdAt: started,
      updatedAt: approved ? at(approvedOn, '17:45') : started,
      submittedAt: status === 'drafting' ? null : at(approvedOn, '17:15'),
      approvedAt: approved ? at(approvedOn, '17:45') : null,
      approvedDocument: approved ? document : null,
    });
  }
  return out;
}
