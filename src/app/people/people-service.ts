import { isId } from '../../domain/shared/ids.ts';
import {
  type AccessDecision,
  type ChildAccessFacts,
  CASEWIDE_ROLES,
  CHILD_RECORD_ROLES,
  RECORD_EDITOR_ROLES,
  canEditChild,
  canManageRestriction,
  canViewChild,
} from '../../domain/access/child-access.ts';
import { type Actor, hasAnyRole } from '../../domain/access/roles.ts';
import { type IsoDate, isIsoDate, londonDateOf } from '../../domain/calendar/index.ts';
import {
  type AgencyDetails,
  type ChildDetails,
  type ChildDetailsInput,
  type PersonDetailsInput,
  STAFF_NOTE_KIND,
  ageOn,
  changedChildFields,
  changedPersonFields,
  validateAgency,
  validateCaseNote,
  validateChildDetails,
  validateFamilyLink,
  validatePersonDetails,
  validateProfessional,
} from '../../domain/people/index.ts';
import {
  AccessDeniedError,
  ConflictError,
  DomainError,
  NotFoundError,
  type FieldProblem,
  InvalidDetailsError,
  StaleRecordError,
} from '../../domain/shared/errors.ts';
import type { UserRecord } from '../accounts/ports.ts';
import { FieldChecks as Checks } from '../checks.ts';
import type { RequestContext } from '../audit/audit-log.ts';
import type { Clock, Repositories, UnitOfWork } from '../unit-of-work.ts';
import type {
  AgencyRecord,
  CaseNoteRecord,
  ChildRecord,
  ChildSummary,
  ChildVisibility,
  FamilyMemberRecord,
  NewChild,
  PersonRecord,
  ProfessionalRecord,
} from './ports.ts';

export const SEARCH_LIMIT = 50;

export interface StaffRef {
  id: string;
  name: string;
}

/** A child's details plus who is allocated and who may see a restricted record. */
export interface ChildInput extends ChildDetailsInput {
  /** Omitted: a social worker adding a child is allocated to it. */
  allocatedSocialWorkerId?: string | null | undefined;
  restricted?: boolean | undefined;
  namedStaffIds?: string[] | undefined;
}

/** Details checked and resolved, ready to show on a check-your-answers page or to save. */
export interface PreparedChild {
  details: ChildDetails;
  allocatedSocialWorker: StaffRef | null;
  restricted: boolean;
  namedStaff: StaffRef[];
}

export interface ChildView {
  child: ChildRecord;
  namedStaff: StaffRef[];
  /** Whole years today, null for an unborn child. */
  age: number | null;
  family: FamilyMemberRecord[];
  professionals: ProfessionalRecord[];
  caseNotes: CaseNoteRecord[];
  canEdit: boolean;
  canManageRestriction: boolean;
}

export interface ChildSearchInput {
  name?: string | null | undefined;
  dateOfBirth?: string | null | undefined;
  reference?: string | null | undefined;
}

export interface FamilyMemberInput {
  /** An existing person (linked to a child the user can see), or the details of someone new. */
  personId?: string | undefined;
  person?: PersonDetailsInput | undefined;
  relationship: unknown;
  parentalResponsibility: boolean;
}

export interface ProfessionalInput {
  professionalId?: string | undefined;
  professional?: {
    name?: string | null;
    roleTitle?: string | null;
    email?: string | null;
    phone?: string | null;
    agencyId?: string | null;
    /** A new agency, when the professional's is not yet in the list. */
    newAgency?: { name?: string | null; kind?: unknown } | null;
  };
}

export interface SiblingNetworkEntry {
  person: PersonRecord;
  siblingLinks: Array<{
    childId: string;
    givenNames: string;
    relationship: FamilyMemberRecord['relationship'];
    parentalResponsibility: boolean;
  }>;
}

type Rule = (actor: Actor, facts: ChildAccessFacts) => AccessDecision;

function nameWords(name: string | null | undefined): string[] {
  return (name ?? '')
    .trim()
    .split(/\s+/)
    .filter((w) => w.length > 0)
    .slice(0, 6);
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const sa = new Set(a);
  const sb = new Set(b);
  return sa.size === sb.size && [...sa].every((x) => sb.has(x));
}

/**
 * Children, their family and network, the professionals working with them and case notes.
 * Every use case that touches a child checks the per-record rule (canViewChild / canEditChild) and
 * audits a denial; every view and change is audited in the same transaction as the read or write.
 */
export class PeopleService {
  private readonly uow: UnitOfWork;
  private readonly clock: Clock;

  constructor(deps: { uow: UnitOfWork; clock: Clock }) {
    this.uow = deps.uow;
    this.clock = deps.clock;
  }

  /** Today in England, for date rules and ages. */
  today(): IsoDate {
    return londonDateOf(this.clock.now());
  }

  /** Per-record check used by every route that touches a child; a denial is audited. */
  async assertCanViewChild(actor: Actor, childId: string, ctx: RequestContext): Promise<void> {
    await this.guarded(actor, childId, canViewChild, 'child.view', ctx, async () => undefined);
  }

  // ---------------------------------------------------------------- choices for forms

