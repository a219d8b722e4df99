import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../src/domain/access/roles.ts';
import { DashboardFixtures } from '../support/dashboard-fixtures.ts';
import { TEST_PASSWORD } from '../support/web.ts';
import { type BrowserHarness, expectAccessible, startBrowserHarness } from './browser.ts';
import { passSecondFactor } from './journey-steps.ts';

// Every dashboard view in a real browser, each checked with axe: business support's whole list,
// a filtered view (a GET form, no JavaScript needed), a filter error, a chair's own view and the
// whole list, and a social worker's view with empty sections.
describe('dashboards in a real browser', { timeout: 90_000 }, () => {
  let h: BrowserHarness;
  const users: Record<string, { id: string; email: string }> = {};

  const person = async (key: string, name: string, roles: Role[]) => {
    const email = `${key}@council.gov.uk`;
    const u = await h.ctx.services.accounts.createUser(
      { email, name, roles, password: TEST_PASSWORD },
      { actor: { id: null, label: 'test' } },
    );
    users[key] = { id: u.id, email };
  };

  // Each step waits for the page it leads to (URL, then content) before the next, so a slow machine
  // cannot make one test act on the page the previous step left behind.
  const signInAs = async (key: string) => {
    const { page } = h;
    if (await page.getByRole('button', { name: 'Sign out' }).count()) {
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.waitForURL((u) => u.pathname === '/sign-in' && u.searchParams.get('reason') === 'signed-out');
    } else {
      await page.goto('/sign-in');
    }
    await page.getByLabel('Email address').fill(users[key]!.email);
    await page.getByLabel('Password', { exact: true }).fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await passSecondFactor(h.ctx, page, users[key]!.email);
    await page.waitForURL((u) => u.pathname === '/');
    await expect.poll(() => page.locator('h1').innerText()).toContain('Child protection conference records');
  };

  beforeAll(async () => {
    h = await startBrowserHarness();
    h.ctx.clock.current = new Date('2026-03-02T09:00:00Z');
    await person('support', 'Bo Support', ['business_support']);
    await person('chair', 'Cal Chair', ['chair']);
    await person('other', 'Dee Chair', ['chair']);
    await person('worker', 'Sam Worker', ['social_worker']);
    const fx = new DashboardFixtures(h.ctx.services);
    const chair = users['chair']!.id;
    const other = users['other']!.id;
    const child = (givenNames: string, familyName: string) => fx.child({ givenNames, familyName });

    // Overdue (T-1) and upcoming.
    await fx.conference({
      scheduledDate: '2026-03-04',
      strategyDiscussionDate: '2026-02-02',
      chairUserId: chair,
      childIds: [await child('Cara', 'Late')],
    });
    // Planned late with a senior manager's agreement.
    await fx.conference({
      scheduledDate: '2026-03-18',
      strategyDiscussionDate: '2026-02-23',
      chairUserId: other,
      childIds: [await child('Ava', 'Stone'), await child('Ben', 'Stone')],
      lateAgreedBy: 'Head of Service',
      lateReason: 'Police checks outstanding',
    });
    // T-5 reports.
    const reports = await fx.conference({
      type: 'transfer-in',
      scheduledDate: '2026-03-10',
      startTime: '14:00',
      noticeOfMoveDate: '2026-02-24',
      chairUserId: chair,
      childIds: [await child('Fin', 'Reports')],
    });
    const school = await fx.agency('Hillside Primary', 'school');
    await fx.invite(reports, school);
    await fx.invite(reports, await fx.agency('Market Street Surgery', 'gp'));
    await fx.report(reports, school);
    // T-3 review falling due.
    const eve = await child('Eve', 'Review');
    const icpc = await fx.conference({
      status: 'held',
      scheduledDate: '2025-12-08',
      strategyDiscussionDate: '2025-11-20',
      chairUserId: other,
      childIds: [eve],
    });
    await fx.decision(icpc, eve, 'plan-needed');
    await fx.plan(icpc, eve, { nextReviewDate: '2026-03-05' });
    // Its written record was issued; a translation for Eve's mother is still to arrange (W-4).
    await fx.issueAll(icpc, ['decision-letter', 'plan-and-core-group-letter', 'chairs-summary']);
    const record = await fx.documentDraft(icpc, 'conference-record', 'issued');
    await fx.arrangementTask(record, {
      conferenceId: icpc,
      kind: 'conference-record',
      inviteeId: await fx.familyMember(icpc, { givenNames: 'Ewa', familyName: 'Review' }),
      recipientName: 'Ewa Review',
      arrangement: 'translation',
      language: 'Polish',
    });
    // T-9 plan ended; T-6 / T-7 dates.
    const gus = await child('Gus', 'Ended');
    const prior = await fx.conference({
      status: 'held',
      scheduledDate: '2025-08-20',
      strategyDiscussionDate: '2025-08-01',
      chairUserId: chair,
      childIds: [gus],
    });
    await fx.issueAll(prior, ['decision-letter', 'chairs-summary', 'conference-record']);
    const ended = await fx.conference({
      type: 'review',
      status: 'held',
      scheduledDate: '2026-02-20',
      previousConferenceId: prior,
      chairUserId: chair,
      childIds: [gus],
    });
    await fx.decision(ended, gus, 'plan-ends');
    // T-1 after a cancellation: a new conference is still needed.
    await fx.conference({
      status: 'cancelled',
      scheduledDate: '2026-03-03',
      strategyDiscussionDate: '2026-02-16',
      chairUserId: chair,
      childIds: [await child('Ivy', 'Cancel')],
    });
    // D-1 awaiting review.
    const hal = await child('Hal', 'Dissent');
    const dissent = await fx.conference({
      status: 'held',
      scheduledDate: '2026-02-16',
      strategyDiscussionDate: '2026-01-28',
      chairUserId: chair,
      childIds: [hal],
    });
    await fx.referral(await fx.decision(dissent, hal, 'plan-needed', { referral: true }), { referredOn: '2026-02-17' });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('business support: every section, a filtered view and a filter error, each passing axe', async () => {
    const { page } = h;
    await signInAs('support');
    await page.getByRole('link', { name: 'Dashboard', exact: true }).click();
    await page.waitForURL((u) => u.pathname === '/dashboard');
    await expect.poll(() => page.locator('h1').innerText()).toBe('All conferences');
    const main = await page.locator('main').innerText();
    expect(main).toContain('Today is Monday 2 March 2026');
    expect(main).toContain('Due 23 February 2026 — 15 working days from the strategy discussion on 2 February 2026');
    expect(main).toContain('Due 6 March 2026 — 90 days from the initial conference on 8 December 2025');
    expect(main).toContain('Awaiting review');
    // T-6 / T-7: each document's state against its own due date; W-4: the arrangement still to make.
    expect(main).toMatch(/Decision letter\s+Not started\s+Overdue\s+Due 23 February 2026/);
    expect(main).toMatch(/Ewa Review\s+Conference record\s+A translation requested\s+Language: Polish/);
    expect(main).toContain('Due 9 March 2026 — 15 working days from the strategy discussion on 16 February 2026');
    for (const words of ['Overdue', 'Due soon', 'On track'])
      expect(await page.locator('.govuk-tag', { hasText: words }).count()).toBeGreaterThan(0);
    await expectAccessible(h, 'business support dashboard, every section');

    await page.getByLabel('Section').selectOption({ label: 'Overdue or planned late' });
    await page.getByLabel('Status').selectOption({ label: 'Overdue (red)' });
    await page.getByRole('button', { name: 'Apply filters' }).click();
    // The filtered page itself, loaded, before anything is read from it.
    await page.waitForURL((u) => u.searchParams.get('section') === 'overdue');
    expect(page.url()).toContain('status=overdue');
    expect(page.url()).not.toMatch(/Cara|Late|Stone/);
    await expect.poll(() => page.locator('table').count()).toBe(1);
    expect(await page.locator('table').innerText()).toContain('Cara Late');
    await expectAccessible(h, 'business support dashboard, filtered');

    await page.getByRole('link', { name: 'Clear filters' }).click();
    await page.waitForURL((u) => u.pathname === '/dashboard' && !u.searchParams.has('section'));
    // Every section with something in it, Eve's core group due under her plan (002 §3.7) among them.
    await expect.poll(() => page.locator('table').count()).toBe(10);
    expect(await page.locator('table[data-section="core-groups"]').innerText()).toContain('Eve');

    await page.goto('/dashboard?section=everything');
    await expect.poll(() => page.title()).toMatch(/^Error: /);
    await page.locator('.govuk-error-summary').getByRole('link', { name: 'Select a section from the list' }).click();
    await expect.poll(() => page.locator(':focus').getAttribute('id')).toBe('section');
    await expectAccessible(h, 'dashboard filter error');
  });

  it('a chair: their own conferences, then the whole list, each passing axe', async () => {
    const { page } = h;
    await signInAs('chair');
    await page.goto('/dashboard');
    await expect.poll(() => page.locator('h1').innerText()).toBe('Conferences you chair');
    const mine = await page.locator('main').innerText();
    // The heading once: the link offers the other view rather than repeating it.
    expect(mine.match(/Conferences you chair/g)).toHaveLength(1);
    expect(mine).toContain('Cara Late');
    expect(mine).not.toContain('Ava Stone');
    await expectAccessible(h, 'chair’s own dashboard');

    const ownUrl = page.url();
    await page.getByRole('link', { name: 'Show all conferences' }).click();
    await page.waitForURL((u) => u.href !== ownUrl);
    await expect.poll(() => page.locator('h1').innerText()).toBe('All conferences');
    await expect.poll(() => page.locator('main').innerText()).toContain('Ava Stone');
    expect(await page.locator('main').innerText()).toContain('Agreed by Head of Service');
    await expectAccessible(h, 'chair’s whole list');

    // Each row opens its conference.
    await page
      .locator('table[data-section="overdue"] tr', { hasText: 'Cara Late' })
      .getByRole('link', { name: 'Initial child protection conference on 4 March 2026 for Cara Late', exact: true })
      .click();
    await page.waitForURL((u) => /^\/conferences\/[0-9a-f-]{36}$/.test(u.pathname));
    await expect.poll(() => page.locator('h1').innerText()).toBe('Initial child protection conference');
    expect(await page.locator('main').innerText()).toContain('Cara Late');
  });

  it('a social worker with no allocated children sees empty sections, passing axe', async () => {
    const { page } = h;
    await signInAs('worker');
    await page.goto('/dashboard');
    await expect.poll(() => page.locator('h1').innerText()).toBe('All conferences');
    expect(await page.locator('table').count()).toBe(0);
    // Every section a social worker sees, core groups due (002 §3.7) included; not the team manager's or the chair's.
    expect(await page.getByText('Nothing in this section.').count()).toBe(11);
    await expectAccessible(h, 'empty dashboard');
    expect(h.checked).toHaveLength(6);
  });
});
