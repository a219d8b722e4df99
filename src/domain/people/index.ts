/** Children, their family and network, professionals and case notes: the pure rules. */
export { ageOn } from './age.ts';
export { CASE_NOTE_KIND_LABELS, CASE_NOTE_MAX_LENGTH, STAFF_NOTE_KIND, validateCaseNote } from './case-notes.ts';
export {
  ADULT_AGE,
  CHILD_FIELD_LIMITS,
  changedChildFields,
  isUnborn,
  validateChildDetails,
  type ChildDetails,
  type ChildDetailsInput,
} from './child-details.ts';
export {
  checkLegalStatus,
  isLegalStatus,
  LEGAL_STATUS_LABELS,
  LEGAL_STATUSES,
  legalStatusText,
  type LegalStatus,
} from './legal-status.ts';
export { PeopleError, type PeopleErrorCode } from './errors.ts';
export {
  changedPersonFields,
  validatePersonDetails,
  type PersonDetails,
  type PersonDetailsInput,
} from './person-details.ts';
export {
  AGENCY_KIND_LABELS,
  AGENCY_KINDS,
  isAgencyKind,
  validateAgency,
  validateProfessional,
  type AgencyDetails,
  type AgencyKind,
  type ProfessionalDetails,
} from './professionals.ts';
export {
  isNetworkSupporter,
  isRelationshipKind,
  NETWORK_SUPPORT_KINDS,
  PR_NOT_POSSIBLE_MESSAGE,
  receivesMinutes,
  RELATIONSHIP_KINDS,
  RELATIONSHIP_LABELS,
  validateFamilyLink,
  type FamilyLink,
  type RelationshipKind,
} from './relationships.ts';