  /** Social workers who may be allocated, and staff who may be named on a restricted record. */
  async staffChoices(): Promise<{ socialWorkers: StaffRef[]; staff: StaffRef[] }> {
    const users = await this.uow.run(({ accounts }) => accounts.listUsers());
    const active = users.filter((u) => !u.disabledAt);
    const ref = (u: UserRecord): StaffRef => ({ id: u.id, name: u.name });
    return {
      socialWorkers: active.filter((u) => u.roles.includes('social_worker')).map(ref),
      staff: active.filter((u) => hasAnyRole({ id: u.id, name: u.name, roles: u.roles }, CHILD_RECORD_ROLES)).map(ref),
    };
  }

  /** Whether a restriction can be set on a new child's record by this person (the form shows the question only then). */
  mayRestrictNewChild(actor: Actor): boolean {
    return hasAnyRole(actor, ['team_manager', 'chair', 'social_worker']);
  }

  // ---------------------------------------------------------------- finding a child

  /** Only children the actor may see are returned; the search itself is audited with field names, never values. */
  async searchChildren(
    actor: Actor,
    input: ChildSearchInput,
    ctx: RequestContext,
  ): Promise<{ results: ChildSummary[]; more: boolean }> {
    const words = nameWords(input.name);
    const dob = (input.dateOfBirth ?? '').trim() || null;
    const reference = (input.reference ?? '').trim() || null;
    if (dob !== null && !isIsoDate(dob))
      throw new InvalidDetailsError([{ field: 'dateOfBirth', message: 'Date of birth must be a real date' }]);
    if (words.length === 0 && dob === null && reference === null) {
      throw new InvalidDetailsError([
        { field: 'name', message: 'Enter a name, date of birth or local case reference' },
      ]);
    }
    const criteria = { nameWords: words, dateOfBirth: dob, reference };
    return this.uow.run(async ({ people, audit }) => {
      const rows = await people.searchChildren(criteria, this.visibility(actor), SEARCH_LIMIT + 1);
      const visible = rows.filter((r) => canViewChild(actor, r).allowed);
      const results = visible.slice(0, SEARCH_LIMIT);
      await audit.record({
        action: 'child.search',
        actor: ctx.actor,
        correlationId: ctx.correlationId,
        outcome: 'success',
        details: {
          criteria: [words.length ? 'name' : null, dob ? 'dateOfBirth' : null, reference ? 'reference' : null].filter(
            Boolean,
          ),
          resultCount: results.length,
          childIds: results.map((r) => r.id),
        },
      });
      return { results, more: visible.length > SEARCH_LIMIT };
    });
  }

  // ---------------------------------------------------------------- a child's record

  /** The whole record; every view is audited as `child.view`. */
  async getChildRecord(actor: Actor, childId: string, ctx: RequestContext): Promise<ChildView> {
    return this.guarded(actor, childId, canViewChild, 'child.view', ctx, async (repos, facts) => {
      const { people, audit, accounts } = repos;
      const child = (await people.findChild(childId))!;
      const [family, professionals, caseNotes, users] = [
        await people.listFamily(childId),
        await people.listProfessionals(childId),
        await people.listCaseNotes(childId),
        child.namedStaffIds.length ? await accounts.listUsers() : [],
      ];
      await audit.record({
        action: 'child.view',
        actor: ctx.actor,
        correlationId: ctx.correlationId,
        subject: { type: 'child', id: childId },
        outcome: 'success',
      });
      return {
        child,
        namedStaff: this.refs(users, child.namedStaffIds),
        age: child.dateOfBirth ? ageOn(child.dateOfBirth, this.today()) : null,
        family,
        professionals,
        caseNotes,
        canEdit: canEditChild(actor, facts).allowed,
        canManageRestriction: canManageRestriction(actor, facts).allowed,
      };
    });
  }

  /** The child's details for a change form (audited as a view), with whether the restriction may be changed. */
  async getChildForChange(
    actor: Actor,
    childId: string,
    ctx: RequestContext,
  ): Promise<{ child: ChildRecord; canManageRestriction: boolean }> {
    return this.guarded(actor, childId, canEditChild, 'child.view', ctx, async ({ people, audit }, facts) => {
      const child = (await people.findChild(childId))!;
      await audit.record({
        action: 'child.view',
        actor: ctx.actor,
        correlationId: ctx.correlationId,
        subject: { type: 'child', id: childId },
        outcome: 'success',
        details: { part: 'details' },
      });
      return { child, canManageRestriction: canManageRestriction(actor, facts).allowed };
    });
  }

  /**
   * The child's name for the heading of a change form, once the actor may make the change named by
   * `action` (the change itself is audited; a denial is audited under that action).
   */
  async childHeading(
    actor: Actor,
    childId: string,
    action: string,
    ctx: RequestContext,
  ): Promise<{ id: string; givenNames: string; familyName: string }> {
    return this.guarded(actor, childId, canEditChild, action, ctx, async ({ people }) => {
      const child = (await people.findChild(childId))!;
      return { id: child.id, givenNames: child.givenNames, familyName: child.familyName };
    });
  }

