import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/domain/access/roles.ts';
import { addChild, emailOf, staff } from '../support/people.ts';
import { PDF_BYTES } from '../support/convening.ts';
import { type BrowserHarness, expectAccessible, startBrowserHarness } from './browser.ts';
import {
  arrive,
  dateShown,
  expectFieldError,
  fillDate,
  group,
  revealedBy,
  saved,
  signIn,
  signInAt,
  signOut,
  summaryValue,
} from './journey-steps.ts';

// One sibling group's initial child protection conference, end to end, only through the pages.
// Business support convenes it from the first child's record (the T-1 due date and its rule on check
// answers), invites the parents, the child of 12 and the professionals, issues an invitation that
// says the conference is audio recorded and adds an agency's report (T-5). On the day the chair
// starts it, keeps the register until it is quorate, decides for each child with one
// agency dissenting (so no D-1 referral), records each plan (next review by T-3) and the Worries /
// Positives / Changes summary, and concludes it. A social worker allocated to neither child cannot
// open it. axe runs on every page the journey reaches, error pages and the 403 page included.
//
// Dates are fixed by the harness's TestClock: Monday 2 March 2026, 09:00 UTC (London is on GMT until
// 29 March, so clock times read the same). The strategy discussion was on Friday 27 February; T-1
// (15 working days) makes the conference due by Friday 20 March; it is booked for Monday 16 March,
// so reports reach the family by Wednesday 11 March (T-5) and the first review is due by Friday
// 12 June (T-3: 90 days is Sunday 14 June, so the working day before).
const TODAY = '2026-03-02';
const STRATEGY_DISCUSSION = [27, 2, 2026] as const;
const BEFORE_STRATEGY_DISCUSSION = [20, 2, 2026] as const;
const CONFERENCE_DAY = [16, 3, 2026] as const;
const ON_THE_DAY = new Date('2026-03-16T09:55:00Z');
const FIRST_CORE_GROUP = [26, 3, 2026] as const;
const TEAMS_LINK = 'https://teams.microsoft.com/l/meetup-join/19%3ameeting-okafor';
const CONFERENCE_LINK = /^Initial child protection conference\s*, 16 March 2026/;

