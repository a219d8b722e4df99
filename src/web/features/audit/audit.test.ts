import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Actor } from '../../../domain/access/roles.ts';
import { createTestServices, testDatabases, type TestContext } from '../../../../test/support/services.ts';
import { signedInClient, testApp, type WebClient } from '../../../../test/support/web.ts';
import { addChild, auditRows, emailOf, staff } from '../../../../test/support/people.ts';
import { actionWords } from './actions.ts';
import { csvCell, csvLine } from './csv.ts';

describe('the audit trail’s words and CSV', () => {
  it('says what each action was in plain English, and reads an unlisted code by its family', () => {
    expect(actionWords('recording.played')).toBe('Played a recording');
    expect(actionWords('child.view')).toBe('Viewed a child’s record');
    expect(actionWords('copy-request.resolve-queries')).toBe('Request for a copy: resolve queries');
  });
  it('escapes cells a spreadsheet would run as a formula, and quotes per RFC 4180', () => {
    expect(csvCell('=HYPERLINK("http://evil","x")')).toBe(`"'=HYPERLINK(""http://evil"",""x"")"`);
    for (const c of ['+1', '-2+3', '@SUM(A1)', '\tx', '\rx']) expect(csvCell(c).startsWith(`"'`), c).toBe(true);
    expect(csvCell('Ava, Ben')).toBe('"Ava, Ben"');
    expect(csvCell('plain')).toBe('plain');
    expect(csvLine(['a', 'b'])).toBe('a,b\r\n');
  });
});