  /** Checks a new child's details without saving them (the check-your-answers step). */
  async prepareNewChild(actor: Actor, input: ChildInput, ctx: RequestContext): Promise<PreparedChild> {
    await this.requireEditorRole(actor, 'child.create', ctx);
    return this.uow
      .run((repos) => this.resolveNewChild(repos, actor, input))
      .catch((err: unknown) => this.auditHiddenReference(err, 'child.create', ctx));
  }

  /**
   * A local case reference held by a record this person may not see: refused with the same words as
   * any duplicate (never naming, linking or marking the record as restricted), and audited against
   * that record as a denial, after the change's transaction has rolled back, so its named staff and
   * auditors can see who tried. Rethrows the error.
   */
  private async auditHiddenReference(err: unknown, action: string, ctx: RequestContext): Promise<never> {
    if (err instanceof ReferenceInUseError && err.hiddenFromActor) {
      await this.uow.run(({ audit }) =>
        audit.record({
          action: 'child.reference_conflict',
          actor: ctx.actor,
          correlationId: ctx.correlationId,
          subject: { type: 'child', id: err.holderId },
          outcome: 'denied',
          details: { reason: 'local case reference of a record they may not see', attempted: action },
        }),
      );
    }
    throw err;
  }

  /** Saves a new child; `canView` says whether the person who added it may open it (the access rules may not let them). */
  async createChild(
    actor: Actor,
    input: ChildInput,
    ctx: RequestContext,
  ): Promise<{ id: string; canView: boolean; child: ChildRecord }> {
    await this.requireEditorRole(actor, 'child.create', ctx);
    return this.createChildChecked(actor, input, ctx).catch((err: unknown) =>
      this.auditHiddenReference(err, 'child.create', ctx),
    );
  }

  private async createChildChecked(
    actor: Actor,
    input: ChildInput,
    ctx: RequestContext,
  ): Promise<{ id: string; canView: boolean; child: ChildRecord }> {
    return this.uow.run(async (repos) => {
      const prepared = await this.resolveNewChild(repos, actor, input);
      const row: NewChild = {
        ...prepared.details,
        allocatedSocialWorkerId: prepared.allocatedSocialWorker?.id ?? null,
        restricted: prepared.restricted,
      };
      const id = await repos.people.insertChild(row);
      const namedStaffIds = prepared.namedStaff.map((s) => s.id);
      if (namedStaffIds.length) await repos.people.setNamedStaff(id, namedStaffIds);
      await repos.audit.record({
        action: 'child.create',
        actor: ctx.actor,
        correlationId: ctx.correlationId,
        subject: { type: 'child', id },
        outcome: 'success',
        details: {
          fields: (Object.keys(prepared.details) as Array<keyof ChildDetails>).filter(
            (k) => prepared.details[k] !== null,
          ),
          unborn: prepared.details.dateOfBirth === null,
          allocatedSocialWorkerId: row.allocatedSocialWorkerId,
          restricted: row.restricted,
          namedStaffIds,
        },
      });
      const facts = { allocatedSocialWorkerId: row.allocatedSocialWorkerId, restricted: row.restricted, namedStaffIds };
      return { id, canView: canViewChild(actor, facts).allowed, child: (await repos.people.findChild(id))! };
    });
  }

  /**
   * Changes a child's details. Fields left undefined keep their saved values. `expectedVersion` is the
   * version the change was based on: if someone saved in between, nothing is saved (StaleRecordError).
   */
  async updateChild(
    actor: Actor,
    childId: string,
    expectedVersion: number,
    input: ChildInput,
    ctx: RequestContext,
  ): Promise<ChildRecord> {
    return this.updateChildChecked(actor, childId, expectedVersion, input, ctx).catch((err: unknown) =>
      this.auditHiddenReference(err, 'child.update', ctx),
    );
  }

