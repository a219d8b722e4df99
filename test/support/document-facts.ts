// The facts a written record is built from (W-1, W-2; 002 §3.2, §3.5, §3.10; 003), for the builders' tests, the
// PDF tests and the benchmark: a small held conference for two siblings with overrides, and a generator of a
// large conference (many attendees, every agency's view, a long plan and a long discussion) sized by page count.
import { parseIsoDate } from '../../src/domain/calendar/index.ts';
import type {
  AgencyViewFacts,
  AmendmentLetterFacts,
  AttendeeFacts,
  BuildInput,
  DecisionFacts,
  DocumentFacts,
  DocumentKind,
  PlanFacts,
} from '../../src/domain/documents/index.ts';

const d = parseIsoDate;

export const CONFERENCE_ID = '5a1f0c2e-8b34-4d6a-9e7f-0a1b2c3d4e5f';
export const SAM = { id: '6b2a1d3f-9c45-4e7b-8f80-1b2c3d4e5f60', name: 'Sam Smith' };
export const AMY = { id: '7c3b2e40-ad56-4f8c-9091-2c3d4e5f6071', name: 'Amy Smith' };
/** Invitee ids of the family on the register. */
export const MOTHER_INVITEE = '8d4c3f51-be67-4a9d-a1a2-3d4e5f607182';
export const FATHER_INVITEE = '9e5d4062-cf78-4bae-b2b3-4e5f60718293';
export const SOCIAL_WORKER_INVITEE = 'af6e5173-d089-4cbf-83c4-5f60718293a4';

function attendee(
  inviteeId: string,
  name: string,
  role: string,
  agencyName: string | null,
  extra: Partial<AttendeeFacts> = {},
): AttendeeFacts {
  return {
    inviteeId,
    kind: agencyName ? 'professional' : 'family-member',
    name,
    role,
    agencyName,
    personId: null,
    childId: null,
    parentalResponsibility: false,
    attendance: 'attended',
    exclusion: null,
    interpreterLanguage: null,
    language: null,
    accessibilityNeeds: null,
    ...extra,
  };
}

const ATTENDEES: readonly AttendeeFacts[] = [
  attendee(MOTHER_INVITEE, 'Jane Smith', 'Mother of Sam and Amy (parental responsibility)', null, {
    personId: '10a1b2c3-d4e5-4f60-8172-8394a5b6c7d8',
    parentalResponsibility: true,
  }),
  attendee(FATHER_INVITEE, 'Tom Smith', 'Father of Sam and Amy (parental responsibility)', null, {
    personId: '21b2c3d4-e5f6-4071-8283-94a5b6c7d8e9',
    parentalResponsibility: true,
    attendance: 'excluded',
    exclusion: {
      extent: 'partial',
      reason: 'Mr Smith was excluded while the police shared information about an ongoing investigation.',
      howViewsHeard: 'The chair met Mr Smith before the conference and read his written views to the conference.',
    },
  }),
  attendee(SOCIAL_WORKER_INVITEE, 'Priya Shah', 'Allocated social worker', "Children's services"),
  attendee('b07f6284-e19a-4cd0-94d5-60718293a4b5', 'Ruth Green', 'Health visitor', 'NHS community health'),
  attendee('c1807395-f2ab-4de1-a5e6-718293a4b5c6', 'Mark Brown', 'Designated safeguarding lead', 'Hillside Primary'),
  attendee('d29184a6-03bc-4ef2-b6f7-8293a4b5c6d7', 'DC Alan White', 'Public protection officer', 'Sussex Police', {
    attendance: 'apologies',
  }),
];

function decision(childId: string, extra: Partial<DecisionFacts> = {}): DecisionFacts {
  return {
    childId,
    outcome: 'plan-needed',
    outcomeLabel: 'Child protection plan needed',
    category: 'neglect',
    categoryLabel: 'Neglect',
    reasons: 'The children have not had enough food or supervision at home over the last three months.',
    agencyViews: [
      { agencyName: "Children's services", view: 'agrees', note: null },
      { agencyName: 'NHS community health', view: 'agrees', note: null },
      { agencyName: 'Hillside Primary', view: 'dissents', note: 'The school saw improvement this term.' },
    ],
    equallySplit: false,
    ...extra,
  };
}

