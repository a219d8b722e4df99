import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../domain/access/roles.ts';
import { REMINDER_POINT_IDS } from '../../domain/conferences/meeting.ts';
import { issuedDocuments } from '../../infra/db/documents-schema.ts';
import { auditRows, staff } from '../../../test/support/people.ts';
import { siblingGroupConference, type SiblingGroupConference } from '../../../test/support/conferences.ts';
import { createTestServices, testDatabases, type TestContext } from '../../../test/support/services.ts';
import { testApp } from '../../../test/support/web.ts';

const UNKNOWN = '00000000-0000-4000-8000-000000000000';

type Method = 'GET' | 'POST' | 'PUT';
interface Issued {
  id: string;
  format: 'pdf' | 'html';
  copyKind: string;
  recipientInviteeId: string | null;
  sha256: string;
  byteLength: number;
  mediaType: string;
  marking: string[];
}

describe.each(testDatabases())('written record API on %s', (kind) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let chair: Actor;
  let sw: Actor;
  let chairToken: string;
  let supportToken: string;
  let swToken: string;
  let g: SiblingGroupConference;
  let other: SiblingGroupConference;
  let docs: string;

  const call = (method: Method, path: string, token: string | null, payload?: unknown) =>
    app.inject({
      method,
      url: path,
      headers: token ? { authorization: `Bearer ${token}` } : {},
      ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
    });
  const ok = async (method: Method, path: string, token: string, payload?: unknown) => {
    const res = await call(method, path, token, payload);
    expect(res.statusCode, `${method} ${path}: ${res.body}`).toBeLessThan(300);
    return res;
  };
  const tokenFor = async (actor: Actor) =>
    (await ctx.services.accounts.createApiToken(actor.id, 'test', null, { actor: { id: actor.id, label: 'test' } }))
      .token;

  /** Holds the conference through the meeting API: register, decisions (Ava a plan, Ben none), plan, summary. */
  async function hold(c: SiblingGroupConference): Promise<void> {
    const url = `/api/v1/conferences/${c.conferenceId}/meeting`;
    await ok('POST', `${url}/open`, chairToken, { pointsGiven: REMINDER_POINT_IDS, actualStartTime: '10:05' });
    await ok('PUT', `${url}/parts/${c.partId}/attendance`, supportToken, {
      entries: [c.invitee.socialWorker, c.invitee.police, c.invitee.school, c.invitee.mother].map((inviteeId) => ({
        inviteeId,
        status: 'attended',
      })),
    });
    const agencyViews = [c.agencies.csc, c.agencies.police, c.agencies.school].map((agencyId) => ({
      agencyId,
      view: 'agrees',
    }));
    await ok('POST', `${url}/children/${c.children.ava}/decisions`, chairToken, {
      outcome: 'plan-needed',
      category: 'neglect',
      reasons: 'Neglect of basic care',
      agencyViews,
    });
    await ok('POST', `${url}/children/${c.children.ben}/decisions`, chairToken, {
      outcome: 'no-plan',
      category: null,
      reasons: 'Ben is safe at home',
      agencyViews,
    });
    await ok('POST', `${url}/children/${c.children.ava}/plans`, chairToken, {
      leadSocialWorkerUserId: sw.id,
      coreGroupInviteeIds: [c.invitee.mother, c.invitee.socialWorker],
      firstCoreGroupDate: '2026-03-12',
      actions: [{ action: 'Home made safe', who: 'Mother', byWhen: '2026-04-01' }],
      contingencyPlan: 'Legal planning meeting',
      nextReviewDate: '2026-05-29',
    });
    await ok('POST', `${url}/summaries`, chairToken, { worries: 'Home', positives: 'School', changes: 'Safe home' });
    await ok('POST', `${url}/conclude`, chairToken, { actualEndTime: '11:45' });
  }

  beforeAll(async () => {
    ctx = await createTestServices(kind);
    app = await testApp(ctx);
    sw = await staff(ctx, 'Sam Worker', ['social_worker']);
    chair = await staff(ctx, 'Cal Chair', ['chair']);
    chairToken = await tokenFor(chair);
    supportToken = await tokenFor(await staff(ctx, 'Bo Support', ['business_support']));
    swToken = await tokenFor(sw);
    g = await siblingGroupConference(ctx, { socialWorker: sw, chair });
    other = await siblingGroupConference(ctx, { socialWorker: sw, chair, familyName: 'Osei' });
    await hold(g);
    await hold(other);
    docs = `/api/v1/conferences/${g.conferenceId}/documents`;
  });
  afterAll(async () => {
    await app.close();
    await ctx.dispose();
  });

  const list = async (token = supportToken) => (await ok('GET', docs, token)).json();
  const startDraft = async (documentKind: string, base = docs) =>
    (await call('POST', `${base}/drafts`, supportToken, { kind: documentKind })).json() as {
      id: string;
      version: number;
      status: string;
    };
  const readDraft = async (id: string, token = supportToken) => (await ok('GET', `${docs}/drafts/${id}`, token)).json();
  it('refuses every route without a token (401)', async () => {
    const draft = `${docs}/drafts/${UNKNOWN}`;
    for (const [method, path] of [
      ['GET', docs],
      ['POST', `${docs}/drafts`],
      ['GET', draft],
      ['PUT', `${draft}/sections`],
      ['PUT', `${draft}/withholding`],
      ['PUT', `${draft}/recipients`],
      ['POST', `${draft}/submit`],
      ['POST', `${draft}/comments`],
      ['POST', `${draft}/comments/${UNKNOWN}/resolve`],
      ['POST', `${draft}/request-changes`],
      ['POST', `${draft}/approve`],
      ['POST', `${draft}/reopen`],
      ['POST', `${draft}/issue`],
      ['GET', `${docs}/issued/${UNKNOWN}/file`],
      ['POST', `${docs}/tasks/${UNKNOWN}/done`],
    ] as const) {
      const res = await call(method, path, null, method === 'GET' ? undefined : {});
      expect(res.statusCode, `${method} ${path}`).toBe(401);
    }
  });

  it('W-1, W-2, T-6, T-7: lists the documents a held conference needs, each with its state and due date', async () => {
    const view = await list();
    expect(view).toMatchObject({
      conferenceId: g.conferenceId,
      conferenceDate: '2026-03-02',
      can: { draft: true, issue: true },
      issued: [],
    });
    const kinds = (view.documents as Array<{ kind: string }>).map((d) => d.kind);
    expect(kinds).toEqual(
      expect.arrayContaining(['decision-letter', 'plan-and-core-group-letter', 'chairs-summary', 'conference-record']),
    );
    const letter = view.documents.find((d: { kind: string }) => d.kind === 'decision-letter');
    expect(letter).toMatchObject({ state: 'not-started', draftId: null, openComments: 0, issuedAt: null });
    expect(letter.due).toMatchObject({ rule: expect.stringMatching(/T-6|decision/i) });
    expect(['overdue', 'due-soon', 'on-track']).toContain(letter.due.status);
    expect((await list(chairToken)).can.approve).toBe(true);
  });

  it('W-1 … W-4: drafts, the chair reviews and approves, copies are issued and downloaded with their SHA-256', async () => {
    // Start: the same document started twice is the same draft.
    const started = await call('POST', `${docs}/drafts`, supportToken, { kind: 'decision-letter' });
    expect(started.statusCode).toBe(201);
    const draftId = started.json().id as string;
    expect(started.json()).toMatchObject({ version: expect.any(Number), status: 'drafting' });
    expect((await startDraft('decision-letter')).id).toBe(draftId);
    const url = `${docs}/drafts/${draftId}`;

    let draft = await readDraft(draftId);
    expect(draft).toMatchObject({
      id: draftId,
      conferenceId: g.conferenceId,
      kind: 'decision-letter',
      status: 'drafting',
      can: { edit: true, submit: true },
    });
    expect(draft.sections.map((s: { id: string }) => s.id)).toEqual(['plain-english-reasons']);
    expect(draft.missing.length).toBeGreaterThan(0);
    expect(draft.preview.metadata).toMatchObject({ conferenceId: g.conferenceId, kind: 'decision-letter' });
    expect(draft.preview.blocks.length).toBeGreaterThan(0);
    expect(draft.previewHtml).toContain('<');
    expect(draft.familyMembers.map((m: { inviteeId: string }) => m.inviteeId)).toContain(g.invitee.mother);

    // A malformed body is 400 with each field's problem; a stale version is 409 and saves nothing.
    const bad = await call('PUT', `${url}/sections`, supportToken, {
      version: 'one',
      sections: { 'plain-english-reasons': 7 },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().issues.map((i: { path: string }) => i.path)).toEqual(
      expect.arrayContaining([expect.stringContaining('version'), expect.stringContaining('plain-english-reasons')]),
    );
    const tooLong = await call('PUT', `${url}/sections`, supportToken, {
      version: draft.version,
      sections: { 'plain-english-reasons': 'x'.repeat(20_001) },
    });
    expect(tooLong.statusCode).toBe(400);
    const saved = await ok('PUT', `${url}/sections`, supportToken, {
      version: draft.version,
      sections: { 'plain-english-reasons': 'The conference agreed Ava needs a plan to keep her safe.' },
    });
    expect(saved.json()).toMatchObject({ id: draftId, version: draft.version + 1, status: 'drafting' });
    const stale = await call('PUT', `${url}/sections`, supportToken, {
      version: draft.version,
      sections: { 'plain-english-reasons': 'An older tab' },
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ error: 'conflict', field: 'version' });
    draft = await readDraft(draftId);
    expect(draft.sections[0].text).toBe('The conference agreed Ava needs a plan to keep her safe.');
    expect(draft.missing).toEqual([]);

    // W-3: the chair withholds a block from the father's copy; W-4: the mother's copy in large print.
    const blockId = draft.withholdable[0].id as string;
    const badMark = await call('PUT', `${url}/withholding`, chairToken, {
      version: draft.version,
      blockId,
      withholdings: [{ from: { kind: 'people', people: [] }, reason: 'gossip' }],
    });
    expect(badMark.statusCode).toBe(400);
    expect(badMark.json().issues.map((i: { path: string }) => i.path)).toEqual(
      expect.arrayContaining([expect.stringContaining('people'), expect.stringContaining('reason')]),
    );
    const father = draft.familyMembers.find((m: { inviteeId: string }) => m.inviteeId === g.invitee.father);
    const marked = await ok('PUT', `${url}/withholding`, chairToken, {
      version: draft.version,
      blockId,
      withholdings: [
        {
          from: { kind: 'people', people: [{ id: father.inviteeId, name: father.name }] },
          reason: 'confidential-to-parent',
          explanation: 'The mother asked that it is not shared',
        },
      ],
    });
    const recipients = await ok('PUT', `${url}/recipients`, supportToken, {
      version: marked.json().version,
      childRecipientInviteeIds: [],
      arrangements: [{ inviteeId: g.invitee.mother, kinds: ['large-print'] }],
    });
    draft = await readDraft(draftId);
    expect(draft.withholdings[blockId]).toEqual([
      {
        from: { kind: 'people', people: [{ id: father.inviteeId, name: father.name }] },
        reason: 'confidential-to-parent',
        explanation: 'The mother asked that it is not shared',
      },
    ]);
    expect(draft.arrangements).toEqual([
      { inviteeId: g.invitee.mother, kinds: ['large-print'], language: null, detail: null },
    ]);
    expect(draft.version).toBe(recipients.json().version);

    // Review: submit, the chair comments and sends it back, the minute taker resolves and resubmits.
    let v = (await ok('POST', `${url}/submit`, supportToken, { version: draft.version })).json();
    expect(v.status).toBe('waiting-for-chair');
    const comment = await call('POST', `${url}/comments`, chairToken, {
      sectionId: 'plain-english-reasons',
      body: 'Say who will visit and when.',
    });
    expect(comment.statusCode).toBe(201);
    expect(comment.json()).toMatchObject({
      sectionId: 'plain-english-reasons',
      body: 'Say who will visit and when.',
      author: { id: chair.id, name: 'Cal Chair' },
      resolved: null,
    });
    expect((await list()).documents.find((d: { draftId: string }) => d.draftId === draftId)).toMatchObject({
      state: 'waiting-for-chair',
      openComments: 1,
    });
    v = (await ok('POST', `${url}/request-changes`, chairToken, { version: v.version })).json();
    expect(v.status).toBe('drafting');
    const resolve = `${url}/comments/${comment.json().id}/resolve`;
    expect((await call('POST', resolve, supportToken)).statusCode).toBe(204);
    expect((await readDraft(draftId)).sections[0].comments[0].resolved).toMatchObject({
      at: expect.any(String),
      by: { name: 'Bo Support' },
    });
    expect((await call('POST', resolve, supportToken)).statusCode).toBe(404);
    v = (await ok('POST', `${url}/submit`, supportToken, { version: v.version })).json();

    // Only the chair approves: a social worker is refused (403, audited); a stale approval is 409.
    const swApproves = await call('POST', `${url}/approve`, swToken, { version: v.version });
    expect(swApproves.statusCode).toBe(403);
    expect(
      (await auditRows(ctx, 'route.access')).some(
        (r) => r.actorUserId === sw.id && JSON.stringify(r.details).includes('/approve'),
      ),
    ).toBe(true);
    expect((await call('POST', `${url}/approve`, chairToken, { version: v.version - 1 })).statusCode).toBe(409);
    v = (await ok('POST', `${url}/approve`, chairToken, { version: v.version })).json();
    expect(v.status).toBe('approved');
    // Approved: no more changes until the chair reopens it.
    const locked = await call('PUT', `${url}/sections`, supportToken, {
      version: v.version,
      sections: { 'plain-english-reasons': 'Too late' },
    });
    expect(locked.statusCode).toBe(409);
    v = (await ok('POST', `${url}/reopen`, chairToken, { version: v.version })).json();
    expect(v.status).toBe('drafting');
    v = (await ok('POST', `${url}/approve`, chairToken, { version: v.version })).json();
    expect(v.status).toBe('approved');

    // Issue: one fixed copy per recipient and format, with SHA-256 and length, never a blob key.
    const issued = await call('POST', `${url}/issue`, supportToken, { version: v.version });
    expect(issued.statusCode).toBe(201);
    expect(issued.body).not.toMatch(/blob/i);
    const result = issued.json() as { issueNumber: number; copies: Issued[]; tasks: Array<{ id: string }> };
    expect(result.issueNumber).toBe(1);
    expect(result.copies.length).toBeGreaterThan(0);
    const fatherPdf = result.copies.find((c) => c.recipientInviteeId === g.invitee.father && c.format === 'pdf');
    expect(fatherPdf).toMatchObject({ copyKind: 'parent', mediaType: 'application/pdf' });
    expect(fatherPdf!.marking).toEqual(expect.arrayContaining(['OFFICIAL-SENSITIVE', "PARENT'S COPY"]));
    expect((await call('POST', `${url}/issue`, supportToken, { version: v.version + 1 })).statusCode).toBe(409);

    const after = await list();
    expect(JSON.stringify(after)).not.toMatch(/blob/i);
    expect(after.documents.find((d: { draftId: string }) => d.draftId === draftId)).toMatchObject({
      state: 'issued',
      issuedAt: expect.any(String),
    });
    const listed = after.issued as Issued[];
    expect(listed.map((c) => c.id).sort()).toEqual(result.copies.map((c) => c.id).sort());

    // Download: the bytes issued, with their media type, as an attachment; the SHA-256 is the one listed.
    const pdf = listed.find((c) => c.id === fatherPdf!.id)!;
    const file = await call('GET', `${docs}/issued/${pdf.id}/file`, supportToken);
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe('application/pdf');
    expect(file.headers['content-disposition']).toMatch(/^attachment; filename="[^"]+\.pdf"$/);
    expect(file.headers['content-disposition']).not.toMatch(/Okafor|Mensah|Grace|Daniel/);
    expect(file.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(file.rawPayload.byteLength).toBe(pdf.byteLength);
    expect(createHash('sha256').update(file.rawPayload).digest('hex')).toBe(pdf.sha256);
    expect(
      (await auditRows(ctx, 'documents.copy.download')).filter(
        (r) => r.outcome === 'success' && (r.details as { issuedId?: string }).issuedId === pdf.id,
      ),
    ).toHaveLength(1);
    const html = listed.find((c) => c.format === 'html')!;
    const page = await call('GET', `${docs}/issued/${html.id}/file`, chairToken);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['content-disposition']).toMatch(/^attachment; /);
    expect(createHash('sha256').update(page.rawPayload).digest('hex')).toBe(html.sha256);

    // W-4: the large-print arrangement is a task until done.
    const task = (after.tasks as Array<{ id: string; inviteeId: string; arrangement: string; done: unknown }>).find(
      (t) => t.inviteeId === g.invitee.mother,
    )!;
    expect(task).toMatchObject({ arrangement: 'large-print', done: null });
    expect(result.tasks.map((t) => t.id)).toContain(task.id);
    const badNote = await call('POST', `${docs}/tasks/${task.id}/done`, supportToken, { note: 42 });
    expect(badNote.statusCode).toBe(400);
    expect(badNote.json().issues.map((i: { path: string }) => i.path)).toEqual([expect.stringContaining('note')]);
    expect(
      (await call('POST', `${docs}/tasks/${task.id}/done`, supportToken, { note: 'Posted in large print' })).statusCode,
    ).toBe(204);
    expect((await list()).tasks.find((t: { id: string }) => t.id === task.id).done).toMatchObject({
      at: expect.any(String),
      by: { name: 'Bo Support' },
      note: 'Posted in large print',
    });
  });

  it('W-2: a record with required sections empty cannot go to the chair: 422 naming each section', async () => {
    const started = await startDraft('conference-record');
    const refused = await call('POST', `${docs}/drafts/${started.id}/submit`, supportToken, {
      version: started.version,
    });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().issues.map((i: { path: string }) => i.path)).toEqual([
      'family-composition',
      'reasons-for-convening',
      'essential-facts',
      'discussion-summary',
    ]);
    expect((await readDraft(started.id)).status).toBe('drafting');
  });

  it('answers 404 for an unknown id, and for an id of another conference', async () => {
    const draftId = (await startDraft('chairs-summary')).id;
    const otherDocs = `/api/v1/conferences/${other.conferenceId}/documents`;
    const otherDraft = await startDraft('chairs-summary', otherDocs);
    expect(otherDraft.id).not.toBe(draftId);
    expect((await call('GET', `/api/v1/conferences/${UNKNOWN}/documents`, supportToken)).statusCode).toBe(404);
    expect((await call('GET', `${docs}/drafts/${UNKNOWN}`, supportToken)).statusCode).toBe(404);
    expect((await call('GET', `${docs}/drafts/${otherDraft.id}`, supportToken)).statusCode).toBe(404);
    expect((await call('GET', `${otherDocs}/drafts/${draftId}`, chairToken)).statusCode).toBe(404);
    const draft = await readDraft(draftId);
    const save = await call('PUT', `${otherDocs}/drafts/${draftId}/sections`, supportToken, {
      version: draft.version,
      sections: {},
    });
    expect(save.statusCode).toBe(404);
    expect(
      (await call('POST', `${docs}/drafts/${otherDraft.id}/approve`, chairToken, { version: otherDraft.version }))
        .statusCode,
    ).toBe(404);
    expect((await call('POST', `${docs}/drafts/${draftId}/comments/${UNKNOWN}/resolve`, chairToken)).statusCode).toBe(
      404,
    );
    expect((await call('GET', `${docs}/issued/${UNKNOWN}/file`, supportToken)).statusCode).toBe(404);
    expect((await call('POST', `${docs}/tasks/${UNKNOWN}/done`, supportToken, {})).statusCode).toBe(404);
    // A copy issued for this conference is not found through another conference.
    const issuedId = ((await list()).issued as Issued[])[0]!.id;
    expect((await call('GET', `${otherDocs}/issued/${issuedId}/file`, supportToken)).statusCode).toBe(404);
    expect((await call('GET', `${docs}/issued/${issuedId}/file`, supportToken)).statusCode).toBe(200);
  });

  it('sends no copy whose stored bytes are not those issued: 500, audited as a failure', async () => {
    const issued = (await list()).issued as Issued[];
    const copy = issued.at(-1)!;
    const [row] = await ctx.services.database.db
      .select({ blobKey: issuedDocuments.blobKey })
      .from(issuedDocuments)
      .where(eq(issuedDocuments.id, copy.id));
    await ctx.services.blobs.delete(row!.blobKey);
    const res = await call('GET', `${docs}/issued/${copy.id}/file`, supportToken);
    expect(res.statusCode).toBe(500);
    expect(res.json()).toMatchObject({ error: 'document_integrity' });
    expect(res.body).not.toMatch(/blob/i);
    const failures = (await auditRows(ctx, 'documents.copy.download')).filter((r) => r.outcome === 'failure');
    expect(failures.map((r) => r.details)).toContainEqual(expect.objectContaining({ issuedId: copy.id }));
  });

  it('describes the download as the PDF’s or the HTML’s bytes, and no response carries a blob key', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json() as {
      paths: Record<string, Record<string, { operationId?: string; responses: Record<string, unknown> }>>;
    };
    const download = doc.paths['/api/v1/conferences/{id}/documents/issued/{issuedId}/file']?.['get'];
    expect(download?.operationId).toBe('DocumentService.download');
    expect(download?.responses['200']).toMatchObject({
      content: {
        'application/pdf': { schema: { type: 'string', format: 'binary' } },
        'text/html': { schema: { type: 'string', format: 'binary' } },
      },
    });
    const documentPaths = Object.entries(doc.paths).filter(([p]) => p.includes('/documents'));
    expect(documentPaths.length).toBeGreaterThanOrEqual(13);
    expect(JSON.stringify(documentPaths)).not.toMatch(/blobKey/);
  });
});
