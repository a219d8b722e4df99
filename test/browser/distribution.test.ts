import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/domain/access/roles.ts';
import type { SiblingGroupConference } from '../support/conferences.ts';
import { emailOf, staff } from '../support/people.ts';
import { heldConferenceForRecord } from '../support/written-record.ts';
import { type BrowserHarness, expectAccessible, expectFitsPhone, startBrowserHarness } from './browser.ts';
import { arrive, expectFieldError, fillDate, saved, signIn } from './journey-steps.ts';

// Who gets what (W-4), as business support meets it: from the draft to the list of who receives the document and
// why, a recipient added only once a reason is given, and an agency's "no current or planned involvement"
// recorded. Axe and the phone-width reflow check on every page visited.

const as = (a: Actor) => ({ actor: { id: a.id, label: a.name }, correlationId: 'distribution-browser' });

describe('who gets what, in a real browser', () => {
  let h: BrowserHarness;
  let g: SiblingGroupConference;
  let support: Actor;
  let draftPath: string;

  beforeAll(async () => {
    h = await startBrowserHarness();
    const sw = await staff(h.ctx, 'Sam Worker', ['social_worker']);
    const chair = await staff(h.ctx, 'Cal Chair', ['chair']);
    support = await staff(h.ctx, 'Bo Support', ['business_support']);
    g = await heldConferenceForRecord(h.ctx, { socialWorker: sw, chair, support });
    const draft = await h.ctx.services.documents.startDraft(
      support,
      g.conferenceId,
      { kind: 'decision-letter', subjectInviteeId: null },
      as(support),
    );
    draftPath = `/conferences/${g.conferenceId}/documents/${draft.id}`;
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });

  it('W-4: business support reads who receives the letter and why, adds Ava with a reason and records the GP’s “no involvement”', async () => {
    const { page } = h;
    await signIn(h, emailOf(support));
    await page.goto(draftPath);
    await page.getByRole('link', { name: 'Who receives this document and why' }).click();
    await arrive(h, 'Who receives this document', 'the distribution list');
    await expectFitsPhone(h, 'the distribution list');
    const advocateRow = page.getByRole('row', { name: /Ada Advocate/ });
    await expect.poll(() => advocateRow.innerText()).toMatch(/No[\s\S]*never receives the record/);

    // A change without a reason is refused, with the error by the box.
    await page.getByLabel('Who should receive it').selectOption(g.invitee.ava);
    await page.getByRole('button', { name: 'Add to the list' }).click();
    await expectFieldError(h, 'the distribution list, no reason', 'Enter why they should receive it', 'add-reason');
    await page.getByLabel('Why they should receive it').fill('The chair agreed Ava should have her own copy');
    await page.getByRole('button', { name: 'Add to the list' }).click();
    await saved(h, 'They are added to the list, with your reason.', 'the list after adding Ava');
    await expect
      .poll(() => page.getByRole('row', { name: /Ava Okafor/ }).innerText())
      .toMatch(/Yes[\s\S]*Added by Bo Support: The chair agreed Ava should have her own copy/);

    await page.getByLabel('Agency').selectOption(g.invitee.gp);
    await fillDate(page, 'saidOn', [20, 2, 2026]);
    await page.getByLabel('Note (optional)').fill('The practice manager, by phone');
    await page.getByRole('button', { name: 'Record no current or planned involvement' }).click();
    await saved(h, 'What the agency said about its involvement is recorded.', 'the list after the GP said so');
    await expect
      .poll(() => page.getByRole('row', { name: /Dr Lee/ }).innerText())
      .toMatch(/No[\s\S]*20 February 2026 it has no current or planned involvement/);
    await expectAccessible(h, 'the distribution list, at the end');
  });
});