function plan(childId: string, extra: Partial<PlanFacts> = {}): PlanFacts {
  return {
    childId,
    leadSocialWorker: { name: 'Priya Shah', contact: '01234 567890' },
    firstCoreGroupDate: d('2026-12-16'),
    contingencyPlan: 'If the home conditions do not improve, the local authority will seek legal advice.',
    nextReviewDate: d('2027-03-04'),
    actions: [
      { action: 'Attend the parenting course', who: 'Jane Smith', byWhen: d('2027-01-29') },
      { action: 'Visit the home every ten working days', who: 'Priya Shah, social worker', byWhen: null },
    ],
    coreGroup: [
      { inviteeId: MOTHER_INVITEE, name: 'Jane Smith', role: 'Mother', agencyName: null },
      {
        inviteeId: SOCIAL_WORKER_INVITEE,
        name: 'Priya Shah',
        role: 'Lead social worker',
        agencyName: "Children's services",
      },
      {
        inviteeId: 'b07f6284-e19a-4cd0-94d5-60718293a4b5',
        name: 'Ruth Green',
        role: 'Health visitor',
        agencyName: 'NHS community health',
      },
    ],
    ...extra,
  };
}

/** A held initial conference for Sam and Amy Smith on 4 December 2026, with the parts a test overrides. */
export function documentFacts(overrides: Partial<DocumentFacts> = {}): DocumentFacts {
  return {
    council: { name: 'Eastshire County Council', contact: 'Child protection conference team, 01234 500600' },
    conference: {
      id: CONFERENCE_ID,
      type: 'initial',
      typeLabel: 'Initial child protection conference',
      status: 'held',
      scheduledDate: d('2026-12-04'),
      startTime: '10:00',
      actualStartTime: '10:05',
      actualEndTime: '12:10',
      venue: 'Meeting room 2, Civic Centre',
      chairName: 'Helen Ward',
      lateReason: null,
      proceededInquorateReason: null,
      adjournmentSafetySteps: null,
      reconveneDate: null,
      nextConferenceDate: d('2027-03-04'),
    },
    children: [
      { ...SAM, dateOfBirth: d('2018-05-02'), expectedDeliveryDate: null, views: 'Sam said he likes school.' },
      { ...AMY, dateOfBirth: d('2021-09-14'), expectedDeliveryDate: null, views: null },
    ],
    attendees: ATTENDEES,
    decisions: [decision(SAM.id), decision(AMY.id)],
    plans: [plan(SAM.id), plan(AMY.id)],
    summary: {
      worries: 'The children are often hungry at school.',
      positives: 'Ms Smith has engaged with the health visitor.',
      changes: 'Regular meals and supervision after school.',
    },
    recordingStatements: ['The conference was recorded with everyone’s knowledge; the recording is kept for a year.'],
    ...overrides,
  };
}

/**
 * A review on 4 December 2026, brought forward, that ends Sam's plan (a team around the child plan, the family
 * meeting on 11 December) and keeps Amy's; Sam's views reached it through the chair; a school report arrived; the
 * father was told the reasons for his exclusion. Every fact recorded since convening, filled.
 */
export function factsSinceConvening(): DocumentFacts {
  const base = documentFacts();
  return {
    ...base,
    conference: {
      ...base.conference,
      type: 'review',
      typeLabel: 'Review child protection conference',
      broughtForwardReason: 'A new incident at the school gate',
      preBirthGrounds: [],
    },
    children: base.children.map((c) =>
      c.id === SAM.id
        ? {
            ...c,
            attendance: {
              decision: 'Not to attend',
              partArrangements: null,
              viewsConveyed: 'A meeting with the chair before the conference. He drew a picture of home.',
            },
          }
        : c,
    ),
    attendees: base.attendees.map((a) =>
      a.inviteeId === FATHER_INVITEE
        ? {
            ...a,
            exclusion: { ...a.exclusion!, toldOrally: { on: d('2026-12-04'), by: 'Helen Ward' }, toldInWriting: null },
          }
        : a,
    ),
    decisions: base.decisions.map((dec) =>
      dec.childId === SAM.id
        ? {
            ...dec,
            outcome: 'plan-ends',
            outcomeLabel: 'Child protection plan ends',
            category: null,
            categoryLabel: null,
          }
        : { ...dec, outcome: 'plan-continues', outcomeLabel: 'Child protection plan continues' },
    ),
    plans: base.plans.map((p) =>
      p.childId === SAM.id ? { ...p, actions: [], coreGroup: [], familyMeetingDate: d('2026-12-11') } : p,
    ),
    stepDowns: [
      {
        childId: SAM.id,
        kindLabel: 'Team around the child plan',
        leadProfessional: 'Ruth Green, health visitor',
        services: 'The health visitor continues fortnightly.',
        firstMeetingDate: d('2026-12-15'),
      },
    ],
    reportsReceived: [{ from: 'Hillside Primary report', receivedOn: d('2026-12-01') }],
  };
}

