import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeDeadline, isoDate, RULE_NAMES, TIMESCALE_RULES } from '../../../domain/calendar/index.ts';
import { type TestContext, createTestServices, testDatabases } from '../../../../test/support/services.ts';
import { type WebClient, signedInClient, testApp } from '../../../../test/support/web.ts';

/** The nunjucks autoescaped form of a text, for matching in HTML. */
const html = (s: string) => s.replace(/&/g, '&amp;').replace(/'/g, '&#39;').replace(/"/g, '&quot;');

describe.each(testDatabases())('work out a deadline page on %s', (kind) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let client: WebClient;
  const post = (form: Record<string, string>) => client.post('/deadlines', form, { fromPage: '/deadlines' });

  beforeAll(async () => {
    ctx = await createTestServices(kind);
    app = await testApp(ctx);
    ({ client } = await signedInClient(ctx, app, {
      email: 'sam@council.gov.uk',
      name: 'Sam Social',
      roles: ['social_worker'],
    }));
  });
  afterAll(async () => {
    await app.close();
    await ctx.dispose();
  });

  it('is for signed-in staff only', async () => {
    const res = await app.inject({ method: 'GET', url: '/deadlines' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/sign-in?returnTo=%2Fdeadlines');
  });

  it('lists every rule by title, in groups, with what its date means; the rule ID and its source only in the hint', async () => {
    const res = await client.get('/deadlines');
    expect(res.statusCode).toBe(200);
    for (const name of RULE_NAMES) {
      const r = TIMESCALE_RULES[name];
      expect(res.body).toContain(`value="${name}"`);
      expect(res.body).toMatch(
        new RegExp(
          `<label class="govuk-label govuk-radios__label" for="[^"]+">\\s*${html(r.title).replace(/[()]/g, '\\$&')}\\s*</label>`,
        ),
      );
      expect(res.body).toContain(html(`Counts from the ${r.fromMeaning} (rule ${r.ruleId}, ${r.source})`));
    }
    expect(res.body).toContain('id="rule" name="rule" type="radio" value="initial-conference"');
    for (const g of ['Conferences and meetings', 'Reports, letters and the record', 'Recordings'])
      expect(res.body).toContain(g);
    for (const id of ['from-day', 'from-month', 'from-year']) expect(res.body).toContain(`id="${id}" name="${id}"`);
    expect(res.body).toContain('Date to count from');
  });

  it('T-1 across Easter 2025: 15 working days from Thursday 10 April skip Good Friday, Easter Monday and the early May bank holiday', async () => {
    const res = await post({ rule: 'initial-conference', 'from-day': '10', 'from-month': '4', 'from-year': '2025' });
    expect(res.statusCode).toBe(200);
    const expected = computeDeadline('initial-conference', isoDate(2025, 4, 10), ctx.services.calendar);
    expect(expected.due).toBe('2025-05-06');
    expect(res.body).toMatch(/<h1 class="govuk-heading-l">Initial child protection conference<\/h1>/);
    // T-1 is named only in "How this was worked out", with where the rule comes from.
    expect(res.body).toMatch(/How this was worked out[\s\S]*From rule T-1, 002 §1\.2\./);
    expect(res.body).toContain('Date of the strategy discussion');
    expect(res.body).toContain('Thursday 10 April 2025');
    expect(res.body).toMatch(/Deadline\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*Tuesday 6 May 2025/);
    expect(res.body).toContain(html(expected.explanation));
    expect(res.body).toContain('Good Friday, 18 April 2025');
    expect(res.body).toContain('href="/deadlines">Work out another deadline</a>');
  });

  it('T-2 shows the window: earliest and latest dates', async () => {
    const res = await post({ rule: 'pre-birth-conference', 'from-day': '1', 'from-month': 'Dec', 'from-year': '2025' });
    expect(res.statusCode).toBe(200);
    const d = computeDeadline('pre-birth-conference', isoDate(2025, 12, 1), ctx.services.calendar);
    expect(res.body).toContain('Earliest date');
    expect(res.body).toContain('Latest date');
    expect(res.body).toContain(String(Number(d.earliest!.slice(8))) + ' ');
    expect(res.body).toContain(html(d.explanation));
  });

  it('002 §1.3: T-2 with a premature birth likely: the latest date is 20 weeks of pregnancy, not 24', async () => {
    const form = await client.get('/deadlines');
    expect(form.body).toContain('A premature birth is likely');
    const res = await post({
      rule: 'pre-birth-conference',
      'from-day': '20',
      'from-month': '8',
      'from-year': '2026',
      prematureBirthLikely: 'yes',
    });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('2 April 2026');
    expect(res.body).not.toContain('30 April 2026');
  });

  const cases: Array<[string, Record<string, string>, string, string, string[]]> = [
    [
      'nothing (the date error follows)',
      {},
      'Select the timescale to work out',
      '#rule',
      ['from-day', 'from-month', 'from-year'],
    ],
    [
      'no rule',
      { 'from-day': '10', 'from-month': '4', 'from-year': '2025' },
      'Select the timescale to work out',
      '#rule',
      [],
    ],
    [
      'an unknown rule',
      { rule: 'no-such-rule', 'from-day': '10', 'from-month': '4', 'from-year': '2025' },
      'Select the timescale to work out',
      '#rule',
      [],
    ],
    [
      'no date',
      { rule: 'first-review' },
      'Enter the date to count from',
      '#from-day',
      ['from-day', 'from-month', 'from-year'],
    ],
    [
      'no month',
      { rule: 'first-review', 'from-day': '10', 'from-year': '2025' },
      'Date to count from must include a month',
      '#from-month',
      ['from-month'],
    ],
    [
      'no day and no year',
      { rule: 'first-review', 'from-month': '4' },
      'Date to count from must include a day and a year',
      '#from-day',
      ['from-day', 'from-year'],
    ],
    [
      '30 February',
      { rule: 'first-review', 'from-day': '30', 'from-month': '2', 'from-year': '2025' },
      'Date to count from must be a real date',
      '#from-day',
      ['from-day'],
    ],
    [
      'month 13',
      { rule: 'first-review', 'from-day': '1', 'from-month': '13', 'from-year': '2025' },
      'Date to count from must be a real date',
      '#from-month',
      ['from-month'],
    ],
    [
      'letters in the day',
      { rule: 'first-review', 'from-day': 'x', 'from-month': '4', 'from-year': '2025' },
      'Date to count from must be a real date',
      '#from-day',
      ['from-day'],
    ],
    [
      'a two-digit year',
      { rule: 'first-review', 'from-day': '1', 'from-month': '4', 'from-year': '25' },
      'Year must include 4 numbers',
      '#from-year',
      ['from-year'],
    ],
    [
      'a date at the end of the calendar',
      { rule: 'first-review', 'from-day': '31', 'from-month': '12', 'from-year': '9999' },
      'Date to count from must be between the years 1001 and 9998',
      '#from-day',
      ['from-day', 'from-month', 'from-year'],
    ],
  ];

  it.each(cases)(
    '%s: 400 with an error summary linked to the field, values kept',
    async (_label, form, text, href, highlighted) => {
      const res = await post(form);
      expect(res.statusCode).toBe(400);
      expect(res.body).toContain('<title>Error: Work out a deadline');
      expect(res.body).toContain('There is a problem');
      expect(res.body).toContain(`<a href="${href}">${text}</a>`);
      expect(res.body).toMatch(
        new RegExp(`class="govuk-error-message">\\s*<span class="govuk-visually-hidden">Error:</span> ${text}`),
      );
      for (const id of ['from-day', 'from-month', 'from-year']) {
        const input = new RegExp(
          `<input class="([^"]*)" id="${id}" name="${id}" type="text"(?: value="([^"]*)")?`,
        ).exec(res.body);
        expect(input, id).not.toBeNull();
        expect(input![1]!.includes('govuk-input--error'), id).toBe(highlighted.includes(id));
        expect(input![2] ?? '', id).toBe(form[id] ?? '');
      }
      if (form['rule'] && form['rule'] !== 'no-such-rule')
        expect(res.body).toMatch(new RegExp(`value="${form['rule']}" checked`));
    },
  );

  it('both problems at once: rule first, then the date', async () => {
    const res = await post({ 'from-day': '30', 'from-month': '2', 'from-year': '2025' });
    expect(res.statusCode).toBe(400);
    const summary = res.body.slice(
      res.body.indexOf('govuk-error-summary'),
      res.body.indexOf('</ul>', res.body.indexOf('govuk-error-summary')),
    );
    expect(summary.indexOf('href="#rule"')).toBeLessThan(summary.indexOf('href="#from-day"'));
    expect(summary.indexOf('href="#rule"')).toBeGreaterThan(-1);
  });

  it('refuses a post without a CSRF token with 403', async () => {
    const res = await client.post(
      '/deadlines',
      { rule: 'initial-conference', 'from-day': '10', 'from-month': '4', 'from-year': '2025' },
      { csrf: false },
    );
    expect(res.statusCode).toBe(403);
    expect(res.body).toContain('Your form could not be sent');
  });
});
