/**
 * The form fields for why a conference is held: a pre-birth conference's grounds and the premature birth flag
 * (002 §1.3, on the type step), and a review's reason for being brought forward (002 §2.2, on the timescale step).
 * Shared by convening and by recording a conference afterwards.
 */
import type { ConveningGroundsView } from '../../../../app/conferences/convening-grounds.ts';
import type { TimescaleSettings } from '../../../../domain/calendar/index.ts';
import {
  BROUGHT_FORWARD_REASON_LABELS,
  BROUGHT_FORWARD_REASONS,
  PRE_BIRTH_GROUND_LABELS,
  PRE_BIRTH_GROUNDS,
} from '../../../../domain/conferences/convening-grounds.ts';
import type { FormValues } from '../../../forms/index.ts';

const listOf = (v: FormValues[string]): string[] => (Array.isArray(v) ? v : v ? [v] : []);

export function preBirthGroundsView(values: FormValues, timescales: TimescaleSettings) {
  const chosen = listOf(values['preBirthGrounds']);
  return {
    preBirthGroundItems: PRE_BIRTH_GROUNDS.map((g) => ({
      value: g,
      text: PRE_BIRTH_GROUND_LABELS[g],
      checked: chosen.includes(g),
    })),
    prematureItems: [
      {
        value: 'yes',
        text: 'A premature birth is likely',
        hint: {
          text: `The conference is then held earlier: by ${timescales.preBirthPrematureLatestWeek} weeks of pregnancy instead of ${timescales.preBirthLatestWeek}.`,
        },
        checked: values['prematureBirthLikely'] === 'yes',
      },
    ],
  };
}

export function broughtForwardItems(values: FormValues) {
  return BROUGHT_FORWARD_REASONS.filter((r) => r !== 'other').map((r) => ({
    value: r,
    text: BROUGHT_FORWARD_REASON_LABELS[r],
    checked: values['broughtForwardReason'] === r,
  }));
}

/** Summary list rows for a conference's grounds (conference page, check answers). */
export function groundsRows(
  g: ConveningGroundsView,
): Array<{ key: { text: string }; value: { html?: string; text?: string } }> {
  const rows: Array<{ key: { text: string }; value: { html?: string; text?: string } }> = [];
  if (g.preBirthGrounds.length)
    rows.push({
      key: { text: 'Grounds for a pre-birth conference' },
      value: {
        html: `<ul class="govuk-list govuk-list--bullet">${g.preBirthGrounds.map((x) => `<li>${escape(x.label)}</li>`).join('')}</ul>`,
      },
    });
  if (g.preBirthGrounds.length || g.prematureBirthLikely)
    rows.push({
      key: { text: 'Premature birth likely' },
      value: { text: g.prematureBirthLikely ? 'Yes: the conference is held earlier' : 'No' },
    });
  if (g.broughtForward)
    rows.push({ key: { text: 'Why the review was brought forward' }, value: { text: g.broughtForward.text } });
  return rows;
}

function escape(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
