/**
 * Why a conference is held, checked and kept by convening: the grounds for a pre-birth conference and whether a
 * premature birth is likely (002 §1.3, T-2), and the reason a review is brought forward (002 §2.2, T-3).
 * Called by ConveningService's resolve, convene and readOverview.
 */
import type { IsoDate } from '../../domain/calendar/index.ts';
import {
  BROUGHT_FORWARD_REASON_LABELS,
  type BroughtForwardReason,
  PRE_BIRTH_GROUND_LABELS,
  type PreBirthGround,
  checkBroughtForward,
  checkPreBirthGrounds,
  describeBroughtForward,
  isBroughtForward,
} from '../../domain/conferences/convening-grounds.ts';
import type { ConferenceType } from '../../domain/conferences/decisions.ts';
import type { FieldChecks } from '../checks.ts';
import type { ConveningGroundsRecord } from '../conference-requests/ports.ts';
import type { Repositories } from '../unit-of-work.ts';

/** What convening is given about why the conference is held. */
export interface GroundsInput {
  /** Pre-birth: one or more of PRE_BIRTH_GROUNDS. */
  preBirthGrounds?: readonly unknown[] | null | undefined;
  /** Pre-birth: a premature birth is likely (the T-2 window ends earlier). */
  prematureBirthLikely?: boolean | null | undefined;
  /** A review brought forward: one of BROUGHT_FORWARD_REASONS; `other` needs `broughtForwardOther`. */
  broughtForwardReason?: unknown;
  broughtForwardOther?: string | null | undefined;
}

export interface CheckedGrounds {
  preBirthGrounds: PreBirthGround[];
  prematureBirthLikely: boolean;
  broughtForwardReason: BroughtForwardReason | null;
  broughtForwardOther: string | null;
}

export const NO_GROUNDS: CheckedGrounds = Object.freeze({
  preBirthGrounds: [],
  prematureBirthLikely: false,
  broughtForwardReason: null,
  broughtForwardOther: null,
}) as CheckedGrounds;

/** 002 §1.3: a pre-birth conference's grounds (at least one) and the premature birth flag, at the type stage. */
export function checkPreBirth(
  problems: FieldChecks,
  input: GroundsInput,
  required: boolean,
): Pick<CheckedGrounds, 'preBirthGrounds' | 'prematureBirthLikely'> {
  const prematureBirthLikely = input.prematureBirthLikely === true;
  if (!required) return { preBirthGrounds: [], prematureBirthLikely };
  const preBirthGrounds = problems.run(() => checkPreBirthGrounds(input.preBirthGrounds ?? [])) ?? [];
  return { preBirthGrounds, prematureBirthLikely };
}

/**
 * 002 §2.2: whether a review on `scheduledDate` is brought forward (more than `marginDays` before `due`) and, when
 * `checkReason`, its reason.
 */
export function checkReview(
  problems: FieldChecks,
  input: GroundsInput,
  type: ConferenceType | null,
  scheduledDate: IsoDate | null,
  due: IsoDate | null,
  marginDays: number,
  checkReason: boolean,
): { broughtForward: boolean } & Pick<CheckedGrounds, 'broughtForwardReason' | 'broughtForwardOther'> {
  const broughtForward =
    type !== null && scheduledDate !== null && due !== null && isBroughtForward(type, scheduledDate, due, marginDays);
  if (!broughtForward || !checkReason) return { broughtForward, broughtForwardReason: null, broughtForwardOther: null };
  const checked = problems.run(() => checkBroughtForward(input.broughtForwardReason, input.broughtForwardOther));
  return {
    broughtForward,
    broughtForwardReason: checked?.reason ?? null,
    broughtForwardOther: checked?.otherReason ?? null,
  };
}

/** Keeps the grounds with the conference just convened (nothing to keep for most conferences). */
export async function saveGrounds(repos: Repositories, conferenceId: string, g: CheckedGrounds): Promise<void> {
  if (!g.preBirthGrounds.length && !g.prematureBirthLikely && !g.broughtForwardReason) return;
  await repos.conferenceRequests.saveConveningGrounds({ conferenceId, ...g });
}

/** The grounds as a conference page and the API show them. */
export interface ConveningGroundsView {
  preBirthGrounds: Array<{ value: PreBirthGround; label: string }>;
  prematureBirthLikely: boolean;
  broughtForward: { reason: BroughtForwardReason; label: string; otherReason: string | null; text: string } | null;
}

export function groundsView(g: ConveningGroundsRecord | null): ConveningGroundsView {
  return {
    preBirthGrounds: (g?.preBirthGrounds ?? []).map((value) => ({ value, label: PRE_BIRTH_GROUND_LABELS[value] })),
    prematureBirthLikely: g?.prematureBirthLikely ?? false,
    broughtForward: g?.broughtForwardReason
      ? {
          reason: g.broughtForwardReason,
          label: BROUGHT_FORWARD_REASON_LABELS[g.broughtForwardReason],
          otherReason: g.broughtForwardOther,
          text: describeBroughtForward({ reason: g.broughtForwardReason, otherReason: g.broughtForwardOther }),
        }
      : null,
  };
}

export async function readGrounds(repos: Repositories, conferenceId: string): Promise<ConveningGroundsView> {
  return groundsView(await repos.conferenceRequests.findConveningGrounds(conferenceId));
}