  private async updateChildChecked(
    actor: Actor,
    childId: string,
    expectedVersion: number,
    input: ChildInput,
    ctx: RequestContext,
  ): Promise<ChildRecord> {
    return this.guarded(actor, childId, canEditChild, 'child.update', ctx, async (repos, facts, deny) => {
      const { people, audit } = repos;
      const existing = (await people.findChild(childId))!;
      if (existing.version !== expectedVersion) throw new StaleRecordError();
      const dateGiven = input.dateOfBirth !== undefined || input.expectedDeliveryDate !== undefined;
      const keep = <K extends keyof ChildRecord>(k: K, v: ChildRecord[K] | undefined | null): ChildRecord[K] | null =>
        v === undefined ? existing[k] : v;
      const merged: ChildInput = {
        givenNames: keep('givenNames', input.givenNames),
        familyName: keep('familyName', input.familyName),
        dateOfBirth: dateGiven ? (input.dateOfBirth ?? null) : existing.dateOfBirth,
        expectedDeliveryDate: dateGiven ? (input.expectedDeliveryDate ?? null) : existing.expectedDeliveryDate,
        address: keep('address', input.address),
        localReference: keep('localReference', input.localReference),
        nationality: keep('nationality', input.nationality),
        immigrationStatus: keep('immigrationStatus', input.immigrationStatus),
        legalStatus: input.legalStatus === undefined ? existing.legalStatus : input.legalStatus,
        legalStatusDetails: keep('legalStatusDetails', input.legalStatusDetails),
        allocatedSocialWorkerId:
          input.allocatedSocialWorkerId === undefined
            ? existing.allocatedSocialWorkerId
            : input.allocatedSocialWorkerId,
        restricted: input.restricted ?? existing.restricted,
        namedStaffIds: input.namedStaffIds ?? existing.namedStaffIds,
      };
      const prepared = await this.resolveChild(repos, actor, merged, existing);
      const namedStaffIds = prepared.namedStaff.map((s) => s.id);
      const restrictionChanged =
        prepared.restricted !== existing.restricted || !sameSet(namedStaffIds, existing.namedStaffIds);
      if (restrictionChanged) {
        const may = canManageRestriction(actor, facts);
        if (!may.allowed) deny(may.reason);
      }
      const fields: string[] = changedChildFields(existing, prepared.details);
      const allocatedSocialWorkerId = prepared.allocatedSocialWorker?.id ?? null;
      if (allocatedSocialWorkerId !== existing.allocatedSocialWorkerId) fields.push('allocatedSocialWorkerId');
      if (prepared.restricted !== existing.restricted) fields.push('restricted');
      if (!sameSet(namedStaffIds, existing.namedStaffIds)) fields.push('namedStaffIds');
      if (fields.length === 0) return existing;
      const saved = await people.updateChild(childId, expectedVersion, {
        ...prepared.details,
        allocatedSocialWorkerId,
        restricted: prepared.restricted,
      });
      if (!saved) throw new StaleRecordError();
      if (restrictionChanged) await people.setNamedStaff(childId, namedStaffIds);
      await audit.record({
        action: 'child.update',
        actor: ctx.actor,
        correlationId: ctx.correlationId,
        subject: { type: 'child', id: childId },
        outcome: 'success',
        details: {
          fields,
          version: existing.version + 1,
          ...(restrictionChanged ? { restricted: prepared.restricted, namedStaffIds } : {}),
          ...(allocatedSocialWorkerId !== existing.allocatedSocialWorkerId ? { allocatedSocialWorkerId } : {}),
        },
      });
      return (await people.findChild(childId))!;
    });
  }

  // ---------------------------------------------------------------- family and network

  /** People linked to the child's brothers and sisters but not yet to the child: the usual way to reuse a person. */
  async siblingNetwork(actor: Actor, childId: string, ctx: RequestContext): Promise<SiblingNetworkEntry[]> {
    return this.guarded(actor, childId, canEditChild, 'relationship.add', ctx, async ({ people, audit }) => {
      const found = await people.siblingNetwork(childId, this.visibility(actor));
      await audit.record({
        action: 'person.search',
        actor: ctx.actor,
        correlationId: ctx.correlationId,
        subject: { type: 'child', id: childId },
        outcome: 'success',
        details: { source: 'siblings', personIds: found.map((f) => f.person.id) },
      });
      return found;
    });
  }

  /** Existing people, linked to a child the actor may see, whose names contain every word. */
  async searchPeople(
    actor: Actor,
    childId: string,
    name: string,
    ctx: RequestContext,
  ): Promise<{ results: Array<PersonRecord & { linkedChildren: number }>; more: boolean }> {
    const words = nameWords(name);
    if (words.length === 0) throw new InvalidDetailsError([{ field: 'name', message: 'Enter a name to search for' }]);
    return this.guarded(actor, childId, canEditChild, 'relationship.add', ctx, async ({ people, audit }) => {
      const rows = await people.searchPeople(words, this.visibility(actor), childId, SEARCH_LIMIT + 1);
      const results = rows.slice(0, SEARCH_LIMIT);
      await audit.record({
        action: 'person.search',
        actor: ctx.actor,
        correlationId: ctx.correlationId,
        subject: { type: 'child', id: childId },
        outcome: 'success',
        details: { source: 'name', personIds: results.map((r) => r.id) },
      });
      return { results, more: rows.length > SEARCH_LIMIT };
    });
  }

  /** A person the actor may link to this child: someone already linked to a child they can see. */
  async getLinkablePerson(actor: Actor, childId: string, personId: string, ctx: RequestContext): Promise<PersonRecord> {
    return this.guarded(actor, childId, canEditChild, 'relationship.add', ctx, async ({ people }) =>
      this.visiblePerson(people, actor, personId),
    );
  }

  /**
   * Every problem the rules find with a family or network member's details and link, saving nothing, so a
   * form that has errors of its own shows all of them at once. The link is checked only once it is chosen.
   */
  familyMemberProblems(
    person: PersonDetailsInput,
    link: { relationship: string; parentalResponsibility: boolean } | null,
  ): DomainError[] {
    const found: DomainError[] = [];
    const check = (rule: () => unknown) => {
      try {
        rule();
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        found.push(err);
      }
    };
    check(() => validatePersonDetails(person, this.today()));
    if (link) check(() => validateFamilyLink(link));
    return found;
  }

