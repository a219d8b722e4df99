import {
  AccessDeniedError,
  DomainError,
  NotFoundError,
  type FieldProblem,
  InvalidDetailsError,
} from '../domain/shared/errors.ts';

/**
 * Collects the problems of a whole form so it can show every one at once: the use cases' one way of
 * checking input field by field. A field keeps its first problem (one message per field, as the
 * GOV.UK error summary expects). When the only problem is one domain rule's error, `done()` throws
 * that error itself, so its code survives; otherwise one InvalidDetailsError listing every field.
 */
export class FieldChecks {
  private readonly problems: FieldProblem[] = [];
  private readonly errors: DomainError[] = [];

  /**
   * Runs a check, keeping its problems with `prefix` and `suffix` added to their fields (for a
   * line of a form: `invitees.2.` or `-<id>`). Access and not-found errors are not problems: they
   * are thrown at once.
   */
  run<T>(check: () => T, prefix = '', suffix = ''): T | undefined {
    try {
      return check();
    } catch (err) {
      if (err instanceof InvalidDetailsError) {
        this.errors.push(err);
        for (const p of err.problems) this.push(prefix + p.field + suffix, p.message);
      } else if (err instanceof DomainError && !(err instanceof AccessDeniedError) && !(err instanceof NotFoundError)) {
        const field = prefix + (err.field ?? '') + (err.field ? suffix : '');
        // A field renamed for its line on the form must reach the form renamed.
        this.errors.push(
          field === (err.field ?? '') ? err : new InvalidDetailsError([{ field, message: err.message }]),
        );
        this.push(field, err.message);
      } else throw err;
      return undefined;
    }
  }

  /** A problem on a field; ignored when the field already has one. */
  add(field: string, message: string): void {
    if (this.has(field)) return;
    this.push(field, message);
    this.errors.push(new InvalidDetailsError([{ field, message }]));
  }

  has(field: string): boolean {
    return this.problems.some((p) => p.field === field);
  }

  get count(): number {
    return this.problems.length;
  }

  /** Throws when anything was found. */
  done(): void {
    const [only] = this.errors;
    if (this.errors.length === 1 && only && !(only instanceof InvalidDetailsError)) throw only;
    if (this.problems.length) throw new InvalidDetailsError(this.problems);
  }

  private push(field: string, message: string): void {
    if (!this.has(field)) this.problems.push({ field, message });
  }
}
