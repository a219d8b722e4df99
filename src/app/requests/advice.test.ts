import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../domain/access/roles.ts';
import { AccessDeniedError, ConflictError } from '../../domain/shared/errors.ts';
import { problemsOf } from '../../../test/support/recording-to-record.ts';
import { auditRows, staff } from '../../../test/support/people.ts';
import { siblingGroupConference, type SiblingGroupConference } from '../../../test/support/conferences.ts';
import { createTestServices, testDatabases, type TestContext } from '../../../test/support/services.ts';

const as = (a: Actor) => ({ actor: { id: a.id, label: a.name }, requestId: 'test-request' });

/** Each problem the check lists, as `field: message`. */
const problems = async (p: Promise<unknown>) => (await problemsOf(p)).map(([field, message]) => `${field}: ${message}`);

describe.each(testDatabases())('A-10: advice from the information management team (%s)', (kind) => {
  let ctx: TestContext;
  let chair: Actor;
  let qa: Actor;
  let support: Actor;
  let stranger: Actor;
  let g: SiblingGroupConference;
  let requestId: string;

  beforeAll(async () => {
    ctx = await createTestServices(kind);
    chair = await staff(ctx, 'Cal Chair', ['chair']);
    qa = await staff(ctx, 'Quinn Assurance', ['qa_manager']);
    support = await staff(ctx, 'Bo Support', ['business_support']);
    stranger = await staff(ctx, 'Olu Other', ['social_worker']);
    const sw = await staff(ctx, 'Sam Worker', ['social_worker']);
    g = await siblingGroupConference(ctx, { socialWorker: sw, chair, status: 'held' });
    ctx.clock.current = new Date('2026-05-11T09:00:00Z');
    const r = await ctx.services.requests.receive(
      chair,
      {
        conferenceId: g.conferenceId,
        receivedOn: '2026-05-11',
        requester: { type: 'pr-holder', personId: g.people.mother },
      },
      as(chair),
    );
    requestId = r.id;
  });
  afterAll(async () => {
    await ctx.dispose();
  });

  it('A-10: the chair asks, the answer is recorded later with who gave it and when; both on the timeline and audited by id', async () => {
    const advice = ctx.services.requestAdvice;
    expect(await problems(advice.ask(chair, requestId, { question: '  ' }, as(chair)))).toEqual([
      'question: Enter the question for the information management team',
    ]);
    const asked = await advice.ask(
      chair,
      requestId,
      { question: 'May we share the part where the father speaks about his health?' },
      as(chair),
    );
    expect(asked).toMatchObject({ askedByName: 'Cal Chair', askedOn: '2026-05-11', answer: null });

    ctx.clock.current = new Date('2026-05-13T09:00:00Z');
    expect(
      await problems(
        advice.answer(qa, requestId, asked.id, { answer: 'x', answeredBy: 'Pat', answeredOn: '2026-05-10' }, as(qa)),
      ),
    ).toEqual(['answeredOn: The date must be on or after the day it was asked, 11 May 2026']);
    expect(await problems(advice.answer(qa, requestId, asked.id, {}, as(qa)))).toEqual([
      'answer: Enter the advice the information management team gave',
      'answeredBy: Enter who in the information management team gave the advice',
      'answeredOn: Enter the date the advice was given',
    ]);
    const answered = await advice.answer(
      qa,
      requestId,
      asked.id,
      {
        answer: 'Withhold it: it is his health data.',
        answeredBy: 'Pat Rights, Individual Rights',
        answeredOn: '2026-05-12',
      },
      as(qa),
    );
    expect(answered.answer).toMatchObject({
      answer: 'Withhold it: it is his health data.',
      answeredBy: 'Pat Rights, Individual Rights',
      answeredOn: '2026-05-12',
      recordedByName: 'Quinn Assurance',
    });
    await expect(
      advice.answer(qa, requestId, asked.id, { answer: 'Again', answeredBy: 'Pat', answeredOn: '2026-05-12' }, as(qa)),
    ).rejects.toBeInstanceOf(ConflictError);

    const timeline = await ctx.services.requests.steps(chair, requestId, as(chair));
    expect(timeline.slice(-2).map((s) => [s.actionLabel, s.actor?.name, s.details])).toEqual([
      [
        'Advice asked of the information management team',
        'Cal Chair',
        [{ label: 'Question', value: 'May we share the part where the father speaks about his health?' }],
      ],
      [
        'Advice from the information management team recorded',
        'Quinn Assurance',
        [
          { label: 'Advice', value: 'Withhold it: it is his health data.' },
          { label: 'Given by', value: 'Pat Rights, Individual Rights' },
          { label: 'Given on', value: '12 May 2026' },
        ],
      ],
    ]);
    const audit = (await auditRows(ctx)).filter((r) => r.action.startsWith('copy-request.advice.'));
    expect(audit.map((r) => [r.action, r.outcome, r.details])).toEqual([
      ['copy-request.advice.ask', 'success', { adviceId: asked.id }],
      ['copy-request.advice.answer', 'success', { adviceId: asked.id }],
    ]);
  });

  it('A-10: only a chair or the quality assurance service manager asks; someone without access to the children sees nothing', async () => {
    await expect(
      ctx.services.requestAdvice.ask(support, requestId, { question: 'Can I?' }, as(support)),
    ).rejects.toBeInstanceOf(AccessDeniedError);
    expect((await auditRows(ctx, 'copy-request.advice.ask')).at(-1)).toMatchObject({
      outcome: 'denied',
      subjectId: requestId,
    });
    const seen = await ctx.services.requestAdvice.advice(support, requestId, as(support));
    expect(seen).toMatchObject({ canAsk: false });
    expect(seen.advice).toHaveLength(1);
    await expect(ctx.services.requestAdvice.advice(stranger, requestId, as(stranger))).rejects.toBeInstanceOf(
      AccessDeniedError,
    );
  });
});