  /**
   * Links a person to the child with a relationship and PR for THIS child. An existing person is
   * reused (one person, many children); otherwise the person is created.
   */
  async addFamilyMember(
    actor: Actor,
    childId: string,
    input: FamilyMemberInput,
    ctx: RequestContext,
  ): Promise<FamilyMemberRecord> {
    return this.guarded(actor, childId, canEditChild, 'relationship.add', ctx, async ({ people, audit }) => {
      const today = this.today();
      const checks = new Checks();
      const link = checks.run(() =>
        validateFamilyLink({ relationship: input.relationship, parentalResponsibility: input.parentalResponsibility }),
      );
      const details = checks.run(() => (input.personId ? null : validatePersonDetails(input.person ?? {}, today)));
      checks.done();
      if (!link) throw new Error('unreachable: link checked');
      let person: PersonRecord;
      if (input.personId) {
        person = await this.visiblePerson(people, actor, input.personId);
        if (await people.findFamilyMember(childId, person.id))
          throw new ConflictError('This person is already linked to the child', 'personId');
      } else {
        person = await people.insertPerson(details!);
        await audit.record({
          action: 'person.create',
          actor: ctx.actor,
          correlationId: ctx.correlationId,
          subject: { type: 'person', id: person.id },
          outcome: 'success',
          details: { childId },
        });
      }
      await people.insertFamilyLink(childId, person.id, link.relationship, link.parentalResponsibility);
      await audit.record({
        action: 'relationship.add',
        actor: ctx.actor,
        correlationId: ctx.correlationId,
        subject: { type: 'child', id: childId },
        outcome: 'success',
        details: {
          personId: person.id,
          relationship: link.relationship,
          parentalResponsibility: link.parentalResponsibility,
          reused: Boolean(input.personId),
        },
      });
      return { childId, person, relationship: link.relationship, parentalResponsibility: link.parentalResponsibility };
    });
  }

  /** The link and the person's details for a change form (audited as a view of the record). */
  async getFamilyMember(
    actor: Actor,
    childId: string,
    personId: string,
    ctx: RequestContext,
  ): Promise<FamilyMemberRecord> {
    return this.guarded(actor, childId, canEditChild, 'child.view', ctx, async ({ people, audit }) => {
      const member = await people.findFamilyMember(childId, personId);
      if (!member) throw new NotFoundError('The family or network member');
      await audit.record({
        action: 'child.view',
        actor: ctx.actor,
        correlationId: ctx.correlationId,
        subject: { type: 'child', id: childId },
        outcome: 'success',
        details: { part: 'family-member', personId },
      });
      return member;
    });
  }

  /**
   * Changes the relationship and PR for this child, and the person's own details when given. The
   * person's details are shared with every child they are linked to; relationship and PR are not.
   */
  async changeFamilyMember(
    actor: Actor,
    childId: string,
    personId: string,
    input: { person?: PersonDetailsInput | undefined; relationship: unknown; parentalResponsibility: boolean },
    ctx: RequestContext,
  ): Promise<FamilyMemberRecord> {
    return this.guarded(actor, childId, canEditChild, 'relationship.update', ctx, async ({ people, audit }) => {
      const member = await people.findFamilyMember(childId, personId);
      if (!member) throw new NotFoundError('The family or network member');
      const today = this.today();
      const checks = new Checks();
      const link = checks.run(() =>
        validateFamilyLink({ relationship: input.relationship, parentalResponsibility: input.parentalResponsibility }),
      );
      const details = checks.run(() => (input.person ? validatePersonDetails(input.person, today) : null));
      checks.done();
      if (!link) throw new Error('unreachable: link checked');
      const linkFields = [
        ...(link.relationship !== member.relationship ? ['relationship'] : []),
        ...(link.parentalResponsibility !== member.parentalResponsibility ? ['parentalResponsibility'] : []),
      ];
      if (linkFields.length) {
        await people.updateFamilyLink(childId, personId, link.relationship, link.parentalResponsibility);
        await audit.record({
          action: 'relationship.update',
          actor: ctx.actor,
          correlationId: ctx.correlationId,
          subject: { type: 'child', id: childId },
          outcome: 'success',
          details: {
            personId,
            fields: linkFields,
            relationship: link.relationship,
            parentalResponsibility: link.parentalResponsibility,
          },
        });
      }
      let person = member.person;
      if (details) {
        const personFields = changedPersonFields(member.person, details);
        if (personFields.length) {
          await people.updatePerson(personId, details);
          person = { id: personId, ...details };
          await audit.record({
            action: 'person.update',
            actor: ctx.actor,
            correlationId: ctx.correlationId,
            subject: { type: 'person', id: personId },
            outcome: 'success',
            details: { childId, fields: personFields },
          });
        }
      }
      return { childId, person, relationship: link.relationship, parentalResponsibility: link.parentalResponsibility };
    });
  }

  /** Removes the link to this child only; the person stays linked to any other children. */
  async removeFamilyMember(actor: Actor, childId: string, personId: string, ctx: RequestContext): Promise<void> {
    await this.guarded(actor, childId, canEditChild, 'relationship.remove', ctx, async ({ people, audit }) => {
      const member = await people.findFamilyMember(childId, personId);
      if (!member) throw new NotFoundError('The family or network member');
      await people.deleteFamilyLink(childId, personId);
      await audit.record({
        action: 'relationship.remove',
        actor: ctx.actor,
        correlationId: ctx.correlationId,
        subject: { type: 'child', id: childId },
        outcome: 'success',
        details: { personId, relationship: member.relationship, parentalResponsibility: member.parentalResponsibility },
      });
    });
  }

