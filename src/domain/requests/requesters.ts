/**
 * Who may ask for a copy of a conference recording, the details each kind of requester must
 * give, and whether a request is eligible. Pure: the caller loads the conference's children with
 * their dates of birth and, for a person, the children they hold parental responsibility (PR) for.
 *
 * Decisions (documented here because the seed leaves them open):
 * - A child's age is their age on the date the request was received (the date that also starts the
 *   A-9 clock). Someone born on 29 February turns 13 on 1 March in a year that is not a leap year, as
 *   in the law of England and Wales (`ageOn` in the people module). There is no upper age: a young
 *   person who is now 18 was still "a child aged 13 or over who was the subject of the conference".
 * - PR is per child. A person with PR for at least one child in the conference is eligible, and only
 *   for the children they hold PR for: the others are listed in `childrenWithoutPr` for the chair's
 *   referral, so their information can be withheld.
 * - "Another local authority for a transfer-in conference" (000: "for the purposes of transfer in CP
 *   Conferences") means an authority the child has moved to, asking for our recording to prepare ITS
 *   transfer-in conference. The conference asked about is ours, of any type (usually the last initial
 *   or review conference before the move), so the rule checks the purpose the authority gives, not
 *   our conference's type. Any other purpose is outside A-1 and refused with that reason.
 * - A missing reference (court, complaint, receiving authority) is a problem with the form, not a
 *   reason to refuse: `assessEligibility` throws InvalidDetailsError listing every missing field.
 */
import { compareIsoDates, type IsoDate } from '../calendar/index.ts';
import { ageOn } from '../people/age.ts';
import { requiredText, limitedText } from '../people/errors.ts';
import { ProblemList } from '../shared/errors.ts';

export const REQUESTER_TYPES = [
  'child',
  'pr-holder',
  'court',
  'complaints-service',
  'qa-service',
  'local-authority',
] as const;
export type RequesterType = (typeof REQUESTER_TYPES)[number];

export const REQUESTER_TYPE_LABELS: Readonly<Record<RequesterType, string>> = {
  child: 'A child aged 13 or over who was the subject of the conference',
  'pr-holder': 'A person with parental responsibility for a child in the conference',
  court: 'A court',
  'complaints-service': 'The complaints and information service (including access to records)',
  'qa-service': 'The quality assurance service',
  'local-authority': 'Another local authority, for its transfer-in conference',
};

/** Short labels for lists and tags. */
export const REQUESTER_TYPE_SHORT_LABELS: Readonly<Record<RequesterType, string>> = {
  child: 'Child',
  'pr-holder': 'Person with parental responsibility',
  court: 'Court',
  'complaints-service': 'Complaints and information service',
  'qa-service': 'Quality assurance service',
  'local-authority': 'Another local authority',
};

/** Requesters from the family: their copy has the family's withheld parts removed (see `isFamilyRequester`). */
export const FAMILY_REQUESTER_TYPES: readonly RequesterType[] = ['child', 'pr-holder'];

export function isRequesterType(v: unknown): v is RequesterType {
  return typeof v === 'string' && (REQUESTER_TYPES as readonly string[]).includes(v);
}

export function isFamilyRequester(r: Pick<Requester, 'type'>): boolean {
  return FAMILY_REQUESTER_TYPES.includes(r.type);
}

/** the quality assurance service asks for quality control and audit, or to investigate a complex complaint. */
export const QA_PURPOSES = ['audit', 'complex-complaint'] as const;
export type QaPurpose = (typeof QA_PURPOSES)[number];
export const QA_PURPOSE_LABELS: Readonly<Record<QaPurpose, string>> = {
  audit: 'Quality control and audit',
  'complex-complaint': 'Investigating a complex complaint',
};

/** another authority may have a copy for its transfer-in conference; any other purpose is outside A-1. */
export const AUTHORITY_PURPOSES = ['transfer-in', 'other'] as const;
export type AuthorityPurpose = (typeof AUTHORITY_PURPOSES)[number];
export const AUTHORITY_PURPOSE_LABELS: Readonly<Record<AuthorityPurpose, string>> = {
  'transfer-in': 'For its transfer-in conference about a child who has moved to its area',
  other: 'For another purpose',
};

/** A requester as validated. Family requesters are records (ids); organisations give a contact and a reference. */
export type Requester =
  | { type: 'child'; childId: string }
  | { type: 'pr-holder'; personId: string }
  | { type: 'court'; contactName: string; courtName: string; courtReference: string }
  | { type: 'complaints-service'; contactName: string; complaintReference: string }
  | { type: 'qa-service'; contactName: string; purpose: QaPurpose; complaintReference: string | null }
  | {
      type: 'local-authority';
      contactName: string;
      authorityName: string;
      authorityReference: string | null;
      purpose: AuthorityPurpose;
    };

