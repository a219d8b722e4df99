import { describe, expect, it } from 'vitest';
import { BankHolidayCalendar, DEFAULT_TIMESCALE_SETTINGS, type IsoDate } from '../calendar/index.ts';
import { coreGroupReminderDue, coreGroupReminderRecipient } from './reminders.ts';

const d = (s: string) => s as IsoDate;
const cal = new BankHolidayCalendar();
const facts = {
  conferenceDate: d('2026-03-02'),
  firstCoreGroupDate: d('2026-03-12'),
  lastHeld: null,
  nextScheduled: null,
};

describe('core group reminders (002 §3.7)', () => {
  it('002 §3.7: due within 3 working days (or past due) with none booked; not earlier, not when one is booked', () => {
    expect(coreGroupReminderDue(facts, d('2026-03-06'), cal, DEFAULT_TIMESCALE_SETTINGS)).toBeNull();
    expect(coreGroupReminderDue(facts, d('2026-03-09'), cal, DEFAULT_TIMESCALE_SETTINGS)?.due).toBe('2026-03-12');
    expect(coreGroupReminderDue(facts, d('2026-03-13'), cal, DEFAULT_TIMESCALE_SETTINGS)?.due).toBe('2026-03-12');
    expect(
      coreGroupReminderDue(
        { ...facts, nextScheduled: d('2026-03-12') },
        d('2026-03-09'),
        cal,
        DEFAULT_TIMESCALE_SETTINGS,
      ),
    ).toBeNull();
    // After a core group is held, the next is due 6 weeks later.
    expect(
      coreGroupReminderDue({ ...facts, lastHeld: d('2026-03-12') }, d('2026-04-20'), cal, DEFAULT_TIMESCALE_SETTINGS)
        ?.due,
    ).toBe('2026-04-23');
  });

  it('002 §3.7: the lead social worker appointed or named is reminded; the team manager only while none is', () => {
    expect(
      coreGroupReminderRecipient({ leadSocialWorkerUserId: 'l', appointedUserId: 'a', teamManagerUserId: 't' }),
    ).toEqual({ userId: 'a', as: 'lead-social-worker' });
    expect(
      coreGroupReminderRecipient({ leadSocialWorkerUserId: 'l', appointedUserId: null, teamManagerUserId: 't' }),
    ).toEqual({ userId: 'l', as: 'lead-social-worker' });
    expect(
      coreGroupReminderRecipient({ leadSocialWorkerUserId: null, appointedUserId: null, teamManagerUserId: 't' }),
    ).toEqual({ userId: 't', as: 'team-manager' });
    expect(
      coreGroupReminderRecipient({ leadSocialWorkerUserId: null, appointedUserId: null, teamManagerUserId: null }),
    ).toBeNull();
  });
});