  // ---------------------------------------------------------------- agencies and professionals

  async listAgencies(): Promise<AgencyRecord[]> {
    return this.uow.run(({ people }) => people.listAgencies());
  }

  async createAgency(
    actor: Actor,
    input: { name?: string | null; kind?: unknown },
    ctx: RequestContext,
  ): Promise<AgencyRecord> {
    await this.requireEditorRole(actor, 'agency.create', ctx);
    const agency = validateAgency(input);
    return this.uow.run(async ({ people, audit }) => {
      const created = await this.insertAgency(people, agency);
      await audit.record({
        action: 'agency.create',
        actor: ctx.actor,
        correlationId: ctx.correlationId,
        subject: { type: 'agency', id: created.id },
        outcome: 'success',
        details: { kind: created.kind },
      });
      return created;
    });
  }

  /** Professionals not yet linked to the child whose names contain every word. */
  async searchProfessionals(
    actor: Actor,
    childId: string,
    name: string,
    ctx: RequestContext,
  ): Promise<ProfessionalRecord[]> {
    const words = nameWords(name);
    if (words.length === 0) throw new InvalidDetailsError([{ field: 'name', message: 'Enter a name to search for' }]);
    return this.guarded(actor, childId, canEditChild, 'professional.add', ctx, async ({ people }) =>
      people.searchProfessionals(words, childId, SEARCH_LIMIT),
    );
  }

  async addProfessional(
    actor: Actor,
    childId: string,
    input: ProfessionalInput,
    ctx: RequestContext,
  ): Promise<ProfessionalRecord> {
    return this.guarded(actor, childId, canEditChild, 'professional.add', ctx, async ({ people, audit }) => {
      let professionalId = input.professionalId;
      if (professionalId) {
        if (!isId(professionalId) || !(await people.findProfessional(professionalId)))
          throw new NotFoundError('The professional');
      } else {
        const p = input.professional ?? {};
        const wantsNewAgency = Boolean(p.newAgency && (p.newAgency.name ?? '').trim());
        const checks = new Checks();
        const details = checks.run(() => validateProfessional(p));
        const newAgency = checks.run(() => (wantsNewAgency ? validateAgency(p.newAgency!) : null), 'newAgency.');
        if (!wantsNewAgency && !p.agencyId)
          checks.run(() => {
            throw new InvalidDetailsError([
              { field: 'agencyId', message: 'Select the professional’s agency, or add a new one' },
            ]);
          });
        checks.done();
        if (!details) throw new Error('unreachable: details checked');
        let agencyId: string;
        if (newAgency) {
          const created = await this.insertAgency(people, newAgency, 'newAgency.name');
          await audit.record({
            action: 'agency.create',
            actor: ctx.actor,
            correlationId: ctx.correlationId,
            subject: { type: 'agency', id: created.id },
            outcome: 'success',
            details: { kind: created.kind },
          });
          agencyId = created.id;
        } else {
          const known = isId(p.agencyId ?? '') && (await people.findAgency(p.agencyId!));
          if (!known) throw new InvalidDetailsError([{ field: 'agencyId', message: 'Select an agency from the list' }]);
          agencyId = p.agencyId!;
        }
        professionalId = await people.insertProfessional({ ...details, agencyId });
        await audit.record({
          action: 'professional.create',
          actor: ctx.actor,
          correlationId: ctx.correlationId,
          subject: { type: 'professional', id: professionalId },
          outcome: 'success',
          details: { agencyId, childId },
        });
      }
      if (!(await people.linkProfessional(childId, professionalId)))
        throw new ConflictError('This professional is already working with the child', 'professionalId');
      await audit.record({
        action: 'professional.add',
        actor: ctx.actor,
        correlationId: ctx.correlationId,
        subject: { type: 'child', id: childId },
        outcome: 'success',
        details: { professionalId },
      });
      return (await people.findProfessional(professionalId))!;
    });
  }

  async removeProfessional(actor: Actor, childId: string, professionalId: string, ctx: RequestContext): Promise<void> {
    await this.guarded(actor, childId, canEditChild, 'professional.remove', ctx, async ({ people, audit }) => {
      if (!(await people.unlinkProfessional(childId, professionalId))) throw new NotFoundError('The professional');
      await audit.record({
        action: 'professional.remove',
        actor: ctx.actor,
        correlationId: ctx.correlationId,
        subject: { type: 'child', id: childId },
        outcome: 'success',
        details: { professionalId },
      });
    });
  }

  /** A professional linked to the child, for a confirmation page. */
  async getChildProfessional(
    actor: Actor,
    childId: string,
    professionalId: string,
    ctx: RequestContext,
  ): Promise<ProfessionalRecord> {
    return this.guarded(actor, childId, canEditChild, 'professional.remove', ctx, async ({ people }) => {
      const found = (await people.listProfessionals(childId)).find((p) => p.id === professionalId);
      if (!found) throw new NotFoundError('The professional');
      return found;
    });
  }

