import { describe, expect, it } from 'vitest';
import { DEFAULT_TIMESCALE_SETTINGS } from '../calendar/index.ts';
import { computedCalendar as calendar, d } from '../calendar/test-support.ts';
import { dashboardSectionsFor } from '../conferences/dashboard.ts';
import { coreGroupTaskConferences, coreGroupTasks, type CoreGroupPlanFacts } from './dashboard-tasks.ts';

const rules = { calendar, settings: DEFAULT_TIMESCALE_SETTINGS };
const plan = (over: Partial<CoreGroupPlanFacts>): CoreGroupPlanFacts => ({
  conferenceId: 'c1',
  childId: 'k1',
  conferenceDate: d('2026-03-02'),
  firstCoreGroupDate: d('2026-03-12'),
  leadSocialWorkerUserId: 'sw',
  appointedUserId: null,
  lastHeld: null,
  nextScheduled: null,
  ...over,
});

describe('core group tasks for the dashboard (002 §3.7, §3.2)', () => {
  it('002 §3.7: only core groups due soon or overdue are listed; on track ones are not', () => {
    const t = coreGroupTasks(
      [
        plan({ childId: 'soon' }),
        plan({ childId: 'late', lastHeld: d('2026-01-05') }),
        plan({ childId: 'fine', lastHeld: d('2026-03-05') }),
      ],
      [],
      d('2026-03-10'),
      rules,
    );
    expect(t.due.map((x) => [x.childId, x.due.status])).toEqual([
      ['soon', 'due-soon'],
      ['late', 'overdue'],
    ]);
  });

  it('002 §3.7: a missing lead social worker is due by the first core group date; an appointment clears it', () => {
    const t = coreGroupTasks(
      [
        plan({ childId: 'none', leadSocialWorkerUserId: null }),
        plan({ childId: 'appointed', leadSocialWorkerUserId: null, appointedUserId: 'u' }),
        plan({ childId: 'undated', leadSocialWorkerUserId: null, firstCoreGroupDate: null }),
      ],
      [],
      d('2026-03-13'),
      rules,
    );
    expect(t.lead).toEqual([
      { conferenceId: 'c1', childId: 'none', deadline: '2026-03-12', status: 'overdue' },
      { conferenceId: 'c1', childId: 'undated', deadline: null, status: null },
    ]);
  });

  it('002 §3.2: a conference is listed when a language is needed with no interpreter for it; its conferences are loaded only for those who see the section', () => {
    const t = coreGroupTasks(
      [],
      [
        { conferenceId: 'a', kind: 'family-member', interpreterLanguage: 'Polish' },
        { conferenceId: 'b', kind: 'family-member', interpreterLanguage: 'Urdu' },
        { conferenceId: 'b', kind: 'interpreter', interpreterLanguage: 'urdu' },
      ],
      d('2026-03-10'),
      rules,
    );
    expect(t.interpreters).toEqual([{ conferenceId: 'a', missing: [{ language: 'Polish', people: 1 }] }]);
    expect(coreGroupTaskConferences(t, { lead: false, interpreters: false })).toEqual([]);
    expect(coreGroupTaskConferences(t, { lead: false, interpreters: true })).toEqual(['a']);
  });

  it('002 §3.7, §3.2: lead social workers are a team manager’s section; interpreters are for chairs and business support', () => {
    expect(dashboardSectionsFor(['team_manager'])).toContain('lead-social-worker');
    expect(dashboardSectionsFor(['team_manager'])).not.toContain('interpreters');
    expect(dashboardSectionsFor(['business_support'])).toContain('interpreters');
    expect(dashboardSectionsFor(['social_worker'])).not.toEqual(
      expect.arrayContaining(['lead-social-worker', 'interpreters']),
    );
    expect(dashboardSectionsFor(['social_worker'])).toContain('core-groups');
  });
});
