import { copyFile } from 'node:fs/promises';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../domain/access/roles.ts';
import { idSchema, parseId } from '../../domain/shared/ids.ts';
import { controlCharacterProblems, hasControlCharacter } from '../../domain/shared/text.ts';
import { caseNotes, children } from '../../infra/db/schema.ts';
import { type FixtureDir, fixtureDir, toneWav } from '../../../test/support/audio-fixtures.ts';
import { siblingGroupConference } from '../../../test/support/conferences.ts';
import { type TestContext, createTestServices, testDatabases } from '../../../test/support/services.ts';
import { type WebClient, signedInClient, testApp } from '../../../test/support/web.ts';
import { addChild, auditRows, emailOf, staff } from '../../../test/support/people.ts';

describe('one id schema and one text rule', () => {
  it('accepts an id in any case and yields it in lower case; refuses anything else', () => {
    expect(idSchema.parse('0B9F0C1E-5A7D-4C0E-9A51-3F7F2F1C2D3E')).toBe('0b9f0c1e-5a7d-4c0e-9a51-3f7f2f1c2d3e');
    for (const bad of [
      '',
      'not-an-id',
      '0b9f0c1e5a7d4c0e9a513f7f2f1c2d3e',
      ' 0b9f0c1e-5a7d-4c0e-9a51-3f7f2f1c2d3e',
      '0b9f0c1e-5a7d-4c0e-9a51-3f7f2f1c2d3e/..',
    ]) {
      expect(parseId(bad), bad).toBeNull();
    }
  });
  it('refuses control characters but keeps tab, line feed and CRLF', () => {
    for (const ok of ['Ava', 'line one\nline two', 'line one\r\nline two', 'a\tb', 'Zoë O’Brien – 12 Rue de l’Église'])
      expect(hasControlCharacter(ok), JSON.stringify(ok)).toBe(false);
    for (const bad of ['A\u0000', 'A\u0007', 'A\rB', 'A\u001bB', 'A\u007f', 'A\u000bB'])
      expect(hasControlCharacter(bad), JSON.stringify(bad)).toBe(true);
    expect(controlCharacterProblems({ person: { givenNames: 'Mo\u0000' }, ok: 'x', list: ['a', 'b\u0000'] })).toEqual([
      {
        field: 'person.givenNames',
        message:
          'Given names must not contain hidden control characters (such as a null character): retype it without them',
      },
      {
        field: 'list',
        message: 'List must not contain hidden control characters (such as a null character): retype it without them',
      },
    ]);
  });
});

let fx: FixtureDir;
beforeAll(async () => {
  fx = await fixtureDir('cpcr-input-');
  await toneWav(fx.file('meeting.wav'), { seconds: 4 });
});
afterAll(async () => {
  await fx?.cleanup();
});

/** The error summary's links, as `#id: message`. */
function errorSummary(html: string): string[] {
  const summary = /<div class="govuk-error-summary"[\s\S]*?<\/ul>/.exec(html)?.[0] ?? '';
  return [...summary.matchAll(/<a href="([^"]+)">([^<]+)<\/a>/g)].map((m) => `${m[1]}: ${m[2]!.trim()}`);
}

