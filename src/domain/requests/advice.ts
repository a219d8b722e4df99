/**
 * on a complex request for a copy, the chair or the quality assurance service manager may ask the council's
 * information management team for advice on sharing the data. The question is recorded with who asked and when;
 * later the answer, who gave it and when. Pure: no I/O.
 */
import type { Role } from '../access/roles.ts';
import { type IsoDate, compareIsoDates, formatLongDate, isIsoDate } from '../calendar/index.ts';
import { ProblemList } from '../shared/errors.ts';

/** A-10 (000): "CP Chairs and QA Service Managers may request data sharing advice". */
export const ADVICE_ROLES: readonly Role[] = ['chair', 'qa_manager'];
export const ADVICE_TEXT_MAX = 5000;
export const ADVISER_NAME_MAX = 200;

export interface AdviceAnswerInput {
  answer?: string | null | undefined;
  answeredBy?: string | null | undefined;
  answeredOn?: string | null | undefined;
}

export interface AdviceAnswer {
  answer: string;
  answeredBy: string;
  answeredOn: IsoDate;
}

/** The question asked of the information management team. */
export function validateAdviceQuestion(question: string | null | undefined): string {
  const p = new ProblemList();
  const q = (question ?? '').trim();
  if (!q) p.add('question', 'Enter the question for the information management team');
  else if (q.length > ADVICE_TEXT_MAX)
    p.add('question', `The question must be ${ADVICE_TEXT_MAX.toLocaleString('en-GB')} characters or fewer`);
  p.throwIfAny();
  return q;
}

/** The answer, who in the team gave it, and the day: not before it was asked, nor in the future. */
export function validateAdviceAnswer(input: AdviceAnswerInput, f: { askedOn: IsoDate; today: IsoDate }): AdviceAnswer {
  const p = new ProblemList();
  const answer = (input.answer ?? '').trim();
  const answeredBy = (input.answeredBy ?? '').trim();
  const on = (input.answeredOn ?? '').trim();
  if (!answer) p.add('answer', 'Enter the advice the information management team gave');
  else if (answer.length > ADVICE_TEXT_MAX)
    p.add('answer', `The advice must be ${ADVICE_TEXT_MAX.toLocaleString('en-GB')} characters or fewer`);
  if (!answeredBy) p.add('answeredBy', 'Enter who in the information management team gave the advice');
  else if (answeredBy.length > ADVISER_NAME_MAX)
    p.add('answeredBy', `The name must be ${ADVISER_NAME_MAX} characters or fewer`);
  let answeredOn: IsoDate | null = null;
  if (!on) p.add('answeredOn', 'Enter the date the advice was given');
  else if (!isIsoDate(on)) p.add('answeredOn', 'The date must be a real date');
  else if (compareIsoDates(on, f.today) > 0) p.add('answeredOn', 'The date must be today or in the past');
  else if (compareIsoDates(on, f.askedOn) < 0)
    p.add('answeredOn', `The date must be on or after the day it was asked, ${formatLongDate(f.askedOn)}`);
  else answeredOn = on;
  p.throwIfAny();
  return { answer, answeredBy, answeredOn: answeredOn! };
}
