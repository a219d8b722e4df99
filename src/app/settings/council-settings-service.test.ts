import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../domain/access/roles.ts';
import { DRAFT_SECTIONS } from '../../domain/documents/index.ts';
import { AccessDeniedError, InvalidDetailsError, StaleRecordError } from '../../domain/shared/errors.ts';
import { siblingGroupConference } from '../../../test/support/conferences.ts';
import { auditRows, staff } from '../../../test/support/people.ts';
import { createTestServices, testDatabases, type TestContext } from '../../../test/support/services.ts';
import { heldConferenceForRecord } from '../../../test/support/written-record.ts';
import type { CouncilSettingsService } from './council-settings-service.ts';

const as = (a: Actor) => ({ actor: { id: a.id, label: a.name }, correlationId: 'test-request' });
const REASON = 'During its pilot the council does not give copies of conference recordings to families (003).';

describe.each(testDatabases())('council settings (%s)', (kind) => {
  let ctx: TestContext;
  let settings: CouncilSettingsService;
  let admin: Actor;
  let admin2: Actor;
  let chair: Actor;
  let sw: Actor;
  let support: Actor;
  let records: Actor;

  beforeAll(async () => {
    ctx = await createTestServices(kind);
    settings = ctx.services.councilSettings;
    admin = await staff(ctx, 'Ada Admin', ['admin']);
    admin2 = await staff(ctx, 'Abe Admin', ['admin']);
    chair = await staff(ctx, 'Cal Chair', ['chair']);
    sw = await staff(ctx, 'Sam Worker', ['social_worker']);
    support = await staff(ctx, 'Bo Support', ['business_support']);
    records = await staff(ctx, 'Ari Records', ['access_to_records']);
  });
  afterAll(async () => {
    await ctx.dispose();
  });

  const set = async (key: string, value: unknown, by: Actor = admin) => {
    const current = await settings.settings(by, as(by));
    const version =
      key === 'document-distribution' ? current.documentDistribution.version : current.recordingCopies.version;
    return settings.changeSetting(by, key, { value, version }, as(by));
  };

  it('003: every setting starts as the service’s behaviour before any choice, changed by nobody', async () => {
    const view = await settings.settings(admin, as(admin));
    expect(view.documentDistribution).toMatchObject({
      value: { distribution: 'full-record' },
      description: 'The full record',
      isDefault: true,
      version: 0,
      updatedAt: null,
      updatedByName: null,
    });
    expect(view.recordingCopies).toMatchObject({
      value: { familyCopies: true, reason: null },
      isDefault: true,
      version: 0,
    });
  });

  it('003: only an administrator reads or changes the settings, and each refusal is audited', async () => {
    await expect(settings.settings(chair, as(chair))).rejects.toBeInstanceOf(AccessDeniedError);
    await expect(
      settings.changeSetting(
        chair,
        'recording-copies',
        { value: { familyCopies: false, reason: REASON }, version: 0 },
        as(chair),
      ),
    ).rejects.toBeInstanceOf(AccessDeniedError);
    const denied = [
      ...(await auditRows(ctx, 'council-settings.view')),
      ...(await auditRows(ctx, 'council-settings.change')),
    ].filter((r) => r.actorUserId === chair.id);
    expect(denied.map((r) => [r.action, r.outcome])).toEqual([
      ['council-settings.view', 'denied'],
      ['council-settings.change', 'denied'],
    ]);
    expect((await settings.settings(admin, as(admin))).recordingCopies.version).toBe(0);
  });

  it('003: a value that breaks a rule is refused with every problem, and nothing is saved', async () => {
    await expect(
      settings.changeSetting(
        admin,
        'recording-copies',
        { value: { familyCopies: false, reason: ' ' }, version: 0 },
        as(admin),
      ),
    ).rejects.toBeInstanceOf(InvalidDetailsError);
    await expect(
      settings.changeSetting(admin, 'nothing-such', { value: {}, version: 0 }, as(admin)),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await settings.settings(admin, as(admin))).recordingCopies.version).toBe(0);
  });

  it('003: a change is audited with who made it, when, and the value before and after; a stale change is refused', async () => {
    ctx.clock.current = new Date('2026-05-01T09:00:00Z');
    const view = await set('document-distribution', { distribution: 'decisions-only' });
    expect(view.documentDistribution).toMatchObject({
      value: { distribution: 'decisions-only' },
      isDefault: false,
      version: 1,
      updatedByName: 'Ada Admin',
      updatedAt: new Date('2026-05-01T09:00:00Z'),
    });
    // A second administrator working from the page as it was before the change.
    await expect(
      settings.changeSetting(
        admin2,
        'document-distribution',
        { value: { distribution: 'full-record' }, version: 0 },
        as(admin2),
      ),
    ).rejects.toBeInstanceOf(StaleRecordError);
    await set('document-distribution', { distribution: 'full-record' }, admin2);
    const changes = await auditRows(ctx, 'council-settings.changed');
    expect(
      changes.map((r) => ({ actor: r.actorUserId, subject: r.subjectId, outcome: r.outcome, details: r.details })),
    ).toEqual([
      {
        actor: admin.id,
        subject: 'document-distribution',
        outcome: 'success',
        details: { from: 'The full record', to: 'Decisions and recommendations only', version: 1 },
      },
      {
        actor: admin2.id,
        subject: 'document-distribution',
        outcome: 'success',
        details: { from: 'Decisions and recommendations only', to: 'The full record', version: 2 },
      },
    ]);
    expect(changes[0]!.at).toEqual(new Date('2026-05-01T09:00:00Z'));
    expect((await settings.settings(admin, as(admin))).documentDistribution).toMatchObject({
      isDefault: true,
      version: 2,
      updatedByName: 'Abe Admin',
    });
  });

  it('W-4, 003: under decisions and recommendations only, the conference record is issued as the file copy alone; the decision letter still goes to everyone', async () => {
    const { documents } = ctx.services;
    const issue = async (conferenceId: string, kindOf: 'conference-record' | 'decision-letter') => {
      const started = await documents.startDraft(
        support,
        conferenceId,
        { kind: kindOf, subjectInviteeId: null },
        as(support),
      );
      const sections = Object.fromEntries(
        DRAFT_SECTIONS[kindOf].map((s) => [s.id, `${s.label}: written for the test.`]),
      );
      const written = await documents.saveSections(
        support,
        conferenceId,
        started.id,
        { version: started.version, sections },
        as(support),
      );
      const approved = await documents.approve(
        chair,
        conferenceId,
        started.id,
        { version: written.version },
        as(chair),
      );
      const issued = await documents.issue(
        support,
        conferenceId,
        started.id,
        { version: approved.version },
        as(support),
      );
      return { draftId: started.id, copies: issued.copies.filter((c) => c.format === 'pdf') };
    };

    // Today's behaviour: the record goes to the family and every agency as well as the file.
    const before = await heldConferenceForRecord(ctx, { socialWorker: sw, chair, support });
    const full = await issue(before.conferenceId, 'conference-record');
    expect(full.copies.map((c) => c.copyKind).sort()).toEqual(expect.arrayContaining(['full', 'parent']));
    expect(full.copies.filter((c) => c.recipientInviteeId !== null).length).toBeGreaterThan(2);

    await set('document-distribution', { distribution: 'decisions-only' });
    const g = await heldConferenceForRecord(ctx, { socialWorker: sw, chair, support });
    const record = await issue(g.conferenceId, 'conference-record');
    expect(record.copies.map((c) => [c.recipientInviteeId, c.recipientName, c.copyKind])).toEqual([
      [null, "The children's file", 'full'],
    ]);
    const draft = await documents.draft(support, g.conferenceId, record.draftId, as(support));
    expect(draft.keptOnFileOnly).toBe(true);
    const letter = await issue(g.conferenceId, 'decision-letter');
    expect(letter.copies.some((c) => c.recipientInviteeId === g.invitee.mother && c.copyKind === 'parent')).toBe(true);
    expect(letter.copies.some((c) => c.recipientInviteeId === g.invitee.police && c.copyKind === 'full')).toBe(true);
    await set('document-distribution', { distribution: 'full-record' });
  });

  it('A-1, 003: when the family is not given copies, a parent’s request is refused with the council’s reason and a court’s is not', async () => {
    const g = await siblingGroupConference(ctx, { socialWorker: sw, chair, status: 'held' });
    ctx.clock.current = new Date('2026-05-11T09:00:00Z');
    await set('recording-copies', { familyCopies: false, reason: REASON });
    const { requests } = ctx.services;
    const form = await requests.receiveForm(records, g.conferenceId, as(records));
    expect(form.familyCopiesRefusedReason).toBe(REASON);

    const mum = await requests.receive(
      records,
      {
        conferenceId: g.conferenceId,
        receivedOn: '2026-05-11',
        requester: { type: 'pr-holder', personId: g.people.mother },
        chairId: chair.id,
      },
      as(records),
    );
    expect(mum.state).toBe('refused');
    expect(mum.refusal).toEqual({ code: 'COUNCIL_POLICY', reason: REASON });
    const view = await requests.get(records, mum.id, as(records));
    expect(view.outcome).toMatchObject({ kind: 'refused', reason: REASON });

    const court = await requests.receive(
      records,
      {
        conferenceId: g.conferenceId,
        receivedOn: '2026-05-11',
        requester: {
          type: 'court',
          contactName: 'Clerk',
          courtName: 'Family Court at Brighton',
          courtReference: 'BN26C00123',
        },
        chairId: chair.id,
      },
      as(records),
    );
    expect(court.state).toBe('received');
    expect(court.refusal).toBeNull();

    // Back to the default: the same parent's request is received as before.
    await set('recording-copies', { familyCopies: true });
    expect((await requests.receiveForm(records, g.conferenceId, as(records))).familyCopiesRefusedReason).toBeNull();
    const again = await requests.receive(
      records,
      {
        conferenceId: g.conferenceId,
        receivedOn: '2026-05-11',
        requester: { type: 'pr-holder', personId: g.people.mother },
        chairId: chair.id,
      },
      as(records),
    );
    expect(again).toMatchObject({ state: 'received', refusal: null });
  });
});
