import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DISPOSAL_JOB } from '../../src/app/retention/retention-service.ts';
import { type RetentionFixture, retentionFixture, stored } from '../../src/app/retention/test-support.ts';
import { TEST_PASSWORD } from '../support/web.ts';
import { type BrowserHarness, expectAccessible, startBrowserHarness } from './browser.ts';
import { arrive, saved, signIn, signOut } from './journey-steps.ts';

describe('retention and disposal in a real browser (R-4)', () => {
  let h: BrowserHarness;
  let f: RetentionFixture;

  beforeAll(async () => {
    h = await startBrowserHarness();
    f = await retentionFixture(h.ctx, h.ctx.services.blobs);
    // A year after the copy was sent: the copy is due; the recording is not (Ben is 25 in 2044).
    h.ctx.clock.current = new Date('2027-04-01T10:00:00Z');
    await h.ctx.services.queue.start(
      [],
      h.ctx.services.workers.filter((w) => w.name === DISPOSAL_JOB),
    );
    const setUp = { actor: { id: null, label: 'test' } };
    await h.ctx.services.accounts.createUser(
      { email: 'ina@council.gov.uk', name: 'Ina Governance', roles: ['access_to_records'], password: TEST_PASSWORD },
      setUp,
    );
    await h.ctx.services.accounts.createUser(
      { email: 'quinn@council.gov.uk', name: 'Quinn Quality', roles: ['qa_manager'], password: TEST_PASSWORD },
      setUp,
    );
  });
  afterAll(async () => {
    await h?.close();
  });

  it('R-4: information governance proposes a copy for destruction, the QA service manager approves, and the certificate is issued; every page passes axe and fits a 375 px phone', async () => {
    const { page } = h;
    await signIn(h, 'ina@council.gov.uk');
    await page.getByRole('link', { name: 'Retention and disposal of records' }).click();
    await arrive(h, 'Records due for destruction', 'review');

    // Nothing ticked: the error summary leads to the first box.
    await page.getByRole('button', { name: 'Propose the records chosen for destruction' }).click();
    await expect.poll(() => page.title()).toMatch(/^Error: Records due for destruction/);
    await expectAccessible(h, 'review with a problem');

    // The schedules and the (empty) holds, read by information governance.
    await page
      .getByRole('navigation', { name: 'Retention and disposal' })
      .getByRole('link', { name: 'Retention schedules' })
      .click();
    await arrive(h, 'Retention schedules', 'schedules (read only)');
    await page
      .getByRole('navigation', { name: 'Retention and disposal' })
      .getByRole('link', { name: 'Legal holds' })
      .click();
    await arrive(h, 'Legal holds', 'holds, none');

    // A hold on the copy, then removed: it is kept while held.
    await page
      .getByRole('navigation', { name: 'Retention and disposal' })
      .getByRole('link', { name: 'Due for destruction' })
      .click();
    await arrive(h, 'Records due for destruction', 'review again');
    await page.getByRole('link', { name: new RegExp(`Place a hold on copy of a recording sent ${f.copyId}`) }).click();
    await arrive(h, 'Place a legal hold', 'place a hold');
    await page.getByRole('button', { name: 'Place the hold' }).click();
    await expect.poll(() => page.title()).toMatch(/^Error: Place a legal hold/);
    await expectAccessible(h, 'place a hold with a problem');
    await page.getByLabel('Why must it be kept?').fill('Complaint C-2027-4 under investigation');
    await page.getByRole('button', { name: 'Place the hold' }).click();
    await saved(h, 'The legal hold has been placed', 'holds, one');
    await page.getByRole('link', { name: /Remove the hold on/ }).click();
    await arrive(h, 'Remove a legal hold', 'remove a hold');
    await page.getByLabel('Why is the hold no longer needed?').fill('Complaint closed');
    await page.getByRole('button', { name: 'Remove the hold' }).click();
    await saved(h, 'The legal hold has been removed', 'holds, removed');

    // Propose the copy.
    await page.goto('/admin/retention?kind=copy-sent');
    await arrive(h, 'Records due for destruction', 'review, copies only');
    await page.getByLabel(`Propose copy of a recording sent ${f.copyId}`).check();
    await page.getByRole('button', { name: 'Propose the records chosen for destruction' }).click();
    await saved(h, 'A second person must now approve it', 'proposal, own');
    await expect.poll(() => page.getByRole('button', { name: 'Approve the destruction' }).count()).toBe(0);
    const proposalUrl = new URL(page.url()).pathname;
    await signOut(h, 'Ina');

    // The second person approves.
    await signIn(h, 'quinn@council.gov.uk');
    await page.goto(proposalUrl);
    await arrive(h, 'Disposal proposal', 'proposal, to approve', { contains: true });
    await page.getByRole('button', { name: 'Approve the destruction' }).click();
    await saved(h, 'You approved the destruction', 'proposal, approved');
    await expect
      .poll(async () => (await page.reload(), page.locator('.govuk-summary-list').first().innerText()))
      .toContain('Destroyed');
    await page.getByRole('link', { name: 'Read the disposal certificate' }).click();
    await arrive(h, 'Disposal certificate', 'certificate', { contains: true });
    await expect.poll(() => page.locator('main').innerText()).toContain(f.copyFile.sha256);
    expect(await stored(h.ctx.services.blobs, f.copyFile.key)).toBe(false);

    // The council's schedule, changed by the QA service manager.
    await page.goto('/admin/retention/schedules');
    await arrive(h, 'Retention schedules', 'schedules (to change)');
    await page.locator('#copy-sent-years').fill('0');
    await page.getByRole('button', { name: 'Save the schedule for copies of recordings sent' }).click();
    await expect.poll(() => page.title()).toMatch(/^Error: Retention schedules/);
    await expectAccessible(h, 'schedules with a problem');
    await page.locator('#copy-sent-years').fill('2');
    await page.getByRole('button', { name: 'Save the schedule for copies of recordings sent' }).click();
    await saved(h, 'Copies of recordings sent: your change has been saved', 'schedules, saved');
    expect(h.checked.length).toBeGreaterThan(15);
  });
});