  // ---------------------------------------------------------------- case notes

  /** Newest first; audited as a view of the record. */
  async listCaseNotes(actor: Actor, childId: string, ctx: RequestContext): Promise<CaseNoteRecord[]> {
    return this.guarded(actor, childId, canViewChild, 'child.view', ctx, async ({ people, audit }) => {
      const notes = await people.listCaseNotes(childId);
      await audit.record({
        action: 'child.view',
        actor: ctx.actor,
        correlationId: ctx.correlationId,
        subject: { type: 'child', id: childId },
        outcome: 'success',
        details: { part: 'case-notes' },
      });
      return notes;
    });
  }

  /** A note typed by a member of staff on the child's record. */
  async writeCaseNote(actor: Actor, childId: string, text: string, ctx: RequestContext): Promise<CaseNoteRecord> {
    const note = validateCaseNote(STAFF_NOTE_KIND, text);
    return this.guarded(actor, childId, canEditChild, 'case-note.add', ctx, async (repos) =>
      recordCaseNote(repos, this.clock, { childId, ...note }, ctx),
    );
  }

  /**
   * For other use cases (a recording sent, A-7; a decision on recording, P-3) that have already
   * checked access: adds a note of their own kind. To write it in the same transaction as their
   * change, call `recordCaseNote` with their repositories instead.
   */
  async addCaseNote(childId: string, kind: string, text: string, ctx: RequestContext): Promise<CaseNoteRecord> {
    const note = validateCaseNote(kind, text);
    if (!isId(childId)) throw new NotFoundError('The child’s record');
    return this.uow.run(async (repos) => {
      if (!(await repos.people.childAccessFacts(childId))) throw new NotFoundError('The child’s record');
      return recordCaseNote(repos, this.clock, { childId, ...note }, ctx);
    });
  }

  // ---------------------------------------------------------------- internals

  private visibility(actor: Actor): ChildVisibility {
    return {
      userId: actor.id,
      caseWide: hasAnyRole(actor, CASEWIDE_ROLES),
      socialWorker: actor.roles.includes('social_worker'),
    };
  }

  private refs(users: UserRecord[], ids: readonly string[]): StaffRef[] {
    return ids.map((id) => ({ id, name: users.find((u) => u.id === id)?.name ?? 'Unknown account' }));
  }

  private async visiblePerson(people: Repositories['people'], actor: Actor, personId: string): Promise<PersonRecord> {
    if (!isId(personId)) throw new NotFoundError('The person');
    const person = await people.findPerson(personId);
    // Someone linked only to children the actor cannot see is, to them, someone who does not exist.
    if (!person || !(await people.personVisibleTo(personId, this.visibility(actor))))
      throw new NotFoundError('The person');
    return person;
  }

  private async insertAgency(
    people: Repositories['people'],
    agency: AgencyDetails,
    field = 'name',
  ): Promise<AgencyRecord> {
    if (await people.agencyNameInUse(agency.name))
      throw new ConflictError('An agency with this name already exists: select it from the list', field);
    return people.insertAgency(agency);
  }

  private async requireEditorRole(actor: Actor, action: string, ctx: RequestContext): Promise<void> {
    if (hasAnyRole(actor, RECORD_EDITOR_ROLES)) return;
    await this.uow.run(({ audit }) =>
      audit.record({
        action,
        actor: ctx.actor,
        correlationId: ctx.correlationId,
        outcome: 'denied',
        details: { reason: 'role may not change records' },
      }),
    );
    throw new AccessDeniedError();
  }

  private async resolveNewChild(repos: Repositories, actor: Actor, input: ChildInput): Promise<PreparedChild> {
    const prepared = await this.resolveChild(repos, actor, {
      ...input,
      allocatedSocialWorkerId:
        input.allocatedSocialWorkerId === undefined && actor.roles.includes('social_worker')
          ? actor.id
          : input.allocatedSocialWorkerId,
    });
    if (prepared.restricted || prepared.namedStaff.length) {
      // A new record has no restriction yet: the question is whether this person could manage one on it.
      const may = canManageRestriction(actor, {
        allocatedSocialWorkerId: prepared.allocatedSocialWorker?.id ?? null,
        restricted: false,
        namedStaffIds: [],
      });
      if (!may.allowed) {
        throw new InvalidDetailsError([
          {
            field: 'restricted',
            message: 'Only a team manager, a chair or the allocated social worker can restrict a record',
          },
        ]);
      }
    }
    return prepared;
  }