describe.each(testDatabases())('input at the edge (%s)', (kind) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let chair: Actor;
  let sw: Actor;
  let chairClient: WebClient;
  let swClient: WebClient;
  let rid: string;
  let childId: string;
  let cid: string;
  let plannedCid: string;
  let plannedMother: string;
  let supportClient: WebClient;

  beforeAll(async () => {
    ctx = await createTestServices(kind);
    app = await testApp(ctx);
    chair = await staff(ctx, 'Cal Chair', ['chair']);
    const support = await staff(ctx, 'Bo Support', ['business_support']);
    sw = await staff(ctx, 'Sam Worker', ['social_worker']);
    const g = await siblingGroupConference(ctx, { socialWorker: sw, chair, status: 'held' });
    const as = { actor: { id: support.id, label: support.name } };
    const r = await ctx.services.recordings.createUpload(support, as, g.conferenceId, {
      kind: 'meeting',
      source: 'dictaphone',
      partId: g.partId,
    });
    const copy = path.join(ctx.dataDir, `upload-${r.id}`);
    await copyFile(fx.file('meeting.wav'), copy);
    await ctx.services.recordings.completeUpload(support, as, r.id, copy);
    rid = r.id;
    cid = g.conferenceId;
    const planned = await siblingGroupConference(ctx, { socialWorker: sw, chair, familyName: 'Planned' });
    plannedCid = planned.conferenceId;
    plannedMother = planned.invitee.mother;
    supportClient = (
      await signedInClient(ctx, app, { email: emailOf(support), name: support.name, roles: [...support.roles] })
    ).client;
    childId = await addChild(ctx, sw, { givenNames: 'Ivy', familyName: 'Input' });
    chairClient = (await signedInClient(ctx, app, { email: emailOf(chair), name: chair.name, roles: [...chair.roles] }))
      .client;
    swClient = (await signedInClient(ctx, app, { email: emailOf(sw), name: sw.name, roles: [...sw.roles] })).client;
  });
  afterAll(async () => {
    await app.close();
    await ctx.dispose();
  });

  it('an upper-cased recording id: the page, a play (audited with the id in lower case) and a Range request', async () => {
    const upper = `/recordings/${rid.toUpperCase()}`;
    expect((await chairClient.get(upper)).statusCode).toBe(200);
    const played = await chairClient.post(
      `${upper}/listen`,
      { reason: 'Checking the decisions' },
      { fromPage: `${upper}/listen` },
    );
    expect(played.statusCode).toBe(303);
    const plays = (await auditRows(ctx, 'recording.played')).filter((r) => r.subjectId?.toLowerCase() === rid);
    expect(plays.map((r) => r.subjectId)).toEqual([rid]);
    expect(
      (await auditRows(ctx, 'recording.view'))
        .filter((r) => r.subjectId?.toLowerCase() === rid)
        .every((r) => r.subjectId === rid),
    ).toBe(true);
    const range = await chairClient.app.inject({
      method: 'GET',
      url: `${upper}/audio`,
      headers: { range: 'bytes=0-99', cookie: chairClient.cookieHeader() },
    });
    expect(range.statusCode).toBe(206);
    expect(range.rawPayload).toHaveLength(100);
  });

  it('an upper-cased recording id passes its fixity check (R-3), from the service the CLI and API call', async () => {
    expect(await ctx.services.recordings.checkFixity(rid.toUpperCase(), 'on-demand')).toBe('ok');
    const checked = (await auditRows(ctx, 'recording.fixity_checked')).at(-1);
    expect(checked).toMatchObject({ subjectId: rid, outcome: 'success' });
  });

  it('an upper-cased id in the API: params and bodies are read in lower case', async () => {
    const { token } = await ctx.services.accounts.createApiToken(sw.id, 'test', null, {
      actor: { id: sw.id, label: 'test' },
    });
    const res = await app.inject({
      method: 'GET',
      url: `/api/v1/children/${childId.toUpperCase()}`,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().id).toBe(childId);
    expect((await auditRows(ctx, 'child.view')).at(-1)).toMatchObject({ subjectId: childId });
  });

  // Control characters: every page form and API body refuses them by field, never a 500, nothing saved.
  const NUL = '\u0000';
  const pageCases: Array<{
    name: string;
    url: () => string;
    page: () => string;
    form: Record<string, string>;
    field: string;
    label: string;
    kept: string;
  }> = [
    {
      name: 'a child’s given names',
      url: () => '/children/new',
      page: () => '/children/new',
      form: {
        givenNames: `Ada${NUL}`,
        familyName: 'Keepme',
        birthStatus: 'born',
        'dateOfBirth-day': '1',
        'dateOfBirth-month': '2',
        'dateOfBirth-year': '2019',
        address: '1 Kept Road',
        localReference: 'NUL-1',
        restrictionShown: 'no',
      },
      field: 'givenNames',
      label: 'Given names',
      kept: '1 Kept Road',
    },
    {
      name: 'a child’s address',
      url: () => '/children/new',
      page: () => '/children/new',
      form: {
        givenNames: 'Ada',
        familyName: 'Keepme',
        birthStatus: 'born',
        'dateOfBirth-day': '1',
        'dateOfBirth-month': '2',
        'dateOfBirth-year': '2019',
        address: `1 Road${NUL}`,
        localReference: 'NUL-2',
        restrictionShown: 'no',
      },
      field: 'address',
      label: 'Address',
      kept: 'Keepme',
    },
    {
      name: 'a child’s local reference (vertical tab)',
      url: () => '/children/new',
      page: () => '/children/new',
      form: {
        givenNames: 'Ada',
        familyName: 'Keepme',
        birthStatus: 'born',
        'dateOfBirth-day': '1',
        'dateOfBirth-month': '2',
        'dateOfBirth-year': '2019',
        address: '1 Kept Road',
        localReference: 'NUL\u000b3',
        restrictionShown: 'no',
      },
      field: 'localReference',
      label: 'Local reference',
      kept: '1 Kept Road',
    },
    {
      name: 'a search for a child',
      url: () => '/children',
      page: () => '/children',
      form: { name: `Ivy${NUL}`, reference: 'KEEP-REF' },
      field: 'name',
      label: 'Name',
      kept: 'KEEP-REF',
    },
    {
      name: 'a case note',
      url: () => `/children/${childId}/case-notes/new`,
      page: () => `/children/${childId}/case-notes/new`,
      form: { text: `Visited the family, all well.${NUL} Kept words` },
      field: 'text',
      label: 'Text',
      kept: 'Visited the family, all well.',
    },
    {
      name: 'a professional’s name (bell)',
      url: () => `/children/${childId}/professionals/new`,
      page: () => `/children/${childId}/professionals/new`,
      form: { name: 'Tess\u0007', roleTitle: 'Keep Teacher', newAgencyName: 'Kept Primary', newAgencyKind: 'school' },
      field: 'name',
      label: 'Name',
      kept: 'Keep Teacher',
    },
  ];

  it.each(pageCases)(
    'a page form refuses control characters in $name with a field error, keeping every answer',
    async (c) => {
      const before = (await ctx.services.database.db.select().from(children)).length;
      const notesBefore = (
        await ctx.services.database.db.select().from(caseNotes).where(eq(caseNotes.childId, childId))
      ).length;
      const res = await swClient.post(c.url(), c.form, { fromPage: c.page() });
      expect(res.statusCode).toBe(400);
      expect(errorSummary(res.body)).toContain(
        `#${c.field}: ${c.label} must not contain hidden control characters (such as a null character): retype it without them`,
      );
      expect(res.body).toContain(c.kept);
      expect((await ctx.services.database.db.select().from(children)).length).toBe(before);
      expect(
        (await ctx.services.database.db.select().from(caseNotes).where(eq(caseNotes.childId, childId))).length,
      ).toBe(notesBefore);
    },
  );

  // Routes that read the record (its access check) before handling the form: the form still comes back with the field error.
  const recordFormCases: Array<{
    name: string;
    who: () => WebClient;
    url: () => string;
    form: () => Record<string, string>;
    field: string;
    label: string;
    kept: string;
  }> = [
    {
      name: 'a new family member’s given names',
      who: () => swClient,
      url: () => `/children/${childId}/family/new`,
      form: () => ({
        relationship: 'mother',
        parentalResponsibility: 'yes',
        givenNames: `Mo${NUL}`,
        familyName: 'Keptfamily',
      }),
      field: 'givenNames',
      label: 'Given names',
      kept: 'value="Keptfamily"',
    },
    {
      name: 'a new family member with another problem too',
      who: () => swClient,
      url: () => `/children/${childId}/family/new`,
      form: () => ({ parentalResponsibility: 'yes', givenNames: `Mo${NUL}`, familyName: 'Keptfamily' }),
      field: 'givenNames',
      label: 'Given names',
      kept: 'value="Keptfamily"',
    },
    {
      name: 'a conference part’s label',
      who: () => chairClient,
      url: () => `/conferences/${plannedCid}/meeting/parts`,
      form: () => ({ label: `Part two${NUL}`, startsAt: '11:00', durationMinutes: '47' }),
      field: 'label',
      label: 'Label',
      kept: 'value="47"',
    },
    {
      name: 'a request’s court name',
      who: () => supportClient,
      url: () => `/conferences/${cid}/requests/new`,
      form: () => ({
        stage: 'details',
        type: 'court',
        contactName: 'Clerk Kim',
        courtName: `Family Court${NUL}`,
        courtReference: 'KEPT-C-123',
        'receivedOn-day': '11',
        'receivedOn-month': '5',
        'receivedOn-year': '2026',
      }),
      field: 'courtName',
      label: 'Court name',
      kept: 'value="KEPT-C-123"',
    },
  ];

  it.each(recordFormCases)(
    'a form read after its record refuses control characters in $name with a field error on that form, answers kept',
    async (c) => {
      const res = await c.who().post(c.url(), c.form(), { fromPage: c.url() });
      expect(res.statusCode).toBe(400);
      expect(res.body).not.toContain('Some of your answers contain hidden characters');
      expect(errorSummary(res.body).find((e) => e.startsWith(`#${c.field}: `))).toContain(
        'must not contain hidden control characters (such as a null character): retype it without them',
      );
      expect(res.body).toContain(c.kept);
    },
  );

  it('a conference form with another problem too shows that problem on its own form, never the hidden-characters page', async () => {
    const url = `/conferences/${plannedCid}/invitations/${plannedMother}/sent`;
    const res = await supportClient.post(
      url,
      { method: `email${NUL}`, 'sentOn-day': '32', 'sentOn-month': '1', 'sentOn-year': '2026' },
      { fromPage: url },
    );
    expect(res.statusCode).toBe(400);
    expect(res.body).not.toContain('Some of your answers contain hidden characters');
    expect(errorSummary(res.body).map((e) => e.split(':')[0])).toContain('#sentOn-day');
    expect(res.body).toContain('value="2026"');
  });

  it('a recording’s upload form with control characters in the SHA-256 shows the problem on that form, never the hidden-characters page', async () => {
    const url = `/conferences/${cid}/recordings/upload`;
    const res = await supportClient.post(
      url,
      { kind: 'meeting', source: 'dictaphone', clientSha256: `abc${NUL}` },
      { fromPage: url },
    );
    expect(res.statusCode).toBe(400);
    expect(res.body).not.toContain('Some of your answers contain hidden characters');
    expect(errorSummary(res.body).map((e) => e.split(':')[0])).toEqual(['#clientSha256']);
  });

  it('changing a child’s details with control characters and another problem shows both on the change form, answers kept', async () => {
    const url = `/children/${childId}/change`;
    const version = /name="version" value="(\d+)"/.exec((await swClient.get(url)).body)?.[1] ?? '';
    const res = await swClient.post(
      url,
      {
        version,
        givenNames: `Ivy${NUL}`,
        familyName: 'Input',
        birthStatus: 'born',
        'dateOfBirth-day': '32',
        'dateOfBirth-month': '2',
        'dateOfBirth-year': '2019',
        address: '9 Kept Lane',
        localReference: '',
      },
      { fromPage: url },
    );
    expect(res.statusCode).toBe(400);
    expect(errorSummary(res.body)).toContain(
      '#givenNames: Given names must not contain hidden control characters (such as a null character): retype it without them',
    );
    expect(errorSummary(res.body).map((e) => e.split(':')[0])).toContain('#dateOfBirth-day');
    expect(res.body).toContain('9 Kept Lane');
  });

  it('someone without access to the child who posts a new family member with control characters is refused (403) and the denial audited', async () => {
    const other = await staff(ctx, 'Oona Outsider', ['social_worker']);
    const otherClient = (
      await signedInClient(ctx, app, { email: emailOf(other), name: other.name, roles: [...other.roles] })
    ).client;
    await otherClient.get('/');
    const res = await otherClient.post(
      `/children/${childId}/family/new`,
      { relationship: 'mother', parentalResponsibility: 'yes', givenNames: `Mo${NUL}`, familyName: 'Input' },
      { fromPage: '/' },
    );
    expect(res.statusCode).toBe(403);
    expect(
      (await auditRows(ctx, 'relationship.add')).filter((r) => r.actorUserId === other.id).map((r) => r.outcome),
    ).toEqual(['denied']);
  });

  it('the sign-in form, which reads no record, answers 400 naming the problem, never a 500', async () => {
    const signIn = await new (swClient.constructor as new (a: FastifyInstance) => WebClient)(app).post(
      '/sign-in',
      { email: `sam${NUL}@example.gov.uk`, password: 'x' },
      { fromPage: '/sign-in' },
    );
    expect(signIn.statusCode).toBe(400);
  });

  it('other features’ forms: a recording’s bookmark label and a new account’s name get a field error, answers kept', async () => {
    const url = `/recordings/${rid}/bookmarks`;
    const bookmark = await chairClient.post(
      url,
      { at: '0:01', kind: 'agenda-item', label: `Introductions${NUL}`, returnTo: 'recording' },
      { fromPage: `${url}/new` },
    );
    expect(bookmark.statusCode).toBe(400);
    expect(errorSummary(bookmark.body)).toContain(
      '#label: Label must not contain hidden control characters (such as a null character): retype it without them',
    );
    expect(bookmark.body).toContain('value="0:01"');
    expect((await auditRows(ctx, 'recording.bookmark_added')).filter((r) => r.subjectId === rid)).toHaveLength(0);

    const admin = await staff(ctx, 'Ada Admin', ['admin']);
    const adminClient = (
      await signedInClient(ctx, app, { email: emailOf(admin), name: admin.name, roles: [...admin.roles] })
    ).client;
    const user = await adminClient.post(
      '/admin/users/new',
      {
        name: `Nul${NUL} Person`,
        email: 'kept.address@example.gov.uk',
        password: 'a long enough password 123',
        roles: 'chair',
      },
      { fromPage: '/admin/users/new' },
    );
    expect(user.statusCode).toBe(400);
    expect(errorSummary(user.body)).toContain(
      '#name: Name must not contain hidden control characters (such as a null character): retype it without them',
    );
    expect(user.body).toContain('kept.address@example.gov.uk');
    expect(await ctx.services.accounts.findUserByEmail('kept.address@example.gov.uk')).toBeFalsy();
  });

  it('someone without access to the record who posts control characters is still refused (403) and audited', async () => {
    const other = await staff(ctx, 'Olu Other', ['social_worker']);
    const otherClient = (
      await signedInClient(ctx, app, { email: emailOf(other), name: other.name, roles: [...other.roles] })
    ).client;
    await otherClient.get('/');
    const res = await otherClient.post(
      `/children/${childId}/case-notes/new`,
      { text: `Note${NUL}` },
      { fromPage: '/' },
    );
    expect(res.statusCode).toBe(403);
    expect(
      (await auditRows(ctx, 'case-note.add')).filter((r) => r.actorUserId === other.id).map((r) => r.outcome),
    ).toEqual(['denied']);
  });

  it('a textarea’s CRLF line breaks and tabs are kept', async () => {
    const res = await swClient.post(
      `/children/${childId}/case-notes/new`,
      { text: 'Line one\r\n\tLine two' },
      { fromPage: `/children/${childId}/case-notes/new` },
    );
    expect(res.statusCode).toBe(303);
    const notes = await ctx.services.database.db.select().from(caseNotes).where(eq(caseNotes.childId, childId));
    expect(notes.map((n) => n.text)).toContain('Line one\r\n\tLine two');
  });

  it('a recording’s listening reason with NUL: a field error on the player page', async () => {
    const url = `/recordings/${rid}/listen`;
    const res = await swClient.post(url, { reason: `Core group${NUL}` }, { fromPage: url });
    expect(res.statusCode).toBe(400);
    expect(errorSummary(res.body)).toContain(
      '#reason: Reason must not contain hidden control characters (such as a null character): retype it without them',
    );
  });

  it.each([
    {
      name: 'a child',
      url: () => '/api/v1/children',
      body: {
        givenNames: `Ada${NUL}`,
        familyName: 'Api',
        dateOfBirth: '2017-02-03',
        address: '5 Api Street',
        localReference: 'API-NUL',
      },
      field: 'givenNames',
    },
    {
      name: 'a family member (nested)',
      url: () => `/api/v1/children/${childId}/family-members`,
      body: {
        person: { givenNames: 'Mo', familyName: `Api${NUL}` },
        relationship: 'mother',
        parentalResponsibility: true,
      },
      field: 'person.familyName',
    },
    {
      name: 'a case note',
      url: () => `/api/v1/children/${childId}/case-notes`,
      body: { text: `Note\u001b[31m` },
      field: 'text',
    },
  ])('the API refuses control characters in $name: 400 naming the field', async (c) => {
    const { token } = await ctx.services.accounts.createApiToken(sw.id, 'nul', null, {
      actor: { id: sw.id, label: 'test' },
    });
    const res = await app.inject({
      method: 'POST',
      url: c.url(),
      headers: { authorization: `Bearer ${token}` },
      payload: c.body,
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: 'invalid_request', field: c.field, issues: [{ path: c.field }] });
  });
});
