/**
 * What goes out before a conference: who is invited, how, and what the invitation says (002 §3.1–3.4,
 * 001, R-1), and whether the agencies' reports reached the family in time (T-5, 002 §3.4).
 * The wording is the product's own; the seeds only say what an invitation must carry.
 */
import {
  type DeadlineRag,
  type IsoDate,
  type WorkingDayCalendar,
  compareIsoDates,
  deadlineStatus,
  formatLongDate,
  weekdayName,
} from '../calendar/index.ts';
import { RELATIONSHIP_LABELS, type RelationshipKind, isNetworkSupporter } from '../people/relationships.ts';
import { DomainError } from '../shared/errors.ts';
import type { ConferenceType } from './decisions.ts';
import { ARRIVED_ON_THE_DAY, type InviteeKind, isSupporterKind } from './invitees.ts';

// ------------------------------------------------------------------ invitees

// The kinds of invitee are shared with the meeting (./invitees.ts): one vocabulary for the register.

/**
 * A family and network member is invited as a friend, supporter or advocate when every link to the
 * conference's children is that kind (they help someone take part and never receive minutes, W-4);
 * otherwise as a family member.
 */
export function familyInviteeKind(
  links: ReadonlyArray<{ relationship: RelationshipKind }>,
): 'family-member' | 'friend' | 'supporter' | 'advocate' {
  if (links.length === 0 || !links.every((l) => isNetworkSupporter(l.relationship))) return 'family-member';
  const first = links[0]!.relationship;
  return first === 'friend' || first === 'advocate' ? first : 'supporter';
}

/** W-4: who is sent the minutes and the conference record (never friends, supporters or advocates). */
export function inviteeReceivesMinutes(kind: InviteeKind): boolean {
  return !isSupporterKind(kind);
}

export const INVITATION_METHODS = ['letter', 'email', 'letter-and-email', 'by-hand'] as const;
export type InvitationMethod = (typeof INVITATION_METHODS)[number];

export const INVITATION_METHOD_LABELS: Record<InvitationMethod, string> = {
  letter: 'Letter by post',
  email: 'Email',
  'letter-and-email': 'Letter and email',
  'by-hand': 'Delivered by hand',
};

/** How someone came to be on the list, in words; the meeting records people who came uninvited. */
export function describeInvitationMethod(method: string | null): string {
  if (method === null) return 'Not sent yet';
  if (method === ARRIVED_ON_THE_DAY) return 'Not invited: came on the day';
  return isInvitationMethod(method) ? INVITATION_METHOD_LABELS[method] : method;
}

export function isInvitationMethod(v: unknown): v is InvitationMethod {
  return typeof v === 'string' && (INVITATION_METHODS as readonly string[]).includes(v);
}

/** How people take part: in a room, online (Microsoft Teams), or both. */
export const VENUE_KINDS = ['in-person', 'online', 'hybrid'] as const;
export type VenueKind = (typeof VENUE_KINDS)[number];

export const VENUE_KIND_LABELS: Record<VenueKind, string> = {
  'in-person': 'In person',
  online: 'Online (Microsoft Teams)',
  hybrid: 'Hybrid: in person and online',
};

export function isVenueKind(v: unknown): v is VenueKind {
  return typeof v === 'string' && (VENUE_KINDS as readonly string[]).includes(v);
}

// ------------------------------------------------------------------ times

const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$/;

export function isClockTime(v: unknown): v is string {
  return typeof v === 'string' && HH_MM.test(v);
}

/** "09:00" → "9am", "14:30" → "2:30pm", "12:00" → "midday" (GOV.UK style). */
export function formatClockTime(hhmm: string): string {
  const m = HH_MM.exec(hhmm);
  if (!m) throw new DomainError('INVALID_TIME', `Not a time: ${hhmm}`);
  const h = Number(m[1]);
  const min = m[2]!;
  if (h === 12 && min === '00') return 'midday';
  if (h === 0 && min === '00') return 'midnight';
  const suffix = h < 12 ? 'am' : 'pm';
  const h12 = h % 12 === 0 ? 12 : h % 12;
  return `${h12}${min === '00' ? '' : `:${min}`}${suffix}`;
}