  /** Checks details, the allocated social worker, named staff and the reference; lists every problem. */
  private async resolveChild(
    repos: Repositories,
    actor: Actor,
    input: ChildInput,
    existing?: ChildRecord,
  ): Promise<PreparedChild> {
    const today = this.today();
    const users = await repos.accounts.listUsers();
    const active = (id: string) => users.find((u) => u.id === id && !u.disabledAt);
    const problems: FieldProblem[] = [];
    let details: ChildDetails | null = null;
    try {
      details = validateChildDetails(input, today, existing);
    } catch (err) {
      if (!(err instanceof InvalidDetailsError)) throw err;
      problems.push(...err.problems);
    }
    let allocatedSocialWorker: StaffRef | null = null;
    if (input.allocatedSocialWorkerId && input.allocatedSocialWorkerId === existing?.allocatedSocialWorkerId) {
      // Unchanged: keep it even if that account has since been disabled, so other changes can still be saved.
      allocatedSocialWorker = {
        id: existing.allocatedSocialWorkerId,
        name: existing.allocatedSocialWorkerName ?? 'Unknown account',
      };
    } else if (input.allocatedSocialWorkerId) {
      const sw = active(input.allocatedSocialWorkerId);
      if (!sw || !sw.roles.includes('social_worker'))
        problems.push({ field: 'allocatedSocialWorkerId', message: 'Select a social worker from the list' });
      else allocatedSocialWorker = { id: sw.id, name: sw.name };
    }
    const restricted = input.restricted ?? false;
    let namedStaff: StaffRef[] = [];
    if (restricted) {
      const ids = [...new Set(input.namedStaffIds ?? [])];
      const unknown = ids.filter((id) => {
        if (existing?.namedStaffIds.includes(id)) return false;
        const u = active(id);
        return !u || !hasAnyRole({ id: u.id, name: u.name, roles: u.roles }, CHILD_RECORD_ROLES);
      });
      if (unknown.length) problems.push({ field: 'namedStaffIds', message: 'Select staff from the list' });
      // Whoever restricts a record stays able to see it.
      const facts = {
        allocatedSocialWorkerId: allocatedSocialWorker?.id ?? null,
        restricted: true,
        namedStaffIds: ids,
      };
      if (!canViewChild(actor, facts).allowed && hasAnyRole(actor, CHILD_RECORD_ROLES)) ids.push(actor.id);
      namedStaff = this.refs(
        users,
        ids.filter((id) => !unknown.includes(id)),
      );
    }
    if (problems.length) throw new InvalidDetailsError(problems);
    const holderId = await repos.people.referenceInUse(details!.localReference, existing?.id);
    if (holderId) {
      const facts = await repos.people.childAccessFacts(holderId);
      throw new ReferenceInUseError(holderId, Boolean(facts && !canViewChild(actor, facts).allowed));
    }
    return { details: details!, allocatedSocialWorker, restricted, namedStaff };
  }

  /**
   * Runs `fn` in one transaction after the per-record rule allows it. A denial (before or during
   * `fn`, via `deny`) is audited with outcome 'denied' in its own transaction, since the change's
   * transaction is rolled back.
   */
  private async guarded<T>(
    actor: Actor,
    childId: string,
    rule: Rule,
    action: string,
    ctx: RequestContext,
    fn: (repos: Repositories, facts: ChildAccessFacts, deny: (reason: string) => never) => Promise<T>,
  ): Promise<T> {
    const state: { denial: string | null } = { denial: null };
    const deny = (reason: string): never => {
      state.denial = reason;
      throw new AccessDeniedError();
    };
    try {
      if (!isId(childId)) throw new NotFoundError('The child’s record');
      return await this.uow.run(async (repos) => {
        const facts = await repos.people.childAccessFacts(childId);
        if (!facts) throw new NotFoundError('The child’s record');
        const decision = rule(actor, facts);
        if (!decision.allowed) deny(decision.reason);
        return fn(repos, facts, deny);
      });
    } catch (err) {
      const reason = state.denial;
      if (reason !== null) {
        await this.uow.run(({ audit }) =>
          audit.record({
            action,
            actor: ctx.actor,
            correlationId: ctx.correlationId,
            subject: { type: 'child', id: childId },
            outcome: 'denied',
            details: { reason },
          }),
        );
      }
      throw err;
    }
  }
}

/** Writes a case note and its audit entry with the caller's repositories (so inside the caller's transaction). */
export async function recordCaseNote(
  repos: Pick<Repositories, 'people' | 'audit'>,
  clock: Clock,
  note: { childId: string; kind: string; text: string },
  ctx: RequestContext,
): Promise<CaseNoteRecord> {
  const checked = validateCaseNote(note.kind, note.text);
  const saved = await repos.people.insertCaseNote({
    childId: note.childId,
    authorUserId: ctx.actor.id,
    authorLabel: ctx.actor.label,
    kind: checked.kind,
    text: checked.text,
    createdAt: clock.now(),
  });
  await repos.audit.record({
    action: 'case-note.add',
    actor: ctx.actor,
    correlationId: ctx.correlationId,
    subject: { type: 'child', id: note.childId },
    outcome: 'success',
    details: { caseNoteId: saved.id, kind: saved.kind },
  });
  return saved;
}

/** A local case reference another child's record holds (the words are the same whoever asks). */
export class ReferenceInUseError extends ConflictError {
  readonly holderId: string;
  /** The person asking may not see that record (restricted, or not theirs). */
  readonly hiddenFromActor: boolean;
  constructor(holderId: string, hiddenFromActor: boolean) {
    super('A child with this local case reference already exists', 'localReference');
    this.name = 'ReferenceInUseError';
    this.holderId = holderId;
    this.hiddenFromActor = hiddenFromActor;
  }
}
