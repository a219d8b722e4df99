/**
 * The shape of a seeded council, worked out before anything is written: its staff, agencies and
 * professionals, and its families' cases over the years, each case a chain of conferences with the
 * statutory cadence (002 T-1 … T-4): an initial, pre-birth or transfer-in conference, the first review
 * within three months of it, then a review every six months until the plan ends.
 */
import type { Role } from '../../domain/access/roles.ts';
import {
  addDays,
  computeDeadline,
  type IsoDate,
  type RuleName,
  type StatutoryCalendar,
  type TimescaleSettings,
} from '../../domain/calendar/index.ts';
import { CATEGORIES, type Category, type ConferenceType } from '../../domain/conferences/decisions.ts';
import type { AgencyKind } from '../../domain/people/professionals.ts';
import { FAMILY_NAMES, GIVEN_NAMES, type SeededRandom, STREETS } from './random.ts';

export interface SeedStaff {
  id: string;
  name: string;
  email: string;
  roles: Role[];
}

export interface SeedAgency {
  id: string;
  name: string;
  kind: AgencyKind;
  professionalIds: string[];
}

export interface SeedChild {
  id: string;
  givenNames: string;
  dateOfBirth: IsoDate | null;
  expectedDeliveryDate: IsoDate | null;
}

export interface SeedFamily {
  familyName: string;
  address: string;
  children: SeedChild[];
  /** Mother, and a father in most families: both with parental responsibility. */
  parents: Array<{ id: string; givenNames: string; relationship: 'mother' | 'father' }>;
  socialWorkerId: string;
  teamManagerId: string;
  category: Category;
  restricted: boolean;
}

export interface SeedConference {
  id: string;
  family: SeedFamily;
  type: ConferenceType;
  status: 'held' | 'planned' | 'cancelled';
  scheduledDate: IsoDate;
  startTime: string;
  chairId: string;
  minuteTakerId: string;
  previousId: string | null;
  strategyDiscussionDate: IsoDate | null;
  expectedDeliveryDate: IsoDate | null;
  noticeOfMoveDate: IsoDate | null;
  dueRule: RuleName;
  dueDate: IsoDate;
  late: boolean;
  /** At a held conference: the plan is needed or continues (true), or not needed or ends (false). */
  plan: boolean;
  /** The review that follows a plan (null when the plan ends, or the next is beyond the seeded period). */
  nextReviewDate: IsoDate | null;
  agencyIds: string[];
}

export const STAFF_SHAPE: ReadonlyArray<readonly [Role, number, string]> = [
  ['chair', 14, 'Chair'],
  ['business_support', 12, 'Support'],
  ['social_worker', 240, 'Social worker'],
  ['team_manager', 30, 'Team manager'],
  ['qa_manager', 3, 'QA manager'],
  ['access_to_records', 4, 'Records officer'],
  ['admin', 2, 'Administrator'],
  ['auditor', 2, 'Auditor'],
  ['legal_adviser', 2, 'Legal adviser'],
];

const AGENCY_SHAPE: ReadonlyArray<readonly [AgencyKind, number, string]> = [
  ['police', 2, 'Police Public Protection Unit'],
  ['school', 40, 'School'],
  ['health_visitor', 4, 'Health Visiting Team'],
  ['midwife', 2, 'Midwifery Service'],
  ['gp', 20, 'GP Surgery'],
  ['probation', 1, 'Probation Service'],
  ['camhs', 1, 'CAMHS'],
  ['housing', 2, 'Housing Service'],
];

export function planStaff(rng: SeededRandom, domain = 'council.example'): SeedStaff[] {
  const staff: SeedStaff[] = [];
  for (const [role, count, title] of STAFF_SHAPE) {
    for (let i = 1; i <= count; i++) {
      const name = `${rng.pick(GIVEN_NAMES)} ${rng.pick(FAMILY_NAMES)}`;
      const handle = `${role.replace(/_/g, '-')}.${i}`;
      staff.push({ id: rng.uuid(), name: `${name} (${title} ${i})`, email: `${handle}@${domain}`, roles: [role] });
    }
  }
  return staff;
}