describe('a sibling group’s initial conference, convened and held to its decisions in a real browser', () => {
  let h: BrowserHarness;
  let support: Actor;
  let chair: Actor;
  let otherSocialWorker: Actor;
  let ava: string;
  let ben: string;

  beforeAll(async () => {
    h = await startBrowserHarness();
    // A missing element fails in seconds rather than Playwright's default 30.
    h.page.setDefaultTimeout(10_000);
    expect(h.ctx.clock.now().toISOString().slice(0, 10)).toBe(TODAY);
    const { people } = h.ctx.services;
    // People, children, family and professionals only: the conference and everything about it is recorded through the pages.
    const sw = await staff(h.ctx, 'Sam Social', ['social_worker']);
    otherSocialWorker = await staff(h.ctx, 'Una Other', ['social_worker']);
    support = await staff(h.ctx, 'Bo Support', ['business_support']);
    chair = await staff(h.ctx, 'Chris Chair', ['chair']);
    const by = { actor: { id: sw.id, label: sw.name } };
    const address = '12 Mill Lane\nLuton\nLU1 1AA';
    // Added by Sam, so allocated to Sam; Una is allocated to neither child.
    ava = await addChild(h.ctx, sw, { givenNames: 'Ava', familyName: 'Okafor', dateOfBirth: '2013-05-10', address });
    ben = await addChild(h.ctx, sw, { givenNames: 'Ben', familyName: 'Okafor', dateOfBirth: '2019-08-01', address });
    // Grace has parental responsibility for both (which makes them a sibling group); Daniel for Ben only.
    const grace = await people.addFamilyMember(
      sw,
      ava,
      {
        person: { givenNames: 'Grace', familyName: 'Okafor', address },
        relationship: 'mother',
        parentalResponsibility: true,
      },
      by,
    );
    await people.addFamilyMember(
      sw,
      ben,
      { personId: grace.person.id, relationship: 'mother', parentalResponsibility: true },
      by,
    );
    const daniel = await people.addFamilyMember(
      sw,
      ava,
      {
        person: { givenNames: 'Daniel', familyName: 'Mensah', address: '4 Park Road\nLuton\nLU2 2BB' },
        relationship: 'father',
        parentalResponsibility: false,
      },
      by,
    );
    await people.addFamilyMember(
      sw,
      ben,
      { personId: daniel.person.id, relationship: 'father', parentalResponsibility: true },
      by,
    );
    const agency = (name: string, kind: 'childrens_social_care' | 'police' | 'school' | 'gp') =>
      people.createAgency(sw, { name, kind }, by);
    const csc = await agency('Children’s Services', 'childrens_social_care');
    const police = await agency('Police Public Protection Unit', 'police');
    const school = await agency('Riverside Academy', 'school');
    const gp = await agency('Mill Lane Surgery', 'gp');
    const worksWith = async (
      professional: { name: string; roleTitle: string; agencyId: string },
      children: string[],
    ) => {
      const added = await people.addProfessional(sw, children[0]!, { professional }, by);
      for (const child of children.slice(1)) await people.addProfessional(sw, child, { professionalId: added.id }, by);
    };
    await worksWith({ name: 'Sam Social', roleTitle: 'Social worker', agencyId: csc.id }, [ava, ben]);
    await worksWith({ name: 'DC Priya Shah', roleTitle: 'Detective constable', agencyId: police.id }, [ava, ben]);
    await worksWith({ name: 'Tom Reid', roleTitle: 'Designated safeguarding lead', agencyId: school.id }, [ava]);
    await worksWith({ name: 'Dr Lee', roleTitle: 'GP', agencyId: gp.id }, [ava, ben]);
  });
  afterAll(async () => {
    await h?.close();
  });

  it('business support convenes and invites, the chair holds it to decisions, and every page passes axe', async () => {
    const { page } = h;
    const main = () => page.locator('main').innerText();
    const card = (childId: string) => page.locator(`#child-${childId}`);

    // ================================================================ business support, two weeks before
    await signIn(h, emailOf(support));
    await page.getByRole('link', { name: 'Find a child’s record' }).click();
    await arrive(h, 'Find a child', 'find a child', { contains: true });
    await page.getByLabel('Name').fill('Okafor');
    await page.getByRole('button', { name: 'Search' }).click();
    await expect.poll(main).toContain('2 children found');
    await expectAccessible(h, 'search results');
    await page.getByRole('link', { name: 'Ava Okafor' }).click();
    await arrive(h, 'Ava Okafor', 'Ava’s record');
    await page.getByRole('button', { name: 'Convene a conference' }).click();

    // The sibling group: Ben is offered because Grace has parental responsibility for both.
    await arrive(h, 'Which children is the conference about?', 'convene: sibling group', { contains: true });
    expect(await page.getByRole('checkbox', { name: 'Ava Okafor', exact: true }).isChecked()).toBe(true);
    await page.getByRole('checkbox', { name: 'Ben Okafor', exact: true }).check();
    await page.getByRole('button', { name: 'Continue' }).click();

    await arrive(h, 'What type of conference is it?', 'convene: type', { contains: true });
    await page.getByLabel('Initial child protection conference', { exact: true }).check();
    await fillDate(page, 'strategyDiscussionDate', STRATEGY_DISCUSSION);
    await page.getByRole('button', { name: 'Continue' }).click();

    // T-1: the due date shows as soon as the strategy discussion is known.
    await arrive(h, 'Conference arrangements', 'convene: arrangements');
    expect(await main()).toContain('Due: By Friday 20 March 2026');
    // First, by mistake, a date before the strategy discussion.
    await fillDate(page, 'scheduledDate', BEFORE_STRATEGY_DISCUSSION);
    // As it is typed, the date is checked against the timescale (the server checks again).
    await expect
      .poll(() => page.getByRole('status').innerText())
      .toMatch(/is before Friday 27 February 2026, the date the timescale runs from/);
    await page.getByLabel('Start time').fill('10:00');
    await page.getByLabel('Expected length').selectOption('120');
    await page.getByLabel('Hybrid: in person and online').check();
    await page.locator('#hybridVenueDetails').fill('Room 2, Civic Centre, Luton');
    await page.locator('#hybridOnlineLink').fill(TEAMS_LINK);
    await page.getByLabel('Chair', { exact: true }).selectOption({ label: chair.name });
    await page.getByLabel('Minute taker').selectOption({ label: support.name });
    await page.getByRole('button', { name: 'Continue' }).click();
    await expectFieldError(
      h,
      'convene: arrangements, date before the strategy discussion',
      'The conference date must be on or after the date of the strategy discussion (27 February 2026)',
      'scheduledDate-day',
    );
    // Nothing else typed is lost.
    expect(await page.locator('#hybridOnlineLink').inputValue()).toBe(TEAMS_LINK);
    expect(await page.getByLabel('Chair', { exact: true }).locator('option:checked').innerText()).toBe(chair.name);
    await fillDate(page, 'scheduledDate', CONFERENCE_DAY);
    await expect.poll(() => page.getByRole('status').innerText()).toBe('Monday 16 March 2026 is within the timescale.');
    await page.getByRole('button', { name: 'Continue' }).click();

    // Check answers: the due date, the rule that makes it and the date it runs from (T-1).
    await arrive(h, 'Check the conference details before convening it', 'convene: check answers');
    expect(await summaryValue(page, 'Children')).toBe('Ava Okafor (born 10 May 2013)\nBen Okafor (born 1 August 2019)');
    expect(await summaryValue(page, 'Date of the strategy discussion')).toBe('27 February 2026');
    expect(await summaryValue(page, 'Date')).toBe('16 March 2026');
    expect(await summaryValue(page, 'How people take part')).toBe('Hybrid: in person and online');
    expect(await summaryValue(page, 'Microsoft Teams link')).toBe(TEAMS_LINK);
    expect(await summaryValue(page, 'Chair')).toBe(chair.name);
    expect(await summaryValue(page, 'Minute taker')).toBe(support.name);
    const answers = await main();
    expect(answers).toContain(
      'Initial child protection conference: By Friday 20 March 2026, counted from the date of the strategy discussion, 27 February 2026',
    );
    // The rule and how the date was worked out are one click away.
    await page.getByText('How this was worked out').click();
    await expect.poll(() => main()).toContain('within 15 working days of the strategy discussion');
    expect(answers).toContain('The date you chose is within the timescale.');
    await page.getByRole('button', { name: 'Convene the conference' }).click();

    await arrive(h, 'Initial child protection conference', 'conference: convened');
    const conferenceUrl = new URL(page.url()).pathname;
    expect(conferenceUrl).toMatch(/^\/conferences\/[0-9a-f-]{36}$/);
    const meetingUrl = `${conferenceUrl}/meeting`;
    expect(await summaryValue(page, 'Date')).toBe('Monday 16 March 2026');
    expect(await page.getByRole('link', { name: 'Join the meeting (Microsoft Teams)' }).getAttribute('href')).toBe(
      TEAMS_LINK,
    );
    expect(await summaryValue(page, 'Due')).toContain('By Friday 20 March 2026');

    // Invitations: both parents, Ava (12 on the day, presumed to attend, 002 §3.2) but not Ben (6), and the professionals.
    await page.getByRole('button', { name: 'Invite people' }).click();
    await arrive(h, 'Invite people to the conference', 'invite people');
    const candidates = await main();
    expect(candidates).toContain('Mother of Ava (has PR); Mother of Ben (has PR).');
    expect(candidates).toContain('Father of Ava (no PR); Father of Ben (has PR).');
    expect(candidates).toContain('Aged 12 on the day: presumed able to attend (12 or over).');
    expect(candidates).toContain('Aged 6 on the day: invite if they have enough understanding and want to come.');
    const tick = (name: string) => page.getByRole('checkbox', { name, exact: true });
    await tick('Grace Okafor').check();
    await tick('Daniel Mensah').check();
    await group(page, 'Children and young people').getByRole('checkbox', { name: 'Ava Okafor', exact: true }).check();
    for (const [name, contact] of [
      ['Sam Social, Social worker', 'Yes'],
      ['DC Priya Shah, Detective constable', 'Yes'],
      ['Tom Reid, Designated safeguarding lead', 'Yes'],
      ['Dr Lee, GP', 'No'],
    ] as const) {
      const box = tick(name);
      await box.check();
      // Only agencies with direct contact count towards quoracy: asked as each professional is ticked.
      await (await revealedBy(page, box)).getByLabel(contact, { exact: true }).check();
    }
    await page.getByRole('button', { name: 'Invite', exact: true }).click();
    await arrive(h, 'Initial child protection conference', 'conference: people invited');
    const invitations = () => page.locator('#invitations ~ .app-scroll-region table').first().innerText();
    const invited = await invitations();
    for (const name of [
      'Grace Okafor',
      'Daniel Mensah',
      'Ava Okafor',
      'Sam Social',
      'DC Priya Shah',
      'Tom Reid',
      'Dr Lee',
    ])
      expect(invited).toContain(name);
    expect(invited).not.toContain('Ben Okafor');
    expect(invited).toContain('GP, Mill Lane Surgery (GP)\nDirect contact with the child and family: no');

    // Issuing Grace's invitation: the letter says the conference is audio recorded, and gives her no other adult's address.
    await page.getByRole('link', { name: 'Letter to Grace Okafor' }).click();
    await arrive(h, 'Invitation letter to Grace Okafor', 'invitation letter to Grace', { contains: true });
    const letter = await page.locator('article').innerText();
    expect(letter).toContain('The conference will be audio recorded.');
    expect(letter).toContain('16 March 2026');
    expect(letter).not.toContain('4 Park Road');
    await page.getByRole('link', { name: 'record it as sent' }).click();
    await arrive(h, 'Record the invitation to Grace Okafor as sent', 'record Grace’s invitation as sent');
    expect(await dateShown(page, 'sentOn')).toEqual(['2', '3', '2026']);
    await page.getByLabel('Letter by post').check();
    await page.getByRole('button', { name: 'Record as sent' }).click();
    await arrive(h, 'Initial child protection conference', 'conference: invitation sent');
    expect(await invitations()).toContain('Letter by post, 2 March 2026');

    // The school's report: the family must have it 3 working days before the conference (T-5).
    await page.getByRole('button', { name: 'Add a report' }).click();
    await arrive(h, 'Add a report to the conference', 'add a report');
    expect(await main()).toContain(
      'Reports must reach the family by 11 March 2026, at least 3 working days before the conference.',
    );
    await page.getByLabel('Agency the report is from').selectOption({ label: 'Riverside Academy' });
    await page
      .getByLabel('Report file', { exact: true })
      .setInputFiles({ name: 'school-report.pdf', mimeType: 'application/pdf', buffer: PDF_BYTES });
    await page.getByRole('button', { name: 'Add the report' }).click();
    await arrive(h, 'Initial child protection conference', 'conference: report added');
    const reports = await page.locator('#reports ~ .app-scroll-region table').first().innerText();
    expect(reports).toContain('Riverside Academy');
    expect(reports).toContain('Not shared with the family yet: share by 11 March 2026');
    // The police officer's email says the conference is audio recorded too.
    await page.getByRole('link', { name: 'Email to DC Priya Shah' }).click();
    await arrive(h, 'Invitation email to DC Priya Shah', 'invitation email to DC Priya Shah', { contains: true });
    expect(await page.getByLabel('Message').inputValue()).toContain('The conference will be audio recorded.');
    await signOut(h, 'business support');

    // ================================================================ the chair, on the day
    h.ctx.clock.current = ON_THE_DAY;
    // The chair opens the conference from a link to it, signing in on the way.
    await signInAt(h, conferenceUrl, emailOf(chair));
    await arrive(h, 'Initial child protection conference', 'conference: the chair’s view');
    await page.getByRole('button', { name: 'Hold the conference' }).click();
    await arrive(h, 'Conference for Ava and Ben Okafor', 'meeting: planned');

    // the chair tells those present about the recording, point by point, and notes the start time.
    await page.getByRole('button', { name: 'Start the conference' }).click();
    await arrive(h, 'Start the conference', 'start: the recording reminder (R-1)');
    const points = await group(page, 'Tell those present').getByRole('checkbox').all();
    expect(points.length).toBeGreaterThan(0);
    for (const box of points) await box.check();
    await page.getByLabel('Time the conference started').fill('10:02');
    await page.getByRole('button', { name: 'Start the conference' }).click();
    await saved(h, 'The conference has started', 'meeting: in progress');
    expect(await summaryValue(page, 'Started')).toBe('10:02 – the chair told those present about the recording');
    expect(await summaryValue(page, 'Recording reminder')).toBe(
      'Given to those present; recorded at 09:55 on 16 March 2026',
    );

    // The register: the parents, Ava, social care and the police are here; the GP sent apologies.
    await page.getByRole('link', { name: 'Register for Whole conference' }).click();
    await arrive(h, 'Register: Whole conference', 'register');
    const mark = (name: string, status: 'Attended' | 'Sent apologies') =>
      group(page, name).getByLabel(status, { exact: true }).check();
    for (const name of ['Grace Okafor', 'Daniel Mensah', 'Ava Okafor', 'Sam Social', 'DC Priya Shah'])
      await mark(name, 'Attended');
    await mark('Dr Lee', 'Sent apologies');
    await page.getByRole('button', { name: 'Save the register' }).click();
    await saved(h, 'The register is saved.', 'meeting: register saved, not quorate');
    // children's social care and one other agency with direct contact is not enough.
    expect(await page.locator('#quoracy + p').innerText()).toBe('Not quorate');
    await page.getByRole('link', { name: 'Not quorate: decide whether to go ahead or adjourn' }).click();
    await arrive(h, 'Quoracy', 'quoracy: not quorate');
    expect(await summaryValue(page, 'Children’s social care')).toBe('Present');
    expect(await summaryValue(page, 'Other agencies with direct contact')).toBe('Police Public Protection Unit');
    // The school's safeguarding lead joins late, at 10:20: now it is quorate.
    await page.getByRole('link', { name: 'Update the register for Whole conference' }).click();
    await arrive(h, 'Register: Whole conference', 'register: the school arrives');
    await mark('Tom Reid', 'Attended');
    await page.getByLabel('Joined late at – Tom Reid').fill('10:20');
    await page.getByRole('button', { name: 'Save the register' }).click();
    await saved(h, 'The register is saved.', 'meeting: quorate');
    expect(await page.locator('#quoracy + p').innerText()).toBe('Quorate');
    expect(await main()).toContain('Quorate: children’s social care and 2 other agencies with direct contact');
    // The register as saved: the late arrival and the apologies.
    await page.getByRole('link', { name: 'Register for Whole conference' }).click();
    await arrive(h, 'Register: Whole conference', 'register: as saved');
    expect(await page.getByLabel('Joined late at – Tom Reid').inputValue()).toBe('10:20');
    expect(await group(page, 'Dr Lee').getByLabel('Sent apologies').isChecked()).toBe(true);
    expect(await group(page, 'Ava Okafor').getByLabel('Attended').isChecked()).toBe(true);
    await page.getByRole('link', { name: 'Back to the conference' }).click();
    await arrive(h, 'Conference for Ava and Ben Okafor', 'meeting: back from the register');

    // Ava: a plan, for neglect. The school dissents: one agency only, so no referral to a senior manager (D-1).
    await page.getByRole('link', { name: 'Record the decision for Ava Okafor' }).click();
    await arrive(h, 'Decision for Ava Okafor', 'decision for Ava');
    await page.getByLabel('Child protection plan needed', { exact: true }).check();
    await page.getByLabel('Neglect', { exact: true }).check();
    await page.getByLabel('Reasons for the decision').fill('Persistent neglect of Ava’s health and basic care.');
    await group(page, 'Children’s Services').getByLabel('Agrees').check();
    await group(page, 'Police Public Protection Unit').getByLabel('Agrees').check();
    await group(page, 'Riverside Academy').getByLabel('Dissents').check();
    await page
      .getByLabel('Their view in brief (optional) – Riverside Academy')
      .fill('Ava’s attendance and presentation at school have improved.');
    await page.getByRole('button', { name: 'Save the decision' }).click();
    await saved(h, 'The decision is recorded.', 'meeting: Ava’s decision');
    const avaDecision = await summaryValue(page, 'Decision', card(ava));
    expect(avaDecision).toContain('Child protection plan needed: Neglect');
    expect(avaDecision).toContain('Dissenting: Riverside Academy');
    expect(avaDecision).not.toContain('Referred to');
    expect(avaDecision).not.toContain('equally split');
    expect(await page.getByRole('link', { name: /Record the review/ }).count()).toBe(0);

    // Ben: a category is chosen and then "no plan": the hidden category is ignored (GOV.UK conditional
    // reveal), so it is not an error; "plan needed" without a category is, on the category field.
    await page.getByRole('link', { name: 'Record the decision for Ben Okafor' }).click();
    await arrive(h, 'Decision for Ben Okafor', 'decision for Ben');
    await page.getByLabel('Child protection plan needed', { exact: true }).check();
    await page
      .getByLabel('Reasons for the decision')
      .fill('Unexplained bruising to Ben’s arm, seen by the school nurse.');
    for (const agency of ['Children’s Services', 'Police Public Protection Unit', 'Riverside Academy'])
      await group(page, agency).getByLabel('Agrees').check();
    await page.getByRole('button', { name: 'Save the decision' }).click();
    await expectFieldError(
      h,
      'decision for Ben: a plan without a category',
      'Select the category of abuse or neglect for the plan',
      'category',
    );
    expect(await page.getByLabel('Reasons for the decision').inputValue()).toBe(
      'Unexplained bruising to Ben’s arm, seen by the school nurse.',
    );
    await page.getByLabel('Physical abuse', { exact: true }).check();
    await page.getByRole('button', { name: 'Save the decision' }).click();
    await saved(h, 'The decision is recorded.', 'meeting: Ben’s decision');
    const benDecision = await summaryValue(page, 'Decision', card(ben));
    expect(benDecision).toContain('Child protection plan needed: Physical abuse');
    expect(benDecision).not.toContain('Dissenting');

    // Each child's plan: lead social worker, core group, first core group, an action, contingency; the next review defaults to T-3.
    for (const [child, name, action, who] of [
      [ava, 'Ava Okafor', 'Register Ava with a dentist and keep her health appointments', 'Grace Okafor'],
      [ben, 'Ben Okafor', 'Paediatric assessment of Ben’s injuries', 'Sam Social'],
    ] as const) {
      await page.getByRole('link', { name: `Record the plan for ${name}` }).click();
      await arrive(h, `Plan for ${name}`, `plan for ${name}`);
      // The allocated social worker is proposed as the lead.
      expect(await page.getByLabel('Lead social worker').locator('option:checked').innerText()).toBe('Sam Social');
      expect(await dateShown(page, 'nextReviewDate')).toEqual(['12', '6', '2026']);
      await page.getByText('How this date was worked out').click();
      const plan = await main();
      expect(plan).toContain(
        '90 days after 16 March 2026 is 14 June 2026; that is a Sunday, so the last working day within the period is 12 June 2026.',
      );
      expect(plan).toContain(
        'Filled in with the latest date rule T-3 allows, counted from the date of the initial conference (16 March 2026).',
      );
      const coreGroup = group(page, 'Core group members');
      for (const member of ['Grace Okafor', 'Sam Social', 'DC Priya Shah', ...(child === ava ? ['Tom Reid'] : [])])
        await coreGroup.getByRole('checkbox', { name: member, exact: true }).check();
      await fillDate(page, 'firstCoreGroupDate', FIRST_CORE_GROUP);
      await page.locator('#action-0').fill(action);
      await page.locator('#who-0').fill(who);
      await fillDate(page, 'byWhen-0', [30, 4, 2026]);
      await page.getByLabel('Contingency plan').fill('A legal planning meeting if the plan is not followed.');
      await page.getByRole('button', { name: 'Save the plan' }).click();
      await saved(h, 'The plan is recorded.', `meeting: plan for ${name} recorded`);
      const recorded = await summaryValue(page, 'Plan', card(child));
      expect(recorded).toContain('Lead social worker: Sam Social');
      expect(recorded).toContain('First core group: 26 March 2026');
      expect(recorded).toContain('Next review by: 12 June 2026');
      expect(recorded).toContain('1 action');
    }

    // The chair's summary: worries, positives, changes (003).
    await page.getByRole('link', { name: 'Record the summary' }).click();
    await arrive(h, 'Chair’s summary: worries, positives and changes', 'summary');
    await page
      .getByLabel('What are we worried about?')
      .fill('Ava’s health needs are not met; Ben has unexplained bruising.');
    await page
      .getByLabel('What is working well?')
      .fill('Ava is at school every day; Grace is working with the social worker.');
    await page.getByLabel('What needs to happen?').fill('Both children’s health needs met, and a safe home.');
    await page.getByRole('button', { name: 'Save the summary' }).click();
    await saved(h, 'The chair’s summary is recorded.', 'meeting: summary recorded');
    expect(await summaryValue(page, 'What we are worried about')).toBe(
      'Ava’s health needs are not met; Ben has unexplained bruising.',
    );
    expect(await summaryValue(page, 'What is working well')).toBe(
      'Ava is at school every day; Grace is working with the social worker.',
    );
    expect(await summaryValue(page, 'What needs to happen')).toBe('Both children’s health needs met, and a safe home.');

    // Conclude: the outcome for each child is shown before the conference is recorded as held.
    await page.getByRole('button', { name: 'Conclude the conference' }).click();
    await arrive(h, 'Conclude the conference', 'conclude');
    expect(await summaryValue(page, 'Ava Okafor')).toBe('Child protection plan needed: Neglect');
    expect(await summaryValue(page, 'Ben Okafor')).toBe('Child protection plan needed: Physical abuse');
    await page.getByLabel('Time the conference ended').fill('11:50');
    await page.getByRole('button', { name: 'Conclude the conference' }).click();
    await saved(h, 'The conference is concluded and recorded as held.', 'meeting: held');
    expect(await summaryValue(page, 'Ended')).toBe('11:50');

    // The outcome, from each child's record: through the conference's page to each child, and back by their list of conferences.
    await page.getByRole('link', { name: 'Conference details' }).click();
    await arrive(h, 'Initial child protection conference', 'conference: held');
    for (const [name, given] of [
      ['Ava Okafor', 'Ava'],
      ['Ben Okafor', 'Ben'],
    ] as const) {
      await page.locator('main table').getByRole('link', { name, exact: true }).click();
      await arrive(h, name, `${given}’s record, after the conference`);
      await page.getByRole('link', { name: `${given}’s conferences` }).click();
      await arrive(h, `Conferences for ${name}`, `${given}’s conferences, held`);
      const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: CONFERENCE_LINK }) });
      expect(await row.innerText()).toMatch(/16 March 2026, 10am\s+Held\s+2/);
      await page.getByRole('link', { name: CONFERENCE_LINK }).click();
      await arrive(h, 'Initial child protection conference', `conference: held, from ${given}’s record`);
    }
    // The held conference's page leads to its record: attendance, decisions and plans.
    await page.getByRole('link', { name: /Conference record: attendance, decisions/ }).click();
    await arrive(h, 'Conference for Ava and Ben Okafor', 'meeting: held, from the conference page');
    for (const [child, outcome] of [
      [ava, 'Child protection plan needed: Neglect'],
      [ben, 'Child protection plan needed: Physical abuse'],
    ] as const) {
      expect(await summaryValue(page, 'Decision', card(child))).toContain(outcome);
      expect(await summaryValue(page, 'Plan', card(child))).toContain('Next review by: 12 June 2026');
    }
    await signOut(h, 'the chair');

    // ================================================================ a social worker allocated to neither child
    await signIn(h, emailOf(otherSocialWorker));
    for (const [url, what] of [
      [conferenceUrl, 'the conference'],
      [meetingUrl, 'the record of the meeting'],
      [`/children/${ava}`, 'Ava’s record'],
    ] as const) {
      const response = await page.goto(url);
      expect(response?.status(), what).toBe(403);
      await arrive(
        h,
        'You do not have access to this page',
        `403: ${what}, for a social worker allocated to neither child`,
      );
      expect(await main(), what).not.toContain('Okafor');
    }

    // Every page reached above was checked: 62 in all, the security code page after each of the three sign-ins
    // included (a new step adds its own).
    expect(h.checked).toHaveLength(62);
    expect(new Set(h.checked).size).toBe(h.checked.length);
  }, 300_000);
});