/** The minute taker's sections for every kind, filled. */
export const WRITTEN_SECTIONS: Readonly<Record<string, string>> = {
  'plain-english-reasons': 'Everyone agreed the children need more help at home.\n\nThe plan says what will change.',
  'core-group-roles': 'The health visitor will weigh Amy every fortnight.',
  'chairs-comments': 'The family were open with the conference.',
  'family-composition': 'Sam and Amy live with their mother. There are no court orders.',
  'reasons-for-convening': 'The school reported that the children were hungry and unsupervised.',
  'essential-facts': 'Three referrals were made in the last six months.',
  'discussion-summary': 'Each agency shared what it had seen.',
  'information-withheld': 'The police information was not shared with Mr Smith; the chair agreed.',
  'inquorate-discussion': 'Health and police were missing, so the conference was adjourned.',
  'exclusion-explanation':
    'You were asked to leave while the police shared information they cannot yet share with you.',
  'amendment-letter-note': 'Thank you for taking the time to read the record so carefully.',
};

/**
 * W-5, T-8: Jane Smith's request to amend version 1 of the conference record, with the chair's decision on each of
 * its three points (accepted, accepted in part, not accepted); on time unless a test says otherwise.
 */
export const AMENDMENT_LETTER_FACTS: AmendmentLetterFacts = {
  requestId: '5b1e2d3c-4f5a-4b6c-8d7e-9f0a1b2c3d4e',
  requesterInviteeId: MOTHER_INVITEE,
  documentKind: 'conference-record',
  issueNumber: 1,
  receivedOn: d('2026-12-14'),
  recordReceivedOn: d('2026-12-07'),
  dueOn: d('2026-12-21'),
  late: false,
  points: [
    {
      sectionLabel: 'Family composition and legal status',
      originalText: 'Sam and Amy live with their mother. There are no court orders.',
      requestedChange: 'Their grandmother lives with us too.',
      decision: 'accepted',
      reasons: 'The social worker confirmed the grandmother moved in before the conference.',
    },
    {
      sectionLabel: 'Summary of discussion',
      originalText: 'Each agency shared what it had seen.',
      requestedChange: 'Say that the school said things had improved and that I had been to every meeting.',
      decision: 'accepted-in-part',
      reasons: 'The school’s view is added; the record already says you attended every appointment.',
    },
    {
      sectionLabel: 'Essential facts',
      originalText: '',
      requestedChange: 'Remove the referrals: they were malicious.',
      decision: 'not-accepted',
      reasons: 'The referrals were made and the conference relied on them; the record must say so.',
    },
  ],
};

/** The input to build one document: the facts above, every section written, nothing withheld, not addressed. */
export function buildInput(kind: DocumentKind, overrides: Partial<BuildInput> = {}): BuildInput {
  return {
    kind,
    facts: documentFacts(),
    sections: WRITTEN_SECTIONS,
    withholdings: {},
    subjectInviteeId:
      kind === 'exclusion-letter' ? FATHER_INVITEE : kind === 'amendment-decision-letter' ? MOTHER_INVITEE : null,
    version: 1,
    addressee: null,
    wording: {
      opening: 'We are writing to tell you what the conference decided.\n\nPlease read this letter carefully.',
      complaints: 'If you are unhappy with the decision, write to the complaints team within 28 days.',
      confidentiality: 'This letter is confidential. Do not share it without the chair’s consent.',
    },
    arrangements: [],
    ...(kind === 'amendment-decision-letter' ? { amendment: AMENDMENT_LETTER_FACTS } : {}),
    ...overrides,
  };
}

// ---- A large conference ----

/** Words only in the essential facts, so a test can look for them in each copy. */
export const ESSENTIAL_FACTS_WORDS = 'Operation Larkspur';

const AGENCIES = [
  ['NHS community health', 'Health visitor'],
  ['Hillside Primary', 'Designated safeguarding lead'],
  ['Sussex Police', 'Public protection officer'],
  ['Eastshire Housing', 'Housing officer'],
  ['Adult mental health service', 'Care coordinator'],
  ['Drug and alcohol service', 'Recovery worker'],
  ['Probation service', 'Probation officer'],
  ['GP surgery', 'General practitioner'],
] as const;

const FIRST = ['Alex', 'Bea', 'Chris', 'Dee', 'Eli', 'Fran', 'Gus', 'Hana', 'Ian', 'Jo', 'Kit', 'Lee'];
const LAST = ['Adams', 'Baker', 'Clarke', 'Davies', 'Evans', 'Foster', 'Grant', 'Hughes'];