/** The form as posted: every field optional, named as the form field it came from. */
export interface RequesterInput {
  type?: string | null;
  /** child: the child's record. */
  childId?: string | null;
  /** pr-holder: the family member's record. */
  personId?: string | null;
  /** Organisations: the person asking on its behalf. */
  contactName?: string | null;
  courtName?: string | null;
  courtReference?: string | null;
  /** complaints-service (required) and qa-service investigating a complex complaint (required). */
  complaintReference?: string | null;
  qaPurpose?: string | null;
  authorityName?: string | null;
  authorityReference?: string | null;
  authorityPurpose?: string | null;
}

export const REQUESTER_FIELD_LIMITS = { contactName: 200, organisationName: 200, reference: 100 } as const;

/**
 * Checks the details each kind of requester must give. Throws InvalidDetailsError listing every
 * missing or over-long field (field names as in RequesterInput).
 */
export function validateRequester(input: RequesterInput): Requester {
  const p = new ProblemList();
  const L = REQUESTER_FIELD_LIMITS;
  const type = input.type ?? '';
  const contact = () =>
    requiredText(
      p,
      'contactName',
      input.contactName,
      'Enter the name of the person asking',
      L.contactName,
      `The name must be ${L.contactName} characters or fewer`,
    );
  const reference = (field: keyof RequesterInput, missing: string, what: string) =>
    requiredText(
      p,
      field,
      input[field] as string | null | undefined,
      missing,
      L.reference,
      `${what} must be ${L.reference} characters or fewer`,
    );
  const id = (field: 'childId' | 'personId', missing: string) => {
    const v = (input[field] ?? '').trim();
    if (!v) p.add(field, missing);
    return v;
  };
  let result: Requester | null = null;
  switch (type) {
    case 'child':
      result = { type, childId: id('childId', 'Select the child who is asking') };
      break;
    case 'pr-holder':
      result = { type, personId: id('personId', 'Select the person who is asking') };
      break;
    case 'court': {
      const contactName = contact();
      const courtName = requiredText(
        p,
        'courtName',
        input.courtName,
        'Enter the name of the court',
        L.organisationName,
        `The court’s name must be ${L.organisationName} characters or fewer`,
      );
      const courtReference = reference('courtReference', 'Enter the court’s case reference', 'The case reference');
      result = { type, contactName, courtName, courtReference };
      break;
    }
    case 'complaints-service': {
      const contactName = contact();
      const complaintReference = reference(
        'complaintReference',
        'Enter the complaint or access to records reference',
        'The reference',
      );
      result = { type, contactName, complaintReference };
      break;
    }
    case 'qa-service': {
      const contactName = contact();
      const purpose = (input.qaPurpose ?? '') as QaPurpose;
      let complaintReference: string | null = null;
      if (!QA_PURPOSES.includes(purpose))
        p.add('qaPurpose', 'Select why the quality assurance service needs the recording');
      else if (purpose === 'complex-complaint')
        complaintReference = reference(
          'complaintReference',
          'Enter the reference of the complaint being investigated',
          'The reference',
        );
      else
        complaintReference = limitedText(
          p,
          'complaintReference',
          input.complaintReference,
          L.reference,
          `The reference must be ${L.reference} characters or fewer`,
        );
      result = { type, contactName, purpose, complaintReference };
      break;
    }
    case 'local-authority': {
      const contactName = contact();
      const authorityName = requiredText(
        p,
        'authorityName',
        input.authorityName,
        'Enter the name of the local authority asking',
        L.organisationName,
        `The authority’s name must be ${L.organisationName} characters or fewer`,
      );
      const authorityReference = limitedText(
        p,
        'authorityReference',
        input.authorityReference,
        L.reference,
        `The reference must be ${L.reference} characters or fewer`,
      );
      const purpose = (input.authorityPurpose ?? '') as AuthorityPurpose;
      if (!AUTHORITY_PURPOSES.includes(purpose))
        p.add('authorityPurpose', 'Select why the local authority needs the recording');
      result = { type, contactName, authorityName, authorityReference, purpose };
      break;
    }
    default:
      p.add('type', 'Select who is asking for the recording');
  }
  p.throwIfAny();
  return result!;
}

// ------------------------------------------------------------------ A-1 eligibility

/** a child must be this old on the day the request is received. */
export const CHILD_REQUEST_MIN_AGE = 13;

export const INELIGIBILITY_CODES = [
  'CHILD_UNDER_13',
  'CHILD_NOT_SUBJECT',
  'CHILD_AGE_UNKNOWN',
  'NO_PR',
  'NOT_FOR_TRANSFER_IN',
  'COUNCIL_POLICY',
] as const;
export type IneligibilityCode = (typeof INELIGIBILITY_CODES)[number];

export interface ConferenceChildFacts {
  id: string;
  /** Null for an unborn child (a pre-birth conference). */
  dateOfBirth: IsoDate | null;
}

export interface EligibilityInput {
  requester: RequesterInput | Requester;
  /** The date the request was received: the date a child's age is taken on (and the A-9 clock starts). */
  receivedOn: IsoDate;
  /** Every child who was a subject of the conference. */
  conferenceChildren: readonly ConferenceChildFacts[];
  /** pr-holder only: the children (any, not only this conference's) the person holds PR for, from their family links. */
  prChildIds?: readonly string[];
  /**
   * The council's reason when its policy is that the family is not given copies of recordings (003): a child or a
   * person with parental responsibility is then refused with it. Courts and the other statutory routes are not.
   */
  familyCopiesRefusedReason?: string | null;
}