/** The clock time `minutes` after `hhmm`, or null if that is past midnight. */
export function clockTimeAfter(hhmm: string, minutes: number): string | null {
  const m = HH_MM.exec(hhmm);
  if (!m) throw new DomainError('INVALID_TIME', `Not a time: ${hhmm}`);
  const total = Number(m[1]) * 60 + Number(m[2]) + minutes;
  if (total >= 24 * 60) return null;
  return `${String(Math.floor(total / 60)).padStart(2, '0')}:${String(total % 60).padStart(2, '0')}`;
}

/** "1 hour 30 minutes" */
export function formatDuration(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  const hours = h === 0 ? '' : h === 1 ? '1 hour' : `${h} hours`;
  const mins = m === 0 ? '' : `${m} minutes`;
  return [hours, mins].filter(Boolean).join(' ') || '0 minutes';
}

// ------------------------------------------------------------------ the invitation

export interface InvitationChild {
  givenNames: string;
  familyName: string;
  dateOfBirth: IsoDate | null;
  expectedDeliveryDate: IsoDate | null;
  address: string;
}

/** A parent, carer or other adult in the household or network, with their link to each child. */
export interface InvitationAdult {
  name: string;
  dateOfBirth: IsoDate | null;
  address: string | null;
  links: ReadonlyArray<{ childGivenNames: string; relationship: RelationshipKind; parentalResponsibility: boolean }>;
}

export interface InvitationRecipient {
  kind: InviteeKind;
  name: string;
  address: string | null;
  /** For professionals and interpreters. */
  roleTitle: string | null;
  agencyName: string | null;
}

export interface InvitationFacts {
  councilName: string;
  /** The date the letter is dated. */
  issuedOn: IsoDate;
  conference: {
    type: ConferenceType;
    date: IsoDate;
    startTime: string;
    durationMinutes: number;
    venueKind: VenueKind;
    venueDetails: string | null;
    onlineLink: string | null;
  };
  chairName: string | null;
  /** Who to contact about the conference (business support). */
  contact: { name: string; email: string | null } | null;
  /** T-5: the last day to share reports with the family. */
  reportsSharedBy: IsoDate;
  children: readonly InvitationChild[];
  /** Family and network adults, friends, supporters and advocates left out. */
  adults: readonly InvitationAdult[];
  recipient: InvitationRecipient;
  /**
   * P-6, 004 §2.5: a parent or the young person has asked to record the conference, so everyone invited is told in
   * advance; the chair decides and each person present is asked on the day.
   */
  familyAskedToRecord?: boolean;
}

export interface LetterSection {
  heading: string | null;
  paragraphs: string[];
  /** A bulleted list after the paragraphs. */
  items?: string[];
}

export interface InvitationContent {
  /** No names in the subject: subjects show in previews, notifications and mail logs. */
  subject: string;
  /** The recipient's name and postal address, for the top of the letter. */
  recipientLines: string[];
  dateLine: string;
  greeting: string;
  sections: LetterSection[];
  signOff: string[];
  /** The letter as plain text: the body of the email. */
  body: string;
  /** Whether the children's and adults' addresses are in it (only for professionals, see below). */
  includesAddresses: boolean;
}

const PURPOSE: Record<ConferenceType, (kids: string) => string> = {
  initial: (kids) =>
    `An initial child protection conference brings together the family and the professionals who know ${kids}. Together we share what we know, look at what is going well and what we are worried about, and decide whether a child protection plan is needed to keep them safe.`,
  'pre-birth': (kids) =>
    `A pre-birth child protection conference is held before a baby is born. Together with the family and the professionals who know ${kids}, we look at what is going well and what we are worried about, decide whether a child protection plan will be needed, and agree the support needed during the pregnancy and after the birth.`,
  review: (kids) =>
    `A review child protection conference looks at how the child protection plan for ${kids} is working: what has changed, what is going well and what still worries us. It decides whether the plan should continue, change or end.`,
  'transfer-in': (kids) =>
    `${capitalise(kids)} ${kids.includes(' and ') ? 'have' : 'has'} moved into our area with a child protection plan from another council. This conference looks at that plan with the family and the professionals here, and decides whether a plan is still needed and what it should be.`,
};