const DISCUSSION = [
  'The social worker described the home conditions seen on the three most recent visits, including the state of the kitchen and the children’s bedrooms, and the steps the family had already taken since the strategy discussion.',
  'The health visitor said Amy’s weight had been checked twice and was now following her centile line, and that the family had attended every appointment offered since the referral.',
  'The school reported that Sam’s attendance was 82% this term, with most absences on Mondays; staff had noticed he was often tired and hungry at the start of the week.',
  'Ms Smith said that she wanted to work with the plan and asked for help with the cost of childcare so that she could attend the parenting course in the evenings.',
];

const ACTIONS = [
  'Attend the parenting course and tell the social worker how it is going',
  'Make sure the children have breakfast before school',
  'Visit the home at least every ten working days, seeing the children alone',
  'Tell the social worker the same day if either child is absent from school',
  'Weigh Amy every fortnight and share the results with the core group',
  'Register with a GP and take the children to their health reviews',
  'Refer Ms Smith to the housing team about the damp in the children’s bedroom',
  'Arrange for a family support worker to help with routines after school',
];

export interface ConferenceSize {
  /** Sam alone, or Sam and Amy. */
  children: 1 | 2;
  /** Whether the register also has someone who sent apologies and a father excluded from part of it. */
  absences: boolean;
  /** Agencies giving their view on each decision (up to eight). */
  agencies: number;
  /** Professionals on the register, across the agencies. */
  professionals: number;
  /** Actions in each child's plan. */
  actions: number;
  /** Paragraphs in the summary of discussion. */
  discussionParagraphs: number;
}

/**
 * Sizes of conference record in normal print: the smallest realistic record (one child, everyone present, three
 * agencies, a short plan and discussion) takes four A4 pages, the large one twenty (checked by the PDF tests).
 */
export const SMALL_CONFERENCE: ConferenceSize = {
  children: 1,
  absences: false,
  agencies: 3,
  professionals: 0,
  actions: 2,
  discussionParagraphs: 2,
};
export const TWENTY_PAGE_CONFERENCE: ConferenceSize = {
  children: 2,
  absences: true,
  agencies: 8,
  professionals: 30,
  actions: 24,
  discussionParagraphs: 80,
};

/** A conference record's input sized to a page count: extra professionals, every agency's view, long plans and discussion. */
export function sizedRecordInput(size: ConferenceSize, overrides: Partial<BuildInput> = {}): BuildInput {
  const base = documentFacts();
  const professionals = Array.from({ length: size.professionals }, (_, i): AttendeeFacts => {
    const [agency, role] = AGENCIES[i % AGENCIES.length]!;
    const id = `e${String(i).padStart(7, '0')}-0000-4000-8000-000000000000`;
    return attendee(id, `${FIRST[i % FIRST.length]} ${LAST[i % LAST.length]}`, role, agency, {
      attendance: i % 5 === 4 ? 'apologies' : 'attended',
    });
  });
  const views = AGENCIES.slice(0, size.agencies).map(([agencyName], i): AgencyViewFacts => ({
    agencyName,
    view: i % 4 === 3 ? 'dissents' : 'agrees',
    note: i % 4 === 3 ? 'The agency felt the family should be supported under a child in need plan.' : null,
  }));
  const actions = Array.from({ length: size.actions }, (_, i) => ({
    action: ACTIONS[i % ACTIONS.length]!,
    who: professionals[i % professionals.length]?.name ?? 'Priya Shah',
    byWhen: i % 3 === 0 ? null : d(`2027-0${(i % 6) + 1}-15`),
  }));
  const coreGroup = professionals.slice(0, 6).map((p) => ({
    inviteeId: p.inviteeId,
    name: p.name,
    role: p.role,
    agencyName: p.agencyName,
  }));
  const children = base.children.slice(0, size.children);
  const forChildren = <T extends { childId: string }>(items: readonly T[]) =>
    items.filter((item) => children.some((c) => c.id === item.childId));
  const facts: DocumentFacts = {
    ...base,
    children,
    attendees: [
      ...base.attendees.filter((a) => size.absences || (a.attendance !== 'apologies' && !a.exclusion)),
      ...professionals,
    ],
    decisions: forChildren(base.decisions).map((dec) => ({ ...dec, agencyViews: views })),
    plans: forChildren(base.plans).map((p) => ({ ...p, actions, coreGroup: [...p.coreGroup, ...coreGroup] })),
  };
  const discussion = Array.from(
    { length: size.discussionParagraphs },
    (_, i) => `${i + 1}. ${DISCUSSION[i % DISCUSSION.length]}`,
  ).join('\n\n');
  return buildInput('conference-record', {
    facts,
    sections: {
      ...WRITTEN_SECTIONS,
      'essential-facts': `The police told the conference that ${ESSENTIAL_FACTS_WORDS} is looking into an adult who visits the home.`,
      'discussion-summary': discussion,
    },
    ...overrides,
  });
}