export function planAgencies(rng: SeededRandom): SeedAgency[] {
  const agencies: SeedAgency[] = [];
  for (const [kind, count, label] of AGENCY_SHAPE) {
    for (let i = 1; i <= count; i++) {
      const professionalIds = Array.from({ length: kind === 'school' || kind === 'gp' ? 3 : 12 }, () => rng.uuid());
      agencies.push({ id: rng.uuid(), name: count > 1 ? `${label} ${i}` : label, kind, professionalIds });
    }
  }
  return agencies;
}

/** Conferences a case makes on average (an opening conference, then reviews while the plan lasts), to pace starts. */
const CONFERENCES_PER_CASE = 3.1;
const PLAN_NEEDED = 0.86;
const PLAN_ENDS_AT_REVIEW = 0.42;

export interface CasePlanInput {
  rng: SeededRandom;
  today: IsoDate;
  years: number;
  conferencesPerYear: number;
  staff: SeedStaff[];
  agencies: SeedAgency[];
  calendar: StatutoryCalendar;
  timescales: TimescaleSettings;
}

function weekday(date: IsoDate, rng: SeededRandom): IsoDate {
  let d = date;
  for (;;) {
    const day = new Date(`${d}T12:00:00Z`).getUTCDay();
    if (day !== 0 && day !== 6) return d;
    d = addDays(d, rng.chance(0.5) ? -1 : 1);
  }
}

function family(rng: SeededRandom, input: CasePlanInput, start: IsoDate, preBirth: boolean): SeedFamily {
  const familyName = rng.pick(FAMILY_NAMES);
  const size = rng.weighted([
    [1, 55],
    [2, 25],
    [3, 13],
    [4, 7],
  ] as const);
  const children: SeedChild[] = [];
  for (let i = 0; i < size; i++) {
    const unborn = preBirth && i === size - 1;
    const edd = addDays(start, rng.int(30, 110));
    children.push({
      id: rng.uuid(),
      givenNames: rng.pick(GIVEN_NAMES),
      dateOfBirth: unborn ? null : addDays(start, -rng.int(60, 16 * 365)),
      expectedDeliveryDate: unborn ? edd : null,
    });
  }
  const socialWorkers = input.staff.filter((s) => s.roles.includes('social_worker'));
  const managers = input.staff.filter((s) => s.roles.includes('team_manager'));
  return {
    familyName,
    address: `${rng.int(1, 240)} ${rng.pick(STREETS)}, Northtown`,
    children,
    parents: [
      { id: rng.uuid(), givenNames: rng.pick(GIVEN_NAMES), relationship: 'mother' as const },
      ...(rng.chance(0.65)
        ? [{ id: rng.uuid(), givenNames: rng.pick(GIVEN_NAMES), relationship: 'father' as const }]
        : []),
    ],
    socialWorkerId: rng.pick(socialWorkers).id,
    teamManagerId: rng.pick(managers).id,
    category: rng.weighted([
      [CATEGORIES[3], 50],
      [CATEGORIES[1], 35],
      [CATEGORIES[0], 10],
      [CATEGORIES[2], 5],
    ] as const),
    restricted: rng.chance(0.02),
  };
}

/**
 * Every conference of every case, oldest first. Held before today, planned from today up to eight weeks
 * ahead (the next review beyond that is left as the plan's review date); about one in fifty cancelled.
 */
