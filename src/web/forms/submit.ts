import { type FieldIds, type FormError, fieldIds, pageProblems } from './errors.ts';

const DEFAULT_IDS = fieldIds();

/**
 * The one way a form is sent, for every page: with no problems found reading it, the page's one use
 * case is called and `next` answers (a redirect, 303); a domain problem, or the problems already found
 * reading the form, show the form again with everything typed (`again`, with 400, or 409 when the record
 * changed under the form). Not found and forbidden go on to the error pages (and the audit of a denial).
 *
 *     return submit({
 *       errors,                                   // from reading the form
 *       call: () => meeting.recordDecision(request.actor!, id, childId, input, requestContext(request)),
 *       next: () => reply.redirect(`/conferences/${id}/meeting?done=decision`, 303),
 *       again: (errors, status) => decisionPage(reply, view, child, values, errors, status),
 *       ids: meetingIds(),                        // where a rule's field points on this page
 *     });
 */
export async function submit<T, A>(step: {
  /** Problems found reading the form: the use case is not called. */
  errors?: FormError[];
  call: () => Promise<T>;
  /** The answer once the use case has done its work (a redirect). */
  next: (result: T) => A | Promise<A>;
  again: (errors: FormError[], status: 400 | 409) => A | Promise<A>;
  /** Where a rule's fields point on the page (`fieldIds()` unless given). */
  ids?: FieldIds;
  /** A page that words some problems itself (it rethrows what it does not word, or calls `pageProblems`). */
  problems?: (err: unknown) => { status: 400 | 409; errors: FormError[] };
}): Promise<A> {
  if (step.errors?.length) return step.again(step.errors, 400);
  let result: T;
  try {
    result = await step.call();
  } catch (err) {
    const { status, errors } = step.problems ? step.problems(err) : pageProblems(err, step.ids ?? DEFAULT_IDS);
    return step.again(errors, status);
  }
  return step.next(result);
}
