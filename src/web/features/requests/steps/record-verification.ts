/**
 * the requester's reply as typed in (one row per child: full name and date of birth, or expected
 * date of delivery), compared with the children's records by the use case.
 */
import { dedupe, parseDateInput } from '../../../forms/index.ts';
import type { FormError } from '../../../types.ts';
import { ruleErrors } from '../forms.ts';
import { answer, type StepHandler } from './step.ts';

export const recordVerification: StepHandler = async ({ requests, actor, id, version, values, ctx }) => {
  const rows = Math.min(20, Math.max(1, Number.parseInt(values['childRows'] as string, 10) || 1));
  const dateErrors: FormError[] = [];
  const children = Array.from({ length: rows }, (_, i) => {
    const d = parseDateInput(values, `children-${i}-dateOfBirth`, `The date of birth given for child ${i + 1}`);
    if (d.error) dateErrors.push({ text: d.error, href: `#record-verification-children-${i}-dateOfBirth-day` });
    return { fullName: answer(values, `children-${i}-fullName`), dateOfBirth: d.iso ?? (d.error ? 'not a date' : '') };
  });
  const confirmed = answer(values, 'emailConfirmedSecure');
  try {
    const result = await requests.recordVerification(
      actor,
      id,
      version,
      { emailConfirmedSecure: confirmed === 'yes' ? true : confirmed === 'no' ? false : null, children },
      ctx,
    );
    return { done: result.matched ? 'verified' : 'not-verified' };
  } catch (err) {
    // The date's own message wins over the rule's for the same field.
    const errors = ruleErrors(err, 'record-verification').map((e) => dateErrors.find((d) => d.href === e.href) ?? e);
    return { errors: dedupe([...dateErrors, ...errors]) };
  }
};