export type Eligibility =
  | {
      eligible: true;
      requester: Requester;
      /** The conference's children whose information this requester may be given. */
      childrenCovered: string[];
      /** the conference's children the requester does NOT hold PR for (pr-holder only; empty otherwise). */
      childrenWithoutPr: string[];
    }
  | { eligible: false; requester: Requester; code: IneligibilityCode; reason: string };

function ineligible(requester: Requester, code: IneligibilityCode, reason: string): Eligibility {
  return { eligible: false, requester, code, reason };
}

/**
 * whether this requester may have a copy of this conference's recording. Field problems (a
 * missing reference, no requester type) throw InvalidDetailsError; they are not a reason to refuse.
 * An ineligible result carries a stable code and a plain-English reason to record on the refusal.
 */
export function assessEligibility(input: EligibilityInput): Eligibility {
  // A validated Requester has the form's field names except `purpose` (qaPurpose / authorityPurpose),
  // so it is written back as input and validated again: either may be passed.
  const requester = validateRequester('purpose' in input.requester ? toInput(input.requester) : input.requester);
  const children = input.conferenceChildren;
  const allIds = children.map((c) => c.id);
  if (input.familyCopiesRefusedReason && FAMILY_REQUESTER_TYPES.includes(requester.type))
    return ineligible(requester, 'COUNCIL_POLICY', input.familyCopiesRefusedReason);
  switch (requester.type) {
    case 'child': {
      const child = children.find((c) => c.id === requester.childId);
      if (!child) {
        return ineligible(
          requester,
          'CHILD_NOT_SUBJECT',
          'Only a child who was the subject of the conference may ask for its recording. This child was not.',
        );
      }
      if (child.dateOfBirth === null) {
        return ineligible(
          requester,
          'CHILD_AGE_UNKNOWN',
          'The child’s record has no date of birth, so they cannot be shown to be 13 or over. Add the date of birth to their record first.',
        );
      }
      const tooYoung =
        compareIsoDates(input.receivedOn, child.dateOfBirth) < 0 ||
        ageOn(child.dateOfBirth, input.receivedOn) < CHILD_REQUEST_MIN_AGE;
      if (tooYoung) {
        return ineligible(
          requester,
          'CHILD_UNDER_13',
          `A child may ask for a recording from the age of ${CHILD_REQUEST_MIN_AGE}. This child was under ${CHILD_REQUEST_MIN_AGE} on the day the request was received. A person with parental responsibility may ask instead.`,
        );
      }
      return { eligible: true, requester, childrenCovered: [child.id], childrenWithoutPr: [] };
    }
    case 'pr-holder': {
      const pr = new Set(input.prChildIds ?? []);
      const covered = allIds.filter((id) => pr.has(id));
      if (covered.length === 0) {
        return ineligible(
          requester,
          'NO_PR',
          'This person does not hold parental responsibility for any child in the conference, so they cannot be given its recording.',
        );
      }
      return {
        eligible: true,
        requester,
        childrenCovered: covered,
        childrenWithoutPr: allIds.filter((id) => !pr.has(id)),
      };
    }
    case 'local-authority':
      if (requester.purpose !== 'transfer-in') {
        return ineligible(
          requester,
          'NOT_FOR_TRANSFER_IN',
          'Another local authority may have a copy of a recording only for its transfer-in conference about a child who has moved to its area. Refer any other request to the access to records team.',
        );
      }
      return { eligible: true, requester, childrenCovered: allIds, childrenWithoutPr: [] };
    case 'court':
    case 'complaints-service':
    case 'qa-service':
      return { eligible: true, requester, childrenCovered: allIds, childrenWithoutPr: [] };
  }
}

/** A validated requester written back as form input (so it can be validated again). */
export function toInput(r: Requester): RequesterInput {
  switch (r.type) {
    case 'child':
      return { type: r.type, childId: r.childId };
    case 'pr-holder':
      return { type: r.type, personId: r.personId };
    case 'court':
      return { type: r.type, contactName: r.contactName, courtName: r.courtName, courtReference: r.courtReference };
    case 'complaints-service':
      return { type: r.type, contactName: r.contactName, complaintReference: r.complaintReference };
    case 'qa-service':
      return {
        type: r.type,
        contactName: r.contactName,
        qaPurpose: r.purpose,
        complaintReference: r.complaintReference,
      };
    case 'local-authority':
      return {
        type: r.type,
        contactName: r.contactName,
        authorityName: r.authorityName,
        authorityReference: r.authorityReference,
        authorityPurpose: r.purpose,
      };
  }
}

/** The person id withheld segments are matched against (their child or person record); null for organisations. */
export function requesterPersonId(r: Requester): string | null {
  return r.type === 'child' ? r.childId : r.type === 'pr-holder' ? r.personId : null;
}