export function planConferences(input: CasePlanInput): SeedConference[] {
  const { rng, today, calendar, timescales } = input;
  const first = addDays(today, -Math.round(input.years * 365.25));
  const horizon = addDays(today, 56);
  const days = Math.round(input.years * 365.25);
  // Cases open from three years before the period, so its first year already holds the reviews of plans
  // made earlier (only conferences inside the period are written); a case lasts at most about three years.
  const lead = 3 * 365;
  const cases = Math.max(1, Math.round((input.conferencesPerYear * (days + lead)) / 365.25 / CONFERENCES_PER_CASE));
  const chairs = input.staff.filter((s) => s.roles.includes('chair'));
  const support = input.staff.filter((s) => s.roles.includes('business_support'));
  const out: SeedConference[] = [];
  const deadline = (rule: RuleName, from: IsoDate) => computeDeadline(rule, from, calendar, timescales).due;
  for (let c = 0; c < cases; c++) {
    // Cases open evenly (the last few weeks included), so every year holds about the same.
    const opened = addDays(first, rng.int(-lead, days + 40));
    const type: ConferenceType = rng.weighted([
      ['initial', 78],
      ['pre-birth', 14],
      ['transfer-in', 8],
    ] as const);
    const fam = family(rng, input, opened, type === 'pre-birth');
    const chairId = rng.pick(chairs).id;
    const agencyIds = [
      input.agencies.find((a) => a.kind === 'police')!.id,
      rng.pick(input.agencies.filter((a) => a.kind === (type === 'pre-birth' ? 'midwife' : 'school'))).id,
      rng.pick(input.agencies.filter((a) => a.kind === 'gp')).id,
      ...(rng.chance(0.5) ? [rng.pick(input.agencies.filter((a) => a.kind === 'health_visitor')).id] : []),
    ];
    let startRule: RuleName;
    let startFrom: IsoDate;
    const facts = { strategyDiscussionDate: null, expectedDeliveryDate: null, noticeOfMoveDate: null } as Pick<
      SeedConference,
      'strategyDiscussionDate' | 'expectedDeliveryDate' | 'noticeOfMoveDate'
    >;
    if (type === 'pre-birth') {
      startRule = 'pre-birth-conference';
      startFrom = fam.children.find((k) => k.expectedDeliveryDate)!.expectedDeliveryDate!;
      facts.expectedDeliveryDate = startFrom;
    } else if (type === 'transfer-in') {
      startRule = 'transfer-in-conference';
      startFrom = opened;
      facts.noticeOfMoveDate = opened;
    } else {
      startRule = 'initial-conference';
      startFrom = opened;
      facts.strategyDiscussionDate = opened;
    }
    let current: Pick<
      SeedConference,
      | 'type'
      | 'dueRule'
      | 'dueDate'
      | 'previousId'
      | 'strategyDiscussionDate'
      | 'expectedDeliveryDate'
      | 'noticeOfMoveDate'
    > = {
      type,
      dueRule: startRule,
      dueDate: deadline(startRule, startFrom),
      previousId: null as string | null,
      ...facts,
    };
    let reviews = 0;
    // A review's timescale runs from the conference before it (T-3), so the first review inside the period brings
    // the case's earlier conferences along (each review's own previous one too), held before the period began.
    let before: SeedConference[] = [];
    for (;;) {
      const late = rng.chance(0.05);
      const scheduled = weekday(addDays(current.dueDate, late ? rng.int(1, 10) : -rng.int(0, 6)), rng);
      if (scheduled > horizon) {
        // The previous conference's plan names this review; it is beyond the seeded weeks.
        if (out.length && out[out.length - 1]!.family === fam) out[out.length - 1]!.nextReviewDate = scheduled;
        break;
      }
      const held = scheduled < today;
      const cancelled = held && rng.chance(0.02);
      const plan = current.type === 'review' ? !rng.chance(PLAN_ENDS_AT_REVIEW) : rng.chance(PLAN_NEEDED);
      const conf: SeedConference = {
        id: rng.uuid(),
        family: fam,
        ...current,
        status: cancelled ? 'cancelled' : held ? 'held' : 'planned',
        scheduledDate: scheduled,
        startTime: rng.pick(['09:30', '10:00', '11:00', '13:30', '14:00']),
        chairId,
        minuteTakerId: rng.pick(support).id,
        late,
        plan: held && !cancelled && plan,
        nextReviewDate: null,
        agencyIds,
      };
      if (scheduled >= first) {
        if (conf.previousId && before.at(-1)?.id === conf.previousId) out.push(...before);
        before = [];
        out.push(conf);
      }
      if (cancelled) continue; // rearranged: the same conference is convened again for a later day
      if (!held || !plan) break;
      const rule: RuleName = reviews === 0 && current.type !== 'review' ? 'first-review' : 'next-review';
      const due = deadline(rule, scheduled);
      conf.nextReviewDate = due;
      current = {
        type: 'review',
        dueRule: rule,
        dueDate: due,
        previousId: conf.id,
        strategyDiscussionDate: null,
        expectedDeliveryDate: null,
        noticeOfMoveDate: null,
      };
      if (scheduled < first) before.push(conf);
      reviews += 1;
    }
  }
  return out.sort((a, b) => (a.scheduledDate < b.scheduledDate ? -1 : a.scheduledDate > b.scheduledDate ? 1 : 0));
}
