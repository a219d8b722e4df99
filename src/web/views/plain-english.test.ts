import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../domain/access/roles.ts';
import { RULE_NAMES } from '../../domain/calendar/timescales.ts';
import { siblingGroupConference, type SiblingGroupConference } from '../../../test/support/conferences.ts';
import { createTestServices, type TestContext } from '../../../test/support/services.ts';
import { signedInClient, testApp, type WebClient } from '../../../test/support/web.ts';
import { emailOf, staff } from '../../../test/support/people.ts';

/** A rule ID ("T-1", "Q-1", "A-9") or a procedure section ("002 §3.2") as a reader would see it. */
const JARGON = /\b[TRAPQDW]-\d{1,2}\b(?![\d-])|\b\d{3} §\s*\d/g;

/**
 * The words a reader sees on a page, leaving out the places rule IDs may stay: hints, and the
 * inside of a details component ("How this was worked out"), whose summary is still checked.
 */
export function visibleText(html: string): string {
  return html
    .replace(/<head[\s\S]*?<\/head>/g, ' ')
    .replace(/<script[\s\S]*?<\/script>/g, ' ')
    .replace(/<\/summary>[\s\S]*?<\/details>/g, ' ')
    .replace(/<(div|span|p) [^>]*class="[^"]*\bgovuk-hint\b[^"]*"[^>]*>[\s\S]*?<\/\1>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&sect;/g, '§')
    .replace(/\s+/g, ' ');
}

export function ruleJargon(html: string): string[] {
  const text = visibleText(html);
  return [...text.matchAll(JARGON)].map((m) => text.slice(Math.max(0, m.index - 50), m.index + 20).trim());
}

describe('rule IDs and section numbers are not shown as jargon', () => {
  it('finds a bare rule ID in a heading, but not in a hint or a “How this was worked out” details', () => {
    expect(ruleJargon('<h2 class="govuk-heading-m">Quoracy (Q-1)</h2>')).toEqual(['Quoracy (Q-1)']);
    expect(ruleJargon('<th>Attending (002 §3.2)</th>')).toEqual(['Attending (002 §3.2)']);
    expect(
      ruleJargon('<div id="a-hint" class="govuk-hint">Counts from the strategy discussion (rule T-1)</div>'),
    ).toEqual([]);
    expect(
      ruleJargon(
        '<details class="govuk-details"><summary class="govuk-details__summary">How this was worked out</summary><div>Rule T-1</div></details>',
      ),
    ).toEqual([]);
    // A local case reference is not a rule.
    expect(ruleJargon('<td>T-48213-1</td>')).toEqual([]);
  });

  describe('on the key pages', () => {
    let ctx: TestContext;
    let app: FastifyInstance;
    let chair: Actor;
    let support: Actor;
    let chairClient: WebClient;
    let supportClient: WebClient;
    let g: SiblingGroupConference;

    beforeAll(async () => {
      ctx = await createTestServices('pglite');
      app = await testApp(ctx);
      const sw = await staff(ctx, 'Sam Plain', ['social_worker']);
      chair = await staff(ctx, 'Cal Plain', ['chair']);
      support = await staff(ctx, 'Bo Plain', ['business_support']);
      chairClient = (
        await signedInClient(ctx, app, { email: emailOf(chair), name: chair.name, roles: [...chair.roles] })
      ).client;
      supportClient = (
        await signedInClient(ctx, app, { email: emailOf(support), name: support.name, roles: [...support.roles] })
      ).client;
      g = await siblingGroupConference(ctx, { socialWorker: sw, chair });
    });
    afterAll(async () => {
      await app.close();
      await ctx.dispose();
    });

    const expectPlain = async (client: () => WebClient, url: string) => {
      const res = await client().get(url);
      expect(res.statusCode, url).toBe(200);
      expect(ruleJargon(res.body), url).toEqual([]);
    };

    it('work out a deadline: the form and the result for every timescale', async () => {
      await expectPlain(() => chairClient, '/deadlines');
      for (const rule of RULE_NAMES) {
        const res = await chairClient.post(
          '/deadlines',
          { rule, 'from-day': '10', 'from-month': '4', 'from-year': '2025' },
          { fromPage: '/deadlines' },
        );
        expect(res.statusCode, rule).toBe(200);
        expect(ruleJargon(res.body), rule).toEqual([]);
        // The rule is still named where staff look for it: in "How this was worked out".
        expect(res.body, rule).toMatch(/How this was worked out[\s\S]*From rule [A-Z]-\d+/);
      }
    });

    it('a child’s record, the conference, its meeting pages (R-1, Q-1), its recordings and the dashboard', async () => {
      const base = `/conferences/${g.conferenceId}`;
      await expectPlain(() => chairClient, `/children/${g.children.ava}`);
      await expectPlain(() => chairClient, base);
      await expectPlain(() => chairClient, `${base}/meeting`);
      await expectPlain(() => chairClient, `${base}/meeting/start`);
      await expectPlain(() => chairClient, `${base}/meeting/quoracy`);
      await expectPlain(() => chairClient, `${base}/recordings`);
      await expectPlain(() => supportClient, '/dashboard');
      await expectPlain(() => supportClient, '/requests');
      // The written record and what builds on it: its documents, sending, amendments and complaints.
      await expectPlain(() => supportClient, `${base}/documents`);
      await expectPlain(() => supportClient, `${base}/documents/sending`);
      await expectPlain(() => supportClient, `${base}/amendments`);
      await expectPlain(() => supportClient, `${base}/complaints`);
      // Recording gone wrong (P-8, P-9): the list and the chair's forms.
      await expectPlain(() => chairClient, `${base}/recording-incidents`);
      await expectPlain(() => chairClient, `${base}/recording-incidents/unpermitted/new`);
      await expectPlain(() => chairClient, `${base}/recording-incidents/covert/new`);
      // An error message is checked too: R-1's refusal when a reminder point is not ticked.
      const refused = await chairClient.post(
        `${base}/meeting/start`,
        { pointsGiven: ['recorded'], actualStartTime: '10:00' },
        { fromPage: `${base}/meeting/start` },
      );
      expect(refused.statusCode).toBe(400);
      expect(ruleJargon(refused.body)).toEqual([]);
    });
  });
});
