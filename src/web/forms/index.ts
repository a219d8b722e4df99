/**
 * The form kit every page uses: reading posted values (text, ticked boxes, date inputs), path ids, the
 * caller's context for a use case, and the one mapping from a domain problem to the page's status and
 * error summary. A page handler parses with these, calls one use case, and re-renders or redirects.
 */
export { requestContext, readingContext } from './context.ts';
export {
  dedupe,
  errorFor,
  errorStatus,
  fieldIds,
  mergeErrors,
  pageProblems,
  problemsAsErrors,
  zodErrors,
  type FieldIdOptions,
  type FieldIds,
  type FormError,
} from './errors.ts';
export { idParams, idSchema } from './params.ts';
export {
  conferenceHeading,
  doneMessage,
  formPage,
  pageRenderer,
  readMultipart,
  versionOf,
  type FormPage,
  type PageRenderer,
} from './pages.ts';
export { submit } from './submit.ts';
export {
  MAX_TEXT,
  asArray,
  bodyOf,
  dateFields,
  dateParts,
  dateValues,
  parseDateInput,
  pickValues,
  readDate,
  str,
  text,
  ticked,
  type FormValues,
} from './values.ts';