const CHILD_PURPOSE: Record<ConferenceType, string> = {
  initial:
    'The meeting is for the adults who look after you and the people who work with your family, like your social worker, teachers and health workers. We will talk about how things are at home and decide what help is needed to keep you safe.',
  'pre-birth':
    'The meeting is about the baby who is going to be born into your family. We will talk about what help is needed so that the baby, and you, are safe and well.',
  review:
    'We will talk about how the plan to keep you safe is going, what has got better and what still needs to change.',
  'transfer-in':
    'You have moved to a new area. We will look at the plan that was made to keep you safe and decide what is needed now.',
};

/**
 * The R-1 notice (001): everyone invited is told in advance that the conference is recorded, where
 * the recording is kept, that a typed record follows, and who may use it.
 */
export function recordingNotice(): string[] {
  return [
    'The conference will be audio recorded. Everyone who is invited is told this before the conference, and the chair will remind everyone at the start.',
    'The recording will be stored securely on the electronic record of each child the conference is about, and kept in line with the Data Protection Act 2018 and the UK GDPR. Recordings are never edited.',
    'A typed record of the conference, and the child protection plan if one is made, will be sent afterwards to the people entitled to receive them.',
    'The recording and the typed record are confidential. They may be used by a court, and by the council to check the quality of its work or to look into a complaint.',
  ];
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function listOfNames(names: readonly string[]): string {
  if (names.length <= 1) return names[0] ?? '';
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

function addressLines(address: string | null): string[] {
  return (address ?? '')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
}

function oneLine(address: string): string {
  return addressLines(address).join(', ');
}

function childLine(c: InvitationChild, withAddress: boolean): string {
  const name = `${c.givenNames} ${c.familyName}`;
  const born = c.dateOfBirth
    ? `born ${formatLongDate(c.dateOfBirth)}`
    : `unborn, expected ${formatLongDate(c.expectedDeliveryDate!)}`;
  return withAddress ? `${name}, ${born}, of ${oneLine(c.address)}` : `${name}, ${born}`;
}

function adultLine(a: InvitationAdult): string {
  const links = a.links.map(
    (l) =>
      `${RELATIONSHIP_LABELS[l.relationship].toLowerCase()} of ${l.childGivenNames}${l.parentalResponsibility ? ' (has parental responsibility)' : ''}`,
  );
  const born = a.dateOfBirth ? `born ${formatLongDate(a.dateOfBirth)}` : 'date of birth not known';
  const address = a.address ? oneLine(a.address) : 'address not known';
  return `${a.name}, ${born}, of ${address}: ${links.join('; ')}`;
}

function whenAndWhere(f: InvitationFacts): LetterSection {
  const c = f.conference;
  const end = clockTimeAfter(c.startTime, c.durationMinutes);
  const paragraphs = [
    `Date: ${weekdayName(c.date)} ${formatLongDate(c.date)}`,
    `Time: ${formatClockTime(c.startTime)}${end ? ` to about ${formatClockTime(end)}` : ''} (expected to last ${formatDuration(c.durationMinutes)})`,
  ];
  if (c.venueKind !== 'online' && c.venueDetails) paragraphs.push(`Place: ${oneLine(c.venueDetails)}`);
  if (c.venueKind !== 'in-person' && c.onlineLink) {
    paragraphs.push(`${c.venueKind === 'hybrid' ? 'Or join online' : 'Online'} with Microsoft Teams: ${c.onlineLink}`);
  }
  return { heading: 'When and where', paragraphs };
}

/**
 * Builds an invitation. What it carries depends on who receives it:
 * - professionals get the names, dates of birth and addresses of the children and of the adults in
 *   the household and network (001), so their agency can identify the family and check its records;
 * - family members, children and interpreters get the children's names and dates of birth but no
 *   addresses: a parent may not be allowed to know where the children or another adult live
 *   (a refuge, a court order), and the service cannot know that from the record.
 */
export function buildInvitation(f: InvitationFacts): InvitationContent {
  const { conference: c, recipient: r } = f;
  const withAddresses = r.kind === 'professional';
  const childNames = f.children.map((k) => k.givenNames);
  const kids = listOfNames(childNames);
  const sections: LetterSection[] = [];
  const typeName = {
    initial: 'an initial child protection conference',
    'pre-birth': 'a pre-birth child protection conference',
    review: 'a review child protection conference',
    'transfer-in': 'a transfer-in child protection conference',
  }[c.type];

  if (r.kind === 'child') {
    sections.push({
      heading: null,
      paragraphs: [
        `You are invited to a meeting called ${typeName}. It is about ${f.children.length > 1 ? 'you and your brothers and sisters' : 'you'}.`,
        CHILD_PURPOSE[c.type],
        'You can come to all or part of the meeting, and you can bring someone you trust, like a friend, a family member or an advocate, to support you. An advocate is someone who can speak up for you.',
        'If you do not want to come, that is fine. You can still tell us what you think: you can write it down, record a message, tell your social worker, or talk to the chair before the meeting.',
      ],
    });
  } else {
    sections.push({
      heading: null,
      paragraphs: [
        r.kind === 'interpreter'
          ? `You are invited to interpret at ${typeName} about ${kids}.`
          : `You are invited to ${typeName} about ${kids}.`,
        PURPOSE[c.type](kids),
      ],
    });
  }

  sections.push(whenAndWhere(f));

  sections.push({
    heading: f.children.length > 1 ? 'The children' : 'The child',
    paragraphs: [],
    items: f.children.map((k) => childLine(k, withAddresses)),
  });

  if (withAddresses && f.adults.length) {
    sections.push({
      heading: 'Parents, carers and other adults in the household or network',
      paragraphs: [],
      items: f.adults.map(adultLine),
    });
  }

  if (r.kind === 'family-member' || isSupporterKind(r.kind)) {
    const paragraphs = [
      'Please come if you can. The conference is a chance for you to hear what professionals think, to say what is going well, and to give your own views.',
      `The reports written for the conference will be shared with you, and explained, by ${formatLongDate(f.reportsSharedBy)}: at least 3 working days before the conference.`,
      'You can bring a friend, supporter or advocate to help you take part. Please tell us before the conference who is coming with you.',
      'If you need an interpreter, help with reading, or anything else to take part (for example because of a disability), please tell us as soon as you can.',
      'If you cannot come, you can still give your views: in writing, through your social worker, or by speaking to the chair before the conference.',
    ];
    if (isSupporterKind(r.kind))
      paragraphs.splice(
        1,
        1,
        'As a friend, supporter or advocate you are there to support someone taking part. You will not be sent the minutes or the conference record.',
      );
    sections.push({ heading: 'Taking part', paragraphs });
  }
  if (r.kind === 'professional') {
    sections.push({
      heading: 'What we ask of you',
      paragraphs: [
        `Please send a written report in good time for it to be shared with the family by ${formatLongDate(f.reportsSharedBy)}, at least 3 working days before the conference. Police reports are not shared with the family without the chair’s agreement.`,
        'Please attend, or send a colleague from your agency who knows the family. The conference needs children’s social care and at least 2 other agencies that have had direct contact with the child and family to make decisions safely.',
        'If you cannot attend, please tell us as soon as possible and still send your report.',
      ],
    });
  }
  if (r.kind === 'interpreter') {
    sections.push({
      heading: 'What we ask of you',
      paragraphs: [
        `You are booked as: ${r.roleTitle ?? 'interpreter'}.`,
        'Please arrive 15 minutes early so the chair can brief you. Everything said at the conference is confidential.',
      ],
    });
  }

  sections.push({ heading: 'The conference will be recorded', paragraphs: recordingNotice() });
  if (f.familyAskedToRecord)
    sections.push({
      heading: 'The family has asked to record the conference',
      paragraphs: [
        'A member of the family has asked to make their own recording of the conference. The chair will decide whether they may, and if you have a view about it, please tell the chair before the conference.',
        'If it is allowed, they must ask everyone present whether they agree before the conference starts, and they have agreed not to publish or share the recording.',
      ],
    });

  if (f.contact) {
    sections.push({
      heading: 'Questions',
      paragraphs: [
        `If you have any questions, or cannot come, please contact ${f.contact.name}${f.contact.email ? ` at ${f.contact.email}` : ''}.`,
      ],
    });
  }

  const recipientLines = [
    r.name,
    ...(r.roleTitle && r.kind !== 'interpreter' ? [r.roleTitle] : []),
    ...(r.agencyName ? [r.agencyName] : []),
    ...addressLines(r.address),
  ];
  const greeting = `Dear ${r.name},`;
  const signOff = [
    'Yours sincerely,',
    f.chairName ? `${f.chairName}, conference chair` : 'Conference business support',
    f.councilName,
  ];
  const dateLine = formatLongDate(f.issuedOn);
  const subject = `OFFICIAL-SENSITIVE: invitation to a child protection conference on ${weekdayName(c.date)} ${formatLongDate(c.date)} at ${formatClockTime(c.startTime)}`;

  const text: string[] = ['OFFICIAL-SENSITIVE', '', dateLine, '', greeting, ''];
  for (const s of sections) {
    if (s.heading) text.push(s.heading, '');
    for (const p of s.paragraphs) text.push(p, '');
    if (s.items?.length) text.push(...s.items.map((i) => `- ${i}`), '');
  }
  text.push(...signOff);

  return {
    subject,
    recipientLines,
    dateLine,
    greeting,
    sections,
    signOff,
    body: text.join('\n'),
    includesAddresses: withAddresses,
  };
}

// ------------------------------------------------------------------ reports to the family (T-5)

/**
 * Where a report stands against T-5 (shared with the family at least 3 working days before the
 * conference). Police reports are left out of what the family receives unless the chair agrees
 * (002 §3.4), so an unshared police report is not late; nor is one withheld as a safeguarding risk.
 */
export type ReportSharing =
  | { state: 'shared-in-time'; sharedOn: IsoDate; due: IsoDate; rag: 'green' }
  | { state: 'shared-late'; sharedOn: IsoDate; due: IsoDate; rag: 'red' }
  | { state: 'not-shared'; due: IsoDate; rag: 'green' | 'amber' | 'red'; status: DeadlineRag; workingDaysLeft: number }
  | { state: 'police-not-shared'; due: IsoDate; rag: 'grey' }
  | { state: 'withheld'; reason: string; rag: 'grey' };

export function reportSharingStatus(
  report: { isPolice: boolean; sharedWithFamilyOn: IsoDate | null; withheldReason: string | null },
  due: IsoDate,
  today: IsoDate,
  cal: WorkingDayCalendar,
): ReportSharing {
  if (report.withheldReason !== null) return { state: 'withheld', reason: report.withheldReason, rag: 'grey' };
  if (report.sharedWithFamilyOn) {
    return compareIsoDates(report.sharedWithFamilyOn, due) <= 0
      ? { state: 'shared-in-time', sharedOn: report.sharedWithFamilyOn, due, rag: 'green' }
      : { state: 'shared-late', sharedOn: report.sharedWithFamilyOn, due, rag: 'red' };
  }
  if (report.isPolice) return { state: 'police-not-shared', due, rag: 'grey' };
  // Amber from 2 working days before the last day: the family needs the reports, and time to read them.
  const s = deadlineStatus(today, due, cal, 2);
  return {
    state: 'not-shared',
    due,
    status: s.status,
    workingDaysLeft: s.workingDaysLeft,
    rag: s.status === 'overdue' ? 'red' : s.status === 'due-soon' ? 'amber' : 'green',
  };
}

/** Plain words for a report's T-5 state, for pages and the API. */
export function describeReportSharing(s: ReportSharing): string {
  switch (s.state) {
    case 'shared-in-time':
      return `Shared with the family on ${formatLongDate(s.sharedOn)}, in time (due by ${formatLongDate(s.due)})`;
    case 'shared-late':
      return `Shared with the family on ${formatLongDate(s.sharedOn)}, late (due by ${formatLongDate(s.due)})`;
    case 'not-shared':
      return s.status === 'overdue'
        ? `Not shared with the family: it was due by ${formatLongDate(s.due)}`
        : `Not shared with the family yet: share by ${formatLongDate(s.due)}`;
    case 'police-not-shared':
      return 'Police report: not shared with the family unless the chair agrees';
    case 'withheld':
      return `Withheld from the family: ${s.reason}`;
  }
}
