import { describe, expect, it } from 'vitest';
import { DomainError, NotFoundError, InvalidDetailsError } from '../domain/shared/errors.ts';
import { FieldChecks } from './checks.ts';

function thrown(fn: () => void): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  return null;
}

describe('FieldChecks', () => {
  it('collects every field’s first problem, with prefixes and suffixes for a line of a form', () => {
    const c = new FieldChecks();
    c.add('name', 'Enter the name');
    c.add('name', 'A second message for the same field is dropped');
    c.run(() => {
      throw new InvalidDetailsError([{ field: 'language', message: 'Enter the language' }]);
    }, 'invitees.2.');
    c.run(
      () => {
        throw new DomainError('LATE', 'Too late', 'joinedAt');
      },
      '',
      '-abc',
    );
    expect(c.has('invitees.2.language')).toBe(true);
    const err = thrown(() => c.done());
    expect(err).toBeInstanceOf(InvalidDetailsError);
    expect((err as InvalidDetailsError).problems).toEqual([
      { field: 'name', message: 'Enter the name' },
      { field: 'invitees.2.language', message: 'Enter the language' },
      { field: 'joinedAt-abc', message: 'Too late' },
    ]);
  });

  it('a lone rule error keeps its code; access and not-found errors are thrown at once; nothing found, nothing thrown', () => {
    const lone = new FieldChecks();
    expect(lone.run(() => 42)).toBe(42);
    lone.run(() => {
      throw new DomainError('NOT_QUORATE', 'Not quorate');
    });
    expect((thrown(() => lone.done()) as DomainError).code).toBe('NOT_QUORATE');
    expect(() =>
      new FieldChecks().run(() => {
        throw new NotFoundError('The part');
      }),
    ).toThrow(NotFoundError);
    expect(() => new FieldChecks().done()).not.toThrow();
  });
});