describe.each(testDatabases())('the audit trail pages (%s)', (kind) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let sw: Actor;
  let otherSw: Actor;
  let chair: Actor;
  let auditor: Actor;
  let auditorClient: WebClient;
  let swClient: WebClient;
  let otherClient: WebClient;
  let ava: string;
  let ben: string;
  let restricted: string;

  const clientFor = async (a: Actor) =>
    (await signedInClient(ctx, app, { email: emailOf(a), name: a.name, roles: [...a.roles] })).client;
  const rowsOf = (html: string) =>
    [...(/<tbody[\s\S]*?<\/tbody>/.exec(html)?.[0] ?? '').matchAll(/<tr[\s\S]*?<\/tr>/g)].map((m) =>
      m[0]
        .replace(/<[^>]+>/g, ' ')
        .replace(/\s+/g, ' ')
        .trim(),
    );

  beforeAll(async () => {
    ctx = await createTestServices(kind);
    app = await testApp(ctx);
    sw = await staff(ctx, 'Sam Worker', ['social_worker']);
    otherSw = await staff(ctx, 'Olu Worker', ['social_worker']);
    chair = await staff(ctx, 'Cal Chair', ['chair']);
    auditor = await staff(ctx, 'Aud Itor', ['auditor']);
    ava = await addChild(ctx, sw, { givenNames: 'Ava', familyName: 'Audit', localReference: 'AUD-1' });
    ben = await addChild(ctx, sw, { givenNames: 'Ben', familyName: 'Audit', localReference: 'AUD-2' });
    restricted = await addChild(ctx, otherSw, {
      givenNames: 'Rae',
      familyName: 'Hidden',
      localReference: 'SECRET-7',
      restricted: true,
      namedStaffIds: [chair.id],
    });
    [auditorClient, swClient, otherClient] = await Promise.all([clientFor(auditor), clientFor(sw), clientFor(otherSw)]);
  });
  afterAll(async () => {
    await app.close();
    await ctx.dispose();
  });

  it('audits a 404 for a record that does not belong to the record around it: a family member of another child', async () => {
    const mum = await ctx.services.people.addFamilyMember(
      sw,
      ben,
      { person: { givenNames: 'Mo', familyName: 'Audit' }, relationship: 'mother', parentalResponsibility: true },
      { actor: { id: sw.id, label: sw.name } },
    );
    const personId = mum.person.id;
    const res = await swClient.get(`/children/${ava}/family/${personId}/change`);
    expect(res.statusCode).toBe(404);
    const denied = (await auditRows(ctx, 'record.not_found')).at(-1);
    expect(denied).toMatchObject({ actorUserId: sw.id, outcome: 'denied', subjectType: 'child', subjectId: ava });
    expect(denied?.details).toMatchObject({
      route: 'GET /children/:id/family/:personId/change',
      ids: { id: ava, personId },
    });
    // Through the API too, with an id in upper case.
    const { token } = await ctx.services.accounts.createApiToken(sw.id, 'test', null, {
      actor: { id: sw.id, label: 'test' },
    });
    const missing = '00000000-0000-4000-8000-00000000000A';
    const api = await app.inject({
      method: 'GET',
      url: `/api/v1/recordings/${missing}`,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(api.statusCode).toBe(404);
    expect((await auditRows(ctx, 'record.not_found')).at(-1)).toMatchObject({
      subjectType: 'recording',
      subjectId: missing.toLowerCase(),
      outcome: 'denied',
    });
  });

  it('a restricted child’s local case reference: the same words as any duplicate, nothing named or linked, and the attempt audited against that record', async () => {
    const form = {
      givenNames: 'New',
      familyName: 'Child',
      birthStatus: 'born',
      'dateOfBirth-day': '1',
      'dateOfBirth-month': '2',
      'dateOfBirth-year': '2019',
      address: '1 Road',
      restrictionShown: 'no',
    };
    const hidden = await swClient.post(
      '/children/new',
      { ...form, localReference: 'secret-7' },
      { fromPage: '/children/new' },
    );
    const visible = await swClient.post(
      '/children/new',
      { ...form, localReference: 'aud-1' },
      { fromPage: '/children/new' },
    );
    for (const res of [hidden, visible]) {
      expect(res.statusCode).toBe(400);
      expect(res.body).toContain('<a href="#localReference">A child with this local case reference already exists</a>');
    }
    expect(hidden.body).not.toContain(restricted);
    expect(hidden.body).not.toMatch(/\bRae\b|Hidden/);
    const probes = await auditRows(ctx, 'child.reference_conflict');
    expect(probes).toHaveLength(1);
    expect(probes[0]).toMatchObject({
      actorUserId: sw.id,
      subjectType: 'child',
      subjectId: restricted,
      outcome: 'denied',
    });

    // The API answers the same 409, and the attempt is audited the same way.
    const { token } = await ctx.services.accounts.createApiToken(otherSw.id, 'test', null, {
      actor: { id: otherSw.id, label: 'test' },
    });
    const otherSees = await app.inject({
      method: 'POST',
      url: '/api/v1/children',
      headers: { authorization: `Bearer ${token}` },
      payload: { givenNames: 'X', familyName: 'Y', dateOfBirth: '2019-01-01', address: 'Z', localReference: 'AUD-2' },
    });
    expect(otherSees.statusCode).toBe(409);
    expect(otherSees.json()).toEqual({
      error: 'conflict',
      message: 'A child with this local case reference already exists',
      field: 'localReference',
    });
    expect((await auditRows(ctx, 'child.reference_conflict')).at(-1)).toMatchObject({
      actorUserId: otherSw.id,
      subjectId: ben,
    });
  });

  it('filters by person, child, action and dates, shows names and plain English, and audits the viewing', async () => {
    await swClient.get(`/children/${ava}`);
    await swClient.get(`/children/${ben}`);
    await otherClient.get(`/children/${ava}`);

    const all = await auditorClient.get('/audit');
    expect(all.statusCode).toBe(200);
    expect((await auditRows(ctx, 'audit.view')).at(-1)).toMatchObject({
      actorUserId: auditor.id,
      outcome: 'success',
      details: { filter: {}, before: null },
    });

    const byPerson = await auditorClient.get(`/audit?person=${sw.id}&action=child.view`);
    expect(byPerson.statusCode).toBe(200);
    const rows = rowsOf(byPerson.body);
    expect(rows.length).toBeGreaterThanOrEqual(2);
    for (const r of rows) expect(r).toMatch(/Sam Worker Viewed a child’s record Child: (Ava|Ben) Audit Allowed$/);
    expect(byPerson.body).not.toContain('child.view</td>');

    // The child is chosen by reference through a POST; the URL then holds only ids.
    const chosen = await auditorClient.post(
      '/audit/child',
      { reference: 'aud-1', person: '', action: 'child.view' },
      { fromPage: '/audit' },
    );
    expect(chosen.statusCode).toBe(303);
    expect(chosen.headers.location).toBe(`/audit?child=${ava}&action=child.view`);
    const byChild = await auditorClient.get(String(chosen.headers.location));
    const childRows = rowsOf(byChild.body);
    expect(childRows.some((r) => r.includes('Olu Worker') && r.endsWith('Denied'))).toBe(true);
    expect(childRows.every((r) => r.includes('Child: Ava Audit'))).toBe(true);
    expect(byChild.body).toContain('Showing entries about Ava Audit.');
    expect((await auditRows(ctx, 'audit.view')).at(-1)).toMatchObject({
      subjectType: 'child',
      subjectId: ava,
      details: { filter: { childId: ava, action: 'child.view' } },
    });

    const today = new Date();
    const [y, m, d] = [today.getUTCFullYear() + 1, 1, 1];
    const future = await auditorClient.get(`/audit?from-day=${d}&from-month=${m}&from-year=${y}`);
    expect(future.body).toContain('No entries match these filters.');
    const bad = await auditorClient.get('/audit?from-day=31&from-month=2&from-year=2026&person=nobody');
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Date from must be a real date');
    expect(bad.body).toContain('Select a person from the list');

    const notFound = await auditorClient.post('/audit/child', { reference: 'NOPE-1' }, { fromPage: '/audit' });
    expect(notFound.statusCode).toBe(400);
    expect(notFound.body).toContain('No child’s record has this local case reference');

    // Only auditors and administrators.
    expect((await swClient.get('/audit')).statusCode).toBe(403);
  });

  it('pages back through the entries with the filter kept', async () => {
    for (let i = 0; i < 55; i++) await swClient.get(`/children/${ben}`);
    const first = await auditorClient.get(`/audit?child=${ben}&action=child.view`);
    expect(rowsOf(first.body)).toHaveLength(50);
    const older = /href="(\/audit\?child=[^"]+before=\d+)"/.exec(first.body.replace(/&amp;/g, '&'))?.[1];
    expect(older).toBeDefined();
    expect(older).toContain(`child=${ben}`);
    const second = await auditorClient.get(older!);
    expect(rowsOf(second.body).length).toBeGreaterThanOrEqual(5);
    expect(second.body).toContain('Newest entries');
  });

  it('exports the filtered entries as CSV, escaped against formulas, and audits the export', async () => {
    // A label someone typed (an API token's name, say) that a spreadsheet would run as a formula.
    await ctx.services.audit.record({
      action: 'api-token.use',
      actor: { id: null, label: "=cmd|' /C calc'!A0" },
      subject: { type: 'child', id: ava },
      outcome: 'failure',
    });
    const res = await auditorClient.get(`/audit/export.csv?child=${ava}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="audit-trail-\d{4}-\d\d-\d\d\.csv"$/);
    const lines = res.body.trim().split('\r\n');
    expect(lines[0]).toBe(
      'No.,When (UTC),Who,Who (account id),What,Action code,Record,Record type,Record id,Outcome,Details',
    );
    expect(
      lines.some((l) => l.includes('Viewed a child’s record,child.view,Child: Ava Audit,child,' + ava + ',Allowed')),
    ).toBe(true);
    expect(lines.every((l) => !/(^|,)=/.test(l))).toBe(true);
    expect(lines.some((l) => l.includes(`"'=cmd|' /C calc'!A0"`))).toBe(true);
    expect(lines.some((l) => l.includes('Sam Worker'))).toBe(true);
    expect((await auditRows(ctx, 'audit.export')).at(-1)).toMatchObject({
      actorUserId: auditor.id,
      subjectId: ava,
      details: { filter: { childId: ava }, format: 'csv' },
    });
  });

  it('checks the trail: intact, and a restored backup told apart from tampering, with the acknowledged gaps listed', async () => {
    const text = (html: string) =>
      html
        .replace(/<[^>]+>/g, ' ')
        .replace(/\s+/g, ' ')
        .trim();
    const intact = await auditorClient.post('/audit/verify', {}, { fromPage: '/audit' });
    expect(intact.statusCode).toBe(200);
    expect(text(intact.body)).toContain('The audit trail is intact');
    expect(text(intact.body)).not.toContain('tampered');

    // What the trail's check finds after an older backup was restored (as the CLI's restore tests produce).
    const gap = {
      restoredThrough: 40,
      restoredThroughAt: '2026-03-01T09:00:00.000Z',
      lostFrom: 41,
      lostThrough: 57,
      lostEntries: 17,
      lostUntil: '2026-03-01T10:00:00.000Z',
      witnessedBy: 'the witness s3://audit',
    };
    const verify = vi.spyOn(ctx.services.auditTrail, 'verify');
    verify.mockResolvedValueOnce({ ok: false, entries: 40, problem: { seq: 41, problem: 'missing' }, restore: gap });
    const restored = text((await auditorClient.post('/audit/verify', {}, { fromPage: '/audit' })).body);
    expect(restored).toContain('The audit trail was restored from an older backup');
    expect(restored).toContain('Entries 41 to 57 (17 entries) are no longer in the trail');
    expect(restored).not.toContain('tampered');

    verify.mockResolvedValueOnce({
      ok: true,
      entries: 60,
      acknowledged: [{ ...gap, seq: 58, at: '2026-03-02T09:00:00.000Z', reason: 'Disk replaced', by: 'it-ops' }],
      witnesses: [{ label: 's3://audit', newest: { size: 60, at: '2026-03-02T09:05:00.000Z' } }],
    });
    const acknowledged = text((await auditorClient.post('/audit/verify', {}, { fromPage: '/audit' })).body);
    expect(acknowledged).toContain('The audit trail is intact');
    expect(acknowledged).toContain('Entries 41 to 57 (17) it-ops Disk replaced');
    expect(acknowledged).toContain('s3://audit: 60 entries');
    verify.mockRestore();
    expect((await auditRows(ctx, 'audit.verify')).at(-2)).toMatchObject({ details: { ok: false, restore: true } });
  });
});
