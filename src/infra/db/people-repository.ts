import { type SQL, and, asc, desc, eq, exists, inArray, ne, notExists, or, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type {
  AgencyRecord,
  ChildRecord,
  ChildSummary,
  ChildVisibility,
  FamilyMemberRecord,
  PeopleRepository,
  PersonRecord,
  ProfessionalRecord,
} from '../../app/people/ports.ts';
import type { IsoDate } from '../../domain/calendar/index.ts';
import {
  type AgencyKind,
  type RelationshipKind,
  isAgencyKind,
  isLegalStatus,
  isRelationshipKind,
} from '../../domain/people/index.ts';
import { ConflictError } from '../../domain/shared/errors.ts';
import type { DbOrTx } from './client.ts';
import {
  agencies,
  caseNotes,
  childAccessGrants,
  childProfessionals,
  childRelationships,
  children,
  people,
  professionals,
  users,
} from './schema.ts';

type PersonRow = typeof people.$inferSelect;

function toPerson(row: PersonRow): PersonRecord {
  return {
    id: row.id,
    givenNames: row.givenNames,
    familyName: row.familyName,
    dateOfBirth: row.dateOfBirth as IsoDate | null,
    address: row.address,
    email: row.email,
    phone: row.phone,
    language: row.language,
    interpreterNeeded: row.interpreterNeeded,
    accessibilityNeeds: row.accessibilityNeeds,
    nationality: row.nationality,
    immigrationStatus: row.immigrationStatus,
  };
}

function relationshipOf(v: string): RelationshipKind {
  return isRelationshipKind(v) ? v : 'other';
}

function agencyKindOf(v: string): AgencyKind {
  return isAgencyKind(v) ? v : 'other';
}

/** `%` and `_` typed by a person are literal characters, not wildcards. */
function containsPattern(word: string): string {
  return `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** canViewChild as SQL over the `children` table in the enclosing query. */
function visibleChild(db: DbOrTx, v: ChildVisibility): SQL {
  const byRole = v.caseWide ? sql`true` : v.socialWorker ? eq(children.allocatedSocialWorkerId, v.userId) : sql`false`;
  const named = exists(
    db
      .select({ one: sql`1` })
      .from(childAccessGrants)
      .where(and(eq(childAccessGrants.childId, children.id), eq(childAccessGrants.userId, v.userId))),
  );
  return or(
    and(eq(children.restricted, false), byRole),
    and(eq(children.restricted, true), or(eq(children.allocatedSocialWorkerId, v.userId), named)),
  )!;
}

/** A unique index refused the write (PostgreSQL 23505), whichever driver raised it. */
function isUniqueViolation(err: unknown): boolean {
  for (let e: unknown = err; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
    if ((e as { code?: unknown }).code === '23505') return true;
  }
  return false;
}

const professionalColumns = {
  id: professionals.id,
  name: professionals.name,
  roleTitle: professionals.roleTitle,
  email: professionals.email,
  phone: professionals.phone,
  agencyId: agencies.id,
  agencyName: agencies.name,
  agencyKind: agencies.kind,
};

function toProfessional(r: {
  id: string;
  name: string;
  roleTitle: string;
  email: string | null;
  phone: string | null;
  agencyId: string;
  agencyName: string;
  agencyKind: string;
}): ProfessionalRecord {
  return {
    id: r.id,
    name: r.name,
    roleTitle: r.roleTitle,
    email: r.email,
    phone: r.phone,
    agency: { id: r.agencyId, name: r.agencyName, kind: agencyKindOf(r.agencyKind) },
  };
}

type ChildRow = typeof children.$inferSelect;

function toChild(c: ChildRow, socialWorkerName: string | null, namedStaffIds: string[]): ChildRecord {
  return {
    id: c.id,
    givenNames: c.givenNames,
    familyName: c.familyName,
    dateOfBirth: c.dateOfBirth as IsoDate | null,
    expectedDeliveryDate: c.expectedDeliveryDate as IsoDate | null,
    address: c.address,
    localReference: c.localReference,
    nationality: c.nationality,
    immigrationStatus: c.immigrationStatus,
    legalStatus: isLegalStatus(c.legalStatus) ? c.legalStatus : null,
    legalStatusDetails: c.legalStatusDetails,
    allocatedSocialWorkerId: c.allocatedSocialWorkerId,
    allocatedSocialWorkerName: socialWorkerName,
    restricted: c.restricted,
    namedStaffIds,
    version: c.version,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
  };
}

export function peopleRepository(db: DbOrTx): PeopleRepository {
  async function grantsFor(childIds: string[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    if (childIds.length === 0) return out;
    const rows = await db
      .select({ childId: childAccessGrants.childId, userId: childAccessGrants.userId })
      .from(childAccessGrants)
      .where(inArray(childAccessGrants.childId, childIds));
    for (const r of rows) out.set(r.childId, [...(out.get(r.childId) ?? []), r.userId]);
    return out;
  }

  async function accessFactsOf(childIds: readonly string[]) {
    const out = new Map<
      string,
      { allocatedSocialWorkerId: string | null; restricted: boolean; namedStaffIds: string[] }
    >();
    if (childIds.length === 0) return out;
    // The child and the staff named on it in one statement (an array of the grants' user ids).
    const rows = await db
      .select({
        id: children.id,
        allocatedSocialWorkerId: children.allocatedSocialWorkerId,
        restricted: children.restricted,
        namedStaffIds: sql<
          string[]
        >`array(select g.user_id::text from child_access_grants g where g.child_id = children.id)`,
      })
      .from(children)
      .where(childIds.length === 1 ? eq(children.id, childIds[0]!) : inArray(children.id, [...childIds]));
    for (const r of rows)
      out.set(r.id, {
        allocatedSocialWorkerId: r.allocatedSocialWorkerId,
        restricted: r.restricted,
        namedStaffIds: (r.namedStaffIds ?? []).map(String),
      });
    return out;
  }

  return {
    async childAccessFacts(childId) {
      // Keyed by the stored (lower-case) id: an id given in capitals still finds its child.
      return (await accessFactsOf([childId])).get(childId.toLowerCase()) ?? null;
    },
    childAccessFactsMany: accessFactsOf,
    async personNames(ids) {
      if (ids.length === 0) return new Map();
      const rows = await db
        .select({ id: people.id, givenNames: people.givenNames, familyName: people.familyName })
        .from(people)
        .where(inArray(people.id, [...ids]));
      return new Map(rows.map((r) => [r.id, `${r.givenNames} ${r.familyName}`]));
    },

    async insertChild(child) {
      try {
        const [row] = await db.insert(children).values(child).returning({ id: children.id });
        return row!.id;
      } catch (err) {
        if (isUniqueViolation(err))
          throw new ConflictError('A child with this local case reference already exists', 'localReference');
        throw err;
      }
    },

    async findChild(id) {
      const [row] = await db
        .select({ child: children, socialWorkerName: users.name })
        .from(children)
        .leftJoin(users, eq(users.id, children.allocatedSocialWorkerId))
        .where(eq(children.id, id));
      if (!row) return null;
      const grants = await grantsFor([id]);
      return toChild(row.child, row.socialWorkerName, grants.get(id) ?? []);
    },

    async findChildren(ids) {
      if (ids.length === 0) return [];
      // Each child with its social worker's name and the staff named on it (an array of the grants' user ids).
      const rows = await db
        .select({
          child: children,
          socialWorkerName: users.name,
          namedStaffIds: sql<
            string[]
          >`array(select g.user_id::text from child_access_grants g where g.child_id = ${children.id})`,
        })
        .from(children)
        .leftJoin(users, eq(users.id, children.allocatedSocialWorkerId))
        .where(inArray(children.id, [...ids]));
      return rows.map((r) => toChild(r.child, r.socialWorkerName, (r.namedStaffIds ?? []).map(String)));
    },

    async referenceInUse(reference, exceptId) {
      const same = sql`lower(${children.localReference}) = lower(${reference})`;
      const [row] = await db
        .select({ id: children.id })
        .from(children)
        .where(exceptId ? and(same, ne(children.id, exceptId)) : same)
        .limit(1);
      return row?.id ?? null;
    },

    async updateChild(id, expectedVersion, child) {
      try {
        const rows = await db
          .update(children)
          .set({ ...child, version: sql`${children.version} + 1`, updatedAt: new Date() })
          .where(and(eq(children.id, id), eq(children.version, expectedVersion)))
          .returning({ id: children.id });
        return rows.length === 1;
      } catch (err) {
        if (isUniqueViolation(err))
          throw new ConflictError('A child with this local case reference already exists', 'localReference');
        throw err;
      }
    },

    async setNamedStaff(childId, userIds) {
      await db.delete(childAccessGrants).where(eq(childAccessGrants.childId, childId));
      const unique = [...new Set(userIds)];
      if (unique.length) await db.insert(childAccessGrants).values(unique.map((userId) => ({ childId, userId })));
    },

    async searchChildren(criteria, visibleTo, limit) {
      const conditions: SQL[] = [visibleChild(db, visibleTo)];
      for (const word of criteria.nameWords) {
        conditions.push(sql`(${children.givenNames} || ' ' || ${children.familyName}) ilike ${containsPattern(word)}`);
      }
      if (criteria.dateOfBirth) conditions.push(eq(children.dateOfBirth, criteria.dateOfBirth));
      if (criteria.reference) conditions.push(sql`lower(${children.localReference}) = lower(${criteria.reference})`);
      const rows = await db
        .select({
          id: children.id,
          givenNames: children.givenNames,
          familyName: children.familyName,
          dateOfBirth: children.dateOfBirth,
          expectedDeliveryDate: children.expectedDeliveryDate,
          localReference: children.localReference,
          allocatedSocialWorkerId: children.allocatedSocialWorkerId,
          restricted: children.restricted,
        })
        .from(children)
        .where(and(...conditions))
        .orderBy(asc(children.familyName), asc(children.givenNames), asc(children.id))
        .limit(limit);
      const grants = await grantsFor(rows.filter((r) => r.restricted).map((r) => r.id));
      return rows.map((r): ChildSummary => ({ ...r, namedStaffIds: grants.get(r.id) ?? [] }));
    },

    async insertPerson(person) {
      const [row] = await db.insert(people).values(person).returning();
      return toPerson(row!);
    },

    async findPerson(id) {
      const [row] = await db.select().from(people).where(eq(people.id, id));
      return row ? toPerson(row) : null;
    },

    async updatePerson(id, person) {
      await db
        .update(people)
        .set({ ...person, updatedAt: new Date() })
        .where(eq(people.id, id));
    },

    async personVisibleTo(personId, visibleTo) {
      const [row] = await db
        .select({ one: sql`1` })
        .from(childRelationships)
        .innerJoin(children, eq(children.id, childRelationships.childId))
        .where(and(eq(childRelationships.personId, personId), visibleChild(db, visibleTo)))
        .limit(1);
      return Boolean(row);
    },

    async searchPeople(nameWords, visibleTo, excludeChildId, limit) {
      const already = alias(childRelationships, 'already');
      const conditions: SQL[] = nameWords.map(
        (w) => sql`(${people.givenNames} || ' ' || ${people.familyName}) ilike ${containsPattern(w)}`,
      );
      conditions.push(visibleChild(db, visibleTo));
      conditions.push(
        notExists(
          db
            .select({ one: sql`1` })
            .from(already)
            .where(and(eq(already.childId, excludeChildId), eq(already.personId, people.id))),
        ),
      );
      const rows = await db
        .select({ person: people, linkedChildren: sql<number>`count(distinct ${childRelationships.childId})::int` })
        .from(people)
        .innerJoin(childRelationships, eq(childRelationships.personId, people.id))
        .innerJoin(children, eq(children.id, childRelationships.childId))
        .where(and(...conditions))
        .groupBy(people.id)
        .orderBy(asc(people.familyName), asc(people.givenNames), asc(people.id))
        .limit(limit);
      return rows.map((r) => ({ ...toPerson(r.person), linkedChildren: Number(r.linkedChildren) }));
    },

    async siblingNetwork(childId, visibleTo) {
      const mine = alias(childRelationships, 'mine');
      const theirs = alias(childRelationships, 'theirs');
      const already = alias(childRelationships, 'already');
      const siblingIds = db
        .selectDistinct({ id: theirs.childId })
        .from(mine)
        .innerJoin(theirs, and(eq(theirs.personId, mine.personId), ne(theirs.childId, mine.childId)))
        .where(eq(mine.childId, childId));
      const rows = await db
        .select({
          person: people,
          childId: childRelationships.childId,
          givenNames: children.givenNames,
          relationship: childRelationships.relationship,
          parentalResponsibility: childRelationships.parentalResponsibility,
        })
        .from(childRelationships)
        .innerJoin(children, eq(children.id, childRelationships.childId))
        .innerJoin(people, eq(people.id, childRelationships.personId))
        .where(
          and(
            inArray(childRelationships.childId, siblingIds),
            visibleChild(db, visibleTo),
            notExists(
              db
                .select({ one: sql`1` })
                .from(already)
                .where(and(eq(already.childId, childId), eq(already.personId, childRelationships.personId))),
            ),
          ),
        )
        .orderBy(asc(people.familyName), asc(people.givenNames), asc(people.id), asc(children.givenNames));
      const byPerson = new Map<
        string,
        {
          person: PersonRecord;
          siblingLinks: Array<{
            childId: string;
            givenNames: string;
            relationship: RelationshipKind;
            parentalResponsibility: boolean;
          }>;
        }
      >();
      for (const r of rows) {
        const entry = byPerson.get(r.person.id) ?? { person: toPerson(r.person), siblingLinks: [] };
        entry.siblingLinks.push({
          childId: r.childId,
          givenNames: r.givenNames,
          relationship: relationshipOf(r.relationship),
          parentalResponsibility: r.parentalResponsibility,
        });
        byPerson.set(r.person.id, entry);
      }
      return [...byPerson.values()];
    },

    async listFamily(childId) {
      const rows = await db
        .select({
          person: people,
          relationship: childRelationships.relationship,
          pr: childRelationships.parentalResponsibility,
        })
        .from(childRelationships)
        .innerJoin(people, eq(people.id, childRelationships.personId))
        .where(eq(childRelationships.childId, childId))
        .orderBy(
          desc(childRelationships.parentalResponsibility),
          asc(people.familyName),
          asc(people.givenNames),
          asc(people.id),
        );
      return rows.map((r): FamilyMemberRecord => ({
        childId,
        person: toPerson(r.person),
        relationship: relationshipOf(r.relationship),
        parentalResponsibility: r.pr,
      }));
    },

    async listFamilyMany(childIds) {
      const out = new Map<string, FamilyMemberRecord[]>();
      if (childIds.length === 0) return out;
      const rows = await db
        .select({
          childId: childRelationships.childId,
          person: people,
          relationship: childRelationships.relationship,
          pr: childRelationships.parentalResponsibility,
        })
        .from(childRelationships)
        .innerJoin(people, eq(people.id, childRelationships.personId))
        .where(inArray(childRelationships.childId, [...childIds]))
        .orderBy(
          desc(childRelationships.parentalResponsibility),
          asc(people.familyName),
          asc(people.givenNames),
          asc(people.id),
        );
      for (const r of rows)
        out.set(r.childId, [
          ...(out.get(r.childId) ?? []),
          {
            childId: r.childId,
            person: toPerson(r.person),
            relationship: relationshipOf(r.relationship),
            parentalResponsibility: r.pr,
          },
        ]);
      return out;
    },

    async findFamilyMember(childId, personId) {
      const [r] = await db
        .select({
          person: people,
          relationship: childRelationships.relationship,
          pr: childRelationships.parentalResponsibility,
        })
        .from(childRelationships)
        .innerJoin(people, eq(people.id, childRelationships.personId))
        .where(and(eq(childRelationships.childId, childId), eq(childRelationships.personId, personId)));
      return r
        ? {
            childId,
            person: toPerson(r.person),
            relationship: relationshipOf(r.relationship),
            parentalResponsibility: r.pr,
          }
        : null;
    },

    async insertFamilyLink(childId, personId, relationship, parentalResponsibility) {
      try {
        await db.insert(childRelationships).values({ childId, personId, relationship, parentalResponsibility });
      } catch (err) {
        if (isUniqueViolation(err)) throw new ConflictError('This person is already linked to the child', 'personId');
        throw err;
      }
    },

    async updateFamilyLink(childId, personId, relationship, parentalResponsibility) {
      await db
        .update(childRelationships)
        .set({ relationship, parentalResponsibility, updatedAt: new Date() })
        .where(and(eq(childRelationships.childId, childId), eq(childRelationships.personId, personId)));
    },

    async deleteFamilyLink(childId, personId) {
      const rows = await db
        .delete(childRelationships)
        .where(and(eq(childRelationships.childId, childId), eq(childRelationships.personId, personId)))
        .returning({ id: childRelationships.personId });
      return rows.length > 0;
    },

    async listAgencies() {
      const rows = await db.select().from(agencies).orderBy(asc(agencies.name));
      return rows.map((r): AgencyRecord => ({ id: r.id, name: r.name, kind: agencyKindOf(r.kind) }));
    },

    async findAgency(id) {
      const [r] = await db.select().from(agencies).where(eq(agencies.id, id));
      return r ? { id: r.id, name: r.name, kind: agencyKindOf(r.kind) } : null;
    },

    async agencyNameInUse(name) {
      const [r] = await db
        .select({ id: agencies.id })
        .from(agencies)
        .where(sql`lower(${agencies.name}) = lower(${name})`)
        .limit(1);
      return Boolean(r);
    },

    async insertAgency(agency) {
      try {
        const [r] = await db.insert(agencies).values(agency).returning();
        return { id: r!.id, name: r!.name, kind: agencyKindOf(r!.kind) };
      } catch (err) {
        if (isUniqueViolation(err)) throw new ConflictError('An agency with this name already exists', 'name');
        throw err;
      }
    },

    async insertProfessional(p) {
      const [r] = await db.insert(professionals).values(p).returning({ id: professionals.id });
      return r!.id;
    },

    async findProfessional(id) {
      const [r] = await db
        .select(professionalColumns)
        .from(professionals)
        .innerJoin(agencies, eq(agencies.id, professionals.agencyId))
        .where(eq(professionals.id, id));
      return r ? toProfessional(r) : null;
    },

    async searchProfessionals(nameWords, excludeChildId, limit) {
      const conditions: SQL[] = nameWords.map((w) => sql`${professionals.name} ilike ${containsPattern(w)}`);
      conditions.push(
        notExists(
          db
            .select({ one: sql`1` })
            .from(childProfessionals)
            .where(
              and(
                eq(childProfessionals.childId, excludeChildId),
                eq(childProfessionals.professionalId, professionals.id),
              ),
            ),
        ),
      );
      const rows = await db
        .select(professionalColumns)
        .from(professionals)
        .innerJoin(agencies, eq(agencies.id, professionals.agencyId))
        .where(and(...conditions))
        .orderBy(asc(professionals.name), asc(professionals.id))
        .limit(limit);
      return rows.map(toProfessional);
    },

    async listProfessionals(childId) {
      const rows = await db
        .select(professionalColumns)
        .from(childProfessionals)
        .innerJoin(professionals, eq(professionals.id, childProfessionals.professionalId))
        .innerJoin(agencies, eq(agencies.id, professionals.agencyId))
        .where(eq(childProfessionals.childId, childId))
        .orderBy(asc(agencies.name), asc(professionals.name));
      return rows.map(toProfessional);
    },

    async linkProfessional(childId, professionalId) {
      const rows = await db
        .insert(childProfessionals)
        .values({ childId, professionalId })
        .onConflictDoNothing()
        .returning({ id: childProfessionals.professionalId });
      return rows.length > 0;
    },

    async unlinkProfessional(childId, professionalId) {
      const rows = await db
        .delete(childProfessionals)
        .where(and(eq(childProfessionals.childId, childId), eq(childProfessionals.professionalId, professionalId)))
        .returning({ id: childProfessionals.professionalId });
      return rows.length > 0;
    },

    async insertCaseNote(note) {
      const [r] = await db.insert(caseNotes).values(note).returning();
      return r!;
    },

    async listCaseNotes(childId) {
      return db
        .select()
        .from(caseNotes)
        .where(eq(caseNotes.childId, childId))
        .orderBy(desc(caseNotes.createdAt), desc(caseNotes.id));
    },
  };
}
