import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../domain/access/roles.ts';
import { parseIsoDate } from '../../domain/calendar/index.ts';
import { staff } from '../../../test/support/people.ts';
import { heldConference } from '../../../test/support/plan-endings.ts';
import { as } from '../../../test/support/recording-to-record.ts';
import { createTestServices, testDatabases, type TestContext } from '../../../test/support/services.ts';
import { loadDocumentFacts } from './facts-loader.ts';

const COUNCIL = { name: 'Test Council', contact: 'Conference team' };

describe.each(testDatabases())('the facts the written record is built from, for issue 14 records (%s)', (kind) => {
  let ctx: TestContext;
  let sw: Actor;
  let chair: Actor;

  const load = (conferenceId: string) =>
    ctx.services.uow.run((repos) => loadDocumentFacts(repos, conferenceId, COUNCIL)).then((l) => l.facts);

  beforeAll(async () => {
    ctx = await createTestServices(kind);
    sw = await staff(ctx, 'Sam Worker', ['social_worker']);
    chair = await staff(ctx, 'Cal Chair', ['chair']);
    ctx.clock.current = new Date('2026-03-02T13:00:00Z');
  });
  afterAll(async () => {
    await ctx.dispose();
  });

  it('002 §3.9: a plan that ends brings its latest team around the child plan and the family meeting date (T-9)', async () => {
    const g = await heldConference(ctx, { socialWorker: sw, chair, outcome: 'plan-ends', status: 'in-progress' });
    const step = (leadProfessional: string) =>
      ctx.services.planEndings.recordStepDown(
        chair,
        g.conferenceId,
        g.children.ava,
        {
          kind: 'team-around-the-child',
          leadProfessional,
          services: 'Breakfast club',
          firstMeetingDate: parseIsoDate('2026-03-10'),
        },
        as(chair),
      );
    await step('Tom Reid, school');
    await step('Tom Reid, designated safeguarding lead, Riverside School');
    const facts = await load(g.conferenceId);
    expect(facts.stepDowns).toEqual([
      {
        childId: g.children.ava,
        kindLabel: 'Team around the child plan',
        leadProfessional: 'Tom Reid, designated safeguarding lead, Riverside School',
        services: 'Breakfast club',
        firstMeetingDate: '2026-03-10',
      },
    ]);
    expect(facts.plans.find((p) => p.childId === g.children.ava)?.familyMeetingDate).toBe('2026-03-13');
  });
});
